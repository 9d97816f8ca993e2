// The Python fix for stream-error-unhandled: wrap the statements from the one that creates the stream to the
// one that consumes it (a `with … as stream:` statement, or the assignment and the loop) in
// `try:` … `except Exception:` that logs the failure and re-raises it, each wrapped line one indent unit
// deeper, and add `import logging` when the module lacks it. A suggestion: the log line is a placeholder the
// user may want to replace. No fix when re-indenting could change the code: a string that spans lines
// (triple-quoted, or continued with a backslash), or statements that share their lines with other code.

import type { Fix } from '../rule';
import type { RuleContext } from '../ruleContext';
import type { N, StreamHandling } from '../retry/model';
import { isFunctionLike, nodeAtRange } from '../fixes/blocks';
import { pythonImportEdit } from './edits';

const REPORT = 'logging.getLogger(__name__).exception("Claude stream failed")';

/** The try/except fix for an unhandled Python stream, or null when no edit keeps the code the same. */
export function pythonStreamErrorFix(ctx: RuleContext, handling: StreamHandling): Fix | null {
  const c = handling.consumption;
  if (!c) return null;
  const text = ctx.sourceText;
  const consumption = nodeAtRange(ctx.ast as unknown as N, c.start, c.end);
  if (!consumption) return null;
  const at = statementOf(consumption);
  if (!at) return null;
  const made = statementOf(ctx.call.node as unknown as N);
  const from = made && made.list === at.list && made.index <= at.index ? made.index : at.index;
  const start = at.list[from].range[0];
  const end = at.list[at.index].range[1];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return null; // not the start of its line
  const rest = lineEndAt(text, end);
  const tail = text.slice(end, rest);
  if (tail.trim() !== '' && !/^\s*#/.test(tail)) return null; // more code after it on its line
  const wrapEnd = tail.trim() === '' ? end : rest;
  const lines = text.slice(lineStart, wrapEnd);
  if (!reindentable(lines)) return null;
  const ind = /^[ \t]*/.exec(lines)![0];
  const unit = indentUnitOf(text, ind);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const body = lines
    .split('\n')
    .map((l) => (l.trim() === '' ? l : unit + l))
    .join('\n');
  const out = `${ind}try:${nl}${body}${nl}${ind}except Exception:${nl}${ind}${unit}${REPORT}${nl}${ind}${unit}raise`;
  const edits = [{ start: lineStart, end: wrapEnd, text: out }];
  const importEdit = pythonImportEdit(text, ctx.ast, 'logging');
  if (importEdit) {
    if (importEdit.start >= lineStart && importEdit.start <= wrapEnd) return null; // the two edits would meet
    edits.unshift(importEdit);
  }
  return { title: 'Wrap the stream in try/except that logs and re-raises', edits, safe: false };
}

/**
 * The Python statement list (a suite or the module) holding `node`, and the statement of it around `node`.
 * A `with` statement (lowered to a block marked pyWith) is one statement of the list it sits in.
 */
function statementOf(node: N): { list: N[]; index: number } | null {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if ((p.type === 'Program' || (p.type === 'BlockStatement' && !p.pyWith)) && Array.isArray(p.body)) {
      const index = p.body.indexOf(child);
      return index >= 0 ? { list: p.body, index } : null;
    }
    if (isFunctionLike(p) || p.type === 'ClassBody') return null;
  }
  return null;
}

function lineEndAt(text: string, at: number): number {
  const i = text.indexOf('\n', at);
  if (i < 0) return text.length;
  return text[i - 1] === '\r' ? i - 1 : i;
}

/**
 * Whether adding indentation at the start of every line of `code` leaves its meaning alone: false when a
 * string spans lines (a triple-quoted one, or one continued with a backslash), or the text cannot be read.
 */
export function reindentable(code: string): boolean {
  let i = 0;
  while (i < code.length) {
    const ch = code[i];
    if (ch === '#') {
      const nl = code.indexOf('\n', i);
      i = nl < 0 ? code.length : nl;
    } else if (ch === '"' || ch === "'") {
      const triple = code.startsWith(ch.repeat(3), i);
      const close = triple ? ch.repeat(3) : ch;
      let j = i + close.length;
      for (;;) {
        if (j >= code.length) return false; // unterminated in the wrapped text
        const d = code[j];
        if (d === '\n') return false; // a string across lines
        if (d === '\\' && (code[j + 1] === '\n' || code[j + 1] === '\r')) return false; // continued across lines
        if (d === '\\') j += 2;
        else if (code.startsWith(close, j)) break;
        else j++;
      }
      i = j + close.length;
    } else i++;
  }
  return true;
}

/** The file's indent unit: a tab when the statements are tab-indented, else the step after the first block opener. */
export function indentUnitOf(text: string, ind: string): string {
  if (ind.startsWith('\t')) return '\t';
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length - 1; k++) {
    if (!/:\s*(#.*)?$/.test(lines[k]) || /^\s*#/.test(lines[k])) continue;
    const outer = /^[ \t]*/.exec(lines[k])![0];
    const next = lines.slice(k + 1).find((l) => l.trim() !== '' && !/^\s*#/.test(l));
    if (!next) break;
    const inner = /^[ \t]*/.exec(next)![0];
    if (inner.startsWith('\t')) return '\t';
    if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  }
  return '    ';
}
