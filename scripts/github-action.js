#!/usr/bin/env node
// The lint step of the GitHub Action (action.yml at the repository root). Reads the action's inputs from
// INPUT_* environment variables, runs the CLI twice on the same paths (once writing SARIF to a file for
// code scanning, once printing the log format, annotations by default), and sets the step outputs
// `exit-code` and `sarif-file` in GITHUB_OUTPUT.
//
// The CLI it runs: the repository's own install (node_modules/.bin/claude-request-lint in the working
// directory or above it) when there is one, else the npm package of the action's version through npx.
//
// Exit status of this step: 0 when the lint ran (findings or not; a later step fails the job on
// exit-code 1, after the SARIF upload), 2 on bad input (a missing path, a config file that does not
// parse, an unknown input value), with the CLI's one line on stderr and no SARIF file written.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const NAME = 'claude-request-lint';
const FAIL_ON = ['error', 'warning', 'never'];
const LOG_FORMATS = ['github', 'text', 'json', 'sarif'];

/** The action's inputs, from the INPUT_* variables the composite step sets. */
function readInputs(env) {
  const get = (name, fallback) => {
    const v = env[`INPUT_${name}`];
    return v === undefined || v.trim() === '' ? fallback : v.trim();
  };
  return {
    paths: splitPaths(get('PATHS', '.')),
    failOn: get('FAIL_ON', 'error'),
    config: get('CONFIG', ''),
    format: get('FORMAT', 'github'),
    sarifFile: get('SARIF_FILE', `${NAME}.sarif`),
    version: get('VERSION', ''),
  };
}

/** Paths one per line; on a single line, separated by spaces. */
function splitPaths(value) {
  const lines = value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  return lines.length > 1 ? lines : value.trim().split(/\s+/).filter(Boolean);
}

/** The version of this action's own package (the default CLI version for npx). */
function actionVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'latest';
  }
}

/**
 * The command that runs the CLI: the project's install (node_modules/.bin in the working directory or a
 * folder above it, as in a monorepo), else npx with a pinned version.
 */
function cliCommand(cwd, version) {
  const binName = process.platform === 'win32' ? `${NAME}.cmd` : NAME;
  for (let dir = path.resolve(cwd); !version; dir = path.dirname(dir)) {
    const local = path.join(dir, 'node_modules', '.bin', binName);
    if (fs.existsSync(local)) return [local];
    if (path.dirname(dir) === dir) break;
  }
  return ['npx', '--yes', `${NAME}@${version || actionVersion()}`];
}

function problemWith(inputs) {
  if (!FAIL_ON.includes(inputs.failOn)) return `fail-on must be one of ${FAIL_ON.join(', ')}, not "${inputs.failOn}"`;
  if (!LOG_FORMATS.includes(inputs.format)) return `format must be one of ${LOG_FORMATS.join(', ')}, not "${inputs.format}"`;
  return undefined;
}

/** Both command lines the step runs: [sarif run, log run]. */
function commandLines(inputs, cli) {
  const common = inputs.config ? ['--config', inputs.config] : [];
  const sarif = [...cli, ...common, '--format', 'sarif', '--output', inputs.sarifFile, '--', ...inputs.paths];
  const threshold = inputs.failOn === 'warning' ? ['--max-warnings', '0'] : [];
  const log = [...cli, ...common, '--format', inputs.format, ...threshold, '--', ...inputs.paths];
  return [sarif, log];
}

function setOutputs(env, outputs) {
  const lines = Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join('');
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, lines);
  else process.stdout.write(lines);
}

function run(argv, cwd) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.error) {
    process.stderr.write(`${NAME}: cannot run ${argv[0]}: ${r.error.message}\n`);
    return 2;
  }
  return r.status === null ? 2 : r.status;
}

function main(env, cwd) {
  const inputs = readInputs(env);
  const problem = problemWith(inputs);
  if (problem) {
    process.stderr.write(`${NAME}: ${problem}\n`);
    return 2;
  }
  const [sarif, log] = commandLines(inputs, cliCommand(cwd, inputs.version));
  const sarifCode = run(sarif, cwd);
  if (sarifCode === 2) return 2;
  const logCode = run(log, cwd);
  if (logCode === 2) return 2;
  const exitCode = inputs.failOn === 'never' ? 0 : logCode;
  setOutputs(env, { 'exit-code': exitCode, 'sarif-file': path.resolve(cwd, inputs.sarifFile) });
  return 0;
}

module.exports = { readInputs, splitPaths, cliCommand, commandLines, problemWith };

if (require.main === module) process.exitCode = main(process.env, process.cwd());
