// Suppression comments:
//   // claude-request-lint-disable-next-line <id>[, <id>]   (no id: every rule) — the line after the comment
//   /* claude-request-lint-disable <id>[, <id>] */          (no id: every rule) — the whole file
// Text after ` -- ` is a free-form reason and is ignored.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Finding } from './rule';

const DIRECTIVE = /^\s*claude-request-lint-(disable-next-line|disable)(?:\s+([\s\S]*))?$/;

interface Directive {
  kind: 'next-line' | 'file';
  /** null = every rule */
  ids: Set<string> | null;
  /** Offset of the comment's end (next-line directives apply to the following line). */
  end: number;
}

function parseDirective(c: TSESTree.Comment): Directive | null {
  const m = DIRECTIVE.exec(c.value.replace(/^\*+/, ''));
  if (!m) return null;
  let rest = (m[2] ?? '').replace(/\*+\s*$/, '');
  const dash = rest.indexOf('--');
  if (dash >= 0) rest = rest.slice(0, dash);
  const ids = rest.split(/[\s,]+/).filter(Boolean);
  return { kind: m[1] === 'disable' ? 'file' : 'next-line', ids: ids.length ? new Set(ids) : null, end: c.range[1] };
}

/** Removes findings silenced by comments. Cheap when the file has no directive. */
export function applySuppressions(text: string, comments: readonly TSESTree.Comment[], findings: Finding[]): Finding[] {
  if (findings.length === 0 || comments.length === 0 || !text.includes('claude-request-lint-disable')) return findings;
  const file: Array<Set<string> | null> = [];
  const nextLine: Array<{ from: number; to: number; ids: Set<string> | null }> = [];
  for (const c of comments) {
    const d = parseDirective(c);
    if (!d) continue;
    if (d.kind === 'file') {
      file.push(d.ids);
      continue;
    }
    // The line after the one the comment ends on.
    const nl = text.indexOf('\n', d.end);
    if (nl < 0) continue;
    const next = text.indexOf('\n', nl + 1);
    nextLine.push({ from: nl + 1, to: next < 0 ? text.length : next, ids: d.ids });
  }
  if (!file.length && !nextLine.length) return findings;
  return findings.filter((f) => {
    for (const ids of file) if (!ids || ids.has(f.ruleId)) return false;
    for (const r of nextLine) if (f.start >= r.from && f.start <= r.to && (!r.ids || r.ids.has(f.ruleId))) return false;
    return true;
  });
}
