#!/usr/bin/env node
// `npm test`: builds what the tests need, runs the unit tests (mocha in plain Node) and, where the
// real-VS Code harness is present, the extension-host tests; ends with one line `N passed, N failed`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const step = (title, cmd, args) => {
  console.log(`\n> ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`\n${title} failed (exit ${r.status}).`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
};

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

function runMocha(files) {
  const mochaModule = require('mocha');
  const Mocha = mochaModule.Mocha || mochaModule.default || mochaModule; // mocha 12 exports the class as a named export
  const mocha = new Mocha({ reporter: 'spec', timeout: 20000 });
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats.passes, failed: runner.stats.failures, pending: runner.stats.pending }));
  });
}

(async () => {
  step('build', process.execPath, [path.join(root, 'esbuild.js')]);
  fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
  step('type-check and compile tests', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root]);

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const grep = process.env.TEST_GREP;
  const unitFiles = walk(path.join(root, 'out/test/unit')).filter((f) => !grep || f.includes(grep));
  console.log(`\n> unit tests (${unitFiles.length} files)`);
  const unit = await runMocha(unitFiles);
  passed += unit.passed;
  failed += unit.failed;
  skipped += unit.pending;

  const harness = path.join(root, 'scripts/vscode-test.js');
  if (fs.existsSync(harness) && process.env.SKIP_VSCODE_TESTS !== '1') {
    console.log('\n> tests inside a real VS Code');
    const r = spawnSync(process.execPath, [harness], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
    process.stdout.write(r.stdout || '');
    const m = /VSCODE-TESTS passed=(\d+) failed=(\d+)/.exec(r.stdout || '');
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    }
    if (!m || r.status !== 0) {
      if (!m || Number(m[2]) === 0) failed += 1; // the harness itself failed: count it
      console.log(`real VS Code harness exited with ${r.status}`);
    }
  }
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
})();
