import * as assert from 'assert';
import * as vscode from 'vscode';
import { ruleDocsUrl } from '../../src/core/lint/rule';
import { api, closeAll, codeOf, diagnosticOf, openCopy, ours, rangeOf, waitFor } from './util';

/** The CodeLens titles of a document (the extension's own per-call summary; proves it was linted). */
async function lensTitles(doc: vscode.TextDocument): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
  return lenses.map((l) => l.command?.title ?? '').filter((t) => t.startsWith('Claude '));
}

describe('diagnostics', () => {
  before(() => api());
  after(() => closeAll());

  const cases: Array<{ file: string; rule: string; at: string; severity: vscode.DiagnosticSeverity }> = [
    { file: 'src/summarize.ts', rule: 'missing-max-tokens', at: 'anthropic.messages.create', severity: vscode.DiagnosticSeverity.Error },
    { file: 'src/keys.ts', rule: 'hardcoded-api-key', at: 'sk-ant-api03-testFixtureKeyNotReal1234567890', severity: vscode.DiagnosticSeverity.Error },
    { file: 'src/chat.ts', rule: 'sampling-params', at: 'top_p: 0.9', severity: vscode.DiagnosticSeverity.Warning },
    // the SDK version comes from legacy/package.json (0.x), where a system message in messages is rejected
    { file: 'legacy/support.js', rule: 'system-in-messages', at: '{ role: "system", content: "You answer support questions briefly." }', severity: vscode.DiagnosticSeverity.Error },
  ];
  for (const c of cases) {
    it(`${c.file}: ${c.rule} with its code, link, severity and range`, async () => {
      const doc = await openCopy(c.file);
      const d = await diagnosticOf(doc, c.rule);
      assert.strictEqual(d.source, 'claude-request-lint');
      assert.ok(typeof d.code === 'object' && d.code !== null);
      assert.strictEqual(d.code.value, c.rule);
      assert.strictEqual(d.code.target.toString(true), vscode.Uri.parse(ruleDocsUrl(c.rule)).toString(true));
      assert.strictEqual(d.severity, c.severity);
      assert.ok(d.range.isEqual(rangeOf(doc, c.at)), `range ${JSON.stringify(d.range)} covers "${c.at}"`);
      assert.strictEqual(ours(doc.uri).length, 1, 'exactly one finding in the fixture');
    });
  }

  it('points to related places: where the SDK retries were turned off', async () => {
    const doc = await openCopy('esm/ask.js');
    const d = await diagnosticOf(doc, 'unguarded-retry');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(d.range.isEqual(rangeOf(doc, 'anthropic.messages.create')));
    assert.strictEqual(d.relatedInformation?.length, 1);
    const rel = d.relatedInformation[0];
    assert.strictEqual(rel.location.uri.toString(), doc.uri.toString());
    assert.strictEqual(doc.getText(rel.location.range), 'maxRetries: 0');
    assert.ok(rel.message.length > 0);
  });

  it('shows the retry stack of a call on hover', async () => {
    const doc = await openCopy('esm/ask.js');
    await diagnosticOf(doc, 'unguarded-retry');
    const at = rangeOf(doc, 'messages.create').start;
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Retry stack/);
    assert.match(text, /messages\.create/);
    assert.match(text, /SDK retries: 0 \(set on the client\)/);
  });

  it('reports nothing for a correct call (the call is seen: its CodeLens says so)', async () => {
    const doc = await openCopy('src/clean.ts');
    const titles = await waitFor(async () => {
      const t = await lensTitles(doc);
      return t.length ? t : undefined;
    }, 'the CodeLens of clean.ts');
    assert.strictEqual(titles.length, 1);
    assert.match(titles[0], /^Claude messages\.create: no findings( · .+)?$/);
    assert.deepStrictEqual(ours(doc.uri), []);
  });

  it('honours .claude-request-lint.json (quiet/ turns missing-max-tokens off)', async () => {
    const doc = await openCopy('quiet/draft.ts');
    const titles = await waitFor(async () => {
      const t = await lensTitles(doc);
      return t.length ? t : undefined;
    }, 'the CodeLens of quiet/draft.ts');
    assert.strictEqual(titles.length, 1);
    assert.match(titles[0], /^Claude messages\.create: no findings( · .+)?$/);
    assert.deepStrictEqual(ours(doc.uri), []);
  });

  it('lints as you type, and the status bar counts every finding', async () => {
    const a = await api();
    const doc = await openCopy('src/clean.ts');
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor(async () => (await lensTitles(doc)).length > 0, 'the first lint of the copy');
    assert.deepStrictEqual(ours(doc.uri), []);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, '\nexport const again = () => anthropic.messages.create({ model: "claude-sonnet-4-6", messages: [] });\n'));
    const d = await diagnosticOf(doc, 'missing-max-tokens');
    assert.ok(d.range.isEqual(rangeOf(doc, 'anthropic.messages.create', 1)));
    const total = () => vscode.languages.getDiagnostics().reduce((n, [, ds]) => n + ds.filter((x) => x.source === 'claude-request-lint').length, 0);
    await waitFor(() => a.statusBarText() === `$(warning) Claude ${total()}` || undefined, `status bar text "${a.statusBarText()}" to match ${total()}`);
    assert.strictEqual(a.findingsCount(), total());
    // and removing the call removes the finding
    await editor.edit((e) => e.delete(new vscode.Range(end, doc.lineAt(doc.lineCount - 1).range.end)));
    await waitFor(() => !ours(doc.uri).some((x) => codeOf(x) === 'missing-max-tokens') || undefined, 'the finding to go away');
  });
});
