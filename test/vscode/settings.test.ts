import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, closeAll, codeActions, codeOf, diagnosticOf, noDiagnosticOf, openCopy, ours, setSetting, waitFor, workspaceUri } from './util';

describe('settings', () => {
  before(() => api());
  afterEach(() => closeAll());

  it('a rule severity change applies live, and off removes the finding', async () => {
    const doc = await openCopy('src/summarize.ts');
    const d = await diagnosticOf(doc, 'missing-max-tokens');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    try {
      await setSetting('claudeRequestLint', 'rules', { 'missing-max-tokens': 'warning' });
      await waitFor(() => ours(doc.uri).find((x) => codeOf(x) === 'missing-max-tokens' && x.severity === vscode.DiagnosticSeverity.Warning), 'severity warning');
      await setSetting('claudeRequestLint', 'rules', { 'missing-max-tokens': 'info' });
      await waitFor(() => ours(doc.uri).find((x) => codeOf(x) === 'missing-max-tokens' && x.severity === vscode.DiagnosticSeverity.Information), 'severity info');
      await setSetting('claudeRequestLint', 'rules', { 'missing-max-tokens': 'off' });
      await noDiagnosticOf(doc, 'missing-max-tokens');
    } finally {
      await setSetting('claudeRequestLint', 'rules', undefined);
    }
    await waitFor(() => ours(doc.uri).find((x) => codeOf(x) === 'missing-max-tokens' && x.severity === vscode.DiagnosticSeverity.Error), 'severity error again');
  });

  it('maxTokensDefault changes the value the fix inserts', async () => {
    const doc = await openCopy('src/summarize.ts');
    try {
      await setSetting('claudeRequestLint', 'maxTokensDefault', 2048);
      const title = await waitFor(async () => {
        const d = ours(doc.uri).find((x) => codeOf(x) === 'missing-max-tokens');
        if (!d) return undefined;
        return (await codeActions(doc.uri, d.range)).find((a) => a.title === 'Add max_tokens: 2048')?.title;
      }, 'the fix with 2048');
      assert.strictEqual(title, 'Add max_tokens: 2048');
    } finally {
      await setSetting('claudeRequestLint', 'maxTokensDefault', undefined);
    }
  });

  it('sdkVersion overrides the version found in package.json', async () => {
    // src/ declares SDK 1.x, where a system message in messages is accepted
    const doc = await openCopy('legacy/support.js');
    await diagnosticOf(doc, 'system-in-messages');
    try {
      await setSetting('claudeRequestLint', 'sdkVersion', '1.12.0');
      await noDiagnosticOf(doc, 'system-in-messages');
    } finally {
      await setSetting('claudeRequestLint', 'sdkVersion', undefined);
    }
    await diagnosticOf(doc, 'system-in-messages');
  });

  it('a change to .claude-request-lint.json applies without a reload', async () => {
    const doc = await openCopy('quiet/draft.ts');
    const file = workspaceUri('quiet/.claude-request-lint.json');
    const original = await vscode.workspace.fs.readFile(file);
    try {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('{ "rules": { "missing-max-tokens": "warning" } }\n'));
      const d = await diagnosticOf(doc, 'missing-max-tokens');
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
    }
    await noDiagnosticOf(doc, 'missing-max-tokens');
  });

  it('a broken .claude-request-lint.json is reported once, and linting goes on with the defaults', async () => {
    const a = await api();
    const doc = await openCopy('quiet/draft.ts');
    await noDiagnosticOf(doc, 'missing-max-tokens'); // the project file turns it off
    const file = workspaceUri('quiet/.claude-request-lint.json');
    const original = await vscode.workspace.fs.readFile(file);
    try {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('{ "rules": { "missing-max-tokens": "loud" } }\n'));
      const d = await diagnosticOf(doc, 'missing-max-tokens');
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error, 'the default severity while the file is ignored');
      // two edits, two more lints: the problem is still shown only once
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// one\n'));
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// two\n'));
      await waitFor(() => ours(doc.uri).find((x) => codeOf(x) === 'missing-max-tokens' && x.range.start.line === d.range.start.line + 2), 'the finding two lines lower');
      const shown = a.configProblems().filter((p) => p.includes('missing-max-tokens'));
      assert.strictEqual(shown.length, 1, `shown once: ${JSON.stringify(a.configProblems())}`);
      assert.match(shown[0], /\.claude-request-lint\.json/);
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
    }
    await noDiagnosticOf(doc, 'missing-max-tokens');
  });

  it('codeLens: false removes the CodeLens', async () => {
    const doc = await openCopy('src/clean.ts');
    const lenses = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? []).filter((l) => l.command?.title.startsWith('Claude '));
    await waitFor(async () => (await lenses()).length === 1 || undefined, 'one CodeLens');
    try {
      await setSetting('claudeRequestLint', 'codeLens', false);
      await waitFor(async () => (await lenses()).length === 0 || undefined, 'no CodeLens');
    } finally {
      await setSetting('claudeRequestLint', 'codeLens', undefined);
    }
  });
});
