// Applying fixes (plain text edits on offsets) and the small text helpers rules use to build them.

import * as path from 'path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from './rule';
import { keyName } from './requestModel';
import { contentVersion } from './project/version';

/** The edits of a fix in the linted file (those that name no other file). */
export function ownEdits(f: Fix): TextEdit[] {
  return f.edits.filter((e) => e.file === undefined);
}

/** Whether a fix edits another file of the project (where a client is made). */
export function editsOtherFiles(f: Fix): boolean {
  return f.edits.some((e) => e.file !== undefined);
}

/**
 * Applies fixes in order of their first edit; a fix whose edits overlap an already accepted edit (or each
 * other) is skipped whole. Offsets are into `text`. Only the linted file's edits are applied here (a fix
 * with none is skipped); `applyFixesAcrossFiles` also applies the edits in other files.
 */
export function applyFixes(text: string, fixes: Fix[]): { text: string; applied: Fix[]; skipped: Fix[] } {
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const accepted: TextEdit[] = [];
  const ordered = fixes
    .map((f, i) => ({ f, i, at: firstOwnEdit(f) }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  for (const { f } of ordered) {
    const edits = ownEdits(f).sort((a, b) => a.start - b.start || a.end - b.end);
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
  return { text: applyEdits(text, accepted), applied, skipped };
}

function firstOwnEdit(f: Fix): number {
  const own = ownEdits(f);
  return own.length ? Math.min(...own.map((e) => e.start)) : Infinity;
}

/** Applies non-overlapping edits to a text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export interface CrossFileFixResult {
  /** The linted file's new text. */
  text: string;
  applied: Fix[];
  /** Fixes left out because an edit overlapped one already accepted. */
  skipped: Fix[];
  /** Fixes left out because another file they edit is missing or no longer has the text they were made for. */
  stale: Array<{ fix: Fix; file: string }>;
  /** The new texts of the other files that changed (absolute path → text); each file appears once. */
  files: Map<string, string>;
}

/**
 * `applyFixes` for fixes that may also edit other files. Every file's edits are applied together to the text
 * `read` gives for it, once; an edit in another file applies only when that text has the version the edit
 * was made for (else its whole fix is stale). The same edit in another file from two fixes (two findings
 * about one client) is applied once, and does not make the second fix conflict.
 */
export function applyFixesAcrossFiles(file: string, text: string, fixes: Fix[], read: (file: string) => string | undefined): CrossFileFixResult {
  const self = path.resolve(file);
  const texts = new Map<string, string | undefined>([[self, text]]);
  const versions = new Map<string, string | undefined>();
  const versionOf = (f: string): string | undefined => {
    if (!versions.has(f)) {
      if (!texts.has(f)) texts.set(f, read(f));
      const t = texts.get(f);
      versions.set(f, t === undefined ? undefined : contentVersion(t));
    }
    return versions.get(f);
  };
  const accepted = new Map<string, TextEdit[]>();
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const stale: Array<{ fix: Fix; file: string }> = [];
  const ordered = fixes.map((f, i) => ({ f, i, at: firstOwnEdit(f) })).sort((a, b) => a.at - b.at || a.i - b.i);
  for (const { f } of ordered) {
    const groups = new Map<string, TextEdit[]>();
    let staleFile: string | null = null;
    for (const e of f.edits) {
      const target = e.file === undefined ? self : path.resolve(e.file);
      if (target !== self && (e.fileVersion === undefined || versionOf(target) !== e.fileVersion)) staleFile ??= target;
      const g = groups.get(target);
      if (g) g.push(e);
      else groups.set(target, [e]);
    }
    if (staleFile) {
      stale.push({ fix: f, file: staleFile });
      continue;
    }
    let ok = groups.size > 0;
    const fresh = new Map<string, TextEdit[]>();
    for (const [target, list] of groups) {
      if (!ok) break;
      const length = (texts.get(target) as string).length;
      const done = accepted.get(target) ?? [];
      const edits = [...list].sort((a, b) => a.start - b.start || a.end - b.end);
      const keep: TextEdit[] = [];
      for (let i = 0; ok && i < edits.length; i++) {
        const e = edits[i];
        if (e.start < 0 || e.end < e.start || e.end > length) ok = false;
        else if (i > 0 && overlaps(edits[i - 1], e)) ok = false;
        else if (target !== self && done.some((a) => a.start === e.start && a.end === e.end && a.text === e.text)) continue;
        else if (done.some((a) => overlaps(a, e))) ok = false;
        else keep.push(e);
      }
      fresh.set(target, keep);
    }
    if (!ok) {
      skipped.push(f);
      continue;
    }
    for (const [target, keep] of fresh) accepted.set(target, [...(accepted.get(target) ?? []), ...keep]);
    applied.push(f);
  }
  const files = new Map<string, string>();
  let out = text;
  for (const [target, edits] of accepted) {
    if (!edits.length) continue;
    const next = applyEdits(texts.get(target) as string, edits);
    if (target === self) out = next;
    else files.set(target, next);
  }
  return { text: out, applied, skipped, stale, files };
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
