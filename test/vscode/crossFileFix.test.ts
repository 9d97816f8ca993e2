import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, closeAll, codeActions, diagnosticOf, noDiagnosticOf, waitFor, workspaceUri } from './util';

const CLIENT = `import Anthropic from "@anthropic-ai/sdk";\n\nexport const anthropic = new Anthropic({ timeout: 30_000 });\n`;
// a retry loop around a call through the imported client (whose SDK retries are on), and no max_tokens
const ROUTE =
  `import { anthropic } from "./lib/anthropic";\n\n` +
  `export async function answer(prompt: string) {\n` +
  `  for (let attempt = 0; attempt < 4; attempt++) {\n` +
  `    try {\n` +
  `      return await anthropic.messages.create({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: prompt }] });\n` +
  `    } catch (err: any) {\n` +
  `      if (err.status !== 429 && !(err.status >= 500)) throw err;\n` +
  `      await new Promise((r) => setTimeout(r, Math.random() * 1000 * 2 ** attempt));\n` +
  `    }\n  }\n  throw new Error("unreachable");\n}\n`;

describe('a fix that acts in another file', () => {
  const folder = workspaceUri('xfix');
  const clientUri = vscode.Uri.joinPath(folder, 'lib', 'anthropic.ts');
  const routeUri = vscode.Uri.joinPath(folder, 'route.ts');
  before(async () => {
    await api();
    const enc = new TextEncoder();
    await vscode.workspace.fs.writeFile(clientUri, enc.encode(CLIENT));
    await vscode.workspace.fs.writeFile(routeUri, enc.encode(ROUTE));
  });
  after(async () => {
    await closeAll();
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
  });

  it('the quick fix edits the client file; fix-all changes both files in one edit, and one undo restores both', async () => {
    const route = await vscode.workspace.openTextDocument(routeUri);
    await vscode.window.showTextDocument(route, { preview: false });
    const d = await diagnosticOf(route, 'retry-amplification');

    // the quick fix: offered first (the client is used only here, inside the retry) and editing the client file
    const title = 'Set maxRetries: 0 where the client is made (./lib/anthropic.ts)';
    const quick = await waitFor(async () => (await codeActions(route.uri, d.range, 'quickfix')).find((a) => a.title === title), `the quick fix "${title}"`);
    assert.strictEqual(quick.isPreferred, true);
    const touched = quick.edit!.entries().map(([uri]) => uri.path);
    assert.deepStrictEqual(touched, [clientUri.path]);

    // fix-all: maxRetries: 0 in the client file and max_tokens in this one, as one workspace edit
    const whole = new vscode.Range(0, 0, route.lineCount, 0);
    const fixAll = (await codeActions(route.uri, whole, 'source.fixAll.claudeRequestLint'))[0];
    assert.ok(fixAll?.edit, 'a fix-all action');
    assert.deepStrictEqual(fixAll.edit!.entries().map(([uri]) => uri.path).sort(), [clientUri.path, routeUri.path].sort());
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit!));
    const client = await vscode.workspace.openTextDocument(clientUri);
    assert.strictEqual(client.getText(), CLIENT.replace('{ timeout: 30_000 }', '{ timeout: 30_000, maxRetries: 0 }'));
    assert.ok(route.getText().includes('max_tokens: 1024'), route.getText());
    await noDiagnosticOf(route, 'retry-amplification');

    // one undo, in the route's editor, takes back both files
    await vscode.window.showTextDocument(route, { preview: false });
    await vscode.commands.executeCommand('undo');
    await waitFor(() => route.getText() === ROUTE && client.getText() === CLIENT, 'both files restored by one undo', 20000);
    await diagnosticOf(route, 'retry-amplification');
  });
});
