// Notebooks open in an editor: what the joined text's lint says, moved into the cells. Each cell is its own
// document there, so a fix's edits and a call's range are given as offsets into one cell's text plus the cell.
//
// An edit is mapped when it lies inside one cell: an insertion at the very end of a cell stays in that cell,
// a replacement that would take the newline joining two cells (or reach into the next cell) is not mapped.
// An edit whose replaced text is not the cell's own (it covers a blanked magic line, `%pip …`, `!ls`) is
// not mapped either. A fix is offered only when every one of its edits maps; a fix may edit several cells
// (each edit names its cell). Fixes that edit another file of the project are not offered in notebooks.

import type { CallSummary } from './index';
import { cellAt, placeFindings } from './notebook';
import type { Notebook, PlacedFinding } from './notebook';
import type { Finding, Fix, TextEdit } from './rule';

/** A text edit in one cell: offsets into that cell's text. */
export interface CellEdit {
  /** Index of the cell among all the notebook's cells (0-based), as NotebookCell.index. */
  cell: number;
  start: number;
  end: number;
  text: string;
}

export type CellFix = Omit<Fix, 'edits'> & { edits: CellEdit[] };

/** A finding placed in its cell (offsets into the cell's text), with the fixes that map into cells. */
export type CellFinding = Omit<PlacedFinding, 'fixes'> & { fixes?: CellFix[] };

/** A call inside one cell: offsets into the cell's text. */
export type CellCall = CallSummary & { cell: number };

/** The edit in its cell, or undefined when it does not lie inside one cell as written (see above). */
export function toCellEdit(nb: Notebook, e: TextEdit): CellEdit | undefined {
  if (e.file !== undefined) return undefined;
  const end = Math.max(e.start, e.end);
  const cell = cellAt(nb, e.start);
  if (!cell || cellAt(nb, end) !== cell) return undefined;
  const start = e.start - cell.start;
  const stop = end - cell.start;
  if (stop > cell.code.length) return undefined;
  if (nb.text.slice(e.start, end) !== cell.code.slice(start, stop)) return undefined;
  return { cell: cell.index, start, end: stop, text: e.text };
}

/** The fix with every edit in its cell, or undefined when one of them does not map. */
export function toCellFix(nb: Notebook, fix: Fix): CellFix | undefined {
  const edits: CellEdit[] = [];
  for (const e of fix.edits) {
    const mapped = toCellEdit(nb, e);
    if (!mapped) return undefined;
    edits.push(mapped);
  }
  return { ...fix, edits };
}

/**
 * Findings of the joined text of cells open in an editor (joinCells: each cell's raw offsets are its own), each
 * placed in its cell with the fixes that map; a finding spanning two cells is dropped, as placeFindings does.
 */
export function placeInCells(nb: Notebook, findings: readonly Finding[]): CellFinding[] {
  const out: CellFinding[] = [];
  for (const f of findings) {
    const [placed] = placeFindings(nb, [f]); // placeFindings drops the fixes (offsets of the joined text)
    if (!placed) continue;
    const { fixes: _dropped, ...rest } = placed;
    const fixes = (f.fixes ?? []).map((x) => toCellFix(nb, x)).filter((x): x is CellFix => x !== undefined);
    out.push(fixes.length ? { ...rest, fixes } : rest);
  }
  return out;
}

/** The calls that lie inside one cell, with offsets into that cell's text. */
export function callsInCells(nb: Notebook, calls: readonly CallSummary[]): CellCall[] {
  const out: CellCall[] = [];
  for (const c of calls) {
    const cell = cellAt(nb, c.start);
    if (!cell || cellAt(nb, Math.max(c.start, c.end)) !== cell) continue;
    out.push({ ...c, start: c.start - cell.start, end: Math.min(c.end - cell.start, cell.code.length), cell: cell.index });
  }
  return out;
}

/**
 * Edits of several fixes grouped by cell, each cell's list sorted by start and without an edit that overlaps
 * an earlier one (two insertions at one offset overlap too), as fix-all needs for one pass.
 */
export function editsByCell(fixes: readonly CellFix[]): Map<number, CellEdit[]> {
  const out = new Map<number, CellEdit[]>();
  for (const fix of fixes) {
    // a fix is taken whole or not at all
    const clash = fix.edits.some((e) => (out.get(e.cell) ?? []).some((o) => overlaps(o, e)));
    if (clash) continue;
    for (const e of fix.edits) out.set(e.cell, [...(out.get(e.cell) ?? []), e]);
  }
  for (const list of out.values()) list.sort((a, b) => a.start - b.start);
  return out;
}

/** A cell's text with non-overlapping edits (sorted by start) applied. */
export function applyCellEdits(code: string, edits: readonly CellEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += code.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + code.slice(at);
}

function overlaps(a: CellEdit, b: CellEdit): boolean {
  if (a.cell !== b.cell) return false;
  if (a.start === a.end || b.start === b.end) return a.start === b.start || (a.start < b.end && b.start < a.end);
  return a.start < b.end && b.start < a.end;
}

export interface CellCode {
  index: number;
  code: string;
}

/**
 * Fix-all over the cells: each pass applies the first fix `pick` accepts of every finding (a fix whose edits
 * overlap an earlier one's waits for the next pass), then lints again, until nothing changes (bounded). Returns
 * the cells' new texts (the same list when nothing applied).
 */
export function fixAllCells(cells: readonly CellCode[], first: readonly CellFinding[], relint: (cells: readonly CellCode[]) => readonly CellFinding[], pick: (fix: CellFix) => boolean, maxPasses = 10): CellCode[] {
  let current = cells.map((c) => ({ ...c }));
  let findings = first;
  for (let pass = 0; pass < maxPasses; pass++) {
    const fixes = findings.map((f) => f.fixes?.find(pick)).filter((f): f is CellFix => f !== undefined);
    const byCell = editsByCell(fixes);
    if (!byCell.size) break;
    const next = current.map((c) => (byCell.has(c.index) ? { index: c.index, code: applyCellEdits(c.code, byCell.get(c.index)!) } : c));
    if (next.every((c, i) => c.code === current[i].code)) break;
    current = next;
    findings = relint(current);
  }
  return current;
}
