// tenacity's stop and wait strategies as data: when a retry gives up (attempts, a time budget) and how long it
// waits before each retry (growth, jitter, retry-after). Defaults read from tenacity 9.1 (`stop.py`, `wait.py`):
// no `stop=` means stop_never, no `wait=` means wait_none(); wait_exponential(multiplier=1, max=∞, exp_base=2,
// min=0) waits multiplier·exp_base^(n-1) after attempt n; wait_random(min=0, max=1); wait_random_exponential
// (alias wait_full_jitter) draws uniformly below the exponential; wait_exponential_jitter(initial=1, max=∞,
// exp_base=2, jitter=1); wait_incrementing(start=0, increment=100, max=∞); `a + b` adds waits, `a | b` stops
// when either stop does, `a & b` when both do.

import type { RetryShapeAnalyzer } from './analyzer';
import type { N } from './model';
import type { PyArgs } from './pythonArgs';
import { constValue, exprText, predicateFacts, pyArgs, seconds } from './pythonArgs';
import { num } from './values';

/** When a retry gives up. `budget` in seconds. */
export interface Stop {
  bounded: boolean | null;
  attempts: number | null;
  budget: number | null;
  attemptsFrom: string | null;
}

/** How a retry waits. `delay(k)`: upper bound of the wait before retry k+1 (0-based), in seconds. */
export interface Schedule {
  waits: boolean | null;
  grows: boolean | null;
  jittered: boolean | null;
  readsRetryAfter: boolean;
  delay: ((k: number) => number) | null;
}

export const STOP_NEVER: Stop = { bounded: false, attempts: null, budget: null, attemptsFrom: null };
export const STOP_UNKNOWN: Stop = { bounded: null, attempts: null, budget: null, attemptsFrom: null };
export const WAIT_NONE: Schedule = { waits: false, grows: false, jittered: false, readsRetryAfter: false, delay: () => 0 };
export const WAIT_UNKNOWN: Schedule = { waits: null, grows: null, jittered: null, readsRetryAfter: false, delay: null };

/** The name of a tenacity strategy (`stop_after_attempt`, `tenacity.wait_fixed`) a call or name refers to. */
export type LibName = (cx: RetryShapeAnalyzer, e: N) => string | null;

function strategyCall(cx: RetryShapeAnalyzer, e: N, tenacityName: LibName): { name: string; call: N | null } | null {
  const x = constValue(cx, e);
  if (x.type === 'CallExpression' || x.type === 'NewExpression') {
    const name = tenacityName(cx, x.callee);
    return name ? { name, call: x } : null;
  }
  const name = tenacityName(cx, x);
  return name ? { name, call: null } : null;
}

function argsOf(cx: RetryShapeAnalyzer, call: N | null, positional: readonly string[]): PyArgs {
  return call ? pyArgs(cx, call, positional) : { props: new Map(), from: null };
}

/** A numeric argument in seconds: its value, the default when absent, null when not static. */
function arg(cx: RetryShapeAnalyzer, a: PyArgs, key: string, dflt: number): number | null {
  if (a.props.has(key)) return seconds(cx, a.props.get(key));
  return a.from ? null : dflt;
}

/** tenacity's `stop=`. */
export function tenacityStop(cx: RetryShapeAnalyzer, e: N, tenacityName: LibName, depth = 0): Stop {
  const x = constValue(cx, e);
  if (depth > 6) return STOP_UNKNOWN;
  if (x.type === 'BinaryExpression' && (x.operator === '|' || x.operator === '&')) {
    const parts = [tenacityStop(cx, x.left, tenacityName, depth + 1), tenacityStop(cx, x.right, tenacityName, depth + 1)];
    return x.operator === '|' ? stopAny(parts) : stopAll(parts);
  }
  const s = strategyCall(cx, x, tenacityName);
  if (!s) return STOP_UNKNOWN;
  const a = argsOf(cx, s.call, ['max_attempt_number']);
  switch (s.name) {
    case 'stop_never':
      return STOP_NEVER;
    case 'stop_after_attempt': {
      const v = a.props.get('max_attempt_number');
      const n = v ? num(cx, v) : null;
      return { bounded: true, attempts: n, budget: null, attemptsFrom: n === null && v ? exprText(cx, v) : null };
    }
    case 'stop_after_delay':
    case 'stop_before_delay': {
      const b = argsOf(cx, s.call, ['max_delay']);
      return { bounded: true, attempts: null, budget: seconds(cx, b.props.get('max_delay')), attemptsFrom: null };
    }
    case 'stop_any':
    case 'stop_all': {
      if (!s.call) return STOP_UNKNOWN;
      const parts = (s.call.arguments as N[]).map((p) => (p.type === 'SpreadElement' || p.pyKwargs ? STOP_UNKNOWN : tenacityStop(cx, p, tenacityName, depth + 1)));
      return s.name === 'stop_any' ? stopAny(parts) : stopAll(parts);
    }
    default:
      return STOP_UNKNOWN;
  }
}

/** Stops when any part stops: bounded when one part is; at most the smallest attempt cap and budget. */
function stopAny(parts: Stop[]): Stop {
  const attempts = parts.map((p) => p.attempts).filter((n): n is number => n !== null);
  const budgets = parts.map((p) => p.budget).filter((n): n is number => n !== null);
  return {
    bounded: parts.some((p) => p.bounded === true) ? true : parts.every((p) => p.bounded === false) ? false : null,
    attempts: attempts.length ? Math.min(...attempts) : null,
    budget: budgets.length ? Math.min(...budgets) : null,
    attemptsFrom: parts.find((p) => p.attemptsFrom)?.attemptsFrom ?? null,
  };
}

/** Stops when every part has stopped: bounded when all are; a cap only when every part is one. */
function stopAll(parts: Stop[]): Stop {
  const allAttempts = parts.every((p) => p.attempts !== null);
  const allBudgets = parts.every((p) => p.budget !== null);
  return {
    bounded: parts.every((p) => p.bounded === true) ? true : parts.some((p) => p.bounded === false) ? false : null,
    attempts: allAttempts && parts.length ? Math.max(...parts.map((p) => p.attempts as number)) : null,
    budget: allBudgets && parts.length ? Math.max(...parts.map((p) => p.budget as number)) : null,
    attemptsFrom: null,
  };
}

const BIG = Number.MAX_SAFE_INTEGER;

/** tenacity's `wait=`. */
export function tenacityWait(cx: RetryShapeAnalyzer, e: N, tenacityName: LibName, depth = 0): Schedule {
  const x = constValue(cx, e);
  if (depth > 6) return WAIT_UNKNOWN;
  if (x.type === 'BinaryExpression' && x.operator === '+') return combine([tenacityWait(cx, x.left, tenacityName, depth + 1), tenacityWait(cx, x.right, tenacityName, depth + 1)]);
  const s = strategyCall(cx, x, tenacityName);
  if (!s) {
    // a callable of the retry state: its own schedule; it may read the error's retry-after
    const facts = predicateFacts(cx, x);
    if (!facts) return WAIT_UNKNOWN;
    return { waits: null, grows: facts.growthOps ? true : null, jittered: facts.random ? true : null, readsRetryAfter: facts.readsRetryAfter, delay: null };
  }
  switch (s.name) {
    case 'wait_none':
      return WAIT_NONE;
    case 'wait_fixed': {
      const w = seconds(cx, argsOf(cx, s.call, ['wait']).props.get('wait'));
      return { waits: w === null ? null : w > 0, grows: false, jittered: false, readsRetryAfter: false, delay: w === null ? null : () => w };
    }
    case 'wait_random': {
      const a = argsOf(cx, s.call, ['min', 'max']);
      const lo = arg(cx, a, 'min', 0);
      const hi = arg(cx, a, 'max', 1);
      return { waits: hi === null ? null : hi > 0, grows: false, jittered: lo === null || hi === null ? null : hi > lo, readsRetryAfter: false, delay: hi === null ? null : () => hi };
    }
    case 'wait_incrementing': {
      const a = argsOf(cx, s.call, ['start', 'increment', 'max']);
      const start = arg(cx, a, 'start', 0);
      const inc = arg(cx, a, 'increment', 100);
      const max = arg(cx, a, 'max', BIG);
      const known = start !== null && inc !== null && max !== null;
      return {
        waits: known ? Math.max(start, inc) > 0 && max > 0 : null,
        grows: inc === null || max === null ? null : inc > 0 && max > (start ?? 0),
        jittered: false,
        readsRetryAfter: false,
        delay: known ? (k) => Math.max(0, Math.min(start + inc * k, max)) : null,
      };
    }
    case 'wait_exponential':
    case 'wait_random_exponential':
    case 'wait_full_jitter': {
      const a = argsOf(cx, s.call, ['multiplier', 'max', 'exp_base', 'min']);
      const mult = arg(cx, a, 'multiplier', 1);
      const max = arg(cx, a, 'max', BIG);
      const base = arg(cx, a, 'exp_base', 2);
      const min = arg(cx, a, 'min', 0);
      const known = mult !== null && max !== null && base !== null && min !== null;
      return {
        waits: known ? Math.max(min, Math.min(mult, max)) > 0 : null,
        grows: mult === null || base === null || max === null ? null : mult > 0 && base > 1 && max > mult,
        jittered: s.name !== 'wait_exponential',
        readsRetryAfter: false,
        delay: known ? (k) => Math.max(min, Math.min(mult * base ** k, max)) : null,
      };
    }
    case 'wait_exponential_jitter': {
      const a = argsOf(cx, s.call, ['initial', 'max', 'exp_base', 'jitter']);
      const initial = arg(cx, a, 'initial', 1);
      const max = arg(cx, a, 'max', BIG);
      const base = arg(cx, a, 'exp_base', 2);
      const jitter = arg(cx, a, 'jitter', 1);
      const known = initial !== null && max !== null && base !== null && jitter !== null;
      return {
        waits: known ? Math.min(initial + jitter, max) > 0 : null,
        grows: initial === null || base === null || max === null ? null : initial > 0 && base > 1 && max > initial,
        jittered: jitter === null ? null : jitter > 0,
        readsRetryAfter: false,
        delay: known ? (k) => Math.max(0, Math.min(initial * base ** k + jitter, max)) : null,
      };
    }
    case 'wait_combine':
    case 'wait_chain': {
      if (!s.call) return WAIT_UNKNOWN;
      const parts = (s.call.arguments as N[]).map((p) => (p.type === 'SpreadElement' || p.pyKwargs ? WAIT_UNKNOWN : tenacityWait(cx, p, tenacityName, depth + 1)));
      return s.name === 'wait_combine' ? combine(parts) : chain(parts);
    }
    case 'wait_exception': {
      // wait_exception(predicate): the predicate gets the exception and returns the wait
      const p = argsOf(cx, s.call, ['predicate']).props.get('predicate');
      const facts = p ? predicateFacts(cx, p) : null;
      return { waits: null, grows: facts?.growthOps ? true : null, jittered: facts?.random ? true : null, readsRetryAfter: !!facts?.readsRetryAfter, delay: null };
    }
    default:
      return WAIT_UNKNOWN;
  }
}

function any3(parts: Schedule[], key: 'waits' | 'grows' | 'jittered'): boolean | null {
  if (parts.some((p) => p[key] === true)) return true;
  return parts.every((p) => p[key] === false) ? false : null;
}

/** `a + b`: the waits add up. */
function combine(parts: Schedule[]): Schedule {
  const delays = parts.map((p) => p.delay);
  return {
    waits: any3(parts, 'waits'),
    grows: any3(parts, 'grows'),
    jittered: any3(parts, 'jittered'),
    readsRetryAfter: parts.some((p) => p.readsRetryAfter),
    delay: delays.every((d) => d) ? (k) => delays.reduce((t, d) => t + (d as (k: number) => number)(k), 0) : null,
  };
}

/** wait_chain(a, b, …): strategy i for retry i, the last one for every retry after. */
function chain(parts: Schedule[]): Schedule {
  if (!parts.length) return WAIT_NONE;
  const pick = (k: number) => parts[Math.min(k, parts.length - 1)];
  const delays = parts.map((p) => p.delay);
  const known = delays.every((d) => d);
  // the chain grows when a later strategy waits longer than an earlier one, or one of them grows
  let grows = any3(parts, 'grows');
  if (grows !== true && known) {
    for (let i = 1; i < parts.length; i++) if ((delays[i] as (k: number) => number)(i) > (delays[i - 1] as (k: number) => number)(i - 1)) grows = true;
  }
  return {
    waits: any3(parts, 'waits'),
    grows,
    jittered: any3(parts, 'jittered'),
    readsRetryAfter: parts.some((p) => p.readsRetryAfter),
    delay: known ? (k) => (pick(k).delay as (k: number) => number)(k) : null,
  };
}

/**
 * Upper bound of the total wait (ms) of `attempts` attempts within a budget in seconds. A budget checked after
 * each attempt (tenacity's stop_after_delay, stamina's timeout) still lets one more wait start before it runs
 * out (`overshoot`); backoff shortens its last wait to what is left of max_time.
 */
export function totalWaitMs(attempts: number | null, delay: ((k: number) => number) | null, budget: number | null, overshoot = true): number | null {
  if (attempts === null || delay === null) return null;
  let t = 0;
  let longest = 0;
  for (let k = 0; k < attempts - 1; k++) {
    const d = delay(k);
    t += d;
    longest = Math.max(longest, d);
  }
  if (budget !== null) t = Math.min(t, budget + (overshoot ? longest : 0));
  return Number.isFinite(t) ? t * 1000 : null;
}

