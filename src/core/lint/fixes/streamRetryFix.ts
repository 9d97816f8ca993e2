// "Wrap in withStreamRetry" for a stream whose retries are off. withStreamRetry(open) is a lazy AsyncIterable:
// it opens the stream when iterated and retries only until the first event arrives. So the rewrite is offered
// only where the code keeps working with that contract:
//   - the call is the iterable of a `for await`, or a variable whose one use is that iterable:
//       for await (const e of withStreamRetry(() => client.messages.stream(p))) …
//   - a MessageStream in a variable whose listeners (.on chains, in the initializer or in statements right
//     after it, which become calls chained on the opening call) and awaited helpers (finalMessage(), finalText(), done()) read it: the stream is drained through
//     withStreamRetry, each attempt assigned to the variable, so the listeners see the events of the attempt
//     that went through and the helpers read the finished stream.
// Anything else (the stream returned, passed on, stored, read between its creation and its first await) gets
// no fix.

import type { Fix, TextEdit } from '../rule';
import type { RuleContext } from '../ruleContext';
import type { N } from '../retry/model';
import { analyzerOf } from '../retry';
import { propName } from '../retry/ast';
import { eol, indentAt, indentUnit, reindent, statementIn } from './blocks';

const TITLE = 'Wrap in withStreamRetry (retries 429, 5xx and connection errors until the first event)';
const LISTENERS = new Set(['on', 'once', 'addListener']);
const AWAITED_HELPERS = new Set(['finalMessage', 'finalText', 'done']);

export function wrapInWithStreamRetryFix(ctx: RuleContext): Fix | null {
  if (ctx.language.id !== 'javascript') return null; // JavaScript and TypeScript text only
  const call = ctx.call.node as unknown as N;
  const text = ctx.sourceText;
  // `await client.messages.create({ stream: true })`: the await goes, withStreamRetry awaits the open itself
  const expr = call.parent?.type === 'AwaitExpression' ? call.parent : call;
  const wrap = (): Fix => fix([{ start: expr.range[0], end: expr.range[1], text: `withStreamRetry(() => ${text.slice(call.range[0], call.range[1])})` }]);
  const p = expr.parent;
  if (isForAwaitOf(p, expr)) return wrap();
  if (p?.type === 'VariableDeclarator' && p.init === expr && onlyUseIsForAwait(ctx, p)) return wrap();
  if (ctx.call.kind === 'stream' && expr === call) return drainFix(ctx, call);
  return null;
}

function fix(edits: TextEdit[]): Fix {
  return { title: TITLE, edits, safe: false, needsRetryHelper: true, helperNames: ['withStreamRetry'] };
}

function isForAwaitOf(p: N | undefined, e: N): boolean {
  return !!p && p.type === 'ForOfStatement' && p.await === true && p.right === e;
}

/** A plain `const|let x = …` declaration of one name, without a type annotation. */
function simpleDeclarator(d: N): boolean {
  const decl = d.parent;
  return decl?.type === 'VariableDeclaration' && decl.declarations.length === 1 && decl.kind !== 'var' && d.id.type === 'Identifier' && !d.id.typeAnnotation;
}

/** The uses of the name a declarator binds (same binding, as values), its own name left out; both languages. */
export function usesOf(ctx: RuleContext, d: N): N[] {
  if (d.id?.type !== 'Identifier') return [];
  const cx = analyzerOf(ctx);
  return cx.references(d.id.name).filter((ref) => {
    if (ref === d.id) return false;
    const p = ref.parent;
    if (p?.type === 'MemberExpression' && p.property === ref && !p.computed) return false;
    if (p?.type === 'Property' && p.key === ref && !p.computed && !p.shorthand) return false;
    const b = cx.resolveName(ref.name, ref);
    return !!b && (b.id as unknown as N) === d.id;
  });
}

function onlyUseIsForAwait(ctx: RuleContext, d: N): boolean {
  if (!simpleDeclarator(d)) return false;
  const uses = usesOf(ctx, d);
  return uses.length === 1 && isForAwaitOf(uses[0].parent, uses[0]);
}

/** `.on(…)` calls chained on `root`: the outermost call of the chain (root itself when there is none). */
function listenerChainTop(root: N): N {
  let top = root;
  for (;;) {
    const m = top.parent;
    const c = m?.parent;
    if (m?.type === 'MemberExpression' && m.object === top && LISTENERS.has(propName(m) ?? '') && c?.type === 'CallExpression' && c.callee === m) top = c;
    else return top;
  }
}

/** The identifier at the root of an `x.on(…).on(…)` statement, or null. */
function listenerStatementRoot(s: N): N | null {
  if (s.type !== 'ExpressionStatement') return null;
  let e = s.expression;
  let calls = 0;
  while (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && LISTENERS.has(propName(e.callee) ?? '')) {
    e = e.callee.object;
    calls++;
  }
  return calls > 0 && e.type === 'Identifier' ? e : null;
}

/** `client.messages.stream` as written with names and `this` only (usable in `typeof`), else null. */
function entityName(n: N): string | null {
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'ThisExpression') return 'this';
  if (n.type !== 'MemberExpression' || n.computed || n.optional || n.property.type !== 'Identifier') return null;
  const o = entityName(n.object);
  return o === null ? null : `${o}.${n.property.name}`;
}

function drainFix(ctx: RuleContext, call: N): Fix | null {
  const text = ctx.sourceText;
  const init = listenerChainTop(call);
  const d = init.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== init || !simpleDeclarator(d)) return null;
  const at = d.parent ? statementIn(d.parent) : null;
  if (!at) return null;
  const name: string = d.id.name;
  // listener statements right after the declaration move into the function that opens each attempt
  let next = at.index + 1;
  const moved: N[] = [];
  while (next < at.list.length && listenerStatementRoot(at.list[next])?.name === name) moved.push(at.list[next++]);
  const uses = usesOf(ctx, d).filter((u) => !moved.some((s) => s.range[0] <= u.range[0] && u.range[1] <= s.range[1]));
  if (!uses.length || next >= at.list.length) return null;
  for (const u of uses) {
    const m = u.parent;
    if (m?.type !== 'MemberExpression' || m.object !== u || !AWAITED_HELPERS.has(propName(m) ?? '') || m.parent?.type !== 'CallExpression' || m.parent.callee !== m) return null;
  }
  // the code first waits for the stream in the statement that follows: draining there keeps the order
  const first = uses.reduce((a, b) => (b.range[0] < a.range[0] ? b : a));
  const firstAt = at.list[next];
  if (first.range[0] < firstAt.range[0] || first.range[1] > firstAt.range[1] || first.parent?.parent?.parent?.type !== 'AwaitExpression') return null;

  const ts = /\.[cm]?tsx?$/i.test(ctx.fileName);
  const method = entityName(call.callee);
  if (ts && !method) return null;
  const decl = `let ${name}${ts ? `!: ReturnType<typeof ${method}>` : ''};`;
  const start = at.list[at.index].range[0];
  const end = moved.length ? moved[moved.length - 1].range[1] : at.list[at.index].range[1];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return null;
  const nl = eol(text);
  const ind = indentAt(text, start);
  const unit = indentUnit(text, ind, at.owner.type === 'Program' ? '' : indentAt(text, at.owner.range[0]));
  // moved listener statements become calls chained on the opening call, one per line
  let chained = text.slice(init.range[0], init.range[1]);
  for (const s of moved) {
    const root = listenerStatementRoot(s) as N;
    chained += `${nl}${ind}${unit}${reindent(text, root.range[1], s.expression.range[1], unit, [s])}`;
  }
  const open = `(${name} = ${chained})`;
  const out =
    `${decl}${nl}${ind}for await (const _event of withStreamRetry(() => ${open})) {${nl}` +
    `${ind}${unit}// each event also reaches the listeners; the helpers below read the attempt that went through${nl}${ind}}`;
  return fix([{ start, end, text: out }]);
}
