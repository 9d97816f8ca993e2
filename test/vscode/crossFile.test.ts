import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, closeAll, codeOf, diagnosticOf, noDiagnosticOf, ours, waitFor, workspaceUri } from './util';

const CLIENT = `import Anthropic from "@anthropic-ai/sdk";\n\nexport const anthropic = new Anthropic({ maxRetries: 0 });\n`;
const NO_RETRY = `export async function withBackoff<T>(fn: () => Promise<T>): Promise<T> {\n  return fn();\n}\n`;
const RETRY =
  `export async function withBackoff<T>(fn: () => Promise<T>): Promise<T> {\n` +
  `  for (let attempt = 0; attempt < 5; attempt++) {\n` +
  `    try {\n      return await fn();\n    } catch (err: any) {\n` +
  `      if (err.status !== 429 && !(err.status >= 500)) throw err;\n` +
  `      await new Promise((r) => setTimeout(r, Math.random() * 1000 * 2 ** attempt));\n    }\n  }\n` +
  `  throw new Error("unreachable");\n}\n`;
const ROUTE =
  `import { anthropic } from "./lib/client";\nimport { withBackoff } from "./lib/retry";\n\n` +
  `export async function answer(prompt: string) {\n` +
  `  return withBackoff(() => anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 512, messages: [{ role: "user", content: prompt }] }));\n}\n`;

describe('cross-file analysis in the editor', () => {
  const folder = workspaceUri('xfile');
  before(async () => {
    await api();
    const enc = new TextEncoder();
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'lib', 'client.ts'), enc.encode(CLIENT));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'lib', 'retry.ts'), enc.encode(NO_RETRY));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'route.ts'), enc.encode(ROUTE));
  });
  after(async () => {
    await closeAll();
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
  });

  it('editing the wrapper in one file changes the diagnostic in another open file, without reopening it', async () => {
    const route = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'route.ts'));
    await vscode.window.showTextDocument(route, { preview: false });
    // the wrapper does not retry: the call through the imported maxRetries: 0 client is unguarded
    const d = await diagnosticOf(route, 'unguarded-retry');
    assert.ok(d.relatedInformation?.some((r) => r.location.uri.path.endsWith('/xfile/lib/client.ts')), 'the related location is the client file');

    // edit the wrapper (unsaved) into a real retry: the finding in route.ts goes away
    const wrapper = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'lib', 'retry.ts'));
    await vscode.window.showTextDocument(wrapper, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    const edit = new vscode.WorkspaceEdit();
    edit.replace(wrapper.uri, new vscode.Range(wrapper.positionAt(0), wrapper.positionAt(wrapper.getText().length)), RETRY);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await noDiagnosticOf(route, 'unguarded-retry');

    // and back
    const back = new vscode.WorkspaceEdit();
    back.replace(wrapper.uri, new vscode.Range(wrapper.positionAt(0), wrapper.positionAt(wrapper.getText().length)), NO_RETRY);
    assert.ok(await vscode.workspace.applyEdit(back));
    await diagnosticOf(route, 'unguarded-retry');
  });

  it('the hover names the imported wrapper and where its retry is', async () => {
    const wrapper = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'lib', 'retry.ts'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(wrapper.uri, new vscode.Range(wrapper.positionAt(0), wrapper.positionAt(wrapper.getText().length)), RETRY);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const route = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'route.ts'));
    await vscode.window.showTextDocument(route);
    await noDiagnosticOf(route, 'unguarded-retry');
    const at = route.positionAt(route.getText().indexOf('messages.create'));
    const text = await waitFor(async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', route.uri, at)) ?? [];
      const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      return all.includes('withBackoff') ? all : undefined;
    }, 'a hover naming withBackoff');
    assert.ok(/withBackoff \(5 attempts\) from \.\/lib\/retry\.ts:\d+/.test(text), text);
    assert.ok(!ours(route.uri).some((x) => codeOf(x) === 'unguarded-retry'));
  });
});
