#!/usr/bin/env node
// Tests inside a real VS Code: sets up the offline VS Code (scripts/vscode-setup.js), builds if needed, and
// runs the mocha suite of test/vscode/ in the real extension host through @vscode/test-electron's runTests,
// whose "VS Code executable" is scripts/vscode/code-shim.js (code-server + headless Chromium).
// The tests work on a throwaway copy of test/fixtures/workspace. Then the packaged .vsix is installed into a
// fresh VS Code and checked (skip with VSCODE_TEST_VSIX=0), and the UI checks of scripts/vscode/ui-checks.js
// drive the workbench with that .vsix installed and save the README's screenshots (skip with VSCODE_TEST_UI=0).
// Last line of output: `VSCODE-TESTS passed=N failed=M` (read by scripts/test.js).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Writable } = require('stream');

const root = path.resolve(__dirname, '..');
const testsEntry = path.join(root, 'out/test/vscode/index.js');
const fixtureWorkspace = path.join(root, 'test/fixtures/workspace');
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the bundle and compiles the tests unless both are newer than every source (npm test builds first). */
function buildIfNeeded() {
  const bundle = path.join(root, 'dist/extension.js');
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'test/vscode')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
  const built = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
  if (built(bundle) >= sources && built(testsEntry) >= sources) return;
  console.log('[vscode-test] building');
  for (const args of [[path.join(root, 'esbuild.js')], [require.resolve('typescript/bin/tsc'), '-p', root]]) {
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`build step failed: node ${args.join(' ')}`);
  }
}

/** Forwards output and picks up the summary line printed by the test index inside the extension host. */
function summaryCatcher(target) {
  const result = { passed: 0, failed: 0, seen: false };
  let pending = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      target.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const m = /EXTENSION-HOST-TESTS passed=(\d+) failed=(\d+)/.exec(line);
        if (m) Object.assign(result, { passed: Number(m[1]), failed: Number(m[2]), seen: true });
      }
      done();
    },
  });
  return { stream, result };
}

async function runHostSuite(p) {
  const { runTests } = require('@vscode/test-electron');
  // outside the project, so nothing of the project (its node_modules, package.json) is above the workspace
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-request-lint-workspace-'));
  const folder = path.join(work, 'workspace');
  fs.cpSync(fixtureWorkspace, folder, { recursive: true });
  const { stream, result } = summaryCatcher(process.stdout);
  let ok = false;
  try {
    await runTests({
      vscodeExecutablePath: path.join(__dirname, 'vscode/code-shim.js'),
      extensionDevelopmentPath: root,
      extensionTestsPath: testsEntry,
      launchArgs: [folder],
      extensionTestsEnv: { VSCODE_TEST_HOME: p.cacheRoot },
      stdout: stream,
    });
    ok = true;
  } catch (e) {
    console.log(`[vscode-test] extension host suite: ${e.message}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  if (!result.seen) return { passed: 0, failed: 1, note: 'the suite reported no result' };
  if (!ok && result.failed === 0) return { passed: result.passed, failed: 1, note: 'the run failed after the suite passed' };
  return result;
}

/** `npm run package` to a throwaway .vsix, shared by the .vsix suite and the UI checks. */
function packageOnce(p) {
  const { makeRunDir, packageVsix } = require('./vscode/codeServer');
  const dir = makeRunDir(p.runsDir, 'package-');
  const vsix = path.join(dir, 'claude-request-lint.vsix');
  const pack = packageVsix(root, vsix);
  if (!pack.ok) {
    console.log(pack.output);
    return { dir };
  }
  return { dir, vsix };
}

/**
 * The packaged extension: `code-server --install-extension` into a fresh extensions folder, then the probe
 * suite (test/vscode/vsix/) runs beside an empty extension under development.
 */
async function runVsixSuite(p, vsix) {
  const { installExtension, makeRunDir, runExtensionTests } = require('./vscode/codeServer');
  const runDir = makeRunDir(p.runsDir, 'vsix-');
  const size = fs.statSync(vsix).size;
  console.log(`[vscode-test] packaged .vsix: ${(size / 1024 / 1024).toFixed(2)} MB`);
  const extensionsDir = path.join(runDir, 'extensions');
  console.log(installExtension(p, runDir, extensionsDir, vsix).trim().split('\n').map((l) => `[vscode-test] ${l}`).join('\n'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-request-lint-workspace-'));
  const folder = path.join(work, 'workspace');
  fs.cpSync(fixtureWorkspace, folder, { recursive: true });
  const { stream, result } = summaryCatcher(process.stdout);
  const code = await runExtensionTests(p, {
    devPath: path.join(root, 'test/fixtures/vsix-probe'),
    testsPath: path.join(root, 'out/test/vscode/vsix/index.js'),
    folder,
    extensionsDir,
    onHostLine: (line) => stream.write(`  ${line}\n`),
  });
  fs.rmSync(work, { recursive: true, force: true });
  if (code === 0) fs.rmSync(runDir, { recursive: true, force: true });
  if (!result.seen) return { passed: 0, failed: 1, note: 'the .vsix suite reported no result' };
  const tooBig = size > 2 * 1024 * 1024 ? 1 : 0;
  if (tooBig) console.log('[vscode-test] the .vsix is larger than 2 MB');
  return { passed: result.passed + (1 - tooBig), failed: result.failed + tooBig + (code !== 0 && result.failed === 0 ? 1 : 0) };
}

(async () => {
  let passed = 0;
  let failed = 0;
  try {
    const { setup } = require('./vscode-setup');
    const p = setup({ log: (m) => console.log(`[setup] ${m}`) });
    fs.mkdirSync(p.runsDir, { recursive: true });
    buildIfNeeded();
    const suite = await runHostSuite(p);
    if (suite.note) console.log(`[vscode-test] ${suite.note}`);
    passed += suite.passed;
    failed += suite.failed;
    const vsixSuite = process.env.VSCODE_TEST_VSIX !== '0';
    const uiChecks = process.env.VSCODE_TEST_UI !== '0';
    if (vsixSuite || uiChecks) {
      const pack = packageOnce(p);
      if (!pack.vsix) {
        console.log('[vscode-test] npm run package failed');
        failed += 1;
      } else {
        if (vsixSuite) {
          const vsix = await runVsixSuite(p, pack.vsix);
          if (vsix.note) console.log(`[vscode-test] ${vsix.note}`);
          passed += vsix.passed;
          failed += vsix.failed;
        }
        if (uiChecks) {
          console.log('[vscode-test] UI checks in the workbench (.vsix installed)');
          const ui = await require('./vscode/ui-checks').runUiChecks(p, { vsix: pack.vsix });
          passed += ui.passed;
          failed += ui.failed;
        }
      }
      fs.rmSync(pack.dir, { recursive: true, force: true });
    }
  } catch (e) {
    console.log(`[vscode-test] ${e.stack || e.message}`);
    failed += 1;
  }
  console.log(`[vscode-test] done in ${elapsed()}`);
  console.log(`VSCODE-TESTS passed=${passed} failed=${failed}`);
  process.exit(failed > 0 ? 1 : 0);
})();
