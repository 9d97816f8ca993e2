// Report formats for the CLI: compiler-style text, a small stable JSON document and SARIF 2.1.0.
// Findings carry character offsets; LineIndex (lineIndex.ts) turns them into lines and columns.

import * as path from 'path';
import { LineIndex } from './lineIndex';
import { Finding, RuleMeta, Severity, ruleDocsUrl } from './rule';

export { LineIndex };

/** A finding placed in a file, in the shape of the JSON report (keys in this order). */
export interface LocatedFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  severity: Severity;
  message: string;
  /** The finding's fixes (title, and whether `--fix` applies it); [] when it has none. */
  fixes?: ReportFix[];
  /** Places that explain the finding (the wrapper's loop, the client's setting), possibly in other files. */
  related?: LocatedRelated[];
  /** In a notebook: the cell, and the line and column in it (line and column above are the file's). */
  cell?: { number: number; line: number; column: number };
}

export interface LocatedRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A related location; `file` is the finding's own file or the absolute path of another one. */
export interface LocatedRelated extends LocatedRange {
  file: string;
  message: string;
}

/** One replacement of a fix, located in the finding's file. */
export interface LocatedChange extends LocatedRange {
  text: string;
}

/** A fix as the JSON report lists it: its title and whether it is safe (applied by `--fix`). */
export interface ReportFix {
  title: string;
  safe: boolean;
  /**
   * The fix's replacements when it is complete in itself: text edits in this file only. Absent when it
   * also needs the shared retry helper file written (the editor or `--fix` adds that).
   */
  changes?: LocatedChange[];
}

/**
 * Line and column positions for the findings of one file. `readOther` gives the text of another file a
 * related location points into (absolute path); a location whose file cannot be read is left out.
 */
export function locateFindings(
  file: string,
  text: string,
  findings: readonly Finding[],
  readOther?: (absolutePath: string) => string | undefined,
): LocatedFinding[] {
  if (findings.length === 0) return [];
  const index = new LineIndex(text);
  const others = new Map<string, LineIndex | null>();
  const indexOf = (other: string): LineIndex | null => {
    let ix = others.get(other);
    if (ix === undefined) {
      const t = readOther?.(other);
      ix = t === undefined ? null : new LineIndex(t);
      others.set(other, ix);
    }
    return ix;
  };
  const range = (ix: LineIndex, start: number, end: number): LocatedRange => {
    const s = ix.position(start);
    const e = ix.position(Math.max(start, end));
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  return findings.map((f) => {
    const s = index.position(f.start);
    const e = index.position(Math.max(f.start, f.end));
    const related: LocatedRelated[] = [];
    for (const r of f.related ?? []) {
      const ix = r.file ? indexOf(r.file) : index;
      if (ix) related.push({ file: r.file ?? file, message: r.message, ...range(ix, r.start, r.end) });
    }
    return {
      file,
      line: s.line,
      column: s.column,
      endLine: e.line,
      endColumn: e.column,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      fixes: (f.fixes ?? []).map((x) => {
        const selfContained = !x.needsRetryHelper && x.edits.length > 0 && x.edits.every((ed) => !(ed as { file?: string }).file);
        return selfContained
          ? { title: x.title, safe: x.safe, changes: x.edits.map((ed) => ({ ...range(index, ed.start, ed.end), text: ed.text })) }
          : { title: x.title, safe: x.safe };
      }),
      ...(related.length ? { related } : {}),
      ...(cellOf(f) ? { cell: cellOf(f) } : {}),
    };
  });
}

function cellOf(f: Finding): LocatedFinding['cell'] {
  const c = (f as { cell?: LocatedFinding['cell'] }).cell;
  return c ? { number: c.number, line: c.line, column: c.column } : undefined;
}

/** Stable report order: by file, then position, then rule id. */
export function sortFindings(findings: readonly LocatedFinding[]): LocatedFinding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

export interface Counts {
  error: number;
  warning: number;
  info: number;
}

export function countBySeverity(findings: readonly LocatedFinding[]): Counts {
  const c: Counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 problems (1 error, 2 warnings, 0 infos)" or "no problems". */
export function summaryLine(findings: readonly LocatedFinding[], fileCount?: number): string {
  const c = countBySeverity(findings);
  const scanned = fileCount === undefined ? '' : ` in ${plural(fileCount, 'file')}`;
  if (findings.length === 0) return `no problems${scanned}`;
  return `${plural(findings.length, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'info')})${scanned}`;
}

/** One line per finding, like a compiler: `file:line:col severity message [rule]`. */
export function formatText(findings: readonly LocatedFinding[]): string {
  let out = '';
  for (const f of sortFindings(findings)) {
    const at = f.cell ? `${f.file}:cell ${f.cell.number}:${f.cell.line}:${f.cell.column}` : `${f.file}:${f.line}:${f.column}`;
    out += `${at} ${f.severity} ${f.message.replace(/\r?\n/g, ' ')} [${f.ruleId}]\n`;
  }
  return out;
}

/**
 * `{"version":1,"findings":[...]}` on one line, with a trailing newline. Every finding has a `fixes` array
 * of `{"title","safe"}` (empty when the finding has no fix), so the schema does not vary.
 */
export function formatJson(findings: readonly LocatedFinding[]): string {
  const ordered = sortFindings(findings).map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    fixes: (f.fixes ?? []).map((x) => ({ title: x.title, safe: x.safe })),
    ...(f.cell ? { cell: f.cell } : {}),
  }));
  return JSON.stringify({ version: 1, findings: ordered }) + '\n';
}

export const TOOL_NAME = 'claude-request-lint';
export const TOOL_INFORMATION_URI = 'https://github.com/claude-request-lint/claude-request-lint';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

export interface SarifOptions {
  /** Every rule the tool has (ruleMetas); results for ids not listed get a descriptor appended. */
  rules: readonly RuleMeta[];
  toolVersion: string;
  /** Directory the artifact URIs are relative to (the working directory). */
  baseDir: string;
}

/** Percent-encodes each path segment and joins with forward slashes. */
function encodePathSegments(p: string): string {
  return p
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function fileUri(absolute: string): string {
  let p = absolute.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(p)) p = '/' + p; // Windows drive letter
  const encoded = p
    .split('/')
    .map((seg, i) => (i === 1 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
  return 'file://' + encoded;
}

/**
 * An artifact location for a file: relative to the base directory (forward slashes, with uriBaseId
 * %SRCROOT%) when it lies inside it, else an absolute file: URI.
 */
export function artifactLocation(file: string, baseDir: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(baseDir, file);
  const rel = path.relative(baseDir, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: encodePathSegments(rel), uriBaseId: '%SRCROOT%' };
  }
  return { uri: fileUri(abs) };
}

function sarifRegion(r: LocatedRange): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

export function formatSarif(findings: readonly LocatedFinding[], options: SarifOptions): string {
  const rules: Array<Record<string, unknown>> = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (id: string, description: string, level: 'error' | 'warning' | 'note') => {
    ruleIndex.set(id, rules.length);
    rules.push({
      id,
      shortDescription: { text: description },
      helpUri: ruleDocsUrl(id),
      defaultConfiguration: { level },
    });
  };
  for (const meta of options.rules) {
    if (!ruleIndex.has(meta.id)) addRule(meta.id, meta.description, sarifLevel(meta.defaultSeverity));
  }
  const sorted = sortFindings(findings);
  for (const f of sorted) {
    if (!ruleIndex.has(f.ruleId)) {
      addRule(
        f.ruleId,
        f.ruleId === 'parse-error' ? 'The file could not be parsed as JavaScript or TypeScript.' : f.ruleId,
        sarifLevel(f.severity),
      );
    }
  }
  const results = sorted.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file, options.baseDir),
          region: sarifRegion(f),
        },
      },
    ],
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, id) => ({
            id,
            message: { text: r.message },
            physicalLocation: { artifactLocation: artifactLocation(r.file, options.baseDir), region: sarifRegion(r) },
          })),
        }
      : {}),
    ...(f.fixes?.some((x) => x.changes)
      ? {
          fixes: f.fixes
            .filter((x) => x.changes)
            .map((x) => ({
              description: { text: x.title },
              artifactChanges: [
                {
                  artifactLocation: artifactLocation(f.file, options.baseDir),
                  replacements: x.changes!.map((c) => ({ deletedRegion: sarifRegion(c), insertedContent: { text: c.text } })),
                },
              ],
            })),
        }
      : {}),
  }));
  let base = fileUri(path.resolve(options.baseDir));
  if (!base.endsWith('/')) base += '/';
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: TOOL_INFORMATION_URI,
            version: options.toolVersion,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: base } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
