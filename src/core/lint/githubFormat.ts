// The `github` report format: one GitHub Actions workflow command per finding, so a workflow run shows
// each finding as an annotation on the changed file, e.g.
//   ::error file=src/chat.ts,line=6,col=10,endLine=9,endColumn=4,title=missing-max-tokens::A Messages API ...
// Severities map to `error`, `warning` and `notice`. Escaping follows GitHub's workflow-command rules:
// in the message `%`, `\r` and `\n` are percent-encoded; in property values also `:` and `,`.

import * as path from 'path';
import type { LocatedFinding } from './formatters';
import { sortFindings, summaryLine } from './formatters';
import type { Severity } from './rule';

export function githubCommand(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}

/** Escapes the message part of a workflow command (after `::`). */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (`file=...`, `title=...`). */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubFormatOptions {
  /** The directory the findings' relative file names are relative to (the working directory). */
  cwd: string;
  /**
   * The checked-out repository (GITHUB_WORKSPACE). Annotations name files relative to it, so they land
   * on the right file even when the CLI runs in a subfolder. Without it, names stay relative to cwd.
   */
  workspace?: string;
}

/** The file name an annotation uses: relative to the workspace when inside it, forward slashes. */
export function annotationPath(file: string, options: GithubFormatOptions): string {
  const abs = path.resolve(options.cwd, file);
  const base = options.workspace ? path.resolve(options.workspace) : undefined;
  let name = file;
  if (base) {
    const rel = path.relative(base, abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) name = rel;
  }
  return name.replace(/\\/g, '/');
}

/** One workflow command per finding, then the summary line as plain log text. */
export function formatGithub(findings: readonly LocatedFinding[], options: GithubFormatOptions, fileCount?: number): string {
  let out = '';
  for (const f of sortFindings(findings)) {
    const props = [
      `file=${escapeGithubProperty(annotationPath(f.file, options))}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeGithubProperty(f.ruleId)}`,
    ];
    out += `::${githubCommand(f.severity)} ${props.join(',')}::${escapeGithubData(f.message)}\n`;
  }
  return out + summaryLine(findings, fileCount) + '\n';
}
