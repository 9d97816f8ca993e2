// End to end: spawns the bundled CLI (dist/cli.js, built by `npm test`) on temporary fixture projects.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkSarif } from './sarifCheck';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

export async function ask(question: string) {
  return client.messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 1024,
    messages: [{ role: "user", content: question }],
  });
}
`;

const MISSING_MAX_TOKENS = `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

export async function ask(question: string) {
  return client.messages.create({
    model: "claude-sonnet-4-6",
    messages: [{ role: "user", content: question }],
  });
}
`;

interface JsonReport {
  version: number;
  findings: Array<{
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    ruleId: string;
    severity: string;
    message: string;
    fixes: Array<{ title: string; safe: boolean }>;
  }>;
}

describe('CLI (dist/cli.js)', function () {
  // each test spawns the CLI a few times; nothing here measures speed, so a slow machine must not fail it
  this.timeout(300_000);
  let tmp: string;
  const write = (rel: string, content: string) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  };
  const json = (r: Run): JsonReport => {
    try {
      return JSON.parse(r.stdout) as JsonReport;
    } catch {
      assert.fail(`stdout is not JSON:\n${r.stdout}\nstderr:\n${r.stderr}`);
    }
  };

  before(() => assert.ok(fs.existsSync(cli), 'dist/cli.js is built by npm test'));
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-cli-'));
    // pin the SDK version the files are linted against
    write('package.json', JSON.stringify({ name: 'fixture', dependencies: { '@anthropic-ai/sdk': '^1.12.0' } }));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exit 0 and an empty JSON report on correct code (default PATH is .)', () => {
    write('src/good.ts', GOOD);
    const r = run(tmp, ['--format', 'json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(json(r), { version: 1, findings: [] });
  });

  it('exit 1 with an error finding, exact JSON shape and 1-based positions', () => {
    write('src/bad.ts', MISSING_MAX_TOKENS);
    write('src/good.ts', GOOD);
    const r = run(tmp, ['--format=json', 'src']);
    assert.strictEqual(r.code, 1, r.stderr);
    const report = json(r);
    assert.strictEqual(report.version, 1);
    const f = report.findings.find((x) => x.ruleId === 'missing-max-tokens');
    assert.ok(f, r.stdout);
    assert.deepStrictEqual(Object.keys(f), ['file', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'severity', 'message', 'fixes']);
    assert.strictEqual(f.file, path.join('src', 'bad.ts'));
    assert.strictEqual(f.severity, 'error');
    // the finding lies on the call (line 6 holds `client.messages.create(`)
    assert.ok(f.line >= 6 && f.line <= 9, `line ${f.line}`);
    assert.ok(f.column >= 1);
    assert.ok(report.findings.every((x) => x.file !== path.join('src', 'good.ts')));
  });

  it('JSON lists each finding\'s fixes: missing max_tokens offers the safe "Add max_tokens: 1024"', () => {
    write('bad.ts', MISSING_MAX_TOKENS);
    const r = run(tmp, ['--format', 'json', 'bad.ts']);
    assert.strictEqual(r.code, 1, r.stderr);
    const report = json(r);
    const f = report.findings.find((x) => x.ruleId === 'missing-max-tokens');
    assert.ok(f, r.stdout);
    assert.ok(Array.isArray(f.fixes), r.stdout);
    assert.deepStrictEqual(
      f.fixes.find((x) => x.title === 'Add max_tokens: 1024'),
      { title: 'Add max_tokens: 1024', safe: true },
      r.stdout,
    );
    for (const x of f.fixes) assert.deepStrictEqual(Object.keys(x), ['title', 'safe']);
    // every finding carries the field, [] when it has no fix
    assert.ok(report.findings.every((x) => Array.isArray(x.fixes)), r.stdout);
    // the report only describes the fixes; the file is unchanged
    assert.strictEqual(fs.readFileSync(path.join(tmp, 'bad.ts'), 'utf8'), MISSING_MAX_TOKENS);
  });

  it('text output is compiler-style with a summary line', () => {
    write('bad.ts', MISSING_MAX_TOKENS);
    const r = run(tmp, ['bad.ts']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /^bad\.ts:\d+:\d+ error .+ \[missing-max-tokens\]$/m);
    assert.match(r.stdout, /^\d+ problems? \(1 error, \d+ warnings?, \d+ infos?\) in 1 file$/m);
  });

  it('a config file can turn a rule off; a bad config file exits 2 naming the file and key', () => {
    write('bad.ts', MISSING_MAX_TOKENS);
    write('.claude-request-lint.json', JSON.stringify({ rules: { 'missing-max-tokens': 'off' } }));
    const off = run(tmp, ['--format', 'json']);
    assert.strictEqual(off.code, 0, off.stderr);
    assert.ok(json(off).findings.every((f) => f.ruleId !== 'missing-max-tokens'));

    write('.claude-request-lint.json', JSON.stringify({ rules: { 'missing-max-tokens': 'loud', 'no-such-rule': 'error' } }));
    const bad = run(tmp, ['--format', 'json']);
    assert.strictEqual(bad.code, 2);
    assert.strictEqual(bad.stdout, '');
    assert.match(bad.stderr, /\.claude-request-lint\.json/);
    assert.match(bad.stderr, /rules\.missing-max-tokens: severity/);
    assert.match(bad.stderr, /rules\.no-such-rule: unknown rule id/);
  });

  it('--config FILE overrides discovery', () => {
    write('bad.ts', MISSING_MAX_TOKENS);
    write('.claude-request-lint.json', '{ broken');
    write('ci/lint.json', JSON.stringify({ rules: { 'missing-max-tokens': 'warning' } }));
    const r = run(tmp, ['--config', 'ci/lint.json', '--format', 'json', 'bad.ts']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(json(r).findings.find((f) => f.ruleId === 'missing-max-tokens')?.severity, 'warning');
    const missing = run(tmp, ['--config', 'nope.json', 'bad.ts']);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /nope\.json[\s\S]*file not found/);
  });

  it('usage errors exit 2: unknown option, bad format, missing value, missing path', () => {
    write('good.ts', GOOD);
    for (const args of [['--frobnicate'], ['--format', 'xml'], ['--config'], ['does-not-exist.ts']]) {
      const r = run(tmp, args);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.strictEqual(r.stdout, '');
      assert.ok(r.stderr.length > 0);
    }
  });

  it('--help, --version and --list-rules', () => {
    const help = run(tmp, ['--help']);
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, /Usage: claude-request-lint/);
    assert.match(help.stdout, /current directory/);
    const version = run(tmp, ['--version']);
    assert.strictEqual(version.code, 0);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.strictEqual(version.stdout.trim(), pkg.version);
    const list = run(tmp, ['--list-rules']);
    assert.strictEqual(list.code, 0);
    for (const id of ['missing-max-tokens', 'invalid-max-tokens', 'role-order', 'system-in-messages', 'sampling-params', 'hardcoded-api-key']) {
      assert.match(list.stdout, new RegExp(`^${id}\\s+(error|warning|info)\\s+(yes|no)\\s+\\S`, 'm'));
    }
    const listJson = JSON.parse(run(tmp, ['--list-rules', '--format', 'json']).stdout) as Array<{ id: string; docs: string }>;
    assert.ok(listJson.some((r) => r.id === 'role-order' && r.docs.endsWith('/docs/rules/role-order.md')));
  });

  it('--list-rules --output writes the list to the file, not stdout', () => {
    const r = run(tmp, ['--list-rules', '--format', 'json', '--output', 'out/rules.json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stdout, '');
    const listed = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'rules.json'), 'utf8')) as Array<{ id: string }>;
    assert.ok(listed.some((x) => x.id === 'unguarded-retry'));
  });

  it('--fix applies safe fixes, reports them, and is idempotent', () => {
    const file = write('src/bad.ts', MISSING_MAX_TOKENS);
    const r = run(tmp, ['--fix', 'src']);
    assert.match(r.stdout, /^fixed 1 problem in 1 file$/m, r.stdout + r.stderr);
    const fixed = fs.readFileSync(file, 'utf8');
    assert.match(fixed, /max_tokens: 1024/);
    assert.strictEqual(r.code, 0, r.stdout);
    const again = run(tmp, ['--fix', 'src']);
    assert.strictEqual(again.code, 0);
    assert.match(again.stdout, /^fixed 0 problems in 0 files$/m);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), fixed);
    // the fixed file is clean
    assert.deepStrictEqual(json(run(tmp, ['--format', 'json', 'src'])).findings, []);
  });

  it('--fix with --format json keeps stdout parseable and uses maxTokensDefault from the config', () => {
    const file = write('a.ts', MISSING_MAX_TOKENS);
    write('.claude-request-lint.json', JSON.stringify({ maxTokensDefault: 4096 }));
    const r = run(tmp, ['--fix', '--format', 'json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(json(r).findings, []);
    assert.match(r.stderr, /fixed 1 problem in 1 file/);
    assert.match(fs.readFileSync(file, 'utf8'), /max_tokens: 4096/);
  });

  it('skips files over 2 MB with a note on stderr and goes on', () => {
    write('big.js', `// ${'x'.repeat(2 * 1024 * 1024)}\n`);
    write('bad.ts', MISSING_MAX_TOKENS);
    const r = run(tmp, ['--format', 'json']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /skipped big\.js: .*2 MB/);
    assert.deepStrictEqual([...new Set(json(r).findings.map((f) => f.file))], ['bad.ts']);
  });

  it('a file that does not parse gives parse-error (a warning by default) and the scan goes on', () => {
    write('broken.ts', 'import Anthropic from "@anthropic-ai/sdk";\nconst c = new Anthropic();\nc.messages.create({ model: "m", \n');
    write('bad.ts', MISSING_MAX_TOKENS);
    const r = run(tmp, ['--format', 'json']);
    const findings = json(r).findings;
    const pe = findings.find((f) => f.file === 'broken.ts');
    assert.ok(pe, r.stdout);
    assert.strictEqual(pe.ruleId, 'parse-error');
    assert.strictEqual(pe.severity, 'warning');
    assert.ok(findings.some((f) => f.file === 'bad.ts' && f.ruleId === 'missing-max-tokens'), 'the scan went on');
    assert.strictEqual(r.code, 1);

    fs.rmSync(path.join(tmp, 'bad.ts'));
    assert.strictEqual(run(tmp, []).code, 0, 'a parse-error warning alone exits 0');
    write('.claude-request-lint.json', JSON.stringify({ rules: { 'parse-error': 'error' } }));
    assert.strictEqual(run(tmp, []).code, 1, 'configured as an error it exits 1');
  });

  it('honours .gitignore in walked directories but lints an ignored file named explicitly', () => {
    write('.gitignore', 'generated/\n');
    write('generated/bad.ts', MISSING_MAX_TOKENS);
    write('src/good.ts', GOOD);
    const walked = run(tmp, ['--format', 'json']);
    assert.strictEqual(walked.code, 0, walked.stdout);
    const named = run(tmp, ['--format', 'json', path.join('generated', 'bad.ts')]);
    assert.strictEqual(named.code, 1);
    assert.strictEqual(json(named).findings[0].file, path.join('generated', 'bad.ts'));
  });

  it('--format sarif prints valid SARIF 2.1.0 with help links', () => {
    write('src/bad.ts', MISSING_MAX_TOKENS);
    const r = run(tmp, ['--format', 'sarif']);
    assert.strictEqual(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.deepStrictEqual(checkSarif(log), []);
    const run0 = log.runs[0];
    const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'missing-max-tokens');
    assert.strictEqual(result.level, 'error');
    assert.strictEqual(result.locations[0].physicalLocation.artifactLocation.uri, 'src/bad.ts');
    const rule = run0.tool.driver.rules[result.ruleIndex];
    assert.strictEqual(rule.id, 'missing-max-tokens');
    assert.match(rule.helpUri, /docs\/rules\/missing-max-tokens\.md$/);
  });

  it('lints the Python cells of a notebook: text names the cell, JSON and SARIF give the place in the file', () => {
    const nbText = fs.readFileSync(path.join(root, 'test', 'fixtures', 'notebooks', 'explore.ipynb'), 'utf8');
    write('notebooks/explore.ipynb', nbText);
    write('notebooks/broken.ipynb', '{"cells": [anthropic');
    const text = run(tmp, ['notebooks']);
    assert.strictEqual(text.code, 1, text.stderr);
    assert.match(text.stdout, /^notebooks[\\/]explore\.ipynb:cell 4:2:9 error .*max_tokens.* \[missing-max-tokens\]$/m);
    assert.match(text.stderr, /broken\.ipynb: skipped, not valid JSON/);
    const fileLine = nbText.split('\n').findIndex((l) => l.includes('reply = client.messages.create(')) + 1;
    const j = JSON.parse(run(tmp, ['-f', 'json', 'notebooks']).stdout) as { findings: Array<{ line: number; cell?: unknown; fixes: unknown[] }> };
    assert.strictEqual(j.findings.length, 1);
    assert.strictEqual(j.findings[0].line, fileLine);
    assert.deepStrictEqual(j.findings[0].cell, { number: 4, line: 2, column: 9 });
    assert.deepStrictEqual(j.findings[0].fixes, []);
    const log = JSON.parse(run(tmp, ['-f', 'sarif', 'notebooks']).stdout);
    assert.deepStrictEqual(checkSarif(log), []);
    assert.strictEqual(log.runs[0].results[0].locations[0].physicalLocation.region.startLine, fileLine);
    // --fix leaves a notebook untouched
    run(tmp, ['--fix', 'notebooks']);
    assert.strictEqual(fs.readFileSync(path.join(tmp, 'notebooks', 'explore.ipynb'), 'utf8'), nbText);
  });

  it('--quiet hides warnings but keeps errors', () => {
    write('broken.ts', 'const x = messages.create(;\n');
    write('bad.ts', MISSING_MAX_TOKENS);
    const r = run(tmp, ['--quiet', '--format', 'json']);
    const findings = json(r).findings;
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => f.severity === 'error'));
  });
});

describe('CLI: the project in view', () => {
  const nextApp = path.join(root, 'test', 'fixtures', 'projects', 'next-app');

  it('lints with the index of the folders it is given: an imported maxRetries: 0 client without a retry is reported', () => {
    const r = run(nextApp, ['-f', 'json', '.']);
    assert.strictEqual(r.code, 0, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; file: string }> }).findings;
    assert.deepStrictEqual(
      findings.map((f) => `${f.ruleId} ${f.file.split(path.sep).join('/')}`),
      ['unguarded-retry app/api/summary/route.ts'],
    );
  });

  it('SARIF gives the related location in the client file, with its own line', () => {
    const r = run(nextApp, ['-f', 'sarif', '.']);
    assert.strictEqual(r.code, 0, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.deepStrictEqual(checkSarif(log), []);
    const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'unguarded-retry');
    const inClient = (result.relatedLocations ?? []).filter(
      (l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri === 'lib/anthropic.ts',
    );
    assert.strictEqual(inClient.length, 1, JSON.stringify(result.relatedLocations));
    const line = inClient[0].physicalLocation.region.startLine;
    const clientLines = fs.readFileSync(path.join(nextApp, 'lib', 'anthropic.ts'), 'utf8').split('\n');
    assert.match(clientLines[line - 1], /maxRetries:\s*0/);
  });

  it('--no-project judges each file on its own', () => {
    const r = run(nextApp, ['-f', 'json', '--no-project', '.']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout).findings, []);
  });
});
