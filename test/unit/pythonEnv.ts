// The Python environment tests run Python apps in: a virtual environment at .venv-test/ (git-ignored) with
// the packages of test/python/requirements.txt. Created on first use and reused while the requirements file
// is unchanged. Any failure throws, so a test that needs Python fails rather than skips.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const venv = path.join(root, '.venv-test');
const requirements = path.join(root, 'test/python/requirements.txt');
const stamp = path.join(venv, '.requirements-installed');

function pythonIn(dir: string): string {
  return process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
}

/** Returns the path of the venv's python, creating the venv and installing the requirements when needed. */
export function ensurePythonEnv(): string {
  const python = pythonIn(venv);
  const wanted = fs.readFileSync(requirements, 'utf8');
  if (fs.existsSync(python) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return python;
  fs.rmSync(venv, { recursive: true, force: true });
  const base = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
  run(base, ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '0', '-r', requirements]);
  fs.writeFileSync(stamp, wanted);
  return python;
}
