// Retry layers made by wrappers: the product's helper, configured wrapper names, p-retry, async-retry,
// exponential-backoff, cockatiel policies and LangChain's AsyncCaller (their options and defaults).

import type { RetryShapeAnalyzer } from './analyzer';
import { calleeName, isFn, isIdent, propName, unwrapExpr } from './ast';
import type { N, RetryLayer } from './model';
import { baseLayer } from './model';
import { factsOfCallback, regionFacts } from './regionFacts';
import { asyncRetryMisses, cockatielMisses, pRetryMisses, predicateMisses } from './coverage';
import { exponentialWaitMs, HELPER, sumWaits } from './sdkFacts';
import { PY_HELPER_OPTIONS } from './pythonFacts';
import type { Options } from './values';
import { countFrom, num, optBool, optionsOf, optNum, str } from './values';

/** What the product's helper and configured wrappers do well: status-aware, growing jittered waits, retry-after. */
const WELL_BEHAVED = { bounded: true, statusAware: true, retries429: true, waits: true, grows: true, jittered: true, readsRetryAfter: true } as const;

function wrapperInfo(call: N, fnArg: N | undefined): RetryLayer['wrapper'] {
  const fn = fnArg ? unwrapExpr(fnArg) : null;
  return {
    callStart: call.range[0],
    callEnd: call.range[1],
    fnStart: fnArg ? fnArg.range[0] : call.range[0],
    fnEnd: fnArg ? fnArg.range[1] : call.range[1],
    fnTakesNoArgs: !!fn && isFn(fn) && fn.params.length === 0,
  };
}

export function helperLayer(cx: RetryShapeAnalyzer, call: N, callee: N, fnArg: N | undefined, opts: N | undefined, name: string): RetryLayer {
  const opt = optionsOf(cx, opts);
  const o = opt.props;
  // Python's helper takes seconds: max_attempts, base_delay, max_delay, max_elapsed
  const k = cx.python ? { attempts: PY_HELPER_OPTIONS.maxAttempts, base: PY_HELPER_OPTIONS.baseDelay, max: PY_HELPER_OPTIONS.maxDelay, elapsed: PY_HELPER_OPTIONS.maxElapsed } : { attempts: 'maxAttempts', base: 'baseDelayMs', max: 'maxDelayMs', elapsed: 'maxElapsedMs' };
  const ms = (key: string): number | null => {
    const v = num(cx, o.get(key));
    return v === null ? null : v * cx.timeUnitMs;
  };
  const attempts = optNum(cx, opt, k.attempts, HELPER.maxAttempts);
  const base = ms(k.base) ?? HELPER.baseDelayMs;
  const max = ms(k.max) ?? HELPER.maxDelayMs;
  const budget = ms(k.elapsed) ?? HELPER.maxElapsedMs;
  const l = baseLayer('helper', name, callee);
  let wait: number | null = null;
  if (attempts !== null) {
    wait = 0;
    for (let k = 1; k < attempts; k++) wait += Math.min(max, base * 2 ** (k - 1));
    wait = Math.min(wait, budget);
  }
  return {
    ...l,
    ...WELL_BEHAVED,
    ...predicateMisses(cx, o.get('shouldRetry')),
    attempts,
    attemptsFrom: countFrom(cx, opt, k.attempts),
    budgetMs: budget,
    waitMs: wait,
    wrapper: wrapperInfo(call, fnArg),
  };
}

export function configuredLayer(call: N, callee: N, fnArg: N | undefined, name: string): RetryLayer {
  return {
    ...baseLayer('configured-wrapper', name, callee),
    ...WELL_BEHAVED,
    wrapper: wrapperInfo(call, fnArg),
  };
}

interface NodeRetrySchedule {
  factor: number | null;
  minT: number | null;
  maxT: number | null;
  randomize: boolean | null;
}

/**
 * The options p-retry and async-retry share (both run node-retry): retries 10, factor 2, minTimeout 1000,
 * maxTimeout Infinity by default; randomize defaults to false in p-retry, true in async-retry.
 */
function nodeRetryOptions(cx: RetryShapeAnalyzer, o: Options, randomizeDefault: boolean): NodeRetrySchedule & { retries: number | null } {
  return {
    retries: optNum(cx, o, 'retries', 10),
    factor: optNum(cx, o, 'factor', 2),
    minT: optNum(cx, o, 'minTimeout', 1000),
    maxT: optNum(cx, o, 'maxTimeout', Infinity),
    randomize: optBool(o, 'randomize', randomizeDefault),
  };
}

/** The wait facts of a node-retry schedule (it retries every error, 429s included, unless told otherwise). */
function nodeRetryWaits(attempts: number | null, s: NodeRetrySchedule, readsRetryAfter: boolean): Pick<RetryLayer, 'retries429' | 'waits' | 'grows' | 'jittered' | 'readsRetryAfter' | 'waitMs'> {
  return {
    retries429: true,
    waits: s.minT === null ? null : s.minT > 0,
    grows: s.factor === null ? null : s.factor > 1,
    jittered: s.randomize,
    readsRetryAfter,
    waitMs: exponentialWaitMs(attempts, s.minT, s.factor, s.maxT, s.randomize),
  };
}

export function libraryLayer(cx: RetryShapeAnalyzer, source: string, imported: string, call: N, callee: N, fnArg: N | undefined, opts: N | undefined, name: string): RetryLayer | null {
  const opt = optionsOf(cx, opts);
  const o = opt.props;
  const fnFacts = fnArg ? factsOfCallback(cx, fnArg) : null;
  const optFacts = opts ? regionFacts(cx, opts, 1) : null;
  const readsRA = !!(fnFacts?.readsRetryAfter || optFacts?.readsRetryAfter);
  if (source === 'p-retry' && (imported === 'default' || imported === '*' || imported === 'pRetry')) {
    const forever = optBool(opt, 'forever', false);
    const { retries, ...schedule } = nodeRetryOptions(cx, opt, false);
    const maxRetryTime = num(cx, o.get('maxRetryTime'));
    // a count from elsewhere still retries every error unless something stops on final ones
    const abort = !!fnFacts?.pRetryAbort || o.has('shouldRetry') || !!onFailedAttemptThrows(cx, o.get('onFailedAttempt'));
    const bounded = forever === true || retries === Infinity ? maxRetryTime !== null && maxRetryTime !== Infinity : retries === null || forever === null ? null : true;
    const attempts = bounded && retries !== null && retries !== Infinity && forever === false ? retries + 1 : null;
    return {
      ...baseLayer('p-retry', name, callee),
      attempts,
      attemptsFrom: countFrom(cx, opt, 'retries'),
      bounded,
      budgetMs: maxRetryTime !== null && maxRetryTime !== Infinity ? maxRetryTime : null,
      statusAware: abort || (opt.from ? null : false),
      ...pRetryMisses(cx, fnArg, opt),
      ...nodeRetryWaits(attempts, schedule, readsRA),
      wrapper: wrapperInfo(call, fnArg),
    };
  }
  if (source === 'async-retry' && (imported === 'default' || imported === '*')) {
    const { retries, ...schedule } = nodeRetryOptions(cx, opt, true);
    const attempts = retries !== null && retries !== Infinity ? retries + 1 : null;
    return {
      ...baseLayer('async-retry', name, callee),
      attempts,
      attemptsFrom: countFrom(cx, opt, 'retries'),
      bounded: retries === null ? null : retries !== Infinity,
      statusAware: !!fnFacts?.bailCalled,
      ...asyncRetryMisses(cx, fnArg),
      ...nodeRetryWaits(attempts, schedule, readsRA),
      wrapper: wrapperInfo(call, fnArg),
    };
  }
  if (source === 'exponential-backoff' && imported === 'backOff') {
    // defaults: numOfAttempts 10, startingDelay 100, timeMultiple 2, maxDelay Infinity, jitter 'none'
    const n = optNum(cx, opt, 'numOfAttempts', 10);
    const start = optNum(cx, opt, 'startingDelay', 100);
    const mult = optNum(cx, opt, 'timeMultiple', 2);
    const maxD = optNum(cx, opt, 'maxDelay', Infinity);
    const jitter = o.has('jitter') ? str(o.get('jitter')) : opt.from ? null : 'none';
    const retryOpt = o.get('retry');
    return {
      ...baseLayer('exponential-backoff', name, callee),
      attempts: n !== null && n !== Infinity ? n : null,
      attemptsFrom: countFrom(cx, opt, 'numOfAttempts'),
      bounded: n === null ? null : n !== Infinity,
      statusAware: retryOpt ? !alwaysReturnsTrue(cx, retryOpt) : opt.from ? null : false,
      ...predicateMisses(cx, retryOpt),
      retries429: true,
      waits: start === null ? null : start > 0,
      grows: mult === null ? null : mult > 1,
      jittered: jitter === null ? null : jitter === 'full',
      readsRetryAfter: readsRA,
      waitMs: n !== null && n !== Infinity && start !== null && mult !== null && maxD !== null ? sumWaits(n, (k) => Math.min(start * mult ** k, maxD)) : null,
      wrapper: wrapperInfo(call, fnArg),
    };
  }
  return null;
}

/** `policy` in `policy.execute(fn)`: the cockatiel `retry(...)` call (or old fluent chain) that made it. */
export function cockatielPolicy(cx: RetryShapeAnalyzer, obj: N, depth = 0): N | null {
  if (depth > 3) return null;
  const e = unwrapExpr(obj);
  if (e.type === 'Identifier') {
    const b = cx.resolveName(e.name, e);
    if (b && b.init) return cockatielPolicy(cx, b.init as unknown as N, depth + 1);
    return null;
  }
  if (e.type === 'MemberExpression' && e.object.type === 'ThisExpression') {
    const name = propName(e);
    if (!name) return null;
    for (const ref of cx.references(name.replace(/^#/, '#'))) {
      const p = ref.parent as N;
      if (p.type === 'PropertyDefinition' && p.key === ref && p.value) return cockatielPolicy(cx, p.value, depth + 1);
      if (p.type === 'MemberExpression' && p.property === ref && p.parent?.type === 'AssignmentExpression' && p.parent.left === p) {
        const r = cockatielPolicy(cx, p.parent.right, depth + 1);
        if (r) return r;
      }
    }
    return null;
  }
  if (e.type !== 'CallExpression') return null;
  const callee = unwrapExpr(e.callee);
  if (callee.type === 'Identifier') {
    const imp = cx.importsMap().get(callee.name);
    if (!imp || imp.source !== 'cockatiel') return null;
    if (imp.imported === 'retry') return e;
    if (imp.imported === 'wrap') {
      for (const a of e.arguments) {
        const r = cockatielPolicy(cx, a, depth + 1);
        if (r) return r;
      }
    }
    return null;
  }
  // fluent API (cockatiel 1/2): Policy.handleAll().retry().attempts(3).exponential()
  if (callee.type === 'MemberExpression') {
    let root: N = e;
    while (root.type === 'CallExpression' && root.callee.type === 'MemberExpression') root = root.callee.object;
    if (root.type === 'Identifier') {
      const imp = cx.importsMap().get(root.name);
      if (imp && imp.source === 'cockatiel') {
        if (propName(callee) === 'wrap') {
          for (const a of e.arguments) {
            const r = cockatielPolicy(cx, a, depth + 1);
            if (r) return r;
          }
          return null;
        }
        const chain = chainNames(e);
        if (chain.includes('retry')) return e;
      }
    }
  }
  return null;
}

function chainNames(e: N): string[] {
  const names: string[] = [];
  let cur: N = e;
  while (cur.type === 'CallExpression' && cur.callee.type === 'MemberExpression') {
    names.push(propName(cur.callee) ?? '');
    cur = cur.callee.object;
  }
  return names;
}

function chainCall(e: N, name: string): N | null {
  let cur: N = e;
  while (cur.type === 'CallExpression' && cur.callee.type === 'MemberExpression') {
    if (propName(cur.callee) === name) return cur;
    cur = cur.callee.object;
  }
  return null;
}

export function cockatielLayer(cx: RetryShapeAnalyzer, call: N, callee: N, fnArg: N | undefined, policy: N): RetryLayer {
  const l = baseLayer('cockatiel', 'cockatiel retry policy', callee);
  let maxAttempts: number | null | undefined;
  let handler: N | null = null;
  let backoff: N | null = null;
  let fluentBackoff: string | null = null;
  let attemptsFrom: string | null = null;
  if (isIdent(unwrapExpr(policy.callee))) {
    handler = policy.arguments[0] ?? null;
    const opt = optionsOf(cx, policy.arguments[1]);
    maxAttempts = opt.props.has('maxAttempts') ? num(cx, opt.props.get('maxAttempts')) : undefined;
    attemptsFrom = countFrom(cx, opt, 'maxAttempts');
    backoff = opt.props.get('backoff') ?? null;
  } else {
    const chain = chainNames(policy);
    const attemptsCall = chainCall(policy, 'attempts');
    maxAttempts = attemptsCall ? num(cx, attemptsCall.arguments[0]) : undefined;
    fluentBackoff = chain.includes('exponential') ? 'exponential' : chain.includes('delay') ? 'constant' : null;
    handler = chain.includes('handleAll') ? null : policy;
    if (chain.includes('handleAll')) handler = { type: 'Identifier', name: 'handleAll', range: policy.range };
  }
  const handlerName = handler ? (handler.type === 'Identifier' ? handler.name : calleeName(handler) ?? '') : '';
  const statusAware = handler ? handlerName !== 'handleAll' : null;
  let waits: boolean | null = null;
  let grows: boolean | null = null;
  let jittered: boolean | null = null;
  const b = backoff ? unwrapExpr(backoff) : null;
  if (b && b.type === 'NewExpression' && b.callee.type === 'Identifier') {
    const cls = b.callee.name;
    if (cls === 'ExponentialBackoff') [waits, grows, jittered] = [true, true, true];
    else if (cls === 'ConstantBackoff') {
      const d = num(cx, b.arguments[0]);
      [waits, grows, jittered] = [d === null ? null : d > 0, false, false];
    }
  } else if (fluentBackoff === 'exponential') [waits, grows, jittered] = [true, true, true];
  else if (fluentBackoff === 'constant') [waits, grows, jittered] = [true, false, false];
  const attempts = maxAttempts === undefined || maxAttempts === null || maxAttempts === Infinity ? null : maxAttempts + 1;
  return {
    ...l,
    attempts,
    attemptsFrom,
    bounded: maxAttempts === undefined || maxAttempts === null ? null : maxAttempts !== Infinity,
    statusAware,
    ...cockatielMisses(cx, handler),
    retries429: true,
    waits,
    grows,
    jittered,
    readsRetryAfter: fnArg ? factsOfCallback(cx, fnArg).readsRetryAfter : false,
    wrapper: wrapperInfo(call, fnArg),
  };
}

export function isAsyncCaller(cx: RetryShapeAnalyzer, obj: N, depth = 0): boolean {
  const e = unwrapExpr(obj);
  if (depth > 3) return false;
  if (e.type === 'NewExpression' && isIdent(e.callee, 'AsyncCaller')) return true;
  if (e.type === 'Identifier') {
    const b = cx.resolveName(e.name, e);
    return !!(b && b.init && isAsyncCaller(cx, b.init as unknown as N, depth + 1));
  }
  if (e.type === 'MemberExpression' && e.object.type === 'ThisExpression') {
    const name = propName(e);
    if (!name) return false;
    return cx.references(name).some((ref) => {
      const p = ref.parent as N;
      if (p.type === 'PropertyDefinition' && p.key === ref && p.value) return isAsyncCaller(cx, p.value, depth + 1);
      return p.type === 'MemberExpression' && p.property === ref && p.parent?.type === 'AssignmentExpression' && p.parent.left === p && isAsyncCaller(cx, p.parent.right, depth + 1);
    });
  }
  return false;
}

export function asyncCallerLayer(cx: RetryShapeAnalyzer, call: N, callee: N, fnArg: N | undefined, obj: N): RetryLayer {
  let ctor: N | null = null;
  const find = (e: N, d: number): void => {
    const x = unwrapExpr(e);
    if (d > 3) return;
    if (x.type === 'NewExpression') ctor = x;
    else if (x.type === 'Identifier') {
      const b = cx.resolveName(x.name, x);
      if (b && b.init) find(b.init as unknown as N, d + 1);
    }
  };
  find(obj, 0);
  const opt = optionsOf(cx, ctor ? (ctor as N).arguments[0] : undefined);
  // LangChain's AsyncCaller: p-retry with maxRetries (default 6), randomize, and an abort on 4xx statuses.
  const retries = ctor ? optNum(cx, opt, 'maxRetries', 6) : null;
  const attempts = retries !== null && retries !== Infinity ? retries + 1 : null;
  return {
    ...baseLayer('langchain', 'AsyncCaller', callee),
    attempts,
    attemptsFrom: ctor ? countFrom(cx, opt, 'maxRetries') : null,
    bounded: retries === null ? null : retries !== Infinity,
    statusAware: true,
    retries429: true,
    waits: true,
    grows: true,
    jittered: true,
    readsRetryAfter: false,
    waitMs: attempts !== null ? sumWaits(attempts, (k) => 2000 * 2 ** k) : null,
    wrapper: wrapperInfo(call, fnArg),
  };
}

function onFailedAttemptThrows(cx: RetryShapeAnalyzer, v: N | undefined): boolean {
  if (!v) return false;
  const f = cx.functionOf(v);
  if (!f) return false;
  const facts = regionFacts(cx, f.body, 1);
  return facts.throws && facts.statusAware;
}

function alwaysReturnsTrue(cx: RetryShapeAnalyzer, v: N): boolean {
  const f = cx.functionOf(v);
  if (!f) return false;
  if (f.body.type !== 'BlockStatement') return f.body.type === 'Literal' && f.body.value === true;
  const stmts = f.body.body;
  return stmts.length === 1 && stmts[0].type === 'ReturnStatement' && stmts[0].argument?.type === 'Literal' && stmts[0].argument.value === true;
}
