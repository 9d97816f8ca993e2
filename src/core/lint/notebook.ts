// Jupyter notebooks (.ipynb): the Python code cells joined into one text, linted as a Python file, and the
// findings placed back in the notebook file, exactly: every character of the joined text knows its offset
// in the raw JSON (escapes included), so line and column are the file's own, as SARIF and annotations need,
// and each finding also knows its cell and its line and column in that cell.
//
// IPython magics and shell escapes (`%pip install …`, `%%time`, `!ls`) are not Python: their lines are
// blanked (same length) before linting, so offsets stay put. Cells of another kernel language, markdown
// and raw cells are left out. Fixes of a notebook file are not offered (an edit would have to be re-encoded
// into the JSON); for cells open in an editor, notebookCells.ts moves them into the cells.

import type { Finding, RelatedLocation } from './rule';

export interface NotebookCell {
  /** Index of the cell among all the notebook's cells (0-based). */
  index: number;
  /** Offset of the cell's first character in the joined text. */
  start: number;
  /** The cell's source, decoded. */
  code: string;
  /** raw[k]: offset in the .ipynb text of code character k; raw[code.length] is just past the last one. */
  raw: number[];
}

export interface Notebook {
  /** The kernel's language (`python` when the notebook does not say). */
  language: string;
  cells: NotebookCell[];
  /** The code cells joined with newlines, magics blanked: the text to lint as Python. */
  text: string;
}

export interface CellPosition {
  /** The cell's number, 1-based as editors show it ("cell 3"). */
  number: number;
  line: number;
  column: number;
}

/** A finding in a notebook: offsets into the .ipynb text (or the cell's document), and its cell. */
export type PlacedFinding = Finding & { cell: CellPosition };

export function isNotebookFile(name: string): boolean {
  return name.toLowerCase().endsWith('.ipynb');
}

/** Reads a notebook; a JSON error or a shape that is not a notebook gives `{ error }`. */
export function readNotebook(raw: string): Notebook | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
  if (!isObject(doc) || !Array.isArray(doc.cells)) return { error: 'not a Jupyter notebook (no "cells" list)' };
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const language =
    (isObject(meta.kernelspec) && typeof meta.kernelspec.language === 'string' && meta.kernelspec.language) ||
    (isObject(meta.language_info) && typeof meta.language_info.name === 'string' && meta.language_info.name) ||
    'python';
  const sources = new SourceLocator(raw).sources();
  const cells: NotebookCell[] = [];
  let text = '';
  doc.cells.forEach((cell, index) => {
    if (!isObject(cell) || cell.cell_type !== 'code') return;
    const located = sources.get(index);
    if (!located) return;
    if (cells.length) text += '\n';
    const code = blankMagics(located.code);
    cells.push({ index, start: text.length, code: located.code, raw: located.raw });
    text += code;
  });
  return { language: language.toLowerCase(), cells, text };
}

/**
 * The code cells of a notebook open in an editor, joined as readNotebook joins them; each cell's offsets
 * are its own (raw[k] = k), so placed findings are offsets into their cell's document.
 */
export function joinCells(codes: ReadonlyArray<{ index: number; code: string }>): Notebook {
  const cells: NotebookCell[] = [];
  let text = '';
  for (const { index, code } of codes) {
    if (cells.length) text += '\n';
    cells.push({ index, start: text.length, code, raw: Array.from({ length: code.length + 1 }, (_, k) => k) });
    text += blankMagics(code);
  }
  return { language: 'python', cells, text };
}

/** The cell holding an offset of the joined text (the newline after a cell belongs to it). */
export function cellAt(nb: Notebook, offset: number): NotebookCell | undefined {
  let lo = 0;
  let hi = nb.cells.length - 1;
  let found: NotebookCell | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nb.cells[mid].start <= offset) {
      found = nb.cells[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Offset in the .ipynb text of an offset in the joined text. */
export function rawOffset(nb: Notebook, offset: number): number | undefined {
  const cell = cellAt(nb, offset);
  if (!cell) return undefined;
  const k = Math.min(offset - cell.start, cell.code.length);
  return cell.raw[k];
}

/** Cell number and line/column inside the cell of an offset in the joined text. */
export function cellPosition(nb: Notebook, offset: number): CellPosition | undefined {
  const cell = cellAt(nb, offset);
  if (!cell) return undefined;
  const k = Math.min(offset - cell.start, cell.code.length);
  const before = cell.code.slice(0, k);
  const nl = before.lastIndexOf('\n');
  return { number: cell.index + 1, line: before.split('\n').length, column: k - nl };
}

/**
 * Findings of the joined text placed in the notebook file. A finding that would span two cells is
 * dropped (it cannot be shown in one); related locations in the joined text are moved too, those in other
 * files kept as they are. Fixes are dropped.
 */
export function placeFindings(nb: Notebook, findings: readonly Finding[]): PlacedFinding[] {
  const out: PlacedFinding[] = [];
  for (const f of findings) {
    const cell = cellAt(nb, f.start);
    if (!cell || cellAt(nb, Math.max(f.start, f.end)) !== cell) continue;
    const start = rawOffset(nb, f.start)!;
    const end = rawOffset(nb, Math.max(f.start, f.end))!;
    const related: RelatedLocation[] = [];
    for (const r of f.related ?? []) {
      if (r.file) related.push(r);
      else if (cellAt(nb, r.start) === cellAt(nb, Math.max(r.start, r.end))) {
        related.push({ ...r, start: rawOffset(nb, r.start)!, end: rawOffset(nb, Math.max(r.start, r.end))! });
      }
    }
    const placed: PlacedFinding = { ...f, start, end, cell: cellPosition(nb, f.start)! };
    delete placed.fixes;
    if (related.length) placed.related = related;
    else delete placed.related;
    out.push(placed);
  }
  return out;
}

/** Lines whose first non-blank character is `%` or `!` (IPython), blanked to spaces of the same length. */
function blankMagics(code: string): string {
  return code.replace(/^([ \t]*)([%!][^\n]*)$/gm, (_m, indent: string, magic: string) => indent + ' '.repeat(magic.length));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface LocatedSource {
  code: string;
  raw: number[];
}

/**
 * A small JSON reader that finds each cell's `source` (a string or a list of strings) in the raw text
 * and keeps, for each decoded character, the raw offset it came from. Only called on text JSON.parse
 * accepted, so it need not report errors.
 */
class SourceLocator {
  private i = 0;
  private readonly found = new Map<number, LocatedSource>();

  constructor(private readonly s: string) {}

  sources(): Map<number, LocatedSource> {
    try {
      this.ws();
      this.value([]);
    } catch {
      this.found.clear();
    }
    return this.found;
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(path: Array<string | number>): void {
    const c = this.s[this.i];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.stringAt(path);
    else while (this.i < this.s.length && !',]} \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private object(path: Array<string | number>): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') return void this.i++;
    for (;;) {
      this.ws();
      const key = this.string().code;
      this.ws();
      this.i++; // :
      this.ws();
      this.value([...path, key]);
      this.ws();
      if (this.s[this.i++] === '}') return;
    }
  }

  private array(path: Array<string | number>): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      if (isCellSource(path)) this.found.set(path[1] as number, { code: '', raw: [this.i - 1] });
      return;
    }
    for (let k = 0; ; k++) {
      this.ws();
      this.value([...path, k]);
      this.ws();
      if (this.s[this.i++] === ']') return;
    }
  }

  private stringAt(path: Array<string | number>): void {
    const str = this.string();
    // "source": "…" or "source": ["…", "…"]
    const whole = isCellSource(path);
    const part = path.length === 4 && isCellSource(path.slice(0, 3)) && typeof path[3] === 'number';
    if (!whole && !part) return;
    const cell = path[1] as number;
    const prev = part ? this.found.get(cell) : undefined;
    if (prev && (path[3] as number) > 0) {
      prev.raw.pop(); // the end of the previous part is replaced by this part's first character
      prev.code += str.code;
      prev.raw.push(...str.raw);
    } else this.found.set(cell, str);
  }

  private string(): LocatedSource {
    const s = this.s;
    this.i++; // opening quote
    let code = '';
    const raw: number[] = [];
    while (s[this.i] !== '"') {
      const at = this.i;
      if (s[this.i] === '\\') {
        const e = s[this.i + 1];
        if (e === 'u') {
          code += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          code += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === 'b' ? '\b' : e === 'f' ? '\f' : e;
          this.i += 2;
        }
      } else {
        code += s[this.i++];
      }
      raw.push(at);
    }
    raw.push(this.i); // the closing quote: just past the last character
    this.i++;
    return { code, raw };
  }
}

function isCellSource(path: ReadonlyArray<string | number>): boolean {
  return path.length === 3 && path[0] === 'cells' && typeof path[1] === 'number' && path[2] === 'source';
}

