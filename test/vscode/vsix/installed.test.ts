import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const ID = 'claude-request-lint.claude-request-lint';

describe('the installed .vsix', () => {
  it('is installed from the package (not the project folder) and activates', async () => {
    const ext = vscode.extensions.getExtension(ID);
    assert.ok(ext, 'installed');
    assert.ok(path.basename(ext.extensionPath).startsWith(`${ID}-`), `installed copy: ${ext.extensionPath}`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('carries what runs and nothing else', () => {
    const dir = vscode.extensions.getExtension(ID)!.extensionPath;
    for (const f of ['dist/extension.js', 'dist/webview.js', 'dist/retry/claudeRetry.ts', 'dist/retry/claudeRetry.mjs', 'dist/retry/claudeRetry.cjs', 'dist/retry/claudeRetryThrottle.ts', 'dist/retry/claudeRetryThrottle.mjs', 'dist/retry/claudeRetryThrottle.cjs', 'dist/retry/claude_retry.py', 'dist/retry/claude_retry_throttle.py', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf', 'docs/rules/missing-max-tokens.md']) {
      assert.ok(fs.existsSync(path.join(dir, f)), `${f} is in the package`);
    }
    for (const f of ['src', 'test', 'node_modules', 'dist/extension.js.map', 'dist/cli.js']) assert.ok(!fs.existsSync(path.join(dir, f)), `${f} is not in the package`);
  });

  /** Opens a file of the test workspace, waits for its diagnostic, and checks the quick fix offered for it. */
  async function lintsAndOffers(parts: string[], fixTitle: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, ...parts));
    await vscode.window.showTextDocument(doc);
    let diag: vscode.Diagnostic | undefined;
    for (const until = Date.now() + 60000; !diag && Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      diag = vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'claude-request-lint');
    }
    assert.ok(diag, 'a diagnostic appears');
    assert.strictEqual(typeof diag.code === 'object' ? diag.code.value : diag.code, 'missing-max-tokens');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range)) ?? [];
    assert.ok(actions.some((a) => a.title === fixTitle), `"${fixTitle}" is offered`);
  }

  it('lints an opened file and offers its quick fix', () => lintsAndOffers(['src', 'summarize.ts'], 'Add max_tokens: 1024'));

  it('lints a Python file with the parser shipped in the package', () => lintsAndOffers(['py', 'summarize.py'], 'Add max_tokens=1024'));
});
