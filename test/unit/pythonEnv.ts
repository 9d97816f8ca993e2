// A Python virtual environment for the tests that run Python: `.venv-test/` at the project root (git-ignored),
// created once with `python3 -m venv` and filled from test/python/requirements.txt. A stamp file records the
// requirements that were installed, so later runs reuse the environment until the file changes. When Python, the
// venv module or the packages are missing, this throws: a test that needs Python then fails, it never skips.
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The project root: the nearest folder above this file (or the working directory) with our package.json. */
function projectRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'claude-request-lint') return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('project root not found');
}

function run(command: string, args: string[], cwd: string): void {
  try {
    execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600000, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    const output = `${e.stdout ? e.stdout.toString() : ''}${e.stderr ? e.stderr.toString() : ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${output.slice(-4000)}`);
  }
}

/**
 * Creates (once) the test virtual environment and returns the path of its python. The install is skipped when
 * the stamp shows these same requirements were installed into this same environment.
 */
export function ensurePythonEnv(): string {
  const root = projectRoot();
  const venv = path.join(root, '.venv-test');
  const requirements = path.join(root, 'test', 'python', 'requirements.txt');
  const python = process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
  const stamp = path.join(venv, '.requirements-stamp');
  const wanted = crypto.createHash('sha256').update(fs.readFileSync(requirements)).digest('hex');
  if (fs.existsSync(python) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === wanted) return python;
  if (!fs.existsSync(python)) {
    const base = process.env.PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
    run(base, ['-m', 'venv', venv], root);
  }
  // --retries 0: where the public index is unreachable, pip would otherwise spend minutes retrying it
  run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '0', '-r', requirements], root);
  fs.writeFileSync(stamp, `${wanted}\n`);
  return python;
}
