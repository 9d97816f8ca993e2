#!/usr/bin/env node
// `npm install` in a clone of the repository builds dist/ when it is missing, so the root package's
// claude-request-lint bin (dist/cli.js) exists before `npm pack`. pre-commit installs the hook in
// .pre-commit-hooks.yaml exactly that way (npm install, npm pack, then a global install of the tarball).
// The build is not a prepack or prepare script on purpose: npm prints those scripts' output on the stdout of
// `npm pack`, where pre-commit reads the tarball name. Does nothing when dist/cli.js exists, or in an
// installed copy of the package (no esbuild.js beside it).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const buildScript = path.join(root, 'esbuild.js');
if (fs.existsSync(buildScript) && !fs.existsSync(path.join(root, 'dist', 'cli.js'))) {
  const r = spawnSync(process.execPath, [buildScript], { cwd: root, stdio: 'inherit' });
  process.exitCode = r.status === null ? 1 : r.status;
}
