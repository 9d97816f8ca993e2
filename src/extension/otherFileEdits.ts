// Fix edits that name another file (where an imported client is made): offered and applied only while that
// file still has the text the project index summarised, and added to the same WorkspaceEdit as the rest of
// the fix, so one undo takes back both files.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { TextEdit } from '../core/lint/rule';
import { contentVersion } from '../core/lint/project/version';
import { OffsetMapper, TextMapper, toRange } from './positions';

/** Another file's current text and positions: its open document, else the disk. */
function otherFile(file: string): { text: string; mapper: OffsetMapper } | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return { text: open.getText(), mapper: open };
  try {
    const text = fs.readFileSync(file, 'utf8');
    return { text, mapper: new TextMapper(text) };
  } catch {
    return undefined;
  }
}

/** Whether every edit in another file was made for that file's current text. */
export function otherFileEditsCurrent(edits: readonly TextEdit[]): boolean {
  for (const e of edits) {
    if (e.file === undefined) continue;
    const other = otherFile(e.file);
    if (!other || e.fileVersion === undefined || contentVersion(other.text) !== e.fileVersion) return false;
  }
  return true;
}

/** Adds edits in other files to a WorkspaceEdit (offsets into each file's current text). */
export function addOtherFileEdits(edit: vscode.WorkspaceEdit, edits: readonly TextEdit[]): void {
  const files = new Map<string, OffsetMapper | undefined>();
  for (const e of edits) {
    if (e.file === undefined) continue;
    if (!files.has(e.file)) files.set(e.file, otherFile(e.file)?.mapper);
    const mapper = files.get(e.file);
    if (mapper) edit.replace(vscode.Uri.file(e.file), toRange(mapper, e.start, e.end), e.text);
  }
}
