// What the retry analysis must know about Python and the `anthropic` package, in one place. The analysis
// itself is language-neutral (it reads the lowered tree); these facts answer the few questions whose
// answer differs: which calls wait (and in which unit), which calls are random or arithmetic built-ins,
// which exception classes stand for which statuses, how a stream is consumed, and what the helper is called.
//
//   time.sleep(s) / sleep(s) (from time)         → a wait, not awaited; seconds
//   await asyncio.sleep(s) / anyio.sleep / trio   → a wait (awaited, like JS); seconds
//   random.random() / uniform(a, b) / randint     → jitter (bounded by its upper end)
//   min() / max() / pow() / math.pow / float()…   → arithmetic
//   time.time() / time.monotonic() / perf_counter → a clock read (a time budget)
//   except RateLimitError / (A, B) / Exception    → statuses by class (OverloadedError is 529, not a 5xx
//                                                   InternalServerError, in anthropic 1.x)

import { calleeName, isFn, isIdent, propName, unwrapExpr, visitSameFunction } from './ast';
import type { N } from './model';

/** Seconds: what a Python wait or time budget is written in (the analysis counts in ms). */
export const PY_TIME_UNIT_MS = 1000;

/** The names of the product's Python helper (src/core/retry/claude_retry.py) and its module. */
export const PY_HELPER_MODULE = 'claude_retry';
export const PY_HELPER_EXPORTS = new Set(['with_retry', 'async_with_retry', 'with_stream_retry']);
/** The helper's keyword options and defaults, in seconds. */
export const PY_HELPER_OPTIONS = { maxAttempts: 'max_attempts', baseDelay: 'base_delay', maxDelay: 'max_delay', maxElapsed: 'max_elapsed' } as const;

/** The `anthropic` package's exception classes by the status they stand for (beside the JS ones). */
export const PY_CLASS_STATUS: Record<string, number | 'any' | 'none' | '5xx'> = {
  RequestTooLargeError: 413,
  APITimeoutError: 'none',
  APIResponseValidationError: 'none',
  RetryableError: 'none',
  Exception: 'any',
  BaseException: 'any',
};

/** Python exception classes that tell a status (for the coarse "reads the status" judgment). */
export const PY_STATUS_CLASSES = new Set(['RequestTooLargeError', 'APITimeoutError']);

/** `time.sleep(x)`, or `sleep(x)` called without `await` (from time import sleep). */
export function isSyncSleep(n: N): boolean {
  if (n.type !== 'CallExpression') return false;
  const c = unwrapExpr(n.callee);
  if (c.type === 'MemberExpression' && isIdent(c.object, 'time') && propName(c) === 'sleep') return true;
  return isIdent(c, 'sleep') && n.parent?.type !== 'AwaitExpression';
}

/** `random.random()`, `random.uniform(a, b)`, `random.randint(a, b)`, `secrets.randbelow(n)`… */
export function isPyRandom(n: N): boolean {
  if (n.type !== 'CallExpression') return false;
  const c = unwrapExpr(n.callee);
  if (c.type === 'MemberExpression' && (isIdent(c.object, 'random') || isIdent(c.object, 'secrets'))) return true;
  return c.type === 'Identifier' && /^(uniform|randint|randrange|random|randbelow)$/.test(c.name);
}

/** `2 ** n` is a BinaryExpression already; `pow(2, n)` and `math.pow(2, n)` grow too. */
export function isPyPow(n: N): boolean {
  if (n.type !== 'CallExpression') return false;
  const c = unwrapExpr(n.callee);
  return isIdent(c, 'pow') || (c.type === 'MemberExpression' && isIdent(c.object, 'math') && propName(c) === 'pow');
}

/** A clock read: `time.time()`, `time.monotonic()`, `time.perf_counter()`, `loop.time()`, `datetime.now()`. */
export function isPyClock(n: N): boolean {
  if (n.type !== 'CallExpression') return false;
  const name = calleeName(n) ?? '';
  return /^(time|monotonic|perf_counter|monotonic_ns|time_ns|now|utcnow)$/.test(name) && unwrapExpr(n.callee).type === 'MemberExpression';
}

/**
 * The value of a Python built-in numeric call, with `rec` evaluating its arguments; undefined when the call
 * is not one of them. Random calls count as their upper end (the worst case), like `Math.random()` in JS.
 */
export function pyNumericCall(n: N, rec: (e: N) => number | null): number | null | undefined {
  const c = unwrapExpr(n.callee);
  const args: N[] = n.arguments.filter((a: N) => !(a.type === 'ObjectExpression' && a.pyKwargs));
  const vals = (): Array<number | null> => args.map((a) => rec(a));
  const name = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' && c.object.type === 'Identifier' ? `${c.object.name}.${propName(c)}` : null;
  switch (name) {
    case 'min':
    case 'max': {
      const v = vals();
      const known = v.filter((x): x is number => x !== null);
      // like Math.min / Math.max: unknown arguments (a retry-after read) are skipped when another is known
      return known.length ? (name === 'min' ? Math.min(...known) : Math.max(...known)) : null;
    }
    case 'pow':
    case 'math.pow': {
      const [a, b] = vals();
      return a !== null && b !== null && a !== undefined && b !== undefined ? a ** b : null;
    }
    case 'float':
    case 'int':
    case 'round':
    case 'abs':
    case 'math.floor':
    case 'math.ceil': {
      const [a] = vals();
      if (a === null || a === undefined) return null;
      return name === 'int' || name === 'math.floor' ? Math.floor(a) : name === 'math.ceil' ? Math.ceil(a) : name === 'round' ? Math.round(a) : name === 'abs' ? Math.abs(a) : a;
    }
    case 'random.random':
      return 1;
    case 'random.uniform':
    case 'random.randint': {
      const v = vals();
      return v.length === 2 && v[0] !== null && v[1] !== null ? Math.max(v[0], v[1]) : null;
    }
  }
  return undefined;
}

/** The number of values `range(stop)`, `range(start, stop)`, `range(start, stop, step)` yields, and its start. */
export function rangeOf(call: N, num: (e: N) => number | null): { start: number | null; length: number | null } | null {
  if (unwrapExpr(call).type !== 'CallExpression' || !isIdent(unwrapExpr(call.callee), 'range')) return null;
  const a = call.arguments as N[];
  if (a.length === 1) return { start: 0, length: num(a[0]) };
  if (a.length === 2 || a.length === 3) {
    const start = num(a[0]);
    const stop = num(a[1]);
    const step = a.length === 3 ? num(a[2]) : 1;
    if (start === null || stop === null || !step) return { start, length: null };
    return { start, length: Math.max(0, Math.ceil((stop - start) / step)) };
  }
  return null;
}

/**
 * The argument a call passes for parameter `i` of `fn`: positional first, then a keyword argument of the
 * same name (Python's `f(x, attempt=attempt + 1)`), or null.
 */
export function argumentFor(call: N, fn: N, i: number): N | null {
  const args = call.arguments as N[];
  const kw = args.find((a) => a.type === 'ObjectExpression' && a.pyKwargs);
  const positional = args.filter((a) => a !== kw);
  if (i < positional.length && positional[i].type !== 'SpreadElement') return positional[i];
  const p = fn.params[i];
  const id = p?.type === 'AssignmentPattern' ? p.left : p;
  if (!kw || !id || id.type !== 'Identifier') return null;
  const prop = kw.properties.find((q: N) => q.type === 'Property' && q.key.type === 'Identifier' && q.key.name === id.name);
  return prop ? prop.value : null;
}

/** Stream members that consume a Python stream: iterables, and calls that read it to the end. */
export const PY_STREAM_ITERABLES = new Set(['text_stream']);
export const PY_STREAM_FINALS = new Set(['get_final_message', 'get_final_text', 'until_done']);
export const PY_STREAM_PASSIVE = new Set(['response', 'current_message_snapshot', 'close']);

/** Whether a function yields (a generator: its caller iterates it later, where the errors surface). */
export function isGenerator(fn: N): boolean {
  if (!isFn(fn)) return false;
  if (fn.generator) return true;
  let y = false;
  visitSameFunction(fn, (n) => {
    if (n.type === 'YieldExpression') y = true;
    return !y;
  });
  return y;
}

/** Decorators whose name says they may retry the function (tenacity, backoff, stamina, home-made). */
export function retryishDecorator(fn: N, retryish: RegExp): boolean {
  const decos: N[] = fn.pyDecorators ?? [];
  return decos.some((d) => {
    const x = unwrapExpr(d.type === 'CallExpression' ? d.callee : d);
    const name = x.type === 'Identifier' ? x.name : x.type === 'MemberExpression' ? `${propName(x) ?? ''}` : '';
    const obj = x.type === 'MemberExpression' && x.object.type === 'Identifier' ? x.object.name : '';
    return retryish.test(name) || /^(tenacity|backoff|stamina)$/.test(obj) || /^(on_exception|on_predicate)$/.test(name);
  });
}
