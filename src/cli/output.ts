// Where the CLI's report goes, and the CI exit-code policy (--output, --max-warnings).
//
// With --output FILE the report is written to FILE only, and only once the run has produced it: it is
// written to a temporary file beside FILE and renamed over it, so a run that stops early (bad input) or is
// killed never leaves a partial or stale report behind. Notes and errors stay on stderr.

import * as fs from 'fs';
import * as path from 'path';

/** Checks up front that FILE can be a report file, so a run with a bad --output stops before linting. */
export function outputPathProblem(file: string, cwd: string): string | undefined {
  const abs = path.resolve(cwd, file);
  try {
    if (fs.statSync(abs).isDirectory()) return `--output ${file} is a directory`;
  } catch {
    // does not exist yet: fine, its folder is created when the report is written
  }
  return undefined;
}

/** Writes the whole report to FILE atomically (temporary file + rename); creates missing folders. */
export function writeReportFile(file: string, cwd: string, text: string): void {
  const abs = path.resolve(cwd, file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Parses the value of --max-warnings: a whole number of warnings, 0 or more. */
export function parseMaxWarnings(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The note for a run that fails only because of --max-warnings, or undefined when within the limit. */
export function tooManyWarnings(warnings: number, maxWarnings: number | undefined): string | undefined {
  if (maxWarnings === undefined || warnings <= maxWarnings) return undefined;
  return `too many warnings: ${warnings} (--max-warnings ${maxWarnings})`;
}
