// What a region (a catch handler, a loop body, a function) reads and does: statuses, error classes,
// retry-after, waits, throws, clock reads, classifier calls.

import type { RetryShapeAnalyzer } from './analyzer';
import { calleeName, contains, isFn, isIdent, isMemberCall, propName, unwrapExpr, visit } from './ast';
import type { N } from './model';
import { SDK_STATUS_CLASSES } from './sdkFacts';
import { PY_STATUS_CLASSES, isPyClock, isPyPow, isPyRandom, isSyncSleep } from './pythonFacts';

export interface WaitCall {
  node: N;
  delay: N | null;
  /** A same-file wait function (its body decides growth and jitter). */
  fn: N | null;
}

export interface RegionFacts {
  statusAware: boolean;
  classifierCall: boolean;
  mentions429: boolean;
  readsRetryAfter: boolean;
  waits: WaitCall[];
  throws: boolean;
  pRetryAbort: boolean;
  timeCheck: boolean;
  growthOps: boolean;
  random: boolean;
  bailCalled?: boolean;
}

function emptyFacts(): RegionFacts {
  return { statusAware: false, classifierCall: false, mentions429: false, readsRetryAfter: false, waits: [], throws: false, pRetryAbort: false, timeCheck: false, growthOps: false, random: false };
}

export function mergeFacts(list: RegionFacts[]): RegionFacts {
  const f = emptyFacts();
  for (const x of list) {
    f.statusAware ||= x.statusAware;
    f.classifierCall ||= x.classifierCall;
    f.mentions429 ||= x.mentions429;
    f.readsRetryAfter ||= x.readsRetryAfter;
    f.waits.push(...x.waits);
    f.throws ||= x.throws;
    f.timeCheck ||= x.timeCheck;
  }
  return f;
}

function isErrorish(n: N): boolean {
  const x = unwrapExpr(n);
  return x.type === 'Identifier' && /^(e|err|error|ex|exc|exception|apiError|apiErr|cause|reason|failure)$/i.test(x.name);
}

/** A string literal compared to, or searched for in, an error message. */
function isTestingMessage(lit: N): boolean {
  const p = lit.parent;
  if (!p) return false;
  if (p.type === 'CallExpression' && ['includes', 'startsWith', 'endsWith', 'match', 'test', 'indexOf'].includes(calleeName(p) ?? '')) return true;
  if (p.type === 'BinaryExpression' && ['===', '==', '!==', '!='].includes(p.operator)) return true;
  return false;
}

export function functionFacts(cx: RetryShapeAnalyzer, fn: N): RegionFacts {
  const memo = cx.functionFactsMemo.get(fn);
  if (memo) return memo;
  cx.functionFactsMemo.set(fn, emptyFacts());
  const f = regionFacts(cx, fn.body, 1);
  cx.functionFactsMemo.set(fn, f);
  return f;
}

/** Facts about a region, following calls of same-file functions `depth` levels deep. */
export function regionFacts(cx: RetryShapeAnalyzer, root: N, depth: number): RegionFacts {
  const f = emptyFacts();
  visit(root, (n) => {
    if (n !== root && isFn(n)) {
      // look into promise executors and inline callbacks for waits and retry-after, not further
      const p = n.parent;
      if (p && p.type === 'NewExpression' && isIdent(p.callee, 'Promise')) return true;
      return p && p.type === 'CallExpression' ? true : false;
    }
    switch (n.type) {
      case 'MemberExpression': {
        const name = propName(n);
        if (name === 'status' || name === 'statusCode' || name === 'status_code' || name === 'code') f.statusAware = true;
        if (name === 'type' && (isErrorish(n.object) || (n.object.type === 'MemberExpression' && propName(n.object) === 'error'))) f.statusAware = true;
        if (name && /^retry_?after(_?ms)?$/i.test(name)) f.readsRetryAfter = true;
        if (name === 'RateLimitError') f.mentions429 = true;
        if (name && (SDK_STATUS_CLASSES.has(name) || (cx.python && PY_STATUS_CLASSES.has(name))) && n.parent?.type === 'BinaryExpression' && n.parent.operator === 'instanceof') f.statusAware = true;
        break;
      }
      case 'Identifier':
        if (/^retry_?after(_?ms|Ms|Seconds)?$/i.test(n.name)) f.readsRetryAfter = true;
        if (n.name === 'RateLimitError') f.mentions429 = true;
        if ((SDK_STATUS_CLASSES.has(n.name) || (cx.python && PY_STATUS_CLASSES.has(n.name))) && n.parent?.type === 'BinaryExpression' && n.parent.operator === 'instanceof' && n.parent.right === n) f.statusAware = true;
        if (n.name === 'status' && n.parent?.type === 'Property' && n.parent.parent?.type === 'ObjectPattern') f.statusAware = true;
        if (depth > 0 && !f.mentions429 && /^[A-Z_0-9]+$|status|retr/i.test(n.name) && listHas429(cx, n)) f.mentions429 = true;
        break;
      case 'Literal':
        if (typeof n.value === 'string') {
          if (/retry-after/i.test(n.value)) f.readsRetryAfter = true;
          if (/^(rate_limit_error|overloaded_error|api_error|invalid_request_error|authentication_error|permission_error|not_found_error)$/.test(n.value)) f.statusAware = true;
          if (n.value === 'rate_limit_error' || /rate.?limit|\b429\b/i.test(n.value)) f.mentions429 = true;
          if (/\b(429|529|5\d\d|overloaded|rate.?limit|ECONNRESET|ETIMEDOUT)\b/i.test(n.value) && isTestingMessage(n)) f.statusAware = true;
        }
        if (n.value === 429) f.mentions429 = true;
        break;
      case 'TemplateElement':
        if (/retry-after/i.test(n.value.raw)) f.readsRetryAfter = true;
        break;
      case 'ThrowStatement':
        f.throws = true;
        if (n.argument?.type === 'NewExpression' && isIdent(n.argument.callee, 'AbortError')) f.pRetryAbort = true;
        if (n.argument?.type === 'NewExpression' && n.argument.callee.type === 'MemberExpression' && propName(n.argument.callee) === 'AbortError') f.pRetryAbort = true;
        break;
      case 'AwaitExpression': {
        const w = waitCall(cx, n.argument);
        if (w) f.waits.push(w);
        break;
      }
      case 'CallExpression': {
        const name = calleeName(n) ?? '';
        if (/retr[iy]able|retriable|classif|shouldRetry|isTransient|isRateLimit|isOverload|isServerError|isFinal|isFatal|isPermanent/i.test(name)) f.classifierCall = true;
        if (isMemberCall(n, 'Date', 'now') || isMemberCall(n, 'performance', 'now') || (cx.python && isPyClock(n))) f.timeCheck = true;
        if (cx.python) {
          const w = pythonWait(cx, n, root);
          if (w) f.waits.push(w);
        }
        if (depth > 0 && n.callee.type === 'Identifier') {
          const b = cx.resolveName(n.callee.name, n);
          const g = b ? cx.functionOfBinding(b) : null;
          if (g && !contains(g, root)) {
            const gf = functionFacts(cx, g);
            f.statusAware ||= gf.statusAware;
            f.readsRetryAfter ||= gf.readsRetryAfter;
            f.classifierCall ||= gf.classifierCall;
            f.mentions429 ||= gf.mentions429;
          }
        }
        break;
      }
      case 'BinaryExpression':
        if (n.operator === '**' || n.operator === '<<') f.growthOps = true;
        break;
    }
    if (n.type === 'CallExpression' && (isMemberCall(n, 'Math', 'pow') || (cx.python && isPyPow(n)))) f.growthOps = true;
    if (n.type === 'CallExpression' && (isMemberCall(n, 'Math', 'random') || (cx.python && isPyRandom(n)))) f.random = true;
    return true;
  });
  return f;
}

/** A const list or set of statuses that includes 429: `const RETRYABLE = new Set([429, 500])`. */
function listHas429(cx: RetryShapeAnalyzer, id: N): boolean {
  const b = cx.resolveName(id.name, id);
  if (!b || b.kind !== 'const' || !b.init) return false;
  let list = unwrapExpr(b.init as unknown as N);
  if (list.type === 'NewExpression' && isIdent(list.callee, 'Set') && list.arguments[0]) list = unwrapExpr(list.arguments[0]);
  return list.type === 'ArrayExpression' && list.elements.some((e: N | null) => e && e.type === 'Literal' && e.value === 429);
}

/**
 * A Python wait that is a plain call (awaited ones go through waitCall): `time.sleep(s)`, a same-file
 * function or method that sleeps (`_sleep(base, cap, attempt)`, `self._backoff(attempt)`), or a function
 * named for sleeping (`sleep_with_jitter(attempt)`).
 */
function pythonWait(cx: RetryShapeAnalyzer, n: N, root: N): WaitCall | null {
  if (n.parent?.type === 'AwaitExpression' && waitCall(cx, n)) return null; // counted as an awaited wait
  const first = (n.arguments as N[]).find((a) => !(a.type === 'ObjectExpression' && a.pyKwargs)) ?? null;
  if (isSyncSleep(n)) return { node: n, delay: first, fn: null };
  const c = unwrapExpr(n.callee);
  let g: N | null = null;
  if (c.type === 'Identifier') {
    const b = cx.resolveName(c.name, n);
    g = b ? cx.functionOfBinding(b) : null;
  } else if (c.type === 'MemberExpression' && c.object.type === 'ThisExpression') {
    const ms = cx.methods(propName(c) ?? '');
    g = ms.length === 1 ? ms[0] : null;
  }
  if (g) {
    if (contains(g, root) || contains(g, n)) return null;
    return functionFacts(cx, g).waits.length ? { node: n, delay: null, fn: g } : null;
  }
  const name = calleeName(n) ?? '';
  if (/^_*(sleep|backoff|delay|pause)(_|$)|_(sleep|backoff|delay)$/i.test(name)) return { node: n, delay: first, fn: null };
  return null;
}

/** An awaited wait: sleep(ms), delay(ms), new Promise(r => setTimeout(r, ms)), setTimeout(ms) from timers/promises. */
function waitCall(cx: RetryShapeAnalyzer, arg: N | null | undefined): WaitCall | null {
  if (!arg) return null;
  const e = unwrapExpr(arg);
  if (e.type === 'NewExpression' && isIdent(e.callee, 'Promise') && isFn(e.arguments[0])) {
    let delay: N | null = null;
    let found = false;
    visit(e.arguments[0], (n) => {
      if (found) return false;
      if (n.type === 'CallExpression' && (isIdent(n.callee, 'setTimeout') || calleeName(n) === 'setTimeout')) {
        found = true;
        delay = n.arguments[1] ?? null;
      }
    });
    return found ? { node: e, delay, fn: null } : null;
  }
  if (e.type !== 'CallExpression') return null;
  const name = calleeName(e);
  if (!name) return null;
  if (name === 'setTimeout') return { node: e, delay: e.arguments.length === 1 || !isFn(e.arguments[0]) ? e.arguments[0] ?? null : e.arguments[1] ?? null, fn: null };
  if (/^(sleep|delay|wait|pause|backoff|snooze|timeout)/i.test(name) || /(Sleep|Delay|Wait|Backoff|Pause)$/.test(name)) {
    let fn: N | null = null;
    if (e.callee.type === 'Identifier') {
      const b = cx.resolveName(e.callee.name, e);
      fn = b ? cx.functionOfBinding(b) : null;
    }
    return { node: e, delay: e.arguments[0] ?? null, fn };
  }
  return null;
}

export function factsOfCallback(cx: RetryShapeAnalyzer, fnArg: N): RegionFacts {
  const f = cx.functionOf(fnArg);
  if (!f) return emptyFacts();
  const facts = functionFacts(cx, f);
  // async-retry: retry(async (bail) => { ... bail(err) ... })
  const bail = f.params[0];
  let bailCalled = false;
  if (bail && bail.type === 'Identifier') {
    visit(f.body, (n) => {
      if (n.type === 'CallExpression' && isIdent(n.callee, bail.name)) bailCalled = true;
      return !bailCalled;
    });
  }
  return { ...facts, bailCalled };
}
