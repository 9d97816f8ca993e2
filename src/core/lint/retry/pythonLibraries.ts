// Retry layers made by Python retry libraries, with their real defaults (read from tenacity 9.1, backoff 2.2
// and stamina 26.1):
//   tenacity  `@retry` / `@retry(stop=…, wait=…, retry=…)`, `Retrying(…)` / `AsyncRetrying(…)` looped over
//             (`for attempt in Retrying(…): with attempt: …`, `async for`) or called (`Retrying(…)(fn)`).
//             Without `stop=` it never stops, without `wait=` it never waits, without `retry=` it retries
//             every exception (final 4xx included).
//   backoff   `@backoff.on_exception(wait_gen, exception, max_tries=None, max_time=None, jitter=full_jitter,
//             giveup=…, **wait_gen_kwargs)`: no max_tries and no max_time retries forever; expo(base=2,
//             factor=1, max_value=None), fibo(max_value=None), constant(interval=1), runtime(value=…).
//   stamina   `@stamina.retry(on=…, attempts=10, timeout=45.0, wait_initial=0.1, wait_max=5.0, wait_jitter=1.0,
//             wait_exp_base=2)` and `for attempt in stamina.retry_context(on=…): with attempt: …`: waits
//             min(wait_max, wait_initial·wait_exp_base^(n-1) + random(0, wait_jitter)); `on=` a class, a tuple
//             or a hook that returns whether to retry, or how long to wait (seconds).
// The decorated function is the wrapper: a call inside it, or in a same-file function it calls, has the layer.

import type { RetryShapeAnalyzer } from './analyzer';
import { functionName, propName, unwrapExpr } from './ast';
import type { N, RetryLayer, RetryLayerKind } from './model';
import { baseLayer } from './model';
import type { ErrorFilter, PyArgs } from './pythonArgs';
import {
  EVERY_ERROR,
  NO_ARGS,
  NO_ERROR,
  UNKNOWN_ERRORS,
  constValue,
  exprText,
  intersectFilters,
  isNone,
  isPythonTree,
  predicateFacts,
  pyArgs,
  retriedClasses,
  retriedExceptClasses,
  seconds,
  unionFilters,
} from './pythonArgs';
import type { Schedule, Stop } from './pythonSchedules';
import { STOP_NEVER, STOP_UNKNOWN, WAIT_NONE, WAIT_UNKNOWN, tenacityStop, tenacityWait, totalWaitMs } from './pythonSchedules';
import { num } from './values';
import type { MissFields } from './coverage';
import type { Retries } from './pythonCoverage';
import { RETRIES_ALL, RETRIES_UNKNOWN, and, classesRetries, giveupRetries, hookRetries, libraryMisses, tenacityRetries } from './pythonCoverage';

type Lib = 'tenacity' | 'backoff' | 'stamina';
const LIBS = new Set<string>(['tenacity', 'backoff', 'stamina']);

/** The library and name an expression refers to (`retry` imported from tenacity, `backoff.expo`); '' for the module. */
function libRef(cx: RetryShapeAnalyzer, e: N): { lib: Lib; name: string } | null {
  const x = unwrapExpr(e);
  if (x.type === 'Identifier') {
    const imp = cx.importsMap().get(x.name);
    const lib = imp ? imp.source.split('.')[0] : '';
    if (!imp || !LIBS.has(lib)) return null;
    const b = cx.resolveName(x.name, x);
    if (!b || b.kind !== 'import') return null;
    return { lib: lib as Lib, name: imp.imported === '*' ? '' : imp.imported };
  }
  if (x.type === 'MemberExpression' && !x.computed) {
    const o = libRef(cx, x.object);
    const p = propName(x);
    // tenacity.retry, tenacity.asyncio.AsyncRetrying
    if (o && p && (o.name === '' || o.name === 'asyncio')) return { lib: o.lib, name: p };
  }
  return null;
}

const tenacityName = (cx: RetryShapeAnalyzer, e: N): string | null => {
  const r = libRef(cx, e);
  return r && r.lib === 'tenacity' ? r.name : null;
};

type What = 'decorator' | 'retrying' | 'context';
const FACTORIES: Record<string, What> = {
  'tenacity.retry': 'decorator',
  'tenacity.Retrying': 'retrying',
  'tenacity.AsyncRetrying': 'retrying',
  'backoff.on_exception': 'decorator',
  'stamina.retry': 'decorator',
  'stamina.retry_context': 'context',
};

/** A retry made by a library: the call that configures it (null for tenacity's bare `@retry`). */
interface Retryer {
  lib: Lib;
  what: What;
  call: N | null;
  callee: N;
}

/** The retryer an expression stands for: a factory call, tenacity's bare `retry`, or a name bound once to one. */
function retryerOf(cx: RetryShapeAnalyzer, e: N, depth = 0): Retryer | null {
  const x = unwrapExpr(e);
  if (x.type === 'CallExpression' || x.type === 'NewExpression') {
    const r = libRef(cx, x.callee);
    const what = r ? FACTORIES[`${r.lib}.${r.name}`] : undefined;
    return r && what ? { lib: r.lib, what, call: x, callee: x.callee } : null;
  }
  if (x.type === 'Identifier' || x.type === 'MemberExpression') {
    const r = libRef(cx, x);
    if (r) return r.lib === 'tenacity' && r.name === 'retry' ? { lib: 'tenacity', what: 'decorator', call: null, callee: x } : null;
    if (x.type === 'Identifier' && depth < 3) {
      const b = cx.resolveName(x.name, x);
      if (b && b.kind === 'const' && b.init) return retryerOf(cx, b.init as unknown as N, depth + 1);
    }
  }
  return null;
}

function calleeText(cx: RetryShapeAnalyzer, callee: N): string {
  return cx.text.slice(callee.range[0], callee.range[1]).replace(/\s+/g, '');
}

/**
 * The retry layers of a function's decorators, innermost (the one written last) first. `via` is the
 * decorated function: the layer reaches the API call through it.
 */
export function pythonDecoratorLayers(cx: RetryShapeAnalyzer, fn: N): RetryLayer[] {
  const decorators = fn.pyDecorators as N[] | undefined;
  if (!decorators || !decorators.length) return [];
  const name = functionName(fn)?.name ?? null;
  const out: RetryLayer[] = [];
  for (const d of [...decorators].reverse()) {
    const r = retryerOf(cx, d);
    if (!r || r.what !== 'decorator') continue;
    const at = unwrapExpr(d).type === 'CallExpression' ? unwrapExpr(d).callee : d;
    const layer = layerOf(cx, r, at, `@${calleeText(cx, at)}`);
    if (layer) out.push({ ...layer, via: name });
  }
  return out;
}

/** Whether a decorator of the function is one of the retry libraries' (modelled, with or without a layer). */
export function hasPythonLibraryDecorator(cx: RetryShapeAnalyzer, fn: N): boolean {
  const decorators = fn.pyDecorators as N[] | undefined;
  return !!decorators && decorators.some((d) => retryerOf(cx, d)?.what === 'decorator');
}

/** The layer of `for attempt in Retrying(…)` / `async for … in AsyncRetrying(…)` / `stamina.retry_context(…)`. */
export function pythonLoopLayer(cx: RetryShapeAnalyzer, loop: N): RetryLayer | null {
  if (loop.type !== 'ForOfStatement' || !isPythonTree(cx)) return null;
  const r = retryerOf(cx, loop.right);
  if (!r || (r.what !== 'retrying' && r.what !== 'context')) return null;
  const at = r.call && r.call.range[0] >= loop.range[0] && r.call.range[1] <= loop.range[1] ? r.callee : loop.right;
  return layerOf(cx, r, at, `${calleeText(cx, r.callee)} loop`);
}

/**
 * The layer a library call puts around the function it receives as argument `index`: `retry(…)(fn)`,
 * `Retrying(…)(fn, *args)`, `retryer.wraps(fn)`, `backoff.on_exception(…)(fn)`, `stamina.retry(on=…)(fn)`.
 */
export function pythonCallbackLayer(cx: RetryShapeAnalyzer, call: N, index: number): RetryLayer | null {
  if (index !== 0 || !isPythonTree(cx)) return null;
  let callee = unwrapExpr(call.callee);
  if (callee.type === 'MemberExpression' && propName(callee) === 'wraps') callee = unwrapExpr(callee.object);
  const r = retryerOf(cx, callee);
  if (!r || r.what === 'context') return null;
  const at = unwrapExpr(call.callee);
  return layerOf(cx, r, at.type === 'CallExpression' || at.type === 'NewExpression' ? at.callee : at, calleeText(cx, r.callee));
}

function layerOf(cx: RetryShapeAnalyzer, r: Retryer, at: N, label: string): RetryLayer | null {
  switch (r.lib) {
    case 'tenacity':
      return tenacityLayer(cx, r.call, at, label);
    case 'backoff':
      return r.call ? backoffLayer(cx, r.call, at, label) : null;
    case 'stamina':
      return r.call ? staminaLayer(cx, r.call, r.what, at, label) : null;
  }
}

function build(kind: RetryLayerKind, label: string, at: N, stop: Stop, wait: Schedule, filter: ErrorFilter, readsRetryAfter: boolean, misses: MissFields): RetryLayer {
  const overshoot = kind !== 'backoff';
  const layer: RetryLayer = {
    ...baseLayer(kind, label, at),
    attempts: stop.attempts,
    attemptsFrom: stop.attemptsFrom,
    bounded: stop.bounded,
    budgetMs: stop.budget !== null ? stop.budget * 1000 : null,
    statusAware: filter.statusAware,
    retries429: filter.retries429,
    waits: wait.waits,
    grows: wait.grows,
    jittered: wait.jittered,
    readsRetryAfter,
    waitMs: totalWaitMs(stop.attempts, wait.delay, stop.budget, overshoot),
    ...misses,
  };
  if (filter.retriesFinal) layer.retriesFinal = filter.retriesFinal;
  if (filter.names429) layer.names429 = true;
  return layer;
}

// ---------------------------------------------------------------------------------------------------------
// tenacity

/** The parameters of tenacity's Retrying (and of `retry(...)`, which passes its arguments on), in order. */
const RETRYING_PARAMS = ['sleep', 'stop', 'wait', 'retry', 'before', 'after', 'before_sleep', 'reraise'];

function tenacityLayer(cx: RetryShapeAnalyzer, call: N | null, at: N, label: string): RetryLayer | null {
  const a = call ? pyArgs(cx, call, RETRYING_PARAMS) : NO_ARGS;
  const retry = a.props.get('retry');
  const filter = retry ? tenacityRetry(cx, retry) : a.from ? UNKNOWN_ERRORS : EVERY_ERROR;
  if (filter.none) return null; // it retries results, never an exception
  const stopE = a.props.get('stop');
  const stop = stopE ? tenacityStop(cx, stopE, tenacityName) : a.from ? STOP_UNKNOWN : STOP_NEVER;
  const waitE = a.props.get('wait');
  const wait = waitE ? tenacityWait(cx, waitE, tenacityName) : a.from ? WAIT_UNKNOWN : WAIT_NONE;
  // a before_sleep hook that reads retry-after (and sleeps on it) honours it too
  const hook = a.props.get('before_sleep');
  const hookReads = !!(hook && predicateFacts(cx, hook)?.readsRetryAfter);
  const retries = retry ? tenacityRetries(cx, retry, (c) => tenacityName(cx, c)) : a.from ? RETRIES_UNKNOWN : RETRIES_ALL;
  return build('tenacity', label, at, stop, wait, filter, wait.readsRetryAfter || hookReads, libraryMisses(cx, retries));
}

/** tenacity's `retry=`: which exceptions it retries. */
function tenacityRetry(cx: RetryShapeAnalyzer, e: N, depth = 0): ErrorFilter {
  const x = constValue(cx, e);
  if (depth > 6) return UNKNOWN_ERRORS;
  if (x.type === 'BinaryExpression' && (x.operator === '|' || x.operator === '&')) {
    const l = tenacityRetry(cx, x.left, depth + 1);
    const r = tenacityRetry(cx, x.right, depth + 1);
    return x.operator === '|' ? unionFilters(l, r) : intersectFilters(l, r);
  }
  const isCall = x.type === 'CallExpression' || x.type === 'NewExpression';
  const name = tenacityName(cx, isCall ? x.callee : x);
  if (!name) return predicateFacts(cx, x)?.filter ?? UNKNOWN_ERRORS; // a callable of the retry state
  const first = (params: string[]): N | undefined => (isCall ? pyArgs(cx, x, params).props.get(params[0]) : undefined);
  switch (name) {
    case 'retry_if_exception_type': {
      const types = first(['exception_types']);
      return types ? retriedClasses(cx, types) : EVERY_ERROR;
    }
    case 'retry_if_not_exception_type':
    case 'retry_unless_exception_type': {
      const types = first(['exception_types']);
      return types ? retriedExceptClasses(cx, types) : NO_ERROR;
    }
    case 'retry_if_exception': {
      const p = first(['predicate']);
      return (p && predicateFacts(cx, p)?.filter) || UNKNOWN_ERRORS;
    }
    case 'retry_always':
      return EVERY_ERROR;
    case 'retry_never':
    case 'retry_if_result':
    case 'retry_if_not_result':
      return NO_ERROR;
    case 'retry_any':
    case 'retry_all': {
      if (!isCall || !x.arguments.length) return UNKNOWN_ERRORS;
      const parts = (x.arguments as N[]).map((p) => (p.type === 'SpreadElement' || p.pyKwargs ? UNKNOWN_ERRORS : tenacityRetry(cx, p, depth + 1)));
      return parts.reduce(name === 'retry_any' ? unionFilters : intersectFilters);
    }
    default:
      return UNKNOWN_ERRORS;
  }
}

// ---------------------------------------------------------------------------------------------------------
// backoff

function backoffLayer(cx: RetryShapeAnalyzer, call: N, at: N, label: string): RetryLayer | null {
  const a = pyArgs(cx, call, ['wait_gen', 'exception']);
  const exc = a.props.get('exception');
  let filter = exc ? retriedClasses(cx, exc) : UNKNOWN_ERRORS;
  const giveup = a.props.get('giveup');
  if (giveup) filter = intersectFilters(filter, giveupFilter(cx, giveup));
  else if (a.from) filter = intersectFilters(filter, UNKNOWN_ERRORS);
  if (filter.none) return null;
  // what it retries: the classes, less what `giveup` always gives up on (options from elsewhere only add a giveup)
  const retries: Retries = and(exc ? classesRetries(cx, exc) : RETRIES_UNKNOWN, giveup ? giveupRetries(cx, giveup) : RETRIES_ALL);

  // attempts and time: None (the default) is no limit; a callable is read at run time
  const limit = (key: string): { set: boolean | null; value: number | null; from: string | null } => {
    const v = a.props.get(key);
    if (!v) return { set: a.from ? null : false, value: null, from: null };
    if (isNone(v)) return { set: false, value: null, from: null };
    const n = key === 'max_time' ? seconds(cx, v) : num(cx, v);
    return { set: true, value: n, from: n === null ? exprText(cx, v) : null };
  };
  const tries = limit('max_tries');
  const time = limit('max_time');
  const stop: Stop = {
    bounded: tries.set === true || time.set === true ? true : tries.set === false && time.set === false ? false : null,
    attempts: tries.value,
    budget: time.value,
    attemptsFrom: tries.from,
  };
  const wait = backoffWait(cx, a);
  return build('backoff', label, at, stop, wait, filter, wait.readsRetryAfter, libraryMisses(cx, retries));
}

/** The errors still retried given a `giveup=` predicate (it gives up on what it returns true for). */
function giveupFilter(cx: RetryShapeAnalyzer, e: N): ErrorFilter {
  const f = predicateFacts(cx, e);
  if (!f) return UNKNOWN_ERRORS;
  if (f.returns !== null) return f.returns ? NO_ERROR : EVERY_ERROR;
  if (f.isinstanceOf) return retriedExceptClasses(cx, f.isinstanceOf);
  return f.filter.statusAware === true ? { statusAware: true, retries429: null, names429: false } : UNKNOWN_ERRORS;
}

function backoffWait(cx: RetryShapeAnalyzer, a: PyArgs): Schedule {
  const genE = a.props.get('wait_gen');
  const gen = genE ? libRef(cx, constValue(cx, genE)) : null;
  if (!gen || gen.lib !== 'backoff') return WAIT_UNKNOWN;
  // jitter: full_jitter by default (uniform below the value), None turns it off, random_jitter adds up to 1 s
  const j = a.props.get('jitter');
  let jittered: boolean | null = a.from ? null : true;
  let extra = 0;
  if (j) {
    const jr = libRef(cx, constValue(cx, j));
    jittered = isNone(j) ? false : jr && jr.lib === 'backoff' && (jr.name === 'full_jitter' || jr.name === 'random_jitter') ? true : null;
    if (jr && jr.name === 'random_jitter') extra = 1;
  }
  const opt = (key: string, dflt: number | null): number | null | undefined => {
    const v = a.props.get(key);
    if (!v) return a.from ? undefined : dflt;
    if (isNone(v)) return null;
    const n = seconds(cx, v);
    return n === null ? undefined : n;
  };
  switch (gen.name) {
    case 'expo': {
      const base = opt('base', 2);
      const factor = opt('factor', 1);
      const maxV = opt('max_value', null);
      if (base === undefined || factor === undefined || maxV === undefined || base === null || factor === null) return { ...WAIT_UNKNOWN, jittered };
      const cap = maxV ?? Infinity;
      return {
        waits: Math.min(factor, cap) > 0,
        grows: factor > 0 && base > 1 && cap > factor,
        jittered,
        readsRetryAfter: false,
        delay: (k) => Math.min(factor * base ** k, cap) + extra,
      };
    }
    case 'fibo': {
      const maxV = opt('max_value', null);
      if (maxV === undefined) return { ...WAIT_UNKNOWN, waits: true, jittered };
      const cap = maxV ?? Infinity;
      const fib = (k: number): number => {
        let [x, y] = [1, 1];
        for (let i = 0; i < k; i++) [x, y] = [y, x + y];
        return x;
      };
      return { waits: cap > 0, grows: cap > 1, jittered, readsRetryAfter: false, delay: (k) => Math.min(fib(k), cap) + extra };
    }
    case 'constant': {
      const v = opt('interval', 1);
      if (v === undefined || v === null) return { ...WAIT_UNKNOWN, grows: a.props.has('interval') ? null : false, jittered };
      return { waits: v > 0, grows: false, jittered, readsRetryAfter: false, delay: () => v + extra };
    }
    case 'runtime': {
      // runtime(value=fn): the wait is what fn returns for the exception (e.g. its retry-after)
      const value = a.props.get('value');
      const facts = value ? predicateFacts(cx, value) : null;
      return { waits: null, grows: null, jittered, readsRetryAfter: !!facts?.readsRetryAfter, delay: null };
    }
    default:
      return { ...WAIT_UNKNOWN, jittered };
  }
}

// ---------------------------------------------------------------------------------------------------------
// stamina

const STAMINA_PARAMS = ['on', 'attempts', 'timeout', 'wait_initial', 'wait_max', 'wait_jitter', 'wait_exp_base'];

function staminaLayer(cx: RetryShapeAnalyzer, call: N, what: What, at: N, label: string): RetryLayer | null {
  // stamina.retry takes keywords only; retry_context also takes them in order
  const a = pyArgs(cx, call, what === 'context' ? STAMINA_PARAMS : []);
  const on = a.props.get('on');
  let filter: ErrorFilter = UNKNOWN_ERRORS;
  let readsRetryAfter = false;
  let retries: Retries = RETRIES_UNKNOWN;
  if (on) {
    const hook = predicateFacts(cx, on);
    retries = hook ? hookRetries(cx, on) : classesRetries(cx, on);
    if (hook) {
      // a backoff hook: True / False, or the wait in seconds (e.g. from retry-after)
      filter = hook.filter;
      readsRetryAfter = hook.readsRetryAfter;
    } else filter = retriedClasses(cx, on);
  }
  if (filter.none) return null;
  const val = (key: string, dflt: number): number | null | undefined => {
    const v = a.props.get(key);
    if (!v) return a.from ? undefined : dflt;
    if (isNone(v)) return null;
    const n = seconds(cx, v);
    return n === null ? undefined : n;
  };
  const attempts = val('attempts', 10);
  const timeout = val('timeout', 45);
  // a value that is not static still caps (None is written as None)
  const capped = (v: number | null | undefined, key: string): boolean | null => (typeof v === 'number' || (v === undefined && a.props.has(key)) ? true : v === null ? false : null);
  const capA = capped(attempts, 'attempts');
  const capT = capped(timeout, 'timeout');
  const attemptsE = a.props.get('attempts');
  const stop: Stop = {
    bounded: capA === true || capT === true ? true : capA === false && capT === false ? false : null,
    attempts: attempts ?? null,
    budget: timeout ?? null,
    attemptsFrom: attempts === undefined && attemptsE ? exprText(cx, attemptsE) : null,
  };
  const initial = val('wait_initial', 0.1);
  const max = val('wait_max', 5);
  const jitter = val('wait_jitter', 1);
  const base = val('wait_exp_base', 2);
  const num4 = [initial, max, jitter, base].every((v) => typeof v === 'number');
  const [i, m, j, b] = [initial, max, jitter, base] as number[];
  const wait: Schedule = num4
    ? { waits: m > 0 && i + j > 0, grows: i > 0 && b > 1 && m > i, jittered: j > 0, readsRetryAfter, delay: (k) => Math.min(m, i * b ** k + j) }
    : { waits: null, grows: null, jittered: typeof jitter === 'number' ? jitter > 0 : null, readsRetryAfter, delay: null };
  return build('stamina', label, at, stop, wait, filter, readsRetryAfter, libraryMisses(cx, retries));
}
