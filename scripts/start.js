#!/usr/bin/env node
// `npm start`: builds the product and opens it.
//   1. the CLI's report on the example app (examples/ holds one of each finding on purpose);
//   2. the .vsix (`npm run package`), installed into a real VS Code (code-server, the same one the tests use,
//      set up offline by scripts/vscode-setup.js) that serves examples/ on 127.0.0.1; prints the address.
// Ctrl+C stops the server. Options: --cli (step 1 only); PORT=<n> (default: a free port).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

const build = run([path.join(root, 'esbuild.js')]);
if (build.status !== 0) process.exit(build.status ?? 1);
console.log('Claude Request Lint on examples/:\n');
const lint = run([path.join(root, 'dist/cli.js'), 'examples']);
// Findings in the example are expected: it holds one of each on purpose.
if (lint.status === 2) process.exit(2);
if (process.argv.includes('--cli')) process.exit(0);

(async () => {
  const { setup } = require('./vscode-setup');
  const { installExtension, makeRunDir, startCodeServer } = require('./vscode/codeServer');
  const p = setup({ log: (m) => console.log(`[setup] ${m}`) });
  const runDir = makeRunDir(p.runsDir, 'start-');
  const vsix = path.join(runDir, 'claude-request-lint.vsix');
  console.log('\nPackaging the extension (npm run package)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = spawnSync(npm, ['run', '--silent', 'package', '--', '--out', vsix], { cwd: root, stdio: 'inherit' });
  if (pack.status !== 0) process.exit(pack.status ?? 1);
  const extensionsDir = path.join(runDir, 'extensions');
  installExtension(p, runDir, extensionsDir, vsix);
  const server = await startCodeServer(p, { runDir, extensionsDir, port: Number(process.env.PORT) || undefined });
  const stop = async () => {
    await server.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`\nVS Code with Claude Request Lint installed, examples/ open:\n\n  ${server.url(path.join(root, 'examples'))}\n`);
  console.log('Open the address in a browser (the server listens on 127.0.0.1 only). Ctrl+C stops it.');
  console.log('VS Code desktop: code --install-extension claude-request-lint-<version>.vsix (from npm run package).');
})().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
