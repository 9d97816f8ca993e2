// "Replace this loop with with_retry" for Python: a hand-written retry loop whose body is only the API call, its
// try/except and its backoff becomes `with_retry(lambda: call)` (`await async_with_retry(lambda: call)` for an
// awaited call) with the same result (the same `return`, or the same variable) and the same error when it gives
// up (the last error the call raised). The same conditions as the JavaScript fix (fixes/loopFix.ts), read on the
// lowered tree: everything else in the loop is a wait, a read, a counter, a check that re-raises the caught
// error, or logging in the except; the loop gives up by re-raising (`if attempt == n - 1: raise`, or
// `raise last_error` right after the loop), or never (`while True:`, `while response is None:`). Names the loop
// uses only for itself (its counter, the last error, and their `x = 0` / `x = None` right before it) go with
// it. Accepted result forms, in the try body: `return call`, `x = call` then `break` (or `else: break`),
// `x = call` alone when the loop tests x, `x = call` then `return x`. Anything else: no fix.

import type { Fix, TextEdit } from '../rule';
import type { RuleContext } from '../ruleContext';
import type { RetryLayer, RetryStack } from '../retry';
import type { N } from '../retry/model';
import { isFn, isLoop, propName, visit } from '../retry/ast';
import { getProp } from '../requestModel';
import { contains, inTest, readsAny, statementIn } from '../fixes/blocks';
import { PY_ASYNC_WITH_RETRY, PY_WITH_RETRY, lambdaObstacle, pythonMaxRetriesZeroEdit } from './retryFixes';
import type { PyNode } from './nodes';

/** with_retry's default `max_attempts` (RETRY_DEFAULTS in claude_retry.py; a test keeps them equal). */
export const PY_HELPER_DEFAULT_ATTEMPTS = 6;

const WAIT_CALLEE = /^(sleep|delay|wait|pause|backoff)/i;
const READ_CALLS = new Set(['range', 'float', 'int', 'str', 'bool', 'min', 'max', 'abs', 'round', 'len', 'pow', 'getattr', 'hasattr', 'isinstance']);
const READ_METHODS = new Set(['get', 'random', 'uniform', 'randint', 'randrange', 'monotonic', 'time', 'perf_counter', 'pow', 'lower', 'startswith', 'endswith']);
/** Loggers the except may call: `print(...)`, `logging.warning(...)`, `logger.info(...)`, `log.debug(...)`. */
const LOGGER = /^_?(log|logger|logging|LOG|LOGGER)$/;

interface Shape {
  loop: N;
  list: N[];
  index: number;
  tryStmt: N;
  /** The `else:` of the try (an IfStatement marked pyTryElse), when it is there. */
  elseIf: N | null;
  result: { kind: 'return' } | { kind: 'assign'; name: string };
  /** The except's `as` name, or null (`except X:`). */
  catchParam: string | null;
  /** What the lambda holds: the call, and in front of it an `await` that moves to the helper. */
  awaited: boolean;
}

export function pythonReplaceLoopFix(ctx: RuleContext, layer: RetryLayer, stack: RetryStack): Fix | null {
  if (ctx.language.id !== 'python' || layer.kind !== 'loop' || layer.file || layer.via || layer.failover) return null;
  if (ctx.call.kind !== 'create' || mayStream(ctx) || lambdaObstacle(ctx.call.node)) return null;
  const call = ctx.call.node as unknown as N;
  const shape = loopShape(call, layer);
  if (!shape) return null;
  const { loop, list, index } = shape;
  const text = ctx.sourceText;
  // a for/while with an `else:` runs it when the loop ends without break: no fix
  if (text.slice(loop.body.range[1], loop.range[1]).trim() !== '') return null;

  const trailing = after(list, index, shape);
  const scope = scopeBody(loop);
  const resultName = shape.result.kind === 'assign' ? shape.result.name : null;
  // names the loop writes for itself: they must not be read anywhere else
  const local = assignedIn(loop, resultName);
  if (shape.catchParam) local.add(shape.catchParam);
  const excluded = new Set<N>([loop, ...(trailing ? [list[index + 1]] : [])]);
  const removed: N[] = [];
  for (let k = index - 1; k >= 0; k--) {
    const names = simpleAssignNames(list[k]);
    if (!names || (resultName && names.has(resultName))) break;
    if (readsOutside(scope, new Set([...excluded, list[k]]), names)) break;
    for (const n of names) local.add(n);
    removed.push(list[k]);
    excluded.add(list[k]);
  }
  if (readsOutside(scope, excluded, local)) return null;
  if (readsAny([call], local)) return null; // the request changes between attempts
  if (!bodyIsOnlyRetry(shape, call, local)) return null;

  // how the original gives up, and whether with_retry's (re-raising the last error) is the same
  const test = loop.test as N | null | undefined;
  const unboundedByTest = loop.type === 'WhileStatement' && (isTruthy(test) || (!!resultName && !!test && onlyReads(test, resultName)));
  if (!trailing && !unboundedByTest && !rethrowsOnCounter(loop, shape.catchParam)) return null;

  const zero = stack.layers.length === 1 && stack.sdk.maxRetries !== 0 ? pythonMaxRetriesZeroEdit(text, ctx.call) : null;
  if (zero && (zero.start < call.range[0] || zero.end > call.range[1])) return null;
  let callText = zero ? text.slice(call.range[0], zero.start) + zero.text + text.slice(zero.end, call.range[1]) : text.slice(call.range[0], call.range[1]);
  callText = dedent(callText, lineIndent(text, call.range[0]).length - lineIndent(text, loop.range[0]).length);
  const name = shape.awaited ? PY_ASYNC_WITH_RETRY : PY_WITH_RETRY;
  const attempts = layer.attempts !== null && layer.attempts !== PY_HELPER_DEFAULT_ATTEMPTS ? `, max_attempts=${layer.attempts}` : '';
  const wrapped = `${shape.awaited ? 'await ' : ''}${name}(lambda: ${callText}${attempts})`;
  const replacement = shape.result.kind === 'return' ? `return ${wrapped}` : `${shape.result.name} = ${wrapped}`;

  // each removed statement goes with the space up to the next one, so the next takes its place and indent
  const edits: TextEdit[] = removed.map((s) => ({ start: s.range[0], end: list[list.indexOf(s) + 1].range[0], text: '' }));
  edits.push({ start: loop.range[0], end: trailing ? list[index + 1].range[1] : loop.range[1], text: replacement });
  return { title: `Replace this loop with ${name} (same result, re-raises the last error)`, edits: merge(edits), safe: false, needsRetryHelper: true, helperNames: [name] };
}

/** A `stream=` keyword that is not literally False. */
function mayStream(ctx: RuleContext): boolean {
  const v = getProp(ctx.call.request, 'stream');
  if (!v || v.kind === 'undefined') return false;
  return !(v.kind === 'boolean' && v.value === false) && v.kind !== 'null';
}

function merge(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start <= last.end) {
      last.end = Math.max(last.end, e.end);
      last.text += e.text;
    } else out.push({ ...e });
  }
  return out;
}

function lineIndent(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, at))?.[0] ?? '';
}

/** The call's continuation lines moved left by `by` columns (the levels the loop and try took), strings aside. */
function dedent(callText: string, by: number): string {
  if (by <= 0 || !callText.includes('\n') || /'''|"""/.test(callText)) return callText;
  const lines = callText.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const lead = /^[ \t]*/.exec(lines[i])?.[0] ?? '';
    if (lines[i].trim() === '') continue;
    if (lead.length < by) return callText; // a line the call wrote further left: keep it all as it is
  }
  return lines.map((l, i) => (i === 0 || l.trim() === '' ? l : l.slice(by))).join('\n');
}

/** The loop around the call, the call's try directly in its body, and the result's form. */
function loopShape(call: N, layer: RetryLayer): Shape | null {
  const awaited = call.parent?.type === 'AwaitExpression' && call.parent.argument === call;
  const expr: N = awaited ? (call.parent as N) : call;
  let loop: N | undefined = expr;
  while (loop && !(isLoop(loop) && loop.range[0] === layer.start)) {
    if (isFn(loop)) return null;
    loop = loop.parent;
  }
  if (!loop || (loop.type !== 'WhileStatement' && !(loop.type === 'ForOfStatement' && !loop.await && isRange(loop.right) && loop.left.type === 'Identifier'))) return null;
  if (loop.body.type !== 'BlockStatement') return null;
  const at = statementIn(loop);
  if (!at) return null;
  const body: N[] = loop.body.body;
  const tries = body.filter((s) => s.type === 'TryStatement');
  if (tries.length !== 1) return null;
  const t = tries[0];
  if (t.finalizer || !t.handler || (t.handler.param && t.handler.param.type !== 'Identifier')) return null;
  const next = body[body.indexOf(t) + 1];
  const elseIf = next && (next as PyNode).pyTryElse ? next : null;
  const block: N[] = t.block.body;
  const p = expr.parent as N;
  const elseBreaks = !!elseIf && elseIf.consequent.body.length === 1 && elseIf.consequent.body[0].type === 'BreakStatement';
  let result: Shape['result'] | null = null;
  let name: string | null = null;
  let first: N | null = null;
  if (p.type === 'ReturnStatement' && block.length === 1 && block[0] === p && !elseIf) result = { kind: 'return' };
  else if (p.type === 'AssignmentExpression' && p.operator === '=' && p.left.type === 'Identifier' && p.right === expr && p.parent?.type === 'ExpressionStatement') {
    name = p.left.name;
    first = p.parent;
  } else if (p.type === 'VariableDeclarator' && p.id.type === 'Identifier' && p.init === expr && p.parent?.declarations.length === 1) {
    name = p.id.name;
    first = p.parent as N;
  }
  if (name && first && block[0] === first) {
    const rest = block.slice(1);
    const returnsIt = rest.length === 1 && rest[0].type === 'ReturnStatement' && rest[0].argument?.type === 'Identifier' && rest[0].argument.name === name;
    if (returnsIt && !elseIf) result = { kind: 'return' };
    else if (rest.length === 1 && rest[0].type === 'BreakStatement' && !elseIf) result = { kind: 'assign', name };
    else if (rest.length === 0 && elseBreaks) result = { kind: 'assign', name };
    else if (rest.length === 0 && !elseIf && loop.type === 'WhileStatement' && loop.test && readsAny([loop.test], new Set([name]))) result = { kind: 'assign', name };
  }
  if (!result) return null;
  return { loop, list: at.list, index: at.index, tryStmt: t, elseIf, result, catchParam: t.handler.param?.name ?? null, awaited };
}

/** `range(n)`, `range(a, b)`: a loop over attempt numbers. */
function isRange(e: N): boolean {
  return e.type === 'CallExpression' && e.callee.type === 'Identifier' && e.callee.name === 'range';
}

function isTruthy(e: N | null | undefined): boolean {
  return !!e && e.type === 'Literal' && !!e.value;
}

/** The function body (or module) the loop is in. */
function scopeBody(loop: N): N {
  let p = loop.parent;
  while (p && !isFn(p) && p.type !== 'Program') p = p.parent;
  if (!p) return loop;
  return isFn(p) ? p.body : p;
}

/** Whether a name of `names` appears in `root` outside the `excluded` statements. */
function readsOutside(root: N, excluded: Set<N>, names: Set<string>): boolean {
  if (!names.size) return false;
  let hit = false;
  visit(root, (n) => {
    if (hit || excluded.has(n)) return false;
    if (n.type === 'Identifier' && names.has(n.name)) {
      const p = n.parent;
      if (!(p && p.type === 'MemberExpression' && p.property === n && !p.computed) && !(p && p.type === 'Property' && p.key === n && !p.computed)) hit = true;
    }
    return !hit;
  });
  return hit;
}

/** `x = 0`, `last_error = None`, `delay = 1.0` (a name set to a literal or a name): its name, else null. */
function simpleAssignNames(s: N): Set<string> | null {
  const simple = (v: N | null | undefined) => !!v && (v.type === 'Literal' || v.type === 'Identifier' || (v.type === 'UnaryExpression' && v.argument.type === 'Literal'));
  if (s.type === 'VariableDeclaration' && s.declarations.length === 1 && s.declarations[0].id.type === 'Identifier' && simple(s.declarations[0].init)) return new Set([s.declarations[0].id.name]);
  if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=' && s.expression.left.type === 'Identifier' && simple(s.expression.right)) return new Set([s.expression.left.name]);
  return null;
}

/** The names the loop assigns (its counter, declarations, assignments), but the result. */
function assignedIn(loop: N, resultName: string | null): Set<string> {
  const out = new Set<string>();
  if (loop.type === 'ForOfStatement' && loop.left.type === 'Identifier') out.add(loop.left.name);
  visit(loop.body, (n) => {
    if (isFn(n)) return false;
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') out.add(n.id.name);
    if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') out.add(n.left.name);
  });
  if (resultName) out.delete(resultName);
  return out;
}

/** `raise last_error` right after the loop, where the except stores the caught error in `last_error`. */
function after(list: N[], index: number, shape: Shape): boolean {
  const next = list[index + 1];
  if (!shape.catchParam || !next || next.type !== 'ThrowStatement' || next.argument?.type !== 'Identifier') return false;
  const name = next.argument.name;
  let stored = false;
  visit(shape.loop, (n) => {
    if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === name && n.right.type === 'Identifier' && n.right.name === shape.catchParam) stored = true;
  });
  return stored;
}

/** A bare `raise` (or `raise e`) of the caught error. */
function isReraise(n: N, param: string | null): boolean {
  return n.type === 'ThrowStatement' && (!n.argument || (!!param && n.argument.type === 'Identifier' && n.argument.name === param));
}

/** An `if` that tests the loop's counter and re-raises the caught error: the last attempt's error. */
function rethrowsOnCounter(loop: N, param: string | null): boolean {
  const counters = new Set<string>();
  if (loop.type === 'ForOfStatement' && loop.left.type === 'Identifier') counters.add(loop.left.name);
  visit(loop, (n) => {
    if (n.type === 'AssignmentExpression' && n.operator !== '=' && n.left.type === 'Identifier') counters.add(n.left.name);
  });
  let found = false;
  visit(loop.body, (n) => {
    if (n.type === 'IfStatement' && readsAny([n.test], counters)) {
      const c = n.consequent.type === 'BlockStatement' ? n.consequent.body[n.consequent.body.length - 1] : n.consequent;
      if (c && isReraise(c, param)) found = true;
    }
  });
  return found;
}

/**
 * Everything in the loop other than the guarded call is a wait, a read, an update of a loop-only name, a check
 * that re-raises the caught error (or continues), or logging in the except.
 */
function bodyIsOnlyRetry(shape: Shape, call: N, local: Set<string>): boolean {
  const { loop, tryStmt, elseIf } = shape;
  const handler = tryStmt.handler.body;
  const resultName = shape.result.kind === 'assign' ? shape.result.name : null;
  let ok = true;
  visit(loop, (n) => {
    if (!ok) return false;
    if (n === call) return false;
    if (isFn(n) || (n as PyNode).pyWith) {
      ok = false;
      return false;
    }
    switch (n.type) {
      case 'ThrowStatement':
        ok = contains(handler, n) && isReraise(n, shape.catchParam);
        break;
      case 'BreakStatement':
        ok = !n.label && (contains(tryStmt.block, n) || (!!elseIf && contains(elseIf, n)));
        break;
      case 'ContinueStatement':
        ok = !n.label;
        break;
      case 'ReturnStatement':
        ok = contains(tryStmt.block, n);
        break;
      case 'YieldExpression':
      case 'LabeledStatement':
        ok = false;
        break;
      case 'UnaryExpression':
        ok = n.operator !== 'delete';
        break;
      case 'AssignmentExpression':
        ok = n.left.type === 'Identifier' && (local.has(n.left.name) || (n.left.name === resultName && (n.right === call || n.right.argument === call)));
        break;
      case 'VariableDeclarator':
        ok = n.id.type === 'Identifier' && (local.has(n.id.name) || n.id.name === resultName);
        break;
      case 'CallExpression':
        ok = allowedCall(n, handler);
        break;
      case 'AwaitExpression':
        ok = n.argument === call || isWait(n.argument);
        break;
    }
    return ok;
  });
  return ok;
}

function calleeName(e: N): string | null {
  const c = e.callee;
  return c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' ? propName(c) ?? null : null;
}

function isWait(e: N): boolean {
  if (e.type !== 'CallExpression') return false;
  const name = calleeName(e);
  return !!name && WAIT_CALLEE.test(name);
}

function allowedCall(n: N, handler: N): boolean {
  const c = n.callee;
  if (c.type === 'Identifier') {
    if (READ_CALLS.has(c.name) || WAIT_CALLEE.test(c.name)) return true;
    if (c.name === 'print') return contains(handler, n);
    return inTest(n); // a predicate in a condition: if not is_retryable(e): raise
  }
  if (c.type !== 'MemberExpression') return false;
  const obj = c.object;
  if (obj.type === 'Identifier' && LOGGER.test(obj.name)) return contains(handler, n);
  const m = propName(c) ?? '';
  return READ_METHODS.has(m) || WAIT_CALLEE.test(m);
}

/** Whether `e` reads only `name` (and literals): `response is None`, `not response`. */
function onlyReads(e: N, name: string): boolean {
  let only = true;
  visit(e, (n) => {
    if (n.type === 'Identifier' && n.name !== name) only = false;
    if (n.type === 'CallExpression' || n.type === 'MemberExpression') only = false;
    return only;
  });
  return only;
}
