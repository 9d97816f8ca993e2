// --fix with a fix that edits another file: the bundled CLI (dist/cli.js) on a temporary two-file project,
// and the stale-file rule of the CLI's cross-file fixer.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { crossFileFixer } from '../../../src/cli/crossFileFix';
import type { Fix } from '../../../src/core/lint/rule';
import { contentVersion } from '../../../src/core/lint/project/version';
import { LOOP_ROUTE } from '../project/routes';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

const CLIENT = `import Anthropic from "@anthropic-ai/sdk";\n\nexport const anthropic = new Anthropic({ timeout: 30_000 });\n`;
const ROUTE = LOOP_ROUTE;

function project(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crl-xfix-')));
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'anthropic.ts'), CLIENT);
  fs.writeFileSync(path.join(dir, 'route.ts'), ROUTE);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', dependencies: { '@anthropic-ai/sdk': '^1.12.0' } }));
  return dir;
}

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI --fix across files', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('sets maxRetries: 0 where the imported client is made, leaves the linted file alone, and the finding is gone', () => {
    const dir = project();
    dirs.push(dir);
    const before = run(dir, ['--format', 'json', '.']);
    assert.ok(before.stdout.includes('retry-amplification'), before.stdout);
    const r = run(dir, ['--fix', '.']);
    assert.strictEqual(r.stderr, '');
    assert.strictEqual(fs.readFileSync(path.join(dir, 'lib', 'anthropic.ts'), 'utf8'), CLIENT.replace('{ timeout: 30_000 }', '{ timeout: 30_000, maxRetries: 0 }'));
    assert.strictEqual(fs.readFileSync(path.join(dir, 'route.ts'), 'utf8'), ROUTE);
    assert.ok(r.stdout.includes('fixed 1 problem in 1 file'), r.stdout);
    assert.ok(!r.stdout.includes('retry-amplification'), r.stdout);
    assert.strictEqual(r.code, 0);
  });

  it('with --no-project the other file is never touched', () => {
    const dir = project();
    dirs.push(dir);
    run(dir, ['--fix', '--no-project', '.']);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'lib', 'anthropic.ts'), 'utf8'), CLIENT);
  });

  it('an edit for a text the other file no longer has is skipped, said once on stderr, and nothing is written', () => {
    const other = path.resolve('/app/lib/anthropic.ts');
    const fix: Fix = { title: 'Set maxRetries: 0 where the client is made (./lib/anthropic.ts)', safe: true, edits: [{ start: 0, end: 0, text: 'x', file: other, fileVersion: contentVersion('old text') }] };
    const notes: string[] = [];
    const writes: string[] = [];
    const fixer = crossFileFixer({ file: path.resolve('/app/route.ts'), shownAs: 'route.ts', cwd: path.resolve('/app'), read: () => 'new text', write: (f) => writes.push(f), changed: () => undefined, note: (l) => notes.push(l) });
    const r1 = fixer.apply('route', [fix]);
    fixer.apply('route', [fix]);
    assert.deepStrictEqual(r1, { text: 'route', applied: [], otherFilesChanged: false });
    assert.deepStrictEqual(writes, []);
    assert.strictEqual(notes.length, 1);
    assert.ok(notes[0].includes('lib/anthropic.ts is not the text the project index read'), notes[0]);
  });
});
