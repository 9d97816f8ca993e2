// The CLI's CI-facing behaviour: --format github (workflow annotations), --max-warnings, --output FILE,
// and bad input (one line on stderr, exit 2, no report written). Runs the bundled dist/cli.js.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { annotationPath, escapeGithubData, escapeGithubProperty, formatGithub } from '../../../src/core/lint/githubFormat';
import type { LocatedFinding } from '../../../src/core/lint/formatters';
import { checkSarif } from './sarifCheck';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, GITHUB_WORKSPACE: '', ...env },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One error (missing-max-tokens) on line 5. */
const ERROR_FILE = `import Anthropic from "@anthropic-ai/sdk";
const client = new Anthropic();

export const ask = (q: string) =>
  client.messages.create({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: q }] });
`;

/** One warning (sampling-params: temperature and top_p together) on line 5. */
const WARNING_FILE = `import Anthropic from "@anthropic-ai/sdk";
const client = new Anthropic();

export const ask = (q: string) =>
  client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 64, temperature: 0.5, top_p: 0.9, messages: [{ role: "user", content: q }] });
`;

const finding = (over: Partial<LocatedFinding>): LocatedFinding => ({
  file: 'src/a.ts',
  line: 2,
  column: 3,
  endLine: 4,
  endColumn: 5,
  ruleId: 'missing-max-tokens',
  severity: 'error',
  message: 'm',
  ...over,
});

describe('github format (workflow commands)', () => {
  it('escapes data and property values by the workflow-command rules', () => {
    assert.strictEqual(escapeGithubData('100% a\r\nb: c, d'), '100%25 a%0D%0Ab: c, d');
    assert.strictEqual(escapeGithubProperty('dir,x/a:b%.ts'), 'dir%2Cx/a%3Ab%25.ts');
  });

  it('one command per finding with positions, rule title and severity mapping, then the summary', () => {
    const out = formatGithub(
      [
        finding({ file: 'b.ts', severity: 'info', ruleId: 'r3', message: 'three' }),
        finding({ message: 'line one\nline two: 50%' }),
        finding({ file: 'src/a,b.ts', line: 9, severity: 'warning', ruleId: 'r2', message: 'two' }),
      ],
      { cwd: '/repo' },
      3,
    );
    assert.strictEqual(
      out,
      [
        '::notice file=b.ts,line=2,col=3,endLine=4,endColumn=5,title=r3::three',
        // sorted by file name: 'src/a,b.ts' before 'src/a.ts' (',' sorts before '.')
        '::warning file=src/a%2Cb.ts,line=9,col=3,endLine=4,endColumn=5,title=r2::two',
        '::error file=src/a.ts,line=2,col=3,endLine=4,endColumn=5,title=missing-max-tokens::line one%0Aline two: 50%25',
        '3 problems (1 error, 1 warning, 1 info) in 3 files',
        '',
      ].join('\n'),
    );
  });

  it('names files relative to GITHUB_WORKSPACE when the run is in a subfolder', () => {
    const ws = path.resolve('/repo');
    const cwd = path.join(ws, 'packages', 'api');
    assert.strictEqual(annotationPath(path.join('src', 'a.ts'), { cwd, workspace: ws }), 'packages/api/src/a.ts');
    assert.strictEqual(annotationPath(path.join('src', 'a.ts'), { cwd }), 'src/a.ts');
    // outside the workspace: left as given
    assert.strictEqual(annotationPath('../../../x.ts', { cwd, workspace: ws }), '../../../x.ts');
  });
});

describe('CLI in CI (dist/cli.js)', function () {
  this.timeout(300_000);
  let tmp: string;
  const write = (rel: string, content: string) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  };

  before(() => assert.ok(fs.existsSync(cli), 'dist/cli.js is built by npm test'));
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-ci-'));
    write('package.json', JSON.stringify({ name: 'fixture', dependencies: { '@anthropic-ai/sdk': '^1.12.0' } }));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--format github prints annotations for each finding and exits by severity', () => {
    write('src/err.ts', ERROR_FILE);
    write('src/warn.ts', WARNING_FILE);
    const r = run(tmp, ['--format', 'github', 'src']);
    assert.strictEqual(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.strictEqual(lines.length, 3, r.stdout);
    assert.match(lines[0], /^::error file=src\/err\.ts,line=5,col=\d+,endLine=5,endColumn=\d+,title=missing-max-tokens::.*max_tokens/);
    assert.match(lines[1], /^::warning file=src\/warn\.ts,line=5,col=\d+,endLine=5,endColumn=\d+,title=sampling-params::/);
    assert.strictEqual(lines[2], '2 problems (1 error, 1 warning, 0 infos) in 2 files');
    // with GITHUB_WORKSPACE above the working directory, file names are relative to the workspace
    const sub = run(path.join(tmp, 'src'), ['--format', 'github', 'warn.ts'], { GITHUB_WORKSPACE: tmp });
    assert.match(sub.stdout, /^::warning file=src\/warn\.ts,/m);
  });

  it('--max-warnings N: exit 1 only when warnings exceed N; errors still fail; --quiet does not count warnings', () => {
    write('warn.ts', WARNING_FILE);
    assert.strictEqual(run(tmp, ['warn.ts']).code, 0);
    assert.strictEqual(run(tmp, ['--max-warnings', '1', 'warn.ts']).code, 0);
    const over = run(tmp, ['--max-warnings=0', 'warn.ts']);
    assert.strictEqual(over.code, 1);
    assert.strictEqual(over.stderr, 'claude-request-lint: too many warnings: 1 (--max-warnings 0)\n');
    assert.match(over.stdout, /\[sampling-params\]/);
    assert.strictEqual(run(tmp, ['--max-warnings', '0', '--quiet', 'warn.ts']).code, 0);
    write('err.ts', ERROR_FILE);
    assert.strictEqual(run(tmp, ['--max-warnings', '5', 'err.ts']).code, 1);
  });

  it('--output FILE: the report goes to the file only, notes stay on stderr, folders are created', () => {
    write('err.ts', ERROR_FILE);
    for (const [format, name] of [
      ['json', 'reports/lint.json'],
      ['sarif', 'reports/lint.sarif'],
      ['text', 'reports/lint.txt'],
      ['github', 'reports/lint.gh'],
    ]) {
      const direct = run(tmp, ['--format', format, 'err.ts']);
      const r = run(tmp, ['--format', format, '--output', name, 'err.ts']);
      assert.strictEqual(r.code, 1, r.stderr);
      assert.strictEqual(r.stdout, '', `${format}: stdout must stay empty`);
      assert.strictEqual(r.stderr, '');
      assert.strictEqual(fs.readFileSync(path.join(tmp, name), 'utf8'), direct.stdout, `${format}: the file holds the report`);
    }
    assert.deepStrictEqual(checkSarif(JSON.parse(fs.readFileSync(path.join(tmp, 'reports/lint.sarif'), 'utf8'))), []);
    // no temporary files are left beside the report
    assert.deepStrictEqual(fs.readdirSync(path.join(tmp, 'reports')).sort(), ['lint.gh', 'lint.json', 'lint.sarif', 'lint.txt']);
  });

  it('--output with --fix: the fix summary goes to stderr, the file holds only the report', () => {
    write('err.ts', ERROR_FILE);
    write('.claude-request-lint.json', JSON.stringify({ maxTokensDefault: 512 }));
    const r = run(tmp, ['--fix', '-o', 'out.txt', 'err.ts']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /^fixed 1 problem in 1 file$/m);
    assert.strictEqual(fs.readFileSync(path.join(tmp, 'out.txt'), 'utf8'), 'no problems in 1 file\n');
    assert.match(fs.readFileSync(path.join(tmp, 'err.ts'), 'utf8'), /max_tokens: 512/);
  });

  it('bad input: one line on stderr, exit 2, no report written and an earlier report left as it was', () => {
    write('err.ts', ERROR_FILE);
    write('broken.json', '{ "rules": ');
    fs.mkdirSync(path.join(tmp, 'a-folder'));
    const cases: Array<{ args: string[]; says: RegExp }> = [
      { args: ['no/such/path.ts'], says: /no such file or directory: no\/such\/path\.ts/ },
      { args: ['--config', 'broken.json', 'err.ts'], says: /invalid configuration in .*broken\.json: not valid JSON/ },
      { args: ['--format', 'junit', 'err.ts'], says: /unknown format "junit"/ },
      { args: ['--max-warnings', 'many', 'err.ts'], says: /--max-warnings needs a whole number/ },
    ];
    for (const { args, says } of cases) {
      for (const target of ['new.json', 'old.json']) {
        if (target === 'old.json') write('old.json', 'earlier report\n');
        const r = run(tmp, ['--format', 'json', '--output', target, ...args]);
        const what = `${args.join(' ')} -> ${target}`;
        assert.strictEqual(r.code, 2, what);
        assert.strictEqual(r.stdout, '', what);
        assert.match(r.stderr, says, what);
        assert.strictEqual(r.stderr.split('\n').length, 2, `${what}: one line, got ${JSON.stringify(r.stderr)}`);
        if (target === 'new.json') assert.ok(!fs.existsSync(path.join(tmp, 'new.json')), `${what}: no file written`);
        else assert.strictEqual(fs.readFileSync(path.join(tmp, 'old.json'), 'utf8'), 'earlier report\n', what);
      }
    }
    // a bad project config found on the way is bad input too
    write('sub/.claude-request-lint.json', '{ nope');
    write('sub/x.ts', ERROR_FILE);
    const sub = run(tmp, ['-o', 'new.json', 'sub']);
    assert.strictEqual(sub.code, 2);
    assert.strictEqual(sub.stderr.split('\n').length, 2, sub.stderr);
    assert.ok(!fs.existsSync(path.join(tmp, 'new.json')));
    // --output naming a folder is refused before anything runs
    const dir = run(tmp, ['--output', 'a-folder', 'err.ts']);
    assert.strictEqual(dir.code, 2);
    assert.match(dir.stderr, /^claude-request-lint: --output a-folder is a directory\n$/);
  });
});
