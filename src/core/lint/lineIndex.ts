// Offsets ↔ lines and columns, the one conversion shared by the CLI reports, the editor (files linted from
// disk) and configuration errors. Plain TypeScript with no Node APIs.

/**
 * Offsets → 1-based line and column. Lines end at `\n`, `\r\n` or a lone `\r`, as in the editors.
 * Columns count UTF-16 code units (what JavaScript string offsets count, and what VS Code and LSP report),
 * so a character outside the Basic Multilingual Plane, such as most emoji, advances the column by 2.
 * A finding's end (exclusive offset) maps to the column just after its last character.
 */
export class LineIndex {
  /** Offset at which each line starts; lineStarts[0] is always 0. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line and column of an offset; offsets outside the text are clamped to it. */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(Math.trunc(offset) || 0, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo] + 1 };
  }

  /** Inverse of position(): the offset of a 1-based line and column (clamped to the line's text). */
  offsetAt(line: number, column: number): number {
    const l = Math.max(1, Math.min(line, this.lineStarts.length)) - 1;
    const start = this.lineStarts[l];
    const next = l + 1 < this.lineStarts.length ? this.lineStarts[l + 1] : this.text.length;
    return Math.max(start, Math.min(start + column - 1, next));
  }
}
