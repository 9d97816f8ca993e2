import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { collectFiles, insideVirtualEnv, isPythonFile, isSourceFile, matchIgnoreStack, parseGitignore } from '../../../src/core/lint/walk';

/** Whether `rel` (relative to the .gitignore's directory) is ignored by `gitignore`. */
function ignored(gitignore: string, rel: string, isDir = false): boolean {
  const base = path.resolve('/base');
  return matchIgnoreStack([{ dir: base, rules: parseGitignore(gitignore) }], path.join(base, rel), isDir) === true;
}

describe('walk: gitignore patterns', () => {
  it('plain names match at any depth; comments and blank lines are skipped', () => {
    const gi = '# comment\n\nsecret.ts\n   \n';
    assert.ok(ignored(gi, 'secret.ts'));
    assert.ok(ignored(gi, 'a/b/secret.ts'));
    assert.ok(!ignored(gi, 'secret.tsx'));
    assert.ok(!ignored(gi, '# comment'));
    assert.ok(ignored('\\#notcomment.ts\n', '#notcomment.ts'));
  });

  it('a leading or middle slash anchors to the .gitignore directory', () => {
    assert.ok(ignored('/gen.ts\n', 'gen.ts'));
    assert.ok(!ignored('/gen.ts\n', 'sub/gen.ts'));
    assert.ok(ignored('src/gen.ts\n', 'src/gen.ts'));
    assert.ok(!ignored('src/gen.ts\n', 'x/src/gen.ts'));
  });

  it('a trailing slash matches directories only', () => {
    assert.ok(ignored('tmp/\n', 'tmp', true));
    assert.ok(ignored('tmp/\n', 'a/tmp', true));
    assert.ok(!ignored('tmp/\n', 'tmp', false));
  });

  it('*, ?, character classes and ranges', () => {
    assert.ok(ignored('*.gen.ts\n', 'deep/x.gen.ts'));
    assert.ok(!ignored('src/*.ts\n', 'src/a/b.ts'), '* does not cross /');
    assert.ok(ignored('src/*.ts\n', 'src/b.ts'));
    assert.ok(ignored('file?.js\n', 'file1.js'));
    assert.ok(!ignored('file?.js\n', 'file10.js'));
    assert.ok(ignored('file[0-9].js\n', 'file7.js'));
    assert.ok(!ignored('file[0-9].js\n', 'fileA.js'));
    assert.ok(ignored('file[!0-9].js\n', 'fileA.js'));
    assert.ok(!ignored('file[!0-9].js\n', 'file7.js'));
    assert.ok(ignored('file[abc].js\n', 'fileb.js'));
    assert.ok(ignored('weird[.js\n', 'weird[.js'), 'an unclosed [ is literal');
    assert.ok(ignored('a.b\n', 'a.b') && !ignored('a.b\n', 'axb'), '. is literal');
  });

  it('** forms: leading, trailing and in the middle', () => {
    assert.ok(ignored('**/fixtures\n', 'fixtures', true));
    assert.ok(ignored('**/fixtures\n', 'a/b/fixtures', true));
    assert.ok(ignored('**/fixtures/x.ts\n', 'a/fixtures/x.ts'));
    assert.ok(ignored('gen/**\n', 'gen/a/b.ts'));
    assert.ok(!ignored('gen/**\n', 'gen', true), 'gen/** matches inside gen, not gen itself');
    assert.ok(ignored('a/**/b.ts\n', 'a/b.ts'));
    assert.ok(ignored('a/**/b.ts\n', 'a/x/y/b.ts'));
    assert.ok(!ignored('a/**/b.ts\n', 'c/a/x/b.ts'));
  });

  it('negation: the last matching pattern wins', () => {
    const gi = '*.ts\n!keep.ts\n';
    assert.ok(ignored(gi, 'drop.ts'));
    assert.ok(!ignored(gi, 'keep.ts'));
    assert.ok(ignored('!keep.ts\n*.ts\n', 'keep.ts'));
    assert.ok(ignored('\\!bang.ts\n', '!bang.ts'), 'escaped ! is literal');
  });

  it('trailing spaces are dropped unless escaped', () => {
    assert.ok(ignored('x.ts   \n', 'x.ts'));
    assert.ok(ignored('x.ts\\ \n', 'x.ts '));
    assert.ok(!ignored('x.ts\\ \n', 'x.ts'));
  });
});

describe('walk: collectFiles', () => {
  let tmp: string;
  const write = (rel: string, content = 'export {};\n') => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  };
  const rel = (files: string[]) => files.map((f) => path.relative(tmp, path.resolve(tmp, f)).split(path.sep).join('/'));
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-walk-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds JS/TS sources, skips declarations, other files and the always-skipped directories', () => {
    for (const f of ['a.js', 'b.jsx', 'c.ts', 'd.tsx', 'e.mjs', 'f.cjs', 'g.mts', 'h.cts', 'types.d.ts', 'm.d.mts', 'README.md', 'x.json']) {
      write(`src/${f}`);
    }
    for (const d of ['node_modules/pkg', '.git', 'dist', 'out', 'build', '.next', 'coverage', 'src/node_modules/p']) write(`${d}/skip.js`);
    const r = collectFiles(['.'], { cwd: tmp });
    assert.deepStrictEqual(rel(r.files), ['src/a.js', 'src/b.jsx', 'src/c.ts', 'src/d.tsx', 'src/e.mjs', 'src/f.cjs', 'src/g.mts', 'src/h.cts']);
    assert.ok(isSourceFile('X.TS') && !isSourceFile('x.d.cts') && !isSourceFile('.ts'));
  });

  it('honours root and nested .gitignore files, including negation and dir-only patterns', () => {
    fs.mkdirSync(path.join(tmp, '.git'));
    write('.gitignore', '# generated\n*.gen.ts\n/tmp/\nlogs\n!important.gen.ts\n');
    write('a.ts');
    write('a.gen.ts');
    write('important.gen.ts');
    write('tmp/x.ts');
    write('sub/tmp/y.ts'); // /tmp/ is anchored: sub/tmp is kept
    write('logs/z.ts');
    write('pkg/.gitignore', 'local.ts\n!a.gen.ts\nlib/**\n');
    write('pkg/local.ts');
    write('pkg/a.gen.ts'); // re-included by the nested file
    write('pkg/lib/deep/w.ts');
    write('pkg/main.ts');
    write('other/local.ts'); // the nested file does not apply here
    const r = collectFiles(['.'], { cwd: tmp });
    assert.deepStrictEqual(rel(r.files), ['a.ts', 'important.gen.ts', 'other/local.ts', 'pkg/a.gen.ts', 'pkg/main.ts', 'sub/tmp/y.ts']);
  });

  it('applies the repository root .gitignore when walking a subdirectory, and gitignore:false turns it off', () => {
    fs.mkdirSync(path.join(tmp, '.git'));
    write('.gitignore', 'packages/app/generated/\n');
    write('packages/app/generated/g.ts');
    write('packages/app/src/s.ts');
    const r = collectFiles([path.join('packages', 'app')], { cwd: tmp });
    assert.deepStrictEqual(rel(r.files), ['packages/app/src/s.ts']);
    assert.strictEqual(r.files[0], path.join('packages', 'app', 'src', 's.ts'), 'paths keep the form given');
    const all = collectFiles([path.join('packages', 'app')], { cwd: tmp, gitignore: false });
    assert.strictEqual(all.files.length, 2);
  });

  it('lints explicitly named files even when ignored; reports missing paths and non-source files', () => {
    write('.gitignore', 'ignored.ts\n');
    write('ignored.ts');
    write('notes.txt');
    const skips: string[] = [];
    const r = collectFiles(['ignored.ts', 'notes.txt', 'missing.ts', 'ignored.ts'], { cwd: tmp, onSkip: (s) => skips.push(`${s.path}:${s.reason}`) });
    assert.deepStrictEqual(r.files, ['ignored.ts']);
    assert.deepStrictEqual(r.missing, ['missing.ts']);
    assert.deepStrictEqual(skips, ['notes.txt:not-source']);
    assert.deepStrictEqual(collectFiles(['.'], { cwd: tmp }).files, []);
  });

  it('finds Python files, not stubs; python:false leaves them out', () => {
    for (const f of ['app.py', 'types.pyi', 'notes.pyc', 'main.ts']) write(`src/${f}`);
    write('UPPER.PY');
    assert.deepStrictEqual(rel(collectFiles(['.'], { cwd: tmp }).files), ['UPPER.PY', 'src/app.py', 'src/main.ts']);
    assert.deepStrictEqual(rel(collectFiles(['.'], { cwd: tmp, python: false }).files), ['src/main.ts']);
    assert.ok(isPythonFile('a.py') && !isPythonFile('a.pyi') && !isPythonFile('.py') && !isSourceFile('a.py'));
    const skips: string[] = [];
    const named = collectFiles(['src/app.py', 'src/types.pyi'], { cwd: tmp, onSkip: (s) => skips.push(`${s.path}: ${s.detail}`) });
    assert.deepStrictEqual(named.files, ['src/app.py']);
    assert.deepStrictEqual(skips, ['src/types.pyi: not a JavaScript, TypeScript or Python source file or notebook']);
    const jsOnly = collectFiles(['src/app.py'], { cwd: tmp, python: false, onSkip: (s) => skips.push(`${s.path}: ${s.detail}`) });
    assert.deepStrictEqual(jsOnly.files, []);
    assert.strictEqual(skips[1], 'src/app.py: not a JavaScript or TypeScript source file');
  });

  it('skips virtual environments by their pyvenv.cfg, site-packages and Python caches', () => {
    write('app/main.py');
    for (const venv of ['.venv', 'venv', 'env', 'py312']) {
      write(`${venv}/pyvenv.cfg`, 'home = /usr/bin\n');
      write(`${venv}/lib/python3.12/site-packages/pkg/mod.py`);
      write(`${venv}/share/jupyter/lab/static/app.js`);
    }
    write('venvs/old/lib/python2.7/site-packages/pkg/mod.py'); // no pyvenv.cfg, but site-packages
    for (const d of ['__pycache__', '.tox/py312', '.nox/tests', '.mypy_cache/3.12', '.pytest_cache/v', 'app/__pycache__']) write(`${d}/x.py`);
    write('tools/env/helper.py'); // a folder named env that is no virtual environment
    write('tools/venv/setup.js'); // nor is this one
    write('tools/pyvenv.cfg/inside.py'); // a directory named pyvenv.cfg is no marker
    const r = collectFiles(['.'], { cwd: tmp });
    assert.deepStrictEqual(rel(r.files), ['app/main.py', 'tools/env/helper.py', 'tools/pyvenv.cfg/inside.py', 'tools/venv/setup.js']);
    // a virtual environment or skipped directory named on the command line is walked
    assert.deepStrictEqual(rel(collectFiles(['py312'], { cwd: tmp, gitignore: false }).files), ['py312/share/jupyter/lab/static/app.js']);
    assert.deepStrictEqual(rel(collectFiles(['.tox'], { cwd: tmp }).files), ['.tox/py312/x.py']);
  });

  it('insideVirtualEnv: looks for pyvenv.cfg above a file, below the root it is given', () => {
    write('ws/.venv/pyvenv.cfg', 'home = /usr/bin\n');
    write('ws/.venv/share/x.js');
    write('ws/src/a.ts');
    write('ws/pyvenv.cfg', 'home = /usr/bin\n'); // the root itself is a virtual environment: it does not count
    const cache = new Map<string, boolean>();
    const ws = path.join(tmp, 'ws');
    assert.strictEqual(insideVirtualEnv(path.join(ws, '.venv/share/x.js'), ws, cache), true);
    assert.strictEqual(insideVirtualEnv(path.join(ws, 'src/a.ts'), ws, cache), false);
    assert.strictEqual(cache.get(path.join(ws, 'src')), false);
    assert.strictEqual(insideVirtualEnv(path.join(ws, 'src/a.ts')), true, 'with no root, ws/pyvenv.cfg counts');
  });

  it('skips files over 2 MB with a note', () => {
    write('big.js', 'x'.repeat(2 * 1024 * 1024 + 1));
    write('small.js');
    const skips: string[] = [];
    const r = collectFiles(['.'], { cwd: tmp, onSkip: (s) => skips.push(`${s.path} ${s.reason} ${s.detail}`) });
    assert.deepStrictEqual(r.files, ['small.js']);
    assert.strictEqual(skips.length, 1);
    assert.match(skips[0], /^big\.js too-large 2\.0 MB is over the 2 MB limit$/);
  });
});
