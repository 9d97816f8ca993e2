// Quick fixes, fix-all and the retry stack hover in notebook cells, from the notebook's cached result
// (notebooks.ts). A fix's edits come per cell (core/lint/notebookCells.ts): each goes to its cell's document,
// so a fix that also adds an import (e.g. `import os`) edits the cell where the notebook's imports are. The
// with_retry wrap writes claude_retry.py beside the notebook (or where `retryHelperPath` says) and imports
// what it calls where a `.py` file made of the code cells in order would import it: joined to an existing
// `from claude_retry import …` in any cell, else after the imports that open the notebook, else at the top of
// the first cell that has code. Fixes whose edits do not lie inside cells are not offered.
import * as vscode from 'vscode';
import type { CellCode, CellEdit, CellFix } from '../core/lint/notebookCells';
import { fixAllCells, toCellEdit } from '../core/lint/notebookCells';
import { joinCells } from '../core/lint/notebook';
import { callHover } from './callInfo';
import { FIX_ALL_KIND, minimalChange, ruleActions } from './codeActions';
import { ruleIdOf } from './diagnostics';
import { engine } from './engine';
import { NotebookDiagnostics, notebookOf, pythonCells } from './notebooks';
import { toRange } from './positions';
import { planPythonHelperFor } from './pyRetryHelper';
import type { HelperSource } from './retryHelper';

/** Internal command behind the with_retry fix in a cell (the helper file and the import are computed when chosen). */
export const APPLY_NOTEBOOK_RETRY_FIX_COMMAND = '_claudeRequestLint.applyNotebookRetryFix';
/** The documents of Python code cells (of any notebook: the provider acts on cells of notebooks it has linted). */
export const NOTEBOOK_CELL_SELECTOR: vscode.DocumentSelector = [{ scheme: 'vscode-notebook-cell', language: 'python' }];

/** Adds the edits of cell fixes to a WorkspaceEdit, each in its cell's document (cell = NotebookCell.index). */
export function addCellEdits(edit: vscode.WorkspaceEdit, nb: vscode.NotebookDocument, edits: readonly CellEdit[]): boolean {
  for (const e of edits) {
    if (e.cell >= nb.cellCount) return false;
    const doc = nb.cellAt(e.cell).document;
    edit.replace(doc.uri, toRange(doc, e.start, e.end), e.text);
  }
  return true;
}

/** The cells' current texts, as lintCells reads them. */
function cellCodes(nb: vscode.NotebookDocument): CellCode[] {
  return pythonCells(nb).map((c) => ({ index: c.index, code: c.document.getText() }));
}

/**
 * The edit of a with_retry fix in a notebook: claude_retry.py (only when missing), the import of the names the
 * fix calls (in the cell where the notebook-wide import goes, see above), and the wrap. Undefined when the
 * import cannot be placed inside a cell.
 */
export function notebookRetryFixEdit(nb: vscode.NotebookDocument, fix: CellFix, source: HelperSource): vscode.WorkspaceEdit | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pythonHelperNamesOf } = require('../core/lint/python/retryFixes') as typeof import('../core/lint/python/retryFixes');
  const joined = joinCells(cellCodes(nb));
  const plan = planPythonHelperFor(nb.uri, source, pythonHelperNamesOf({ ...fix, edits: fix.edits.map((e) => ({ start: e.start, end: e.end, text: e.text })) }), joined.text);
  const edits: CellEdit[] = [...fix.edits];
  if (plan.importEdit) {
    const imp = toCellEdit(joined, { start: plan.importEdit.offset, end: plan.importEdit.end, text: plan.importEdit.text });
    if (!imp) return undefined;
    edits.push(imp);
  }
  const edit = new vscode.WorkspaceEdit();
  if (plan.create) edit.createFile(plan.create.uri, { ignoreIfExists: true, contents: plan.create.contents });
  return addCellEdits(edit, nb, edits) ? edit : undefined;
}

/** Applies the with_retry fix of the finding behind a cell's diagnostic, as the notebook is now (false: it is gone). */
export async function applyNotebookRetryFix(
  notebooks: NotebookDiagnostics,
  source: HelperSource,
  cellUri: vscode.Uri,
  ruleId: string,
  range: vscode.Range,
  message: string,
  title: string,
): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === cellUri.toString());
  const nb = doc && notebookOf(doc);
  if (!doc || !nb) return false;
  const d = new vscode.Diagnostic(range, message);
  d.code = ruleId;
  const fix = notebooks.findingFor(nb, doc, d)?.fixes?.find((f) => f.title === title && f.needsRetryHelper);
  if (!fix) return false;
  await engine().loadPythonParser();
  let edit: vscode.WorkspaceEdit | undefined;
  try {
    edit = notebookRetryFixEdit(nb, fix, source);
  } catch (e) {
    void vscode.window.showWarningMessage(`Claude Request Lint: the retry helper import cannot be added: ${(e as Error).message}`);
    return false;
  }
  if (!edit) {
    void vscode.window.showWarningMessage('Claude Request Lint: the retry helper import has no place inside a cell; the fix was not applied.');
    return false;
  }
  return vscode.workspace.applyEdit(edit);
}

export class NotebookCellActionProvider implements vscode.CodeActionProvider, vscode.HoverProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly notebooks: NotebookDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const nb = notebookOf(doc);
    if (!nb) return [];
    const only = context.only;
    const actions: vscode.CodeAction[] = [];
    if (!only || only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(only)) {
      for (const d of context.diagnostics) actions.push(...this.quickFixes(nb, doc, d));
    }
    if (!only || only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(only)) {
      const fixAll = this.fixAll(nb);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const nb = notebookOf(doc);
    return nb ? callHover(this.notebooks.callsIn(nb, doc), doc, position) : undefined;
  }

  private quickFixes(nb: vscode.NotebookDocument, doc: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction[] {
    const ruleId = ruleIdOf(d);
    if (!ruleId) return [];
    const out: vscode.CodeAction[] = [];
    let preferred = false;
    for (const fix of this.notebooks.findingFor(nb, doc, d)?.fixes ?? []) {
      const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      if (fix.needsRetryHelper) {
        a.command = { command: APPLY_NOTEBOOK_RETRY_FIX_COMMAND, title: fix.title, arguments: [doc.uri, ruleId, d.range, d.message, fix.title] };
      } else {
        a.edit = new vscode.WorkspaceEdit();
        if (!addCellEdits(a.edit, nb, fix.edits)) continue;
      }
      if (fix.safe && !preferred) preferred = a.isPreferred = true;
      out.push(a);
    }
    out.push(...ruleActions(doc, d, ruleId));
    return out;
  }

  /** Every safe fix of the whole notebook (each cell it changes), as fix-all does for a file; none when nothing changes. */
  private fixAll(nb: vscode.NotebookDocument): vscode.CodeAction | undefined {
    const state = this.notebooks.current(nb);
    const isAuto = (f: CellFix): boolean => f.safe && !f.needsRetryHelper;
    if (!state || !state.result.findings.some((f) => f.fixes?.some(isAuto))) return undefined;
    const cells = cellCodes(nb);
    const fixed = fixAllCells(cells, state.result.findings, (c) => this.notebooks.lintOnly(nb, c).findings, isAuto);
    const edit = new vscode.WorkspaceEdit();
    let changed = false;
    fixed.forEach((c, i) => {
      if (c.code === cells[i].code) return;
      const doc = nb.cellAt(c.index).document;
      const { start, end, text } = minimalChange(cells[i].code, c.code);
      edit.replace(doc.uri, toRange(doc, start, end), text);
      changed = true;
    });
    if (!changed) return undefined;
    const a = new vscode.CodeAction('Fix all safe Claude Request Lint problems in this notebook', FIX_ALL_KIND);
    a.edit = edit;
    return a;
  }
}
