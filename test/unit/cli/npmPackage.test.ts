// The npm package of the CLI: packed by scripts/pack-cli.js, installed from the tarball into an empty
// project offline, then run (through npx and the installed bin) on the CI fixture in text, JSON and SARIF.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { InstalledCli, installedCli, repoRoot, sh, tempDir } from './cliPackage';
import { checkSarif } from './sarifCheck';

const fixture = path.join(repoRoot, 'test', 'fixtures', 'ci');

/** Copies the CI fixture (a small project with one error and one warning) into dir. */
export function copyCiFixture(dir: string): void {
  fs.cpSync(fixture, dir, { recursive: true });
}

describe('npm package of the CLI (pack, offline install, run)', function () {
  this.timeout(600_000);
  let cli: InstalledCli;

  before(() => {
    cli = installedCli();
    copyCiFixture(cli.project);
  });

  it('holds only what runs: the minified CLI, retry helpers, rule docs, README, LICENSE, CHANGELOG', () => {
    const distRetry = fs.readdirSync(path.join(repoRoot, 'dist', 'retry')).map((f) => `retry/${f}`);
    const wasm = fs.readdirSync(path.join(repoRoot, 'dist')).filter((f) => f.endsWith('.wasm'));
    const docs = fs.readdirSync(path.join(repoRoot, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => `docs/rules/${f}`);
    const expected = ['CHANGELOG.md', 'LICENSE', 'README.md', 'cli.js', 'package.json', ...distRetry, ...wasm, ...docs].sort();
    assert.deepStrictEqual(cli.pack.files, expected);
    assert.ok(docs.length >= 14, 'every rule page ships');

    const pkg = JSON.parse(fs.readFileSync(path.join(cli.project, 'node_modules', 'claude-request-lint', 'package.json'), 'utf8'));
    const root = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.strictEqual(pkg.name, 'claude-request-lint');
    assert.strictEqual(pkg.version, root.version);
    assert.deepStrictEqual(pkg.bin, { 'claude-request-lint': 'cli.js' });
    assert.strictEqual(pkg.dependencies, undefined, 'the bundle needs no runtime dependency');
    assert.strictEqual(pkg.devDependencies, undefined);
    assert.strictEqual(pkg.scripts, undefined);
    // nothing else was installed beside it
    const installed = fs.readdirSync(path.join(cli.project, 'node_modules')).filter((f) => !f.startsWith('.'));
    assert.deepStrictEqual(installed, ['claude-request-lint']);

    const bundle = fs.readFileSync(path.join(cli.project, 'node_modules', 'claude-request-lint', 'cli.js'), 'utf8');
    assert.ok(bundle.startsWith('#!/usr/bin/env node\n'));
    assert.ok(!/sourceMappingURL/.test(bundle.slice(-500)), 'no dangling source map reference');
    const devBundle = fs.statSync(path.join(repoRoot, 'dist', 'cli.js')).size;
    assert.ok(bundle.length < devBundle * 0.6, `minified: ${bundle.length} bytes vs ${devBundle} in dist/cli.js`);
    // small: the tarball stays well under the 5 MB of packing the whole repository
    assert.ok(cli.pack.size < 3_000_000, `tarball is ${cli.pack.size} bytes`);
  });

  it('npx claude-request-lint runs the installed package: text report and exit 1', () => {
    const r = sh('npx', ['--no', '--offline', 'claude-request-lint', '.'], cli.project);
    assert.strictEqual(r.status, 1, r.stderr);
    assert.match(r.stdout, /^src\/chat\.ts:7:10 error .*max_tokens.* \[missing-max-tokens\]$/m);
    assert.match(r.stdout, /^src\/summarize\.ts:11:5 warning .* \[sampling-params\]$/m);
    assert.match(r.stdout, /^2 problems \(1 error, 1 warning, 0 infos\) in 3 files$/m);
    const version = sh('npx', ['--no', '--offline', 'claude-request-lint', '--version'], cli.project);
    assert.strictEqual(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('JSON and SARIF from the installed bin match the development build', () => {
    const json = sh(cli.bin, ['--format', 'json', 'src'], cli.project);
    assert.strictEqual(json.status, 1, json.stderr);
    const report = JSON.parse(json.stdout) as { findings: Array<{ file: string; line: number; ruleId: string; severity: string }> };
    assert.deepStrictEqual(
      report.findings.map((f) => [f.file, f.line, f.ruleId, f.severity]),
      [
        [path.join('src', 'chat.ts'), 7, 'missing-max-tokens', 'error'],
        [path.join('src', 'summarize.ts'), 11, 'sampling-params', 'warning'],
      ],
    );
    const dev = sh(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), '--format', 'json', 'src'], cli.project);
    assert.strictEqual(json.stdout, dev.stdout, 'the packaged CLI reports exactly what the development build reports');

    const sarif = sh(cli.bin, ['--format', 'sarif', '.'], cli.project);
    assert.strictEqual(sarif.status, 1, sarif.stderr);
    const log = JSON.parse(sarif.stdout);
    assert.deepStrictEqual(checkSarif(log), []);
    const results = log.runs[0].results as Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
    assert.deepStrictEqual(
      results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri]),
      [
        ['missing-max-tokens', 'error', 'src/chat.ts'],
        ['sampling-params', 'warning', 'src/summarize.ts'],
      ],
    );
    assert.match(log.runs[0].tool.driver.rules[0].helpUri, /\/docs\/rules\/[a-z-]+\.md$/);
  });

  it('exit 0 on a clean project, exit 2 with one line on a bad path', () => {
    const clean = tempDir('clean-');
    fs.writeFileSync(path.join(clean, 'ask.js'), fs.readFileSync(path.join(fixture, 'src', 'ask.js')));
    const ok = sh(cli.bin, [clean], cli.project);
    assert.strictEqual(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^no problems in 1 file$/m);
    const bad = sh(cli.bin, ['missing-folder'], cli.project);
    assert.strictEqual(bad.status, 2);
    assert.strictEqual(bad.stdout, '');
    assert.strictEqual(bad.stderr, 'claude-request-lint: no such file or directory: missing-folder\n');
  });
});
