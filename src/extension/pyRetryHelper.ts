// "Wrap in with_retry" for Python: puts claude_retry.py (exactly the file the extension ships in dist/retry/)
// where the module can import it, and imports the helper functions the fix calls, never twice.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type * as HelperImport from '../core/lint/python/helperImport';
import type { HelperSource } from './retryHelper';
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
  const { pythonHelperModule, PY_HELPER_FILE } = helperImportModule();
  const here = (uri: vscode.Uri, module: string): PythonHelperLocation => ({ uri, module, exists: uri.scheme === 'file' && isFile(uri.fsPath) });
  const beside = vscode.Uri.joinPath(doc.uri, '..', PY_HELPER_FILE);
  if (doc.uri.scheme !== 'file') return here(beside, 'claude_retry');
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const setting = vscode.workspace.getConfiguration(SECTION, doc.uri).get<string>('retryHelperPath', DEFAULT_HELPER_PATH);
  if (folder && typeof setting === 'string' && setting.trim() && setting.trim() !== DEFAULT_HELPER_PATH) {
    const rel = setting.trim().replace(/\\/g, '/');
    const name = /\.py$/i.test(rel) ? path.posix.basename(rel) : PY_HELPER_FILE;
    const uri = vscode.Uri.joinPath(folder.uri, path.posix.dirname(rel), name);
    const module = pythonHelperModule(doc.uri.fsPath, uri.fsPath, isFile);
    if (module) return here(uri, module);
  }
  return here(beside, pythonHelperModule(doc.uri.fsPath, beside.fsPath, isFile) ?? 'claude_retry');
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
  const helper = pythonHelperLocation(doc);
  const out: PythonHelperEdit = { helper };
  if (!helper.exists) out.create = { uri: helper.uri, contents: new TextEncoder().encode(source.python()) };
  const edit = names.length ? helperImportModule().pythonHelperImportEdit(text, helper.module, names) : null;
  if (edit) out.importEdit = { offset: edit.start, end: edit.end, text: edit.text };
  return out;
}
