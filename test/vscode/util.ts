// Shared helpers of the extension-host tests: fixture copies, waiting for the extension's results, code actions.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ClaudeRequestLintApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'claude-request-lint.claude-request-lint';
export const SOURCE = 'claude-request-lint';

export function extension(): vscode.Extension<ClaudeRequestLintApi> {
  const ext = vscode.extensions.getExtension<ClaudeRequestLintApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  return ext;
}

export async function api(): Promise<ClaudeRequestLintApi> {
  return extension().activate();
}

export function workspaceUri(rel = ''): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return rel ? vscode.Uri.joinPath(folder.uri, ...rel.split('/')) : folder.uri;
}

/** The expected text of a fix, from test/fixtures/expected/ in the project (the extension's own folder). */
export function expected(name: string): string {
  return fs.readFileSync(path.join(extension().extensionPath, 'test', 'fixtures', 'expected', name), 'utf8');
}

let copies = 0;
/** A fresh copy of a workspace file beside it (same package.json and project file), opened in an editor. */
export async function openCopy(rel: string): Promise<vscode.TextDocument> {
  const src = workspaceUri(rel);
  const ext = path.posix.extname(rel);
  const copy = workspaceUri(`${rel.slice(0, -ext.length)}-copy${++copies}${ext}`);
  await vscode.workspace.fs.copy(src, copy, { overwrite: true });
  const doc = await vscode.workspace.openTextDocument(copy);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Polls until `check` returns a value other than undefined/false; the limit only stops a run that hangs. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, limitMs = 60000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

/** Waits until the document shows a diagnostic of `ruleId`, and returns it. */
export function diagnosticOf(doc: vscode.TextDocument, ruleId: string): Promise<vscode.Diagnostic> {
  return waitFor(() => ours(doc.uri).find((d) => codeOf(d) === ruleId), `a ${ruleId} diagnostic in ${path.basename(doc.fileName)}`);
}

/** Waits until the document shows no diagnostic of `ruleId`. */
export function noDiagnosticOf(doc: vscode.TextDocument, ruleId: string): Promise<true> {
  return waitFor(() => !ours(doc.uri).some((d) => codeOf(d) === ruleId) || undefined, `no ${ruleId} diagnostic in ${path.basename(doc.fileName)}`);
}

/** The range of the `nth` occurrence of `needle` in the document. */
export function rangeOf(doc: vscode.TextDocument, needle: string, nth = 0): vscode.Range {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" occurs in ${path.basename(doc.fileName)}`);
  }
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  let r: (vscode.CodeAction | vscode.Command)[] | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      r = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind);
      break;
    } catch (e) {
      // the request is cancelled when the document changes meanwhile (e.g. a debounced lint, a new editor): ask again
      if ((e as Error).name !== 'Canceled' || attempt >= 5) throw e;
    }
  }
  return (r ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof (a as vscode.Command).command === 'string'));
}

/** Applies a code action as the editor does: its edit, then its command. */
export async function applyAction(a: vscode.CodeAction): Promise<void> {
  assert.ok(a.edit || a.command, `"${a.title}" has an edit or a command`);
  if (a.edit) assert.ok(await vscode.workspace.applyEdit(a.edit), `"${a.title}" applied`);
  if (a.command) await vscode.commands.executeCommand(a.command.command, ...(a.command.arguments ?? []));
}

/** Sets (or, with undefined, removes) a setting at workspace level and waits until the extension sees it. */
export async function setSetting(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
