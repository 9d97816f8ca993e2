// Applying fixes (plain text edits on offsets) and the small text helpers rules use to build them.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from './rule';
import { keyName } from './requestModel';

/**
 * Applies fixes in order of their first edit; a fix whose edits overlap an already accepted edit (or each
 * other) is skipped whole. Offsets are into `text`.
 */
export function applyFixes(text: string, fixes: Fix[]): { text: string; applied: Fix[]; skipped: Fix[] } {
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const accepted: TextEdit[] = [];
  const ordered = fixes
    .map((f, i) => ({ f, i, at: f.edits.length ? Math.min(...f.edits.map((e) => e.start)) : Infinity }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  for (const { f } of ordered) {
    const edits = [...f.edits].sort((a, b) => a.start - b.start || a.end - b.end);
    let ok = edits.length > 0;
    for (let i = 0; ok && i < edits.length; i++) {
      const e = edits[i];
      if (e.start < 0 || e.end < e.start || e.end > text.length) ok = false;
      else if (i > 0 && overlaps(edits[i - 1], e)) ok = false;
      else if (accepted.some((a) => overlaps(a, e))) ok = false;
    }
    if (!ok) {
      skipped.push(f);
      continue;
    }
    accepted.push(...edits);
    applied.push(f);
  }
  accepted.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of accepted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, skipped };
}

/** Two edits conflict when their ranges intersect, or when both insert at the same point. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** The whitespace at the start of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

/**
 * Offset just after the comma that follows `from` (skipping whitespace and comments), or -1 when the next
 * token is not a comma.
 */
export function commaAfter(text: string, from: number): number {
  let i = skipTrivia(text, from);
  return text[i] === ',' ? i + 1 : -1;
}

export function skipTrivia(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    // `// …`, and a Python `# …` comment (a `#` then white space: never a JavaScript private name)
    if (text.startsWith('//', i) || (text[i] === '#' && (i + 1 >= text.length || /\s/.test(text[i + 1])))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else return i;
  }
}

/** true when text[from, to) holds only spaces, tabs and an optional line comment. */
export function restOfLineIsTrivia(text: string, from: number): { trivia: boolean; lineEnd: number } {
  const nl = text.indexOf('\n', from);
  const lineEnd = nl < 0 ? text.length : nl;
  const rest = text.slice(from, lineEnd).trim();
  const comment = rest.startsWith('//') || /^#(?:\s|$)/.test(rest);
  return { trivia: rest === '' || comment, lineEnd: comment || rest === '' ? trimEnd(text, lineEnd) : lineEnd };
}

function trimEnd(text: string, lineEnd: number): number {
  // Keep a `\r` of CRLF line ends before the insertion point.
  return text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
}

/** Line break style of the text. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The `key: value` property of an object literal written directly in it (not via a spread). */
export function literalProperty(o: TSESTree.ObjectExpression, key: string): TSESTree.Property | undefined {
  for (let i = o.properties.length - 1; i >= 0; i--) {
    const p = o.properties[i];
    if (p.type === 'Property' && keyName(p) === key) return p;
  }
  return undefined;
}

/**
 * An edit that adds `propText` (e.g. `max_tokens: 1024`) to an object literal, after the property named
 * `afterKey` when there is one, else first; one line per property when the object is written that way,
 * keeping its indentation and trailing-comma style.
 */
export function insertPropertyEdit(text: string, o: TSESTree.ObjectExpression, propText: string, afterKey?: string): TextEdit {
  const props = o.properties;
  if (props.length === 0) {
    const inner = text.slice(o.range[0] + 1, o.range[1] - 1);
    if (inner.includes('\n')) {
      const ind = indentAt(text, o.range[0]);
      const nl = eol(text);
      return { start: o.range[0] + 1, end: o.range[1] - 1, text: `${nl}${ind}  ${propText},${nl}${ind}` };
    }
    return { start: o.range[0] + 1, end: o.range[1] - 1, text: ` ${propText} ` };
  }
  const first = props[0];
  const multiline = text.slice(o.range[0] + 1, first.range[0]).includes('\n');
  const anchor = afterKey ? literalProperty(o, afterKey) : undefined;
  const nl = eol(text);
  if (!anchor) {
    const ind = indentAt(text, first.range[0]);
    return multiline
      ? { start: first.range[0], end: first.range[0], text: `${propText},${nl}${ind}` }
      : { start: first.range[0], end: first.range[0], text: `${propText}, ` };
  }
  const comma = commaAfter(text, anchor.range[1]);
  const ind = indentAt(text, anchor.range[0]);
  if (comma < 0) {
    // The anchor is the last property, written without a trailing comma.
    return multiline
      ? { start: anchor.range[1], end: anchor.range[1], text: `,${nl}${ind}${propText}` }
      : { start: anchor.range[1], end: anchor.range[1], text: `, ${propText}` };
  }
  if (multiline) {
    const { trivia, lineEnd } = restOfLineIsTrivia(text, comma);
    if (trivia) return { start: lineEnd, end: lineEnd, text: `${nl}${ind}${propText},` };
  }
  return { start: comma, end: comma, text: ` ${propText},` };
}

/** An edit that removes one element (or property) from a list, with its separating comma. */
export function removeListItemEdit(text: string, items: ReadonlyArray<{ range: [number, number] } | null>, index: number): TextEdit {
  const item = items[index] as { range: [number, number] };
  const next = items[index + 1];
  if (next) return { start: item.range[0], end: next.range[0], text: '' };
  const prev = index > 0 ? items[index - 1] : null;
  if (prev) {
    // Keep a trailing comma if there was one after the removed item.
    const comma = commaAfter(text, item.range[1]);
    return { start: prev.range[1], end: comma < 0 ? item.range[1] : item.range[1], text: '' };
  }
  const comma = commaAfter(text, item.range[1]);
  return { start: item.range[0], end: comma < 0 ? item.range[1] : comma, text: '' };
}
