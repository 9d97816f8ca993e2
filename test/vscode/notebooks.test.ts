// Jupyter notebooks in the real editor: the Python cells are linted together and each finding sits on its cell;
// quick fixes, fix-all and the retry stack hover work in cells; the status bar and Lint Workspace count notebooks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WorkspaceLintReport } from '../../src/extension/commands';
import { api, applyAction, closeAll, codeActions, codeOf, extension, ours, waitFor, workspaceUri } from './util';

/** An .ipynb text with one Python code cell per source (a markdown cell first, so cell indices are not 0-based code counts). */
function notebookText(sources: string[]): string {
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: ['# Notes'] },
    ...sources.map((s) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: s.split(/(?<=\n)/) })),
  ];
  return JSON.stringify({ cells, metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

let copies = 0;
/** Writes a notebook into a fresh folder of the workspace and opens it in the notebook editor. */
async function openNotebook(text: string | Uint8Array): Promise<vscode.NotebookDocument> {
  const uri = workspaceUri(`py/nb${++copies}/draft.ipynb`);
  await vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? new TextEncoder().encode(text) : text);
  const nb = await vscode.workspace.openNotebookDocument(uri);
  await vscode.window.showNotebookDocument(nb);
  return nb;
}

function diagnosticOn(cell: vscode.NotebookCell, ruleId: string): Promise<vscode.Diagnostic> {
  return waitFor(() => ours(cell.document.uri).find((x) => codeOf(x) === ruleId), `a ${ruleId} diagnostic on cell ${cell.index + 1}`);
}

const totalOurs = () => vscode.languages.getDiagnostics().reduce((n, [, ds]) => n + ds.filter((x) => x.source === 'claude-request-lint').length, 0);

describe('notebooks', () => {
  before(() => api());
  after(() => closeAll());

  it('a call without max_tokens in a cell is reported on that cell, and goes away when the cell is fixed', async () => {
    const source = fs.readFileSync(path.join(extension().extensionPath, 'test', 'fixtures', 'notebooks', 'explore.ipynb'));
    const uri = workspaceUri('py/explore-copy.ipynb');
    await vscode.workspace.fs.writeFile(uri, source);
    const nb = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.cellAt(3);
    assert.strictEqual(cell.kind, vscode.NotebookCellKind.Code);
    const d = await waitFor(() => ours(cell.document.uri).find((x) => codeOf(x) === 'missing-max-tokens'), 'a missing-max-tokens diagnostic on cell 4');
    const text = cell.document.getText();
    const at = text.indexOf('client.messages.create');
    assert.ok(d.range.start.isEqual(cell.document.positionAt(at)), `starts at the call: ${JSON.stringify(d.range.start)}`);
    // the client comes from cell 3, the other cells have nothing to report
    for (const other of nb.getCells()) if (other.index !== 3) assert.deepStrictEqual(ours(other.document.uri), [], `cell ${other.index + 1}`);

    const edit = new vscode.WorkspaceEdit();
    const model = cell.document.positionAt(text.indexOf('    model='));
    edit.insert(cell.document.uri, model, '    max_tokens=1024,\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(() => ours(cell.document.uri).length === 0, 'the diagnostic gone after the edit');
  });

  it('the quick fix of a finding in a cell edits that cell, and the status bar counts the cell\'s finding', async () => {
    const a = await api();
    const source = fs.readFileSync(path.join(extension().extensionPath, 'test', 'fixtures', 'notebooks', 'explore.ipynb'));
    const nb = await openNotebook(source);
    const cell = nb.cellAt(3);
    const before = nb.getCells().map((c) => c.document.getText());
    const d = await diagnosticOn(cell, 'missing-max-tokens');
    // the status bar and the API count the notebook's finding with every other one of ours
    await waitFor(() => a.statusBarText() === `$(warning) Claude ${totalOurs()}` || undefined, `status bar text "${a.statusBarText()}" to match ${totalOurs()}`);
    assert.strictEqual(a.findingsCount(), totalOurs());
    const withCell = a.findingsCount();

    // ours (the workbench adds its own "Fix" and "Explain" actions on any diagnostic)
    const actions = (await codeActions(cell.document.uri, d.range, vscode.CodeActionKind.QuickFix.value)).filter((x) => !['Fix', 'Explain'].includes(x.title));
    assert.deepStrictEqual(
      actions.map((x) => x.title),
      ['Add max_tokens=1024', 'Disable missing-max-tokens for this line', 'Show documentation for missing-max-tokens'],
    );
    const fix = actions[0];
    assert.strictEqual(fix.isPreferred, true);
    await applyAction(fix);
    await waitFor(() => !ours(cell.document.uri).some((x) => codeOf(x) === 'missing-max-tokens') || undefined, 'the finding gone after the fix');
    assert.strictEqual(cell.document.getText(), before[3].replace('    model="claude-sonnet-4-6",', '    model="claude-sonnet-4-6",\n    max_tokens=1024,'));
    nb.getCells().forEach((c, i) => {
      if (i !== 3) assert.strictEqual(c.document.getText(), before[i], `cell ${i + 1} unchanged`);
    });
    await waitFor(() => a.findingsCount() === withCell - 1 || undefined, `the count to drop by one from ${withCell} (now ${a.findingsCount()})`);
    await waitFor(() => a.statusBarText() === `$(${totalOurs() ? 'warning' : 'check'}) Claude ${totalOurs()}` || undefined, 'the status bar to follow');

    // "Disable … for this line" in a cell is a Python comment
    const undo = new vscode.WorkspaceEdit();
    undo.replace(cell.document.uri, new vscode.Range(0, 0, cell.document.lineCount, 0), before[3]);
    assert.ok(await vscode.workspace.applyEdit(undo));
    const again = await diagnosticOn(cell, 'missing-max-tokens');
    const disable = (await codeActions(cell.document.uri, again.range, vscode.CodeActionKind.QuickFix.value)).find((x) => x.title === 'Disable missing-max-tokens for this line');
    assert.ok(disable);
    await applyAction(disable);
    assert.strictEqual(cell.document.lineAt(again.range.start.line).text, '# claude-request-lint-disable-next-line missing-max-tokens');
    await waitFor(() => !ours(cell.document.uri).some((x) => codeOf(x) === 'missing-max-tokens') || undefined, 'the finding silenced');
  });

  it('"Wrap in with_retry" in a cell writes claude_retry.py beside the notebook and imports with_retry in the imports cell; the hover shows the retry stack', async () => {
    const call = 'reply = client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": "hi"}])\nprint(reply)';
    const nb = await openNotebook(notebookText(['%pip install anthropic', 'import anthropic\n\nclient = anthropic.Anthropic(max_retries=0)', call]));
    const imports = nb.cellAt(2);
    const cell = nb.cellAt(3);
    const d = await diagnosticOn(cell, 'unguarded-retry');

    // the hover on the call in its cell: the retry stack of the notebook as one module
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cell.document.uri, cell.document.positionAt(call.indexOf('messages.create') + 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*Claude API call\*\* `messages\.create`/);
    assert.match(text, /\*\*Retry stack\*\*/);
    assert.match(text, /max_retries=0/);
    const ours0 = hovers.find((h) => h.contents.some((c) => typeof c !== 'string' && c.value.includes('Retry stack')));
    assert.ok(ours0?.range?.start.isEqual(cell.document.positionAt(call.indexOf('client.messages.create'))), 'the hover covers the call');
    // no hover outside a call
    const outside = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cell.document.uri, cell.document.positionAt(call.indexOf('print') + 1));
    assert.ok(!outside.some((h) => h.contents.some((c) => typeof c !== 'string' && c.value.includes('Retry stack'))));

    const wrap = (await codeActions(cell.document.uri, d.range, vscode.CodeActionKind.QuickFix.value)).find((x) => x.title.startsWith('Wrap in with_retry'));
    assert.ok(wrap, 'the wrap is offered in the cell');
    await applyAction(wrap);
    const helper = vscode.Uri.joinPath(nb.uri, '..', 'claude_retry.py');
    const shipped = fs.readFileSync(path.join(extension().extensionPath, 'dist', 'retry', 'claude_retry.py'), 'utf8');
    await waitFor(() => fs.existsSync(helper.fsPath) || undefined, 'claude_retry.py beside the notebook');
    assert.strictEqual(fs.readFileSync(helper.fsPath, 'utf8'), shipped);
    assert.strictEqual(imports.document.getText(), 'import anthropic\nfrom claude_retry import with_retry\n\nclient = anthropic.Anthropic(max_retries=0)');
    assert.strictEqual(cell.document.getText(), call.replace('reply = client.messages.create(', 'reply = with_retry(lambda: client.messages.create(').replace('}])\n', '}]))\n'));
    assert.strictEqual(nb.cellAt(1).document.getText(), '%pip install anthropic');
    await waitFor(() => !ours(cell.document.uri).some((x) => codeOf(x) === 'unguarded-retry') || undefined, 'the finding gone after the wrap');
  });

  it('fix-all in a cell applies the safe fixes of every cell of the notebook', async () => {
    const call = (v: string) => `${v} = client.messages.create(model="claude-sonnet-4-6", messages=[{"role": "user", "content": "q"}])`;
    const nb = await openNotebook(notebookText(['import anthropic\nclient = anthropic.Anthropic()', call('a'), call('b')]));
    await diagnosticOn(nb.cellAt(2), 'missing-max-tokens');
    await diagnosticOn(nb.cellAt(3), 'missing-max-tokens');
    const actions = await codeActions(nb.cellAt(2).document.uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.claudeRequestLint');
    const fixAll = actions.find((x) => x.title === 'Fix all safe Claude Request Lint problems in this notebook');
    assert.ok(fixAll, JSON.stringify(actions.map((x) => x.title)));
    await applyAction(fixAll);
    const fixed = (v: string) => call(v).replace('model="claude-sonnet-4-6",', 'model="claude-sonnet-4-6", max_tokens=1024,');
    assert.deepStrictEqual(
      nb.getCells().slice(1).map((c) => c.document.getText()),
      ['import anthropic\nclient = anthropic.Anthropic()', fixed('a'), fixed('b')],
    );
    await waitFor(() => nb.getCells().every((c) => ours(c.document.uri).length === 0) || undefined, 'no finding left');
  });

  it('Lint Workspace lints notebooks that are not open, on the file, until the notebook is opened', async () => {
    const a = await api();
    const uri = workspaceUri('py/closed/explore.ipynb');
    await vscode.workspace.fs.writeFile(uri, fs.readFileSync(path.join(extension().extensionPath, 'test', 'fixtures', 'notebooks', 'explore.ipynb')));
    const report = await vscode.commands.executeCommand<WorkspaceLintReport>('claudeRequestLint.lintWorkspace');
    assert.strictEqual(report.linted, report.files);
    const onFile = ours(uri);
    assert.deepStrictEqual(onFile.map(codeOf), ['missing-max-tokens']);
    assert.match(onFile[0].message, /\(cell 4, line 2\)$/);
    // the file's own line (the JSON line of the call), as the CLI reports it
    const raw = fs.readFileSync(uri.fsPath, 'utf8');
    const line = raw.slice(0, raw.indexOf('reply = client.messages.create')).split('\n').length - 1;
    assert.strictEqual(onFile[0].range.start.line, line);
    await waitFor(() => a.findingsCount() === totalOurs() || undefined, 'the count to include the closed notebook');

    const nb = await vscode.workspace.openNotebookDocument(uri);
    await diagnosticOn(nb.cellAt(3), 'missing-max-tokens');
    assert.deepStrictEqual(ours(uri), [], 'the open notebook shows its findings on its cells only');
  });
});
