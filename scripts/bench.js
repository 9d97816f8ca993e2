#!/usr/bin/env node
// `npm run bench [-- name...]`: compiles the project (tsc -p . → out/) and runs every benchmark in
// out/bench/*.js, or only the named ones (`npm run bench -- scan`). Benchmarks print figures; they are
// not timed tests and never fail on a slow machine.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outBench = path.join(root, 'out', 'bench');

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { cwd: root, stdio: 'inherit' });
// tsc exits 2 when it reported type errors but still wrote the JavaScript: benchmark what was emitted
if (tsc.status === 2) console.error('bench: type errors above; running the emitted JavaScript anyway');
else if (tsc.status !== 0) {
  console.error(`bench: compile failed (tsc exit ${tsc.status})`);
  process.exit(2);
}

const available = fs.existsSync(outBench)
  ? fs
      .readdirSync(outBench)
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.slice(0, -3))
      .sort()
  : [];
const wanted = process.argv.slice(2).map((n) => path.basename(n).replace(/\.[jt]s$/, ''));
const unknown = wanted.filter((n) => !available.includes(n));
if (unknown.length) {
  console.error(`bench: no benchmark named ${unknown.join(', ')} (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
const names = wanted.length ? wanted : available;
if (names.length === 0) {
  console.error('bench: no benchmarks in out/bench/');
  process.exit(2);
}

let failed = 0;
for (const name of names) {
  console.log(`\n> bench ${name}`);
  const r = spawnSync(process.execPath, [path.join(outBench, `${name}.js`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench ${name} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
