import * as assert from 'assert';
import * as vscode from 'vscode';

describe('harness', () => {
  it('runs inside a real VS Code extension host with the fixture workspace open', () => {
    assert.ok(vscode.version.length > 0);
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1);
  });
});
