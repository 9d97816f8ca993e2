#!/usr/bin/env node
// A "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): it takes the desktop
// command line (--extensionDevelopmentPath=, --extensionTestsPath=, the folder to open) and runs the same
// tests in the real VS Code server of the offline set-up (see codeServer.js). Exit code = test result.
'use strict';
const fs = require('fs');
const path = require('path');
const { paths } = require('../vscode-setup');
const { runExtensionTests } = require('./codeServer');

let devPath;
let testsPath;
let folder;
for (const arg of process.argv.slice(2)) {
  const m = /^--([\w-]+)=(.*)$/s.exec(arg);
  if (m && m[1] === 'extensionDevelopmentPath') devPath = m[2];
  else if (m && m[1] === 'extensionTestsPath') testsPath = m[2];
  else if (!arg.startsWith('--') && !folder) folder = arg;
  // every other desktop flag (--no-sandbox, --user-data-dir=, --extensions-dir=, ...) has no meaning here
}
if (!devPath || !testsPath) {
  console.error('code-shim: --extensionDevelopmentPath and --extensionTestsPath are required');
  process.exit(2);
}
// runTests passes the tests module as given (it may omit ".js" or name a folder with index.js)
testsPath = path.resolve(testsPath);
if (fs.existsSync(path.join(testsPath, 'index.js'))) testsPath = path.join(testsPath, 'index.js');
else if (!fs.existsSync(testsPath) && fs.existsSync(`${testsPath}.js`)) testsPath = `${testsPath}.js`;

// Stop when the process that started us goes away (the server would otherwise live until the timeout).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();

runExtensionTests(paths(), {
  devPath: path.resolve(devPath),
  testsPath,
  folder: path.resolve(folder || devPath),
  timeoutMs: Number(process.env.VSCODE_TEST_TIMEOUT_MS) || 10 * 60 * 1000,
  onHostLine: (line) => process.stdout.write(`  ${line}\n`),
}).then((code) => process.exit(code));
