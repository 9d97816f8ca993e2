#!/usr/bin/env node
// `npm start`: build, then run the product on the bundled example app (examples/).
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

const build = run([path.join(root, 'esbuild.js')]);
if (build.status !== 0) process.exit(build.status ?? 1);
console.log('Claude Request Lint on examples/:\n');
const lint = run([path.join(root, 'dist/cli.js'), 'examples']);
// Findings in the example are expected: it holds one of each on purpose.
process.exit(lint.status === 2 ? 2 : 0);
