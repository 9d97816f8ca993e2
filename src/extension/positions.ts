// Offsets (what the engine reports) ↔ editor ranges: the one place where they are converted.
import * as vscode from 'vscode';
import { LineIndex } from '../core/lint/lineIndex';
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

/**
 * Offset ↔ position over a plain string (files linted without opening a document). Lines end where a
 * TextDocument ends them: at `\n`, `\r\n` or a lone `\r`.
 */
export class TextMapper implements OffsetMapper {
  private readonly index: LineIndex;

  constructor(readonly text: string) {
    this.index = new LineIndex(text);
  }

  positionAt(offset: number): vscode.Position {
    const p = this.index.position(offset);
    return new vscode.Position(p.line - 1, p.column - 1);
  }

  offsetAt(position: vscode.Position): number {
    return this.index.offsetAt(position.line + 1, position.character + 1);
  }
}
