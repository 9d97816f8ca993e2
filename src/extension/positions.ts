// Offsets (what the engine reports) → editor ranges: the one place where they are converted.
import * as vscode from 'vscode';
import { LineIndex } from '../core/lint/lineIndex';

/** Anything with positionAt (a TextDocument, or a text held in memory). */
export interface OffsetMapper {
  positionAt(offset: number): vscode.Position;
}

export function toRange(doc: OffsetMapper, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(Math.max(start, end)));
}

/**
 * Offset → position over a plain string (files linted without opening a document). Lines end where a
 * TextDocument ends them: at `\n`, `\r\n` or a lone `\r`.
 */
export class TextMapper implements OffsetMapper {
  private readonly index: LineIndex;

  constructor(text: string) {
    this.index = new LineIndex(text);
  }

  positionAt(offset: number): vscode.Position {
    const p = this.index.position(offset);
    return new vscode.Position(p.line - 1, p.column - 1);
  }
}
