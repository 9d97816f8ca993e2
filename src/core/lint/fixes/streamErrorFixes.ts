// Fixes for stream-error-unhandled: wrap the statements that create and consume a stream in a try/catch that
// reports the error and rethrows it (the caller still sees the same rejection), or add an 'error' listener to
// an `.on(…)` chain. Both are suggestions: the report is a console.error the user may want to replace.

import type { Fix } from '../rule';
import type { RuleContext } from '../ruleContext';
import type { N, StreamHandling } from '../retry/model';
import { propName } from '../retry/ast';
import { declaredNames, eol, indentAt, indentUnit, nodeAtRange, readsAny, reindent, statementIn } from './blocks';

const REPORT = "console.error('Claude stream failed', err);";
const LISTENER_METHODS = new Set(['on', 'once', 'addListener']);

/** The fix for an unhandled stream, or null when no edit keeps the code valid. */
export function streamErrorFix(ctx: RuleContext, handling: StreamHandling): Fix | null {
  const c = handling.consumption;
  if (!c || ctx.language.id !== 'javascript') return null; // the Python fix belongs to the Python analysis
  const node = nodeAtRange(ctx.ast as unknown as N, c.start, c.end);
  if (!node) return null;
  if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && LISTENER_METHODS.has(propName(node.callee) ?? '')) return errorListenerFix(ctx.sourceText, node);
  return tryCatchFix(ctx, node);
}

/** `.on('text', …)` → `.on('text', …).on('error', (err) => { console.error(…); })`, after the whole chain. */
function errorListenerFix(text: string, first: N): Fix {
  let chain = first;
  for (;;) {
    const m = chain.parent;
    const call = m?.parent;
    if (m?.type === 'MemberExpression' && m.object === chain && LISTENER_METHODS.has(propName(m) ?? '') && call?.type === 'CallExpression' && call.callee === m) chain = call;
    else break;
  }
  const member = chain.callee as N;
  const gap = text.slice(member.object.range[1], member.property.range[0]);
  const listener = `.on('error', (err) => { ${REPORT} })`;
  // a chain written one call per line gets one more line, indented like the last one
  const insert = gap.includes('\n') ? `${eol(text)}${indentAt(text, member.property.range[0])}${listener}` : listener;
  return { title: "Add an 'error' listener that reports the failure", edits: [{ start: chain.range[1], end: chain.range[1], text: insert }], safe: false };
}

/**
 * Wraps, in the consumption's block, the statements from the one that creates the stream (when it is in the
 * same block) to the one that consumes it; when later statements read a name declared in there, up to the end
 * of the block, so every use stays in scope.
 */
function tryCatchFix(ctx: RuleContext, consumption: N): Fix | null {
  const text = ctx.sourceText;
  const at = statementIn(consumption);
  if (!at) return null;
  const { list } = at;
  const made = statementIn(ctx.call.node as unknown as N);
  const from = made && made.list === list && made.index <= at.index ? made.index : at.index;
  let to = at.index;
  if (readsAny(list.slice(to + 1), declaredNames(list.slice(from, to + 1)))) to = list.length - 1;
  const wrapped = list.slice(from, to + 1);
  // declarations that cannot move into a block: imports, exports, and hoisted functions or classes
  if (wrapped.some((s) => /^(Import|Export)/.test(s.type) || s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration')) return null;
  const start = list[from].range[0];
  const end = list[to].range[1];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const ownLine = text.slice(lineStart, start).trim() === '';
  if (!ownLine) {
    // statements written on the braces' line: keep it on one line
    return fix(start, end, `try { ${text.slice(start, end)} } catch (err) { ${REPORT} throw err; }`);
  }
  const ind = indentAt(text, start);
  const owner = at.owner;
  const outer = owner.type === 'Program' ? '' : indentAt(text, owner.range[0]);
  const unit = indentUnit(text, ind, outer);
  const nl = eol(text);
  const body = reindent(text, start, end, unit, wrapped);
  const out = `try {${nl}${ind}${unit}${body}${nl}${ind}} catch (err) {${nl}${ind}${unit}${REPORT}${nl}${ind}${unit}throw err;${nl}${ind}}`;
  return fix(start, end, out);
  function fix(s: number, e: number, t: string): Fix {
    return { title: 'Wrap the stream in try/catch that reports and rethrows', edits: [{ start: s, end: e, text: t }], safe: false };
  }
}
