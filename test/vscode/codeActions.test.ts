import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, applyAction, closeAll, codeActions, diagnosticOf, expected, extension, noDiagnosticOf, openCopy, ours, setSetting, waitFor, workspaceUri } from './util';

interface Case {
  file: string;
  rule: string;
  title: string;
  expected: string;
  preferred?: boolean;
}

const fixes: Case[] = [
  { file: 'src/summarize.ts', rule: 'missing-max-tokens', title: 'Add max_tokens: 1024', expected: 'summarize.add-max-tokens.ts', preferred: true },
  // Python: the diagnostic appears once the parser has loaded, and the fix writes a keyword argument
  { file: 'py/summarize.py', rule: 'missing-max-tokens', title: 'Add max_tokens=1024', expected: 'summarize.add-max-tokens.py', preferred: true },
  { file: 'src/keys.ts', rule: 'hardcoded-api-key', title: 'Read the key from process.env.ANTHROPIC_API_KEY', expected: 'keys.key-from-env.ts' },
  { file: 'src/chat.ts', rule: 'sampling-params', title: 'Remove top_p', expected: 'chat.remove-top-p.ts' },
  { file: 'legacy/support.js', rule: 'system-in-messages', title: 'Move the system message to the top-level system field', expected: 'support.move-system.js', preferred: true },
  { file: 'src/keys.ts', rule: 'hardcoded-api-key', title: 'Disable hardcoded-api-key for this line', expected: 'keys.disable-line.ts' },
  // the comment takes the indentation of the line it silences
  { file: 'src/chat.ts', rule: 'sampling-params', title: 'Disable sampling-params for this line', expected: 'chat.disable-line.ts' },
];

async function applyAgain(a: vscode.CodeAction): Promise<unknown> {
  return vscode.commands.executeCommand(a.command!.command, ...(a.command!.arguments ?? []));
}

describe('code actions', () => {
  before(() => api());
  afterEach(() => closeAll());

  for (const c of fixes) {
    it(`${c.file}: "${c.title}" gives the expected text, and a second time changes nothing`, async () => {
      const doc = await openCopy(c.file);
      const d = await diagnosticOf(doc, c.rule);
      const actions = await codeActions(doc.uri, d.range);
      const action = actions.find((a) => a.title === c.title);
      assert.ok(action, `"${c.title}" offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.strictEqual(action.kind?.value, 'quickfix');
      assert.strictEqual(!!action.isPreferred, !!c.preferred);
      await applyAction(action);
      assert.strictEqual(doc.getText(), expected(c.expected));
      // that finding is gone (the rule may still report something else on the new text)
      await waitFor(() => !ours(doc.uri).some((x) => x.message === d.message) || undefined, 'the fixed finding to go away');
      const again = await codeActions(doc.uri, d.range);
      assert.ok(!again.some((a) => a.title === c.title), 'not offered again');
      const all = await codeActions(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), 'source.fixAll.claudeRequestLint');
      for (const a of all) await applyAction(a);
      assert.strictEqual(doc.getText(), expected(c.expected), 'nothing more to fix');
    });
  }

  const WRAP = 'Wrap in withRetry (retries 429, 5xx and connection errors with backoff)';
  const wraps: Array<{ file: string; expected: string; helper: string; variant: 'ts' | 'mjs' | 'cjs' }> = [
    { file: 'src/unguarded.ts', expected: 'unguarded.wrap.ts', helper: 'src/claudeRetry.ts', variant: 'ts' },
    // an ES module in a package that is not "type": "module": the helper is written as .mjs
    { file: 'esm/ask.js', expected: 'ask.wrap.js', helper: 'src/claudeRetry.mjs', variant: 'mjs' },
    // require(): the CommonJS helper (an ES module helper could not be required)
    { file: 'legacy/unguarded.js', expected: 'unguarded.wrap.js', helper: 'src/claudeRetry.js', variant: 'cjs' },
  ];
  for (const w of wraps) {
    it(`${w.file}: "Wrap in withRetry" writes the shipped helper, imports it and wraps the call, once`, async () => {
      const shipped = fs.readFileSync(path.join(extension().extensionPath, 'dist', 'retry', `claudeRetry.${w.variant}`), 'utf8');
      const doc = await openCopy(w.file);
      const d = await diagnosticOf(doc, 'unguarded-retry');
      const action = (await codeActions(doc.uri, d.range)).find((a) => a.title === WRAP);
      assert.ok(action, 'the wrap is offered');
      assert.strictEqual(action.command?.command, '_claudeRequestLint.applyRetryFix');
      await applyAction(action);
      assert.strictEqual(doc.getText(), expected(w.expected));
      assert.strictEqual(fs.readFileSync(workspaceUri(w.helper).fsPath, 'utf8'), shipped);
      await noDiagnosticOf(doc, 'unguarded-retry');
      assert.ok(!(await codeActions(doc.uri, d.range)).some((a) => a.title === WRAP), 'not offered again');
      // the same fix run again (a stale menu) changes nothing
      assert.strictEqual(await applyAgain(action), false);
      assert.strictEqual(doc.getText(), expected(w.expected));
      // the helper command now finds everything in place
      const helper = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.insertRetryHelper', doc.uri);
      assert.strictEqual(helper.toString(), workspaceUri(w.helper).toString());
      assert.strictEqual(doc.getText(), expected(w.expected));
      assert.strictEqual(fs.readFileSync(workspaceUri(w.helper).fsPath, 'utf8'), shipped);
    });
  }

  it('"Wrap in withStreamRetry" drains a MessageStream through the helper and adds withStreamRetry to its import, once', async () => {
    const WRAP_STREAM = 'Wrap in withStreamRetry (retries 429, 5xx and connection errors until the first event)';
    const doc = await openCopy('src/streaming.ts');
    const d = await diagnosticOf(doc, 'unguarded-retry');
    const action = (await codeActions(doc.uri, d.range)).find((a) => a.title === WRAP_STREAM);
    assert.ok(action, 'the stream wrap is offered');
    assert.strictEqual(action.command?.command, '_claudeRequestLint.applyRetryFix');
    await applyAction(action);
    assert.strictEqual(doc.getText(), expected('streaming.wrap-stream.ts'));
    const shipped = fs.readFileSync(path.join(extension().extensionPath, 'dist', 'retry', 'claudeRetry.ts'), 'utf8');
    assert.strictEqual(fs.readFileSync(workspaceUri('src/claudeRetry.ts').fsPath, 'utf8'), shipped);
    await noDiagnosticOf(doc, 'unguarded-retry');
    // a stale menu: nothing changes twice, the import keeps one withStreamRetry
    assert.strictEqual(await applyAgain(action), false);
    assert.strictEqual(doc.getText(), expected('streaming.wrap-stream.ts'));
  });

  it('a second file reuses the helper: no second helper file', async () => {
    const doc = await openCopy('src/unguarded.ts');
    const d = await diagnosticOf(doc, 'unguarded-retry');
    const action = (await codeActions(doc.uri, d.range)).find((a) => a.title === WRAP);
    assert.ok(action);
    await applyAction(action);
    assert.strictEqual(doc.getText(), expected('unguarded.wrap.ts'));
    const tsHelpers = fs.readdirSync(workspaceUri('src').fsPath).filter((f) => /^claudeRetry\.[cm]?ts$/.test(f));
    assert.deepStrictEqual(tsHelpers, ['claudeRetry.ts']);
  });

  it('offers the rule documentation on every finding', async () => {
    const doc = await openCopy('src/summarize.ts');
    const d = await diagnosticOf(doc, 'missing-max-tokens');
    const docs = (await codeActions(doc.uri, d.range)).find((a) => a.title === 'Show documentation for missing-max-tokens');
    assert.ok(docs?.command);
    assert.strictEqual(docs.command.command, 'claudeRequestLint.showRuleDocs');
    assert.deepStrictEqual(docs.command.arguments, ['missing-max-tokens']);
  });

  it('fix-all (source.fixAll.claudeRequestLint) applies every safe fix and leaves suggestions', async () => {
    const doc = await openCopy('src/many.ts');
    await diagnosticOf(doc, 'missing-max-tokens');
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    // asked for source.fixAll in general (as on save), other extensions may answer too
    const actions = (await codeActions(doc.uri, whole, 'source.fixAll')).filter((a) => a.kind?.value.startsWith('source.fixAll.claudeRequestLint'));
    assert.deepStrictEqual(actions.map((a) => a.kind?.value), ['source.fixAll.claudeRequestLint']);
    await applyAction(actions[0]);
    assert.strictEqual(doc.getText(), expected('many.fix-all.ts'));
    await noDiagnosticOf(doc, 'missing-max-tokens');
    assert.deepStrictEqual(await codeActions(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), 'source.fixAll.claudeRequestLint'), [], 'nothing left for fix-all');
    await diagnosticOf(doc, 'sampling-params'); // the unsafe suggestion stays a finding
  });

  it('fix-all runs on save through editor.codeActionsOnSave', async () => {
    await setSetting('editor', 'codeActionsOnSave', { 'source.fixAll.claudeRequestLint': 'explicit' });
    try {
      const doc = await openCopy('src/summarize.ts');
      await diagnosticOf(doc, 'missing-max-tokens');
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length), '\n'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      assert.strictEqual(doc.getText(), expected('summarize.add-max-tokens.ts') + '\n');
      assert.strictEqual(doc.isDirty, false);
    } finally {
      await setSetting('editor', 'codeActionsOnSave', undefined);
    }
  });
});
