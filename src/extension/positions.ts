// Offsets (what the engine reports) ↔ editor ranges: the one place where they are converted.
import * as vscode from 'vscode';
import type { TextEdit } from '../core/lint/rule';

/** Anything with positionAt/offsetAt (a TextDocument, or a text held in memory). */
export interface OffsetMapper {
  positionAt(offset: number): vscode.Position;
  offsetAt(position: vscode.Position): number;
}

export function toRange(doc: OffsetMapper, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(Math.max(start, end)));
}

export function toOffsets(doc: OffsetMapper, range: vscode.Range): { start: number; end: number } {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

export function toTextEdit(doc: OffsetMapper, e: TextEdit): vscode.TextEdit {
  return new vscode.TextEdit(toRange(doc, e.start, e.end), e.text);
}

/** Offset ↔ position over a plain string (files linted without opening a document). */
export class TextMapper implements OffsetMapper {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  positionAt(offset: number): vscode.Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return new vscode.Position(lo, o - this.lineStarts[lo]);
  }

  offsetAt(position: vscode.Position): number {
    const line = Math.max(0, Math.min(position.line, this.lineStarts.length - 1));
    const lineEnd = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    return Math.min(this.lineStarts[line] + position.character, lineEnd);
  }
}
