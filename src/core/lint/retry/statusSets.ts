// Which final statuses a retry's catch handler still retries. The handler is run in the mind once per final
// status (400, 401, 403, 404, 413, 422) with `err.status` bound to it: a test it cannot decide (a classifier
// call, an unknown flag) makes the answer unknown, and the coarser "reads the status" judgment stands.
// `if (e.status === 400) throw e` still retries 401, 403, 404, 413 and 422; `if (!RETRYABLE.has(status))
// throw e` and `status >= 500 || status === 429` retry none of them.

import type { RetryShapeAnalyzer } from './analyzer';
import { calleeName, isFn, propName, unwrapExpr, visit } from './ast';
import { failoverMovesOn } from './failover';
import type { Failover, N } from './model';
import { PY_CLASS_STATUS } from './pythonFacts';

/** The statuses that fail the same way on every attempt. */
export const FINAL_STATUSES = [400, 401, 403, 404, 413, 422];

export const UNKNOWN = Symbol('unknown');
export type V = number | string | boolean | null | undefined | typeof UNKNOWN;
/**
 * The failure a handler is run against: a status error with that status, a connection error (a plain one, or
 * its timeout subclass), which has no status (JS: `status` undefined; Python: no `status_code`), or a 529 as
 * Python SDKs before `OverloadedError` raised it (an `InternalServerError`; see PY_OVERLOADED_SEPARATE_SINCE).
 */
export type Subject = number | 'connection' | 'timeout' | 'overloaded-legacy';

/**
 * `anthropic` (Python) 0.47.0 added `OverloadedError` for 529 as a sibling of `InternalServerError` (both
 * `APIStatusError`s; the SDK's changelog: "client: add more status exceptions"): from then on `except
 * InternalServerError` no longer catches a 529. Before, a 529 raised `InternalServerError`. In the JS SDK
 * `OverloadedError` extends `InternalServerError`.
 */
export const PY_OVERLOADED_SEPARATE_SINCE: [number, number] = [0, 47];

/** The status a subject carries (null for a connection error). */
function statusNumber(s: Subject): number | null {
  return typeof s === 'number' ? s : s === 'overloaded-legacy' ? 529 : null;
}

const STATUS_PROPS = new Set(['status', 'statusCode', 'status_code']);
const STATUS_NAMES = /^(status|statusCode|status_code|httpStatus|code)$/;
/** The SDK's error classes by the status they stand for (true: any status error). */
const CLASS_STATUS: Record<string, number | 'any' | 'none' | '5xx'> = {
  BadRequestError: 400,
  AuthenticationError: 401,
  PermissionDeniedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ContentTooLargeError: 413,
  UnprocessableEntityError: 422,
  RateLimitError: 429,
  InternalServerError: '5xx',
  OverloadedError: 529,
  ServiceUnavailableError: 503,
  GatewayTimeoutError: 504,
  RequestTimeoutError: 408,
  APIConnectionError: 'none',
  APIConnectionTimeoutError: 'none',
  APITimeoutError: 'none',
  APIUserAbortError: 'none',
  APIError: 'any',
  APIStatusError: 'any',
  AnthropicError: 'any',
  Error: 'any',
};
/** `error.type` in the API's error body, by status. */
const ERROR_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};
/** For a connection error: whether `err instanceof Class` holds (undefined: the class is no connection class). */
const CONNECTION_CLASS: Record<string, { connection: boolean; timeout: boolean }> = {
  APIConnectionError: { connection: true, timeout: true },
  APIConnectionTimeoutError: { connection: false, timeout: true },
  APITimeoutError: { connection: false, timeout: true },
  APIStatusError: { connection: false, timeout: false },
};

export function truth(v: V): boolean | typeof UNKNOWN {
  return v === UNKNOWN ? UNKNOWN : !!v;
}

/** The elements of a literal list or set (directly or through a const binding), or null. */
export function literalList(cx: RetryShapeAnalyzer, e: N, depth: number): V[] | null {
  let x = unwrapExpr(e);
  if (x.type === 'Identifier') {
    const b = cx.resolveName(x.name, x);
    if (!b || b.kind !== 'const' || !b.init || depth > 2) return null;
    return literalList(cx, b.init as unknown as N, depth + 1);
  }
  if (x.type === 'NewExpression' && x.callee.type === 'Identifier' && x.callee.name === 'Set' && x.arguments[0]) x = unwrapExpr(x.arguments[0]);
  // Python: frozenset({429, 529}), set([...]), tuple(...)
  if (cx.python && x.type === 'CallExpression' && x.arguments.length === 1 && x.callee.type === 'Identifier' && /^(frozenset|set|tuple|list)$/.test(x.callee.name)) return literalList(cx, x.arguments[0], depth + 1);
  if (x.type !== 'ArrayExpression') return null;
  const out: V[] = [];
  for (const el of x.elements) {
    if (!el || el.type !== 'Literal') return null;
    out.push(el.value);
  }
  return out;
}

/** Whether the error `s` is an instance of the SDK error class `cls` (a name or `Anthropic.X`); UNKNOWN for other classes. */
export function instanceOf(cx: RetryShapeAnalyzer, cls: N, s: Subject): V {
  const r = unwrapExpr(cls);
  const name = r.type === 'Identifier' ? r.name : r.type === 'MemberExpression' ? propName(r) ?? '' : '';
  const st = (cx.python ? PY_CLASS_STATUS[name] : undefined) ?? CLASS_STATUS[name];
  if (st === undefined) return UNKNOWN;
  const n = statusNumber(s);
  if (n === null) {
    const c = CONNECTION_CLASS[name];
    return c ? c[s as 'connection' | 'timeout'] : st === 'any';
  }
  if (st === 'any') return true;
  if (st === 'none') return false;
  // Python: a 529 is an OverloadedError, outside InternalServerError (but for the SDKs before it existed)
  if (st === '5xx') return n >= 500 && !(cx.python && n === 529 && s !== 'overloaded-legacy');
  if (s === 'overloaded-legacy' && name === 'OverloadedError') return false;
  return st === n;
}

/** The status a status property or name reads: the subject's, or for a connection error none (JS) / unknown. */
function statusOf(cx: RetryShapeAnalyzer, s: Subject): V {
  const n = statusNumber(s);
  return n !== null ? n : cx.python ? UNKNOWN : undefined;
}

/** The value of `e` when the caught error is `s` (UNKNOWN when it cannot be told statically). */
export function evalExpr(cx: RetryShapeAnalyzer, e: N, s: Subject, depth = 0): V {
  if (depth > 6) return UNKNOWN;
  const x = unwrapExpr(e);
  const ev = (y: N) => evalExpr(cx, y, s, depth + 1);
  switch (x.type) {
    case 'Literal':
      return typeof x.value === 'number' || typeof x.value === 'string' || typeof x.value === 'boolean' || x.value === null ? x.value : UNKNOWN;
    case 'Identifier': {
      if (x.name === 'undefined') return undefined;
      if (statusNumber(s) === null) {
        // a connection error: a name bound to an expression (`const status = err.status ?? 0`) is followed
        const c = cx.resolveName(x.name, x);
        if (c && c.kind === 'const' && c.init && (c.declaration as unknown as N)?.id?.type === 'Identifier') return ev(c.init as unknown as N);
        return STATUS_NAMES.test(x.name) && x.name !== 'code' ? statusOf(cx, s) : UNKNOWN;
      }
      if (STATUS_NAMES.test(x.name)) return statusNumber(s);
      const b = cx.resolveName(x.name, x);
      if (b && b.kind === 'const' && b.init) return ev(b.init as unknown as N);
      return UNKNOWN;
    }
    case 'MemberExpression': {
      const name = propName(x) ?? '';
      if (STATUS_PROPS.has(name)) return statusOf(cx, s);
      if (name === 'type' && unwrapExpr(x.object).type === 'MemberExpression' && propName(unwrapExpr(x.object)) === 'error') {
        const n = statusNumber(s);
        if (n !== null) return ERROR_TYPE[n] ?? UNKNOWN;
        // a connection error has no body: `err.error?.type` is undefined
        return x.optional && !cx.python ? undefined : UNKNOWN;
      }
      return UNKNOWN;
    }
    case 'UnaryExpression': {
      if (x.operator !== '!') return UNKNOWN;
      const t = truth(ev(x.argument));
      return t === UNKNOWN ? UNKNOWN : !t;
    }
    case 'LogicalExpression': {
      const a = ev(x.left);
      const ta = truth(a);
      if (x.operator === '&&') {
        if (ta === false) return a;
        const b = ev(x.right);
        if (ta === true) return b;
        return truth(b) === false ? false : UNKNOWN;
      }
      if (x.operator === '||') {
        if (ta === true) return a;
        const b = ev(x.right);
        if (ta === false) return b;
        return truth(b) === true ? true : UNKNOWN;
      }
      if (a === UNKNOWN) return UNKNOWN;
      return a === null || a === undefined ? ev(x.right) : a;
    }
    case 'BinaryExpression': {
      if (x.operator === 'instanceof') return instanceOf(cx, x.right, s);
      if (x.operator === 'in') {
        // Python: status in (429, 529), status in RETRYABLE
        const list = literalList(cx, x.right, 0);
        const v = ev(x.left);
        return !list || v === UNKNOWN ? UNKNOWN : list.includes(v);
      }
      const a = ev(x.left);
      const b = ev(x.right);
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      // JS: a missing status compares false (`undefined >= 500`)
      if ((a === undefined || b === undefined) && ['<', '<=', '>', '>='].includes(x.operator) && !cx.python) return false;
      switch (x.operator) {
        case '===': return a === b;
        case '!==': return a !== b;
        // eslint-disable-next-line eqeqeq
        case '==': return a == b;
        // eslint-disable-next-line eqeqeq
        case '!=': return a != b;
      }
      if (typeof a !== 'number' || typeof b !== 'number') return UNKNOWN;
      switch (x.operator) {
        case '<': return a < b;
        case '<=': return a <= b;
        case '>': return a > b;
        case '>=': return a >= b;
      }
      return UNKNOWN;
    }
    case 'CallExpression': {
      const c = unwrapExpr(x.callee);
      // Python: getattr(e, "status_code", None)
      if (cx.python && c.type === 'Identifier' && c.name === 'getattr' && x.arguments[1]?.type === 'Literal' && STATUS_PROPS.has(String(x.arguments[1].value))) {
        // a connection error has no status_code: the default (None when given), or AttributeError
        if (statusNumber(s) === null) return x.arguments[2] ? ev(x.arguments[2]) : UNKNOWN;
        return statusNumber(s);
      }
      if (c.type !== 'MemberExpression' || x.arguments.length !== 1) return UNKNOWN;
      const m = propName(c);
      if (m !== 'includes' && m !== 'has') return UNKNOWN;
      const list = literalList(cx, c.object, 0);
      if (!list) return UNKNOWN;
      const v = ev(x.arguments[0]);
      return v === UNKNOWN ? UNKNOWN : list.includes(v);
    }
  }
  return UNKNOWN;
}

type Outcome = 'leaves' | 'retries' | 'falls' | typeof UNKNOWN;

/** Whether a statement may leave (throw/return/break) somewhere inside, nested functions aside. */
function mayLeave(st: N): boolean {
  let hit = false;
  visit(st, (n) => {
    if (hit || isFn(n)) return false;
    if (n.type === 'ThrowStatement' || n.type === 'ReturnStatement' || n.type === 'BreakStatement' || n.type === 'ContinueStatement') hit = true;
    return !hit;
  });
  return hit;
}

function exec(cx: RetryShapeAnalyzer, st: N | null | undefined, s: number): Outcome {
  if (!st) return 'falls';
  switch (st.type) {
    case 'ThrowStatement':
    case 'ReturnStatement':
    case 'BreakStatement':
      return 'leaves';
    case 'ContinueStatement':
      return 'retries';
    case 'BlockStatement':
      for (const x of st.body) {
        const r = exec(cx, x, s);
        if (r !== 'falls') return r;
      }
      return 'falls';
    case 'IfStatement': {
      const t = truth(evalExpr(cx, st.test, s));
      if (t === UNKNOWN) {
        const a = exec(cx, st.consequent, s);
        return a === exec(cx, st.alternate, s) ? a : UNKNOWN;
      }
      return exec(cx, t ? st.consequent : st.alternate, s);
    }
    default:
      return mayLeave(st) ? UNKNOWN : 'falls';
  }
}

/**
 * The final statuses the handlers of a retry loop still retry, in order; null when a handler's decision
 * cannot be followed for some status.
 */
export function retriedFinalStatuses(cx: RetryShapeAnalyzer, handlers: N[]): number[] | null {
  const out: number[] = [];
  for (const s of FINAL_STATUSES) {
    let retried = false;
    for (const h of handlers) {
      const r = exec(cx, h, s);
      if (r === UNKNOWN) return null;
      if (r !== 'leaves') retried = true;
    }
    if (retried) out.push(s);
  }
  return out;
}

/** "401, 403, 404, 413 and 422". */
export function statusList(statuses: number[]): string {
  return statuses.length < 2 ? statuses.join('') : `${statuses.slice(0, -1).join(', ')} and ${statuses[statuses.length - 1]}`;
}

/** Whether the loop looks at the error outside its catch handlers (then the handlers alone do not decide). */
export function decidesOutside(body: N, handlers: N[]): boolean {
  let hit = false;
  visit(body, (n) => {
    if (hit || handlers.includes(n) || isFn(n)) return false;
    if (n.type === 'MemberExpression' && STATUS_PROPS.has(propName(n) ?? '')) hit = true;
    if (n.type === 'BinaryExpression' && n.operator === 'instanceof') hit = true;
    if (n.type === 'CallExpression' && /retr[iy]able|classif|shouldRetry|isTransient|isFinal|isFatal|isPermanent/i.test(calleeName(n) ?? '')) hit = true;
    return !hit;
  });
  return hit;
}

/**
 * Whether a retry loop tells final errors from retryable ones: the followed answer when its handlers decide
 * alone, else the coarse one (`coarse`: the handlers read a status or call a classifier). `retriesFinal`
 * names what a partial check still retries. A failover may rightly move on after a status tied to where it
 * sent the request (a 404 for a model, a 401 for a key).
 */
export function statusJudgment(cx: RetryShapeAnalyzer, loop: N, handlers: N[], failover: Failover | null, coarse: boolean): { statusAware: boolean; retriesFinal?: number[] } {
  const retried = decidesOutside(loop.body, handlers) ? null : retriedFinalStatuses(cx, handlers);
  if (!retried) return { statusAware: coarse };
  const finals = retried.filter((s) => !failover || !failoverMovesOn(failover, s));
  // some final statuses stop it, others do not (a catch-all is reported as one)
  const partial = retried.length < FINAL_STATUSES.length && finals.length > 0;
  return { statusAware: finals.length === 0, ...(partial ? { retriesFinal: finals } : {}) };
}
