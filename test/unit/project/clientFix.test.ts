// Fixes that act in another file: "set maxRetries: 0 where the client is made" (retry-amplification) and
// "remove maxRetries: 0 where the client is made" (unguarded-retry), on real temporary projects linted with
// the project index; and applying fixes whose edits span files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyFixes, applyFixesAcrossFiles, lintText } from '../../../src/core/lint/index';
import type { Finding, Fix } from '../../../src/core/lint/rule';
import { diskProjectIndex } from '../../../src/core/lint/project/diskIndex';
import { contentVersion } from '../../../src/core/lint/project/version';
import { makeTree, removeTree } from './tree';
import { LOOP_ROUTE } from './routes';

const BARE_ROUTE = `import { anthropic } from "./lib/anthropic";

export async function title(prompt: string) {
  return anthropic.messages.create({ model: "claude-sonnet-4-6", max_tokens: 64, messages: [{ role: "user", content: prompt }] });
}
`;

const client = (ctor: string) => `import Anthropic from "@anthropic-ai/sdk";\n\nexport const anthropic = ${ctor};\n`;

interface Linted {
  root: string;
  findings: Finding[];
  clientFile: string;
}

/** Lints `file` of a temporary project (every file of it in the index). */
function lint(files: Record<string, string>, file: string, project = true): Linted {
  const root = makeTree(files);
  const all = Object.keys(files).map((f) => path.join(root, f));
  const index = diskProjectIndex(all);
  const abs = path.join(root, file);
  const r = lintText(fs.readFileSync(abs, 'utf8'), { fileName: abs, sdkVersion: '1.12.0', project: project ? index : undefined });
  assert.deepStrictEqual(r.internalErrors ?? [], []);
  return { root, findings: r.findings, clientFile: path.join(root, 'lib', 'anthropic.ts') };
}

const fixNamed = (f: Finding | undefined, start: string): Fix | undefined => f?.fixes?.find((x) => x.title.startsWith(start));
const THERE = 'Set maxRetries: 0 where the client is made';

describe('fix in another file: maxRetries: 0 where the client is made', () => {
  const roots: string[] = [];
  after(() => roots.forEach(removeTree));
  const run = (files: Record<string, string>, file = 'route.ts', project = true) => {
    const l = lint(files, file, project);
    roots.push(l.root);
    return l;
  };

  it('a client made with the SDK default, used only here inside a retry: a safe fix that adds maxRetries: 0 there', () => {
    const clientText = client('new Anthropic({ apiKey: process.env.ANTHROPIC_KEY })');
    const l = run({ 'lib/anthropic.ts': clientText, 'route.ts': LOOP_ROUTE });
    const f = l.findings.find((x) => x.ruleId === 'retry-amplification');
    assert.ok(f, JSON.stringify(l.findings.map((x) => x.ruleId)));
    const fix = f!.fixes![0];
    assert.strictEqual(fix.title, `${THERE} (./lib/anthropic.ts)`);
    assert.strictEqual(fix.safe, true);
    assert.strictEqual(fix.edits.length, 1);
    const e = fix.edits[0];
    assert.strictEqual(e.file, l.clientFile);
    assert.strictEqual(e.fileVersion, contentVersion(clientText));
    const r = applyFixesAcrossFiles(path.join(l.root, 'route.ts'), LOOP_ROUTE, [fix], (p) => fs.readFileSync(p, 'utf8'));
    assert.strictEqual(r.text, LOOP_ROUTE, 'the linted file is unchanged');
    assert.strictEqual(r.files.get(l.clientFile), client('new Anthropic({ apiKey: process.env.ANTHROPIC_KEY, maxRetries: 0 })'));
    // the per-call fix is still offered after it
    assert.ok(fixNamed(f, 'Set maxRetries: 0 on this call'));
  });

  it('a client with maxRetries: 3 gets maxRetries: 0; new Anthropic() gets an options object', () => {
    const three = run({ 'lib/anthropic.ts': client('new Anthropic({ maxRetries: 3 })'), 'route.ts': LOOP_ROUTE });
    const fix3 = fixNamed(three.findings.find((x) => x.ruleId === 'retry-amplification'), THERE)!;
    const r3 = applyFixesAcrossFiles(path.join(three.root, 'route.ts'), LOOP_ROUTE, [fix3], (p) => fs.readFileSync(p, 'utf8'));
    assert.strictEqual(r3.files.get(three.clientFile), client('new Anthropic({ maxRetries: 0 })'));

    const bare = run({ 'lib/anthropic.ts': client('new Anthropic()'), 'route.ts': LOOP_ROUTE });
    const fix0 = fixNamed(bare.findings.find((x) => x.ruleId === 'retry-amplification'), THERE)!;
    const r0 = applyFixesAcrossFiles(path.join(bare.root, 'route.ts'), LOOP_ROUTE, [fix0], (p) => fs.readFileSync(p, 'utf8'));
    assert.strictEqual(r0.files.get(bare.clientFile), client('new Anthropic({ maxRetries: 0 })'));
  });

  it('another file uses the client without a retry: only a suggestion, after the per-call fix', () => {
    const l = run({ 'lib/anthropic.ts': client('new Anthropic()'), 'route.ts': LOOP_ROUTE, 'title.ts': BARE_ROUTE });
    const f = l.findings.find((x) => x.ruleId === 'retry-amplification')!;
    const there = fixNamed(f, THERE)!;
    assert.strictEqual(there.safe, false);
    assert.ok(f.fixes!.indexOf(there) > f.fixes!.findIndex((x) => x.title.startsWith('Set maxRetries: 0 on this call')));
  });

  it('the client file calls the API itself, or the client is passed on here: only a suggestion', () => {
    const selfCalling = client('new Anthropic()') + `\nexport const ping = () => anthropic.messages.create({ model: "claude-sonnet-4-6", max_tokens: 8, messages: [] });\n`;
    const a = run({ 'lib/anthropic.ts': selfCalling, 'route.ts': LOOP_ROUTE });
    assert.strictEqual(fixNamed(a.findings.find((x) => x.ruleId === 'retry-amplification'), THERE)?.safe, false);

    const passedOn = LOOP_ROUTE + `\nexport const exposed = { client: anthropic };\n`;
    const b = run({ 'lib/anthropic.ts': client('new Anthropic()'), 'route.ts': passedOn });
    assert.strictEqual(fixNamed(b.findings.find((x) => x.ruleId === 'retry-amplification'), THERE)?.safe, false);
  });

  it('file by file (no index) there is no such fix', () => {
    const l = run({ 'lib/anthropic.ts': client('new Anthropic()'), 'route.ts': LOOP_ROUTE }, 'route.ts', false);
    for (const f of l.findings) assert.strictEqual(fixNamed(f, THERE), undefined);
  });

  it('unguarded-retry through an imported maxRetries: 0 client offers to remove it there, never as a safe fix', () => {
    const clientText = client('new Anthropic({ timeout: 20_000, maxRetries: 0 })');
    const l = run({ 'lib/anthropic.ts': clientText, 'title.ts': BARE_ROUTE }, 'title.ts');
    const f = l.findings.find((x) => x.ruleId === 'unguarded-retry');
    const fix = fixNamed(f, 'Remove maxRetries: 0 where the client is made')!;
    assert.ok(fix, JSON.stringify(f?.fixes?.map((x) => x.title)));
    assert.strictEqual(fix.safe, false);
    const r = applyFixesAcrossFiles(path.join(l.root, 'title.ts'), BARE_ROUTE, [fix], (p) => fs.readFileSync(p, 'utf8'));
    assert.strictEqual(r.files.get(l.clientFile), client('new Anthropic({ timeout: 20_000 })'));
  });
});

describe('applying fixes across files', () => {
  const other = path.resolve('/project/lib/anthropic.ts');
  const self = path.resolve('/project/route.ts');
  const otherText = 'new Anthropic({ maxRetries: 3 })';
  const read = (p: string) => (p === other ? otherText : undefined);
  const zeroThere = (version = contentVersion(otherText)): Fix => ({
    title: 'there',
    safe: true,
    edits: [{ start: 28, end: 29, text: '0', file: other, fileVersion: version }],
  });

  it('the same edit in another file from two fixes is applied once, and both fixes count as applied', () => {
    const own: Fix = { title: 'own', safe: true, edits: [{ start: 0, end: 1, text: 'X' }] };
    const r = applyFixesAcrossFiles(self, 'abc', [zeroThere(), own, zeroThere()], read);
    assert.strictEqual(r.text, 'Xbc');
    assert.deepStrictEqual([...r.files], [[other, 'new Anthropic({ maxRetries: 0 })']]);
    assert.strictEqual(r.applied.length, 3);
    assert.deepStrictEqual(r.skipped, []);
  });

  it('an edit made for another version of the other file (or a missing file) is stale: its whole fix is skipped', () => {
    const mixed: Fix = { title: 'both', safe: true, edits: [{ start: 0, end: 1, text: 'X' }, ...zeroThere('0-stale').edits] };
    const r = applyFixesAcrossFiles(self, 'abc', [mixed], read);
    assert.strictEqual(r.text, 'abc');
    assert.strictEqual(r.files.size, 0);
    assert.deepStrictEqual(r.stale.map((s) => s.file), [other]);
    const gone = applyFixesAcrossFiles(self, 'abc', [zeroThere()], () => undefined);
    assert.strictEqual(gone.stale.length, 1);
  });

  it('overlapping edits in the other file: the later fix is skipped whole', () => {
    const clash: Fix = { title: 'clash', safe: true, edits: [{ start: 16, end: 29, text: 'maxRetries: 7', file: other, fileVersion: contentVersion(otherText) }] };
    const r = applyFixesAcrossFiles(self, 'abc', [zeroThere(), clash], read);
    assert.deepStrictEqual([...r.files.values()], ['new Anthropic({ maxRetries: 0 })']);
    assert.deepStrictEqual(r.skipped, [clash]);
  });

  it('applyFixes applies only the linted file\'s edits (a fix with none is skipped)', () => {
    const r = applyFixes('abc', [zeroThere()]);
    assert.strictEqual(r.text, 'abc');
    assert.strictEqual(r.applied.length, 0);
  });
});
