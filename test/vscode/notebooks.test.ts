// Jupyter notebooks in the real editor: the Python cells are linted together and each finding sits on its cell.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, closeAll, codeOf, extension, ours, waitFor, workspaceUri } from './util';

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
});
