// Cross-file analysis of Python modules in the editor: an edit of a retry wrapper in one module changes the
// diagnostic in another open module, without reopening it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, closeAll, diagnosticOf, noDiagnosticOf, workspaceUri } from './util';

const CLIENT = 'import anthropic\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const NO_RETRY = 'def with_backoff(fn):\n    return fn()\n';
const RETRY =
  'import random\nimport time\n\n\ndef with_backoff(fn):\n    for attempt in range(5):\n        try:\n            return fn()\n' +
  '        except Exception as err:\n            status = getattr(err, "status_code", None)\n' +
  '            if status is not None and status != 429 and status < 500 or attempt == 4:\n                raise\n' +
  '            time.sleep(random.uniform(0, 2**attempt))\n';
const ROUTE =
  'from .client import client\nfrom .retry import with_backoff\n\n\ndef answer(prompt):\n' +
  '    return with_backoff(lambda: client.messages.create(model="claude-sonnet-4-6", max_tokens=512, messages=[{"role": "user", "content": prompt}]))\n';

describe('cross-file analysis of Python modules in the editor', () => {
  const folder = workspaceUri('pyxfile');
  before(async () => {
    await api();
    const enc = new TextEncoder();
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'app', '__init__.py'), enc.encode(''));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'app', 'client.py'), enc.encode(CLIENT));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'app', 'retry.py'), enc.encode(NO_RETRY));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'app', 'route.py'), enc.encode(ROUTE));
  });
  after(async () => {
    await closeAll();
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
  });

  it('editing the wrapper module changes the diagnostic in the other open module', async () => {
    const route = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'app', 'route.py'));
    await vscode.window.showTextDocument(route, { preview: false });
    // the wrapper does not retry: the call through the imported max_retries=0 client is unguarded
    const d = await diagnosticOf(route, 'unguarded-retry');
    assert.ok(d.relatedInformation?.some((r) => r.location.uri.path.endsWith('/pyxfile/app/client.py')), 'the related location is the client module');

    const wrapper = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'app', 'retry.py'));
    await vscode.window.showTextDocument(wrapper, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    const edit = new vscode.WorkspaceEdit();
    edit.replace(wrapper.uri, new vscode.Range(wrapper.positionAt(0), wrapper.positionAt(wrapper.getText().length)), RETRY);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await noDiagnosticOf(route, 'unguarded-retry');

    const back = new vscode.WorkspaceEdit();
    back.replace(wrapper.uri, new vscode.Range(wrapper.positionAt(0), wrapper.positionAt(wrapper.getText().length)), NO_RETRY);
    assert.ok(await vscode.workspace.applyEdit(back));
    await diagnosticOf(route, 'unguarded-retry');
  });
});
