// "Wrap in with_retry" for Python: puts claude_retry.py (exactly the file the extension ships in dist/retry/)
// where the module can import it, and imports the helper functions the fix calls, never twice.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type * as HelperImport from '../core/lint/python/helperImport';
import type { HelperSource } from './retryHelper';
import { engine } from './engine';
import { DEFAULT_HELPER_PATH, SECTION } from './settings';

let helperImport: typeof HelperImport | undefined;
function helperImportModule(): typeof HelperImport {
  // loaded with the engine, on first use (the Python parser is loaded by then: the fix came from a lint)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (helperImport ??= require('../core/lint/python/helperImport') as typeof HelperImport);
}

export function isPythonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python' || /\.py$/i.test(doc.fileName);
}

export interface PythonHelperLocation {
  uri: vscode.Uri;
  /** A helper is already there: use it, write nothing. */
  exists: boolean;
  /** What the document writes after `from` to import it (`claude_retry`, `.claude_retry`, `..util.claude_retry`). */
  module: string;
}

const isFile = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * Where claude_retry.py lives for a Python document: in the folder of the `retryHelperPath` setting when the user
 * set it (its file name when it ends in `.py`, else claude_retry.py) and the document can import it from there
 * (the same package, or below a script); otherwise beside the document.
 */
export function pythonHelperLocation(doc: vscode.TextDocument): PythonHelperLocation {
  return pythonHelperLocationFor(doc.uri);
}

/** pythonHelperLocation for the module at `docUri` (a .py file, or a notebook whose cells import the helper). */
export function pythonHelperLocationFor(docUri: vscode.Uri): PythonHelperLocation {
  const { pythonHelperModule, PY_HELPER_FILE } = helperImportModule();
  const here = (uri: vscode.Uri, module: string): PythonHelperLocation => ({ uri, module, exists: uri.scheme === 'file' && isFile(uri.fsPath) });
  const beside = vscode.Uri.joinPath(docUri, '..', PY_HELPER_FILE);
  if (docUri.scheme !== 'file') return here(beside, 'claude_retry');
  const folder = vscode.workspace.getWorkspaceFolder(docUri);
  const setting = vscode.workspace.getConfiguration(SECTION, docUri).get<string>('retryHelperPath', DEFAULT_HELPER_PATH);
  if (folder && typeof setting === 'string' && setting.trim() && setting.trim() !== DEFAULT_HELPER_PATH) {
    const rel = setting.trim().replace(/\\/g, '/');
    const name = /\.py$/i.test(rel) ? path.posix.basename(rel) : PY_HELPER_FILE;
    const uri = vscode.Uri.joinPath(folder.uri, path.posix.dirname(rel), name);
    const module = pythonHelperModule(docUri.fsPath, uri.fsPath, isFile);
    if (module) return here(uri, module);
  }
  return here(beside, pythonHelperModule(docUri.fsPath, beside.fsPath, isFile) ?? 'claude_retry');
}

export interface PythonHelperEdit {
  helper: PythonHelperLocation;
  /** claude_retry.py to create (absent when it exists). */
  create?: { uri: vscode.Uri; contents: Uint8Array };
  /** The import to insert or complete (absent when the names are there). */
  importEdit?: { offset: number; end: number; text: string };
}

/** What it takes to make `names` (with_retry, async_with_retry…) available in a Python document. */
export function planPythonHelper(doc: vscode.TextDocument, source: HelperSource, names: readonly string[], text = doc.getText()): PythonHelperEdit {
  return planPythonHelperFor(doc.uri, source, names, text);
}

/** planPythonHelper for the module at `docUri` whose text is `text` (a notebook: its code cells joined). */
export function planPythonHelperFor(docUri: vscode.Uri, source: HelperSource, names: readonly string[], text: string): PythonHelperEdit {
  const helper = pythonHelperLocationFor(docUri);
  const out: PythonHelperEdit = { helper };
  if (!helper.exists) out.create = { uri: helper.uri, contents: new TextEncoder().encode(source.python()) };
  const edit = names.length ? helperImportModule().pythonHelperImportEdit(text, helper.module, names) : null;
  if (edit) out.importEdit = { offset: edit.start, end: edit.end, text: edit.text };
  return out;
}

/** "Insert Retry Helper" on a Python document: claude_retry.py where it can be imported, and `with_retry` imported. */
export async function insertPythonRetryHelper(doc: vscode.TextDocument, source: HelperSource, log: vscode.LogOutputChannel): Promise<vscode.Uri> {
  await engine().loadPythonParser();
  // a module that already imports from the helper (async_with_retry, say) keeps its import as it is
  const module = pythonHelperLocation(doc).module.replace(/\./g, '\\.');
  const imports = new RegExp(`^[ \\t]*from[ \\t]+${module}[ \\t]+import\\b`, 'm').test(doc.getText());
  const plan = planPythonHelper(doc, source, imports ? [] : ['with_retry']);
  const edit = new vscode.WorkspaceEdit();
  if (plan.create) edit.createFile(plan.create.uri, { ignoreIfExists: true, contents: plan.create.contents });
  if (plan.importEdit) edit.replace(doc.uri, new vscode.Range(doc.positionAt(plan.importEdit.offset), doc.positionAt(plan.importEdit.end)), plan.importEdit.text);
  if (plan.create || plan.importEdit) {
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit could not be applied');
  }
  const where = vscode.workspace.asRelativePath(plan.helper.uri);
  const msg = plan.create ? `Added the retry helper ${where}` : `The retry helper ${where} is already in the project`;
  log.info(`${msg}${plan.importEdit ? `; imported with_retry from ${plan.helper.module} into ${vscode.workspace.asRelativePath(doc.uri)}` : ''}`);
  void vscode.window.showInformationMessage(`Claude Request Lint: ${msg}.`);
  return plan.helper.uri;
}

/** "Add Retry Throttle" on a Python document: claude_retry_throttle.py beside claude_retry.py (written too if missing). */
export async function addPythonRetryThrottle(doc: vscode.TextDocument, source: HelperSource, log: vscode.LogOutputChannel): Promise<vscode.Uri> {
  const helper = pythonHelperLocation(doc);
  const uri = vscode.Uri.joinPath(helper.uri, '..', 'claude_retry_throttle.py');
  const exists = uri.scheme === 'file' && isFile(uri.fsPath);
  const edit = new vscode.WorkspaceEdit();
  const encode = (t: string) => new TextEncoder().encode(t);
  if (!helper.exists) edit.createFile(helper.uri, { ignoreIfExists: true, contents: encode(source.python()) });
  if (!exists) edit.createFile(uri, { ignoreIfExists: true, contents: encode(source.python('claude_retry_throttle.py')) });
  if (!helper.exists || !exists) {
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit could not be applied');
  }
  const where = vscode.workspace.asRelativePath(uri);
  const msg = exists
    ? `The retry throttle ${where} is already in the project`
    : `Added the retry throttle ${where}: pass one shared AdaptiveThrottle or CircuitBreaker to with_retry as throttle= or circuit_breaker=`;
  log.info(msg);
  void vscode.window.showInformationMessage(`Claude Request Lint: ${msg}.`);
  return uri;
}
