// `--fix` for fixes that also edit another file of the project (maxRetries where an imported client is
// made): every file's edits of one pass are applied together and the file is written once; an edit is
// applied only while the other file still has the text the project index summarised, else its fix is
// skipped with a note on stderr.

import * as fs from 'fs';
import * as path from 'path';
import { applyFixesAcrossFiles } from '../core/lint/fixes';
import type { Fix } from '../core/lint/rule';

export interface CrossFileFixer {
  /** Applies one pass of fixes to `text` (the linted file) and writes the other files they edit. */
  apply(text: string, fixes: Fix[]): { text: string; applied: Fix[]; otherFilesChanged: boolean };
}

export interface CrossFileFixIo {
  /** The linted file (absolute) and its name as the report shows it. */
  file: string;
  shownAs: string;
  cwd: string;
  read(file: string): string | undefined;
  write(file: string, text: string): void;
  /** Called after another file was written (the project index forgets its summary). */
  changed(file: string): void;
  note(line: string): void;
}

export function crossFileFixer(io: CrossFileFixIo): CrossFileFixer {
  const noted = new Set<string>();
  return {
    apply(text, fixes) {
      const r = applyFixesAcrossFiles(io.file, text, fixes, io.read);
      for (const s of r.stale) {
        const other = path.relative(io.cwd, s.file).split(path.sep).join('/') || s.file;
        const line = `skipped the fix "${s.fix.title}" in ${io.shownAs}: ${other} is not the text the project index read (changed or removed since)`;
        if (!noted.has(line)) io.note(line);
        noted.add(line);
      }
      for (const [other, next] of r.files) {
        io.write(other, next);
        io.changed(other);
      }
      return { text: r.text, applied: r.applied, otherFilesChanged: r.files.size > 0 };
    },
  };
}

/** Reads a file from disk, undefined when it cannot be read. */
export function readDisk(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
