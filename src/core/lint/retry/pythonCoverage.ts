// Which transient failures a Python retry library is known never to retry (RetryLayer.misses), read from the
// exceptions it is given: tenacity's `retry=` (`retry_if_exception_type((A, B))`, `retry_if_not_exception_type`,
// `retry_if_exception(pred)`, `|` / `&` and `retry_any` / `retry_all` of them), backoff's `on_exception(wait,
// (A, B))` (and a `giveup=` lambda that always gives up), stamina's `retry(on=(A, B))` or `on=` hook.
// Each transient failure (529, 429, 500, a connection error, a timeout; a 529 also as the InternalServerError
// that SDKs before 0.47 raised) is run through the filter: a class that is not one of the SDK's (or Python's
// Exception), a predicate the analysis cannot follow or arguments from elsewhere leave it open, never a miss.

import type { RetryShapeAnalyzer } from './analyzer';
import { unwrapExpr } from './ast';
import type { N } from './model';
import type { MissFields } from './coverage';
import { missed, predicateRejects } from './coverage';
import { classKind, classList, constValue, pyArgs } from './pythonArgs';
import type { Subject } from './statusSets';
import { evalExpr, instanceOf, truth, UNKNOWN } from './statusSets';

/** Whether a layer retries the failure: true, false, or null when it cannot be told. */
export type Retries = (s: Subject) => boolean | null;

export const RETRIES_ALL: Retries = () => true;
export const RETRIES_UNKNOWN: Retries = () => null;

function or(a: Retries, b: Retries): Retries {
  return (s) => {
    const x = a(s);
    const y = b(s);
    return x === true || y === true ? true : x === false && y === false ? false : null;
  };
}

export function and(a: Retries, b: Retries): Retries {
  return (s) => {
    const x = a(s);
    const y = b(s);
    return x === false || y === false ? false : x === true && y === true ? true : null;
  };
}

function not(a: Retries): Retries {
  return (s) => {
    const x = a(s);
    return x === null ? null : !x;
  };
}

/** The failures a tuple (or one class, or a name bound once to either) of exception classes catches. */
export function classesRetries(cx: RetryShapeAnalyzer, e: N): Retries {
  const list = classList(cx, e);
  if (!list || list.some((c) => classKind(cx, c) === 'unknown')) return RETRIES_UNKNOWN;
  return (s) => {
    let open = false;
    for (const c of list) {
      const v = instanceOf(cx, c, s);
      if (v === UNKNOWN) open = true;
      else if (v) return true;
    }
    return open ? null : false;
  };
}

/** A predicate of the exception (true: retry): false where every way through it answers false. */
function predicateRetries(cx: RetryShapeAnalyzer, fn: N): Retries {
  return (s) => (predicateRejects(cx, fn, s) ? false : null);
}

/** tenacity's `retry=` as a Retries; `name` tells which tenacity function a callee is (null: not tenacity's). */
export function tenacityRetries(cx: RetryShapeAnalyzer, e: N, name: (callee: N) => string | null, depth = 0): Retries {
  if (depth > 6) return RETRIES_UNKNOWN;
  const x = constValue(cx, e);
  if (x.type === 'BinaryExpression' && (x.operator === '|' || x.operator === '&')) {
    const l = tenacityRetries(cx, x.left, name, depth + 1);
    const r = tenacityRetries(cx, x.right, name, depth + 1);
    return x.operator === '|' ? or(l, r) : and(l, r);
  }
  const isCall = x.type === 'CallExpression' || x.type === 'NewExpression';
  const fn = name(isCall ? x.callee : x);
  if (!fn) return RETRIES_UNKNOWN; // a callable of the retry state
  const first = (params: string[]): N | undefined => (isCall ? pyArgs(cx, x, params).props.get(params[0]) : undefined);
  switch (fn) {
    case 'retry_if_exception_type': {
      const types = first(['exception_types']);
      return types ? classesRetries(cx, types) : RETRIES_ALL;
    }
    case 'retry_if_not_exception_type':
    case 'retry_unless_exception_type': {
      const types = first(['exception_types']);
      return types ? not(classesRetries(cx, types)) : () => false;
    }
    case 'retry_if_exception': {
      const p = first(['predicate']);
      return p ? predicateRetries(cx, constValue(cx, p)) : RETRIES_UNKNOWN;
    }
    case 'retry_always':
      return RETRIES_ALL;
    case 'retry_never':
    case 'retry_if_result':
    case 'retry_if_not_result':
      return () => false;
    case 'retry_any':
    case 'retry_all': {
      if (!isCall || !x.arguments.length) return RETRIES_UNKNOWN;
      const parts = (x.arguments as N[]).map((p) => (p.type === 'SpreadElement' || p.pyKwargs ? RETRIES_UNKNOWN : tenacityRetries(cx, p, name, depth + 1)));
      return parts.reduce(fn === 'retry_any' ? or : and);
    }
    default:
      return RETRIES_UNKNOWN;
  }
}

/** backoff's `giveup=`: a lambda whose answer is true (give up) for the failure stops it. */
export function giveupRetries(cx: RetryShapeAnalyzer, e: N): Retries {
  const f = cx.functionOf(constValue(cx, e));
  if (!f || f.body.type === 'BlockStatement') return RETRIES_UNKNOWN;
  return (s) => (truth(evalExpr(cx, unwrapExpr(f.body), s)) === true ? false : null);
}

/** stamina's `on=` hook (True / False, or a wait in seconds): false where it always answers False. */
export function hookRetries(cx: RetryShapeAnalyzer, e: N): Retries {
  return predicateRetries(cx, constValue(cx, e));
}

/** The misses of a library layer from what it retries. */
export function libraryMisses(cx: RetryShapeAnalyzer, retries: Retries): MissFields {
  return missed(cx, (s) => retries(s) === false);
}
