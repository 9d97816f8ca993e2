// Which transient failures a retry layer is known never to retry (RetryLayer.misses): its handler, predicate or
// error list is run in the mind once per transient failure (529, 429, 500, a connection error, a timeout).
// Only a decision the analysis can follow to the end counts: every way through the handler stops for that
// failure. A test it cannot decide (a classifier call, an attempt counter) keeps both ways open, so an unknown
// predicate never yields a miss.

import type { RetryShapeAnalyzer } from './analyzer';
import { calleeName, contains, isFn, isIdent, isMessagesReceiver, propName, unwrapExpr, visit, visitSameFunction } from './ast';
import type { N, RetryLayer, Transient, TryFrame } from './model';
import { evalExpr, instanceOf, PY_OVERLOADED_SEPARATE_SINCE, truth, UNKNOWN } from './statusSets';
import type { Subject } from './statusSets';
import type { Options } from './values';

export const TRANSIENTS: Transient[] = [529, 429, 500, 'connection', 'timeout'];

/** How a way through a handler ends: the error is not retried, it is retried, or the handler runs to its end. */
type Out = 'stop' | 'retry' | 'falls';
const ALL: ReadonlySet<Out> = new Set<Out>(['stop', 'retry', 'falls']);
const FALLS: ReadonlySet<Out> = new Set<Out>(['falls']);

/** What the statements that end a handler mean for the layer reading it. */
interface Mode {
  /** A statement the layer reads in its own way (a recursive call, `bail(err)`), or null. */
  special?(st: N, s: Subject): ReadonlySet<Out> | null;
  throwOut(st: N): Out;
  returnOut(st: N, s: Subject): ReadonlySet<Out>;
  /** `continue` (in a loop: another attempt). */
  continueOut: Out;
  breakOut: Out;
  /** Running off the end of the handler. */
  endOut: Out;
}

function one(o: Out): ReadonlySet<Out> {
  return new Set([o]);
}

function outcomes(cx: RetryShapeAnalyzer, st: N | null | undefined, s: Subject, mode: Mode): ReadonlySet<Out> {
  if (!st) return FALLS;
  if (st.type === 'BlockStatement') {
    const acc = new Set<Out>();
    for (const x of st.body) {
      const r = outcomes(cx, x, s, mode);
      for (const o of r) if (o !== 'falls') acc.add(o);
      if (!r.has('falls')) return acc;
    }
    acc.add('falls');
    return acc;
  }
  if (st.type === 'IfStatement') {
    const t = truth(evalExpr(cx, st.test, s));
    if (t === UNKNOWN) return new Set([...outcomes(cx, st.consequent, s, mode), ...outcomes(cx, st.alternate, s, mode)]);
    return outcomes(cx, t ? st.consequent : st.alternate, s, mode);
  }
  const special = mode.special?.(st, s);
  if (special) return special;
  switch (st.type) {
    case 'ThrowStatement':
      return one(mode.throwOut(st));
    case 'ReturnStatement':
      return mode.returnOut(st, s);
    case 'ContinueStatement':
      return st.label ? ALL : one(mode.continueOut);
    case 'BreakStatement':
      return st.label ? ALL : one(mode.breakOut);
    case 'EmptyStatement':
      return FALLS;
    case 'ExpressionStatement':
    case 'VariableDeclaration':
      return FALLS;
  }
  // loops, switch, try, labelled statements…: anything may happen inside
  let leaves = false;
  visit(st, (n) => {
    if (leaves || (n !== st && isFn(n))) return false;
    if (n.type === 'ThrowStatement' || n.type === 'ReturnStatement' || n.type === 'BreakStatement' || n.type === 'ContinueStatement') leaves = true;
    return !leaves;
  });
  return leaves ? ALL : FALLS;
}

/** Every way through the handler stops for `s` (the end of the handler counted as `mode.endOut`). */
function alwaysStops(cx: RetryShapeAnalyzer, handler: N, s: Subject, mode: Mode): boolean {
  for (const o of outcomes(cx, handler, s, mode)) {
    if ((o === 'falls' ? mode.endOut : o) !== 'stop') return false;
  }
  return true;
}

/** What a layer is known never to retry, as its fields (empty when nothing is). */
export type MissFields = Pick<RetryLayer, 'misses' | 'missesFrom'>;

/**
 * The transients for which `stops` holds, in TRANSIENTS order. In Python a 529 is run twice: as an
 * OverloadedError and as the InternalServerError that SDKs before 0.47 raised; missed only as the former,
 * it is a miss from that version on.
 */
export function missed(cx: RetryShapeAnalyzer, stops: (s: Subject) => boolean): MissFields {
  let misses = TRANSIENTS.filter(stops);
  const out: MissFields = {};
  if (cx.python && misses.includes(529) && !stops('overloaded-legacy')) {
    misses = misses.filter((m) => m !== 529);
    out.missesFrom = { version: PY_OVERLOADED_SEPARATE_SINCE, misses: [529] };
  }
  if (misses.length) out.misses = misses;
  return out;
}

/** A loop's catch handlers: throw, return and break leave the loop; continue and the handler's end try again. */
const LOOP: Mode = {
  throwOut: () => 'stop',
  returnOut: () => one('stop'),
  continueOut: 'retry',
  breakOut: 'stop',
  endOut: 'retry',
};

/** A `.catch(cb)` callback in a loop: its `return` hands a value on and the loop body goes on (not followed). */
const LOOP_PROMISE_CATCH: Mode = { ...LOOP, returnOut: () => one('retry') };

/** Transients a retry loop never retries: every handler stops for them. */
export function loopMisses(cx: RetryShapeAnalyzer, tries: TryFrame[]): MissFields {
  if (!tries.length) return {};
  return missed(cx, (s) => tries.every((t) => alwaysStops(cx, t.handler, s, t.node.type === 'CatchClause' ? LOOP : LOOP_PROMISE_CATCH)));
}

/** Transients a recursive retry never retries: its handler never reaches the call `rec` that tries again. */
export function recursionMisses(cx: RetryShapeAnalyzer, handler: N, rec: N): MissFields {
  const mode: Mode = {
    special: (st) => (contains(st, rec) ? one('retry') : null),
    throwOut: () => 'stop',
    returnOut: () => one('stop'),
    continueOut: 'stop',
    breakOut: 'stop',
    // after the handler the function goes on: not followed
    endOut: 'retry',
  };
  return missed(cx, (s) => alwaysStops(cx, handler, s, mode));
}

/**
 * A predicate function (`shouldRetry`, `retry`, `handleWhen`) answers false for `s` on every way through it
 * (a throw inside counts as no retry).
 */
export function predicateRejects(cx: RetryShapeAnalyzer, fnExpr: N | undefined, s: Subject): boolean {
  if (!fnExpr) return false;
  const fn = cx.functionOf(fnExpr);
  if (!fn) return false;
  if (fn.body.type !== 'BlockStatement') return truth(evalExpr(cx, fn.body, s)) === false;
  const mode: Mode = {
    throwOut: () => 'stop',
    returnOut: (st, subj) => {
      if (!st.argument) return one('stop');
      const t = truth(evalExpr(cx, st.argument, subj));
      return t === UNKNOWN ? new Set<Out>(['stop', 'retry']) : one(t ? 'retry' : 'stop');
    },
    continueOut: 'retry',
    breakOut: 'retry',
    endOut: 'retry',
  };
  return alwaysStops(cx, fn.body, s, mode);
}

/** The handlers of the try statements in `fn` (same function) whose block makes a Messages API call. */
function apiCatchHandlers(fn: N): N[] {
  const out: N[] = [];
  visitSameFunction(fn.body, (n) => {
    if (n.type !== 'TryStatement' || !n.handler) return;
    let api = false;
    visitSameFunction(n.block, (m) => {
      if (m.type === 'CallExpression' && unwrapExpr(m.callee).type === 'MemberExpression' && isMessagesReceiver(unwrapExpr(m.callee).object)) api = true;
      return !api;
    });
    if (api) out.push(n.handler.body);
  });
  return out;
}

/** `throw new AbortError(…)` / `throw new pRetry.AbortError(…)`. */
function isAbortThrow(st: N): boolean {
  const a = st.argument ? unwrapExpr(st.argument) : null;
  if (!a || a.type !== 'NewExpression') return false;
  const c = unwrapExpr(a.callee);
  return isIdent(c, 'AbortError') || (c.type === 'MemberExpression' && propName(c) === 'AbortError');
}

/**
 * p-retry: a transient is never retried when `shouldRetry` answers false for it, when the function's catch
 * around the API call always throws an AbortError for it, or when `onFailedAttempt` always throws for it.
 */
export function pRetryMisses(cx: RetryShapeAnalyzer, fnArg: N | undefined, opt: Options): MissFields {
  const fn = fnArg ? cx.functionOf(fnArg) : null;
  const handlers = fn ? apiCatchHandlers(fn) : [];
  const abortMode: Mode = {
    throwOut: (st) => (isAbortThrow(st) ? 'stop' : 'retry'),
    returnOut: () => one('stop'),
    continueOut: 'retry',
    breakOut: 'retry',
    endOut: 'retry',
  };
  const onFailed = opt.props.get('onFailedAttempt');
  const onFailedFn = onFailed ? cx.functionOf(onFailed) : null;
  const throwMode: Mode = { throwOut: () => 'stop', returnOut: () => one('retry'), continueOut: 'retry', breakOut: 'retry', endOut: 'retry' };
  return missed(
    cx,
    (s) =>
      predicateRejects(cx, opt.props.get('shouldRetry'), s) ||
      (handlers.length > 0 && handlers.every((h) => alwaysStops(cx, h, s, abortMode))) ||
      (!!onFailedFn && onFailedFn.body.type === 'BlockStatement' && alwaysStops(cx, onFailedFn.body, s, throwMode)),
  );
}

/** async-retry: the function's catch around the API call always calls `bail` for the transient. */
export function asyncRetryMisses(cx: RetryShapeAnalyzer, fnArg: N | undefined): MissFields {
  const fn = fnArg ? cx.functionOf(fnArg) : null;
  const bail = fn?.params[0];
  if (!fn || !bail || bail.type !== 'Identifier') return {};
  const handlers = apiCatchHandlers(fn);
  if (!handlers.length) return {};
  const callsBail = (e: N | null | undefined): boolean => {
    if (!e) return false;
    const x = unwrapExpr(e.type === 'AwaitExpression' ? e.argument : e);
    return x.type === 'CallExpression' && isIdent(x.callee, bail.name);
  };
  const mode: Mode = {
    special: (st) => (st.type === 'ExpressionStatement' && callsBail(st.expression) ? one('stop') : null),
    throwOut: () => 'retry',
    returnOut: () => one('stop'),
    continueOut: 'retry',
    breakOut: 'retry',
    endOut: 'retry',
  };
  return missed(cx, (s) => handlers.every((h) => alwaysStops(cx, h, s, mode)));
}

/** A predicate option (exponential-backoff's `retry`, the helper's `shouldRetry`) that answers false. */
export function predicateMisses(cx: RetryShapeAnalyzer, predicate: N | undefined): MissFields {
  if (!predicate) return {};
  return missed(cx, (s) => predicateRejects(cx, predicate, s));
}

/**
 * cockatiel: the errors a policy handles, from `handleType(Class[, pred])`, `handleWhen(pred)` and their
 * `orType` / `orWhen` chains; a transient none of them handles is never retried. `handleAll`: none missed.
 */
export function cockatielMisses(cx: RetryShapeAnalyzer, handler: N | null): MissFields {
  if (!handler) return {};
  const parts: Array<{ kind: 'type' | 'when'; args: N[] }> = [];
  let cur: N = unwrapExpr(handler);
  if (cur.type === 'Identifier') {
    if (cur.name === 'handleAll') return {};
    const b = cx.resolveName(cur.name, cur);
    if (!b || b.kind !== 'const' || !b.init) return {};
    cur = unwrapExpr(b.init as unknown as N);
  }
  // from the outside in: `Policy.handleType(A).orType(B).retry().attempts(3)` or `handleWhen(pred)`
  while (cur.type === 'CallExpression') {
    const name = calleeName(cur);
    if (name === 'handleAll') return {};
    if (name === 'handleType' || name === 'orType') parts.push({ kind: 'type', args: cur.arguments });
    else if (name === 'handleWhen' || name === 'orWhen') parts.push({ kind: 'when', args: cur.arguments });
    else if (name === 'handleResultType' || name === 'handleWhenResult' || name === 'orResultType' || name === 'orWhenResult') return {};
    const c = unwrapExpr(cur.callee);
    if (c.type !== 'MemberExpression') break;
    cur = unwrapExpr(c.object);
  }
  if (!parts.length) return {};
  const handles = (p: { kind: 'type' | 'when'; args: N[] }, s: Subject): boolean => {
    if (p.kind === 'when') return !predicateRejects(cx, p.args[0], s);
    if (!p.args[0]) return true;
    const is = instanceOf(cx, p.args[0], s);
    if (is === false) return false;
    return p.args[1] ? !predicateRejects(cx, p.args[1], s) : true;
  };
  return missed(cx, (s) => parts.every((p) => !handles(p, s)));
}
