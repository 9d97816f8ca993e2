// The pre-commit hook (.pre-commit-hooks.yaml): its definition, the package pre-commit installs for it
// (`npm pack` of the repository root, then a global install of that tarball; here into a project, offline),
// and its entry run on staged-file style arguments.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, sh, tempDir } from './cliPackage';
import { parseYaml, YamlValue } from './miniYaml';

type Obj = { [key: string]: YamlValue };

describe('pre-commit hook (.pre-commit-hooks.yaml)', function () {
  this.timeout(600_000);
  const hooks = parseYaml(fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Obj[];
  const rootPkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

  it('defines one node hook whose entry is the root package bin, for JS, TS and Python files', () => {
    assert.ok(Array.isArray(hooks) && hooks.length === 1, JSON.stringify(hooks));
    const hook = hooks[0];
    assert.strictEqual(hook.id, 'claude-request-lint');
    assert.strictEqual(hook.language, 'node');
    assert.strictEqual(hook.entry, 'claude-request-lint');
    assert.deepStrictEqual(hook.types_or, ['javascript', 'jsx', 'ts', 'tsx', 'python']);
    assert.ok(!('pass_filenames' in hook), 'staged files are passed as arguments');
    assert.strictEqual(rootPkg.bin[hook.entry as string], 'dist/cli.js');
    // pre-commit's `npm install` in its clone builds the CLI
    assert.strictEqual(rootPkg.scripts.postinstall, 'node scripts/postinstall.js');
  });

  it('npm pack of the root prints only the tarball name on stdout, which pre-commit reads', () => {
    // (a prepack or prepare script would print its own output there and break the hook's install)
    const r = sh('npm', ['pack', '--dry-run'], repoRoot);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, `claude-request-lint-${rootPkg.version}.tgz\n`);
  });

  describe('installed the way pre-commit installs it', () => {
    let project: string;
    let bin: string;

    before(() => {
      const work = tempDir('precommit-');
      // the build already exists (npm test made it); --ignore-scripts as no script is wanted here
      const packed = sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], repoRoot);
      assert.strictEqual(packed.status, 0, packed.stderr);
      const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      const files = info.files.map((f) => f.path);
      assert.ok(files.includes('dist/cli.js'));
      assert.ok(files.some((f) => f.startsWith('docs/rules/')));
      assert.ok(files.some((f) => f.startsWith('dist/retry/')));
      const unwanted = files.filter(
        (f) => f !== 'scripts/postinstall.js' && /^(src|test|scripts|bench|examples|media|node_modules)\/|\.map$|^dist\/extension\.js$/.test(f),
      );
      assert.deepStrictEqual(unwanted, [], 'only the CLI and what it ships');

      project = path.join(work, 'project');
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'hook-env', version: '1.0.0', private: true }));
      const install = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(work, 'npm-cache'), path.join(work, info.filename)], project);
      assert.strictEqual(install.status, 0, install.stderr);
      bin = path.join(project, 'node_modules', '.bin', hooks[0].entry as string);
      // in the installed copy the postinstall step has nothing to build and succeeds
      const installed = path.join(project, 'node_modules', 'claude-request-lint');
      const before = fs.readdirSync(path.join(installed, 'dist')).sort();
      const post = sh(process.execPath, [path.join(installed, 'scripts', 'postinstall.js')], installed);
      assert.strictEqual(post.status, 0, post.stderr);
      assert.strictEqual(post.stdout, '');
      assert.deepStrictEqual(fs.readdirSync(path.join(installed, 'dist')).sort(), before);
      fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'ci'), path.join(project, 'repo'), { recursive: true });
    });

    it('the entry lints the staged files it is given and fails on an error', () => {
      const repo = path.join(project, 'repo');
      const staged = ['src/ask.js', 'src/chat.ts', 'src/summarize.ts'];
      const r = sh(bin, staged, repo);
      assert.strictEqual(r.status, 1, r.stderr);
      assert.match(r.stdout, /^src\/chat\.ts:7:10 error .* \[missing-max-tokens\]$/m);
      assert.match(r.stdout, /^src\/summarize\.ts:11:5 warning .* \[sampling-params\]$/m);
      assert.match(r.stdout, /^2 problems \(1 error, 1 warning, 0 infos\) in 3 files$/m);
    });

    it('passes when the staged files are clean, or only warn', () => {
      const repo = path.join(project, 'repo');
      const clean = sh(bin, ['src/ask.js'], repo);
      assert.strictEqual(clean.status, 0, clean.stderr);
      assert.match(clean.stdout, /^no problems in 1 file$/m);
      const warn = sh(bin, ['src/summarize.ts', 'src/ask.js'], repo);
      assert.strictEqual(warn.status, 0, warn.stderr);
      assert.match(warn.stdout, /\[sampling-params\]/);
      // args from the hook's `args:` come before the files, as pre-commit passes them
      const strict = sh(bin, ['--max-warnings', '0', 'src/summarize.ts'], repo);
      assert.strictEqual(strict.status, 1);
    });
  });
});
