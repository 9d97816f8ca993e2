// The npm package of the CLI as a user gets it: packed by scripts/pack-cli.js from the build in dist/,
// then installed from the tarball into an empty project with `npm install --offline` (a local tarball with
// no dependencies needs no network). Done once per test process and shared by the tests that need it;
// removed when the process exits.

import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export interface PackResult {
  tarball: string;
  size: number;
  unpackedSize: number;
  files: string[];
}

export interface InstalledCli {
  pack: PackResult;
  /** The project the tarball was installed into (has node_modules/.bin/claude-request-lint). */
  project: string;
  /** The installed bin script. */
  bin: string;
}

let cached: InstalledCli | undefined;
let tmpRoot: string | undefined;

export function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  if (r.error) throw r.error;
  return r;
}

function must(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A fresh temporary folder under this process's test root. */
export function tempDir(prefix: string): string {
  if (!tmpRoot) {
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pkg-'));
    const dir = tmpRoot;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(tmpRoot, prefix));
}

/** Packs the CLI and installs the tarball into an empty project (once per process). */
export function installedCli(): InstalledCli {
  if (cached) return cached;
  const work = tempDir('pack-');
  const out = must(
    sh(process.execPath, [path.join(repoRoot, 'scripts/pack-cli.js'), '--out', path.join(work, 'pkg'), '--pack-destination', work, '--json'], repoRoot),
    'pack-cli.js',
  );
  const pack = JSON.parse(out.trim().split('\n').pop()!) as PackResult;
  const project = path.join(work, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-the-cli', version: '1.0.0', private: true }, null, 2));
  must(
    sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(work, 'npm-cache'), pack.tarball], project),
    'npm install of the tarball',
  );
  const bin = path.join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'claude-request-lint.cmd' : 'claude-request-lint');
  cached = { pack, project, bin };
  return cached;
}
