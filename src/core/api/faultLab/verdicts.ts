// Verdicts: pure functions from the fault lab's request log to what the app did wrong.
// First the requests are grouped into logical calls (see `logicalCalls`), then each verdict kind is one small
// function over those calls. docs/fault-lab/<kind>.md explains each kind and where it can be wrong.

import type { LabRequest, Verdict } from './requestLog';

/** Statuses after which sending the same request again cannot succeed. */
export const NON_RETRYABLE_STATUSES: readonly number[] = [400, 401, 403, 404, 413, 422];
/** A retry sooner than this after the previous answer counts as "no wait". */
export const NO_WAIT_MS = 50;
/** Slack for timer and network jitter when comparing a wait with the retry-after it was given. */
export const RETRY_AFTER_SLACK_MS = 10;
/** Waits grow when a later wait of a call is at least this many times its first. */
export const GROWTH_FACTOR = 1.2;
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The attempts of one logical call, in the order they arrived. */
export interface LogicalCall {
  attempts: LabRequest[];
}

const ms = (iso: string) => Date.parse(iso);

/** 429, 5xx (529 included) and dropped connections are worth another attempt. */
export function isRetryableFailure(r: LabRequest): boolean {
  return r.status === 0 || r.status === 429 || r.status >= 500;
}

const succeeded = (r: LabRequest) => r.outcome === 'ok' && r.status >= 200 && r.status < 300;

/**
 * Groups requests into logical calls: the same method, path and body hash. A request joins an earlier call
 * of the same key when that call has not succeeded yet and its last attempt was answered before this request
 * arrived; otherwise it starts a new call (so the same prompt sent again after a success, or twice at once,
 * counts as separate calls).
 */
export function logicalCalls(requests: readonly LabRequest[]): LogicalCall[] {
  const calls: LogicalCall[] = [];
  const open = new Map<string, LogicalCall[]>();
  const sorted = [...requests].sort((a, b) => ms(a.time) - ms(b.time) || a.index - b.index);
  for (const r of sorted) {
    const key = `${r.method} ${r.path} ${r.bodyHash}`;
    const candidates = open.get(key) ?? [];
    const call = candidates.find((c) => {
      const last = c.attempts[c.attempts.length - 1];
      return !succeeded(last) && ms(last.answeredAt) <= ms(r.time);
    });
    if (call) {
      call.attempts.push(r);
    } else {
      const fresh = { attempts: [r] };
      calls.push(fresh);
      candidates.push(fresh);
      open.set(key, candidates);
    }
  }
  return calls;
}

/** Consecutive attempts of a call: the earlier one, the retry, and the wait between them in ms. */
function retries(call: LogicalCall): { prev: LabRequest; next: LabRequest; wait: number }[] {
  const out = [];
  for (let i = 1; i < call.attempts.length; i++) {
    const prev = call.attempts[i - 1];
    const next = call.attempts[i];
    out.push({ prev, next, wait: ms(next.time) - ms(prev.answeredAt) });
  }
  return out;
}

const indices = (rs: readonly LabRequest[]) => [...new Set(rs.map((r) => r.index))].sort((a, b) => a - b);

/** The wait an answer asked for, read like the SDKs do: retry-after-ms first, then retry-after in seconds. */
export function askedWaitMs(r: LabRequest): number | undefined {
  const fromMs = r.retryAfterMs !== undefined ? Number(r.retryAfterMs) : NaN;
  if (Number.isFinite(fromMs) && fromMs > 0) return fromMs;
  const seconds = r.retryAfter !== undefined ? Number(r.retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  if (r.retryAfter !== undefined && Number.isNaN(seconds)) {
    const date = Date.parse(r.retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - ms(r.answeredAt));
  }
  return undefined;
}

export function retryBeforeRetryAfter(calls: readonly LogicalCall[]): Verdict[] {
  const out: Verdict[] = [];
  for (const call of calls) {
    const early = retries(call).filter(({ prev, wait }) => {
      const asked = askedWaitMs(prev);
      return asked !== undefined && wait + RETRY_AFTER_SLACK_MS < asked;
    });
    if (early.length === 0) continue;
    const { prev, next, wait } = early[0];
    out.push({
      kind: 'retry-before-retry-after',
      message:
        `Request #${next.index} was sent ${Math.round(wait)} ms after #${prev.index} was answered ${prev.status} with ` +
        `${prev.retryAfterMs !== undefined ? `retry-after-ms ${prev.retryAfterMs}` : `retry-after ${prev.retryAfter}`}` +
        ` (a wait of ${Math.round(askedWaitMs(prev)!)} ms)` +
        (early.length > 1 ? `; ${early.length} retries of this call came too early.` : '.'),
      requests: indices(early.flatMap((e) => [e.prev, e.next])),
    });
  }
  return out;
}

export function retryNonRetryable(calls: readonly LogicalCall[]): Verdict[] {
  const out: Verdict[] = [];
  for (const call of calls) {
    const resent = retries(call).filter(({ prev }) => NON_RETRYABLE_STATUSES.includes(prev.status));
    if (resent.length === 0) continue;
    const { prev, next } = resent[0];
    out.push({
      kind: 'retry-non-retryable',
      message:
        `Request #${prev.index} was answered ${prev.status}, a final error, and was sent again unchanged as #${next.index}` +
        (resent.length > 1 ? ` (${resent.length} times in all).` : '.'),
      requests: indices(resent.flatMap((e) => [e.prev, e.next])),
    });
  }
  return out;
}

/** Splits a call's attempts where the SDK's retry count starts over (a fresh SDK call inside the app's loop). */
function sdkRuns(call: LogicalCall): LabRequest[][] {
  const runs: LabRequest[][] = [];
  let prevCount: number | undefined;
  for (const a of call.attempts) {
    const c = a.retryCount;
    const startsOver = runs.length === 0 || (c !== undefined && prevCount !== undefined && c <= prevCount) || (c === 0 && prevCount === undefined);
    if (startsOver) runs.push([a]);
    else runs[runs.length - 1].push(a);
    if (c !== undefined) prevCount = c;
  }
  return runs;
}

export function retryAmplified(calls: readonly LogicalCall[], maxAttempts = DEFAULT_MAX_ATTEMPTS): Verdict[] {
  const out: Verdict[] = [];
  for (const call of calls) {
    const n = call.attempts.length;
    const runs = sdkRuns(call);
    const nested = runs.length >= 2 && runs.some((r) => r.length >= 2);
    if (n <= maxAttempts && !nested) continue;
    const reasons: string[] = [];
    if (n > maxAttempts) reasons.push(`one call was sent ${n} times, more than the ${maxAttempts} allowed`);
    if (nested) {
      reasons.push(
        `the SDK's own retries ran inside the app's: its retry count started over ${runs.length - 1} time(s) ` +
          `(runs of ${runs.map((r) => r.length).join(', ')} attempts)`,
      );
    }
    const text = reasons.join('; and ');
    out.push({
      kind: 'retry-amplified',
      message: `${text[0].toUpperCase()}${text.slice(1)}.`,
      requests: indices(call.attempts),
    });
  }
  return out;
}

export function noRetry(calls: readonly LogicalCall[]): Verdict[] {
  const out: Verdict[] = [];
  for (const call of calls) {
    const first = call.attempts.findIndex(isRetryableFailure);
    if (first === -1 || first !== call.attempts.length - 1) continue;
    const r = call.attempts[first];
    if (!r.laterWouldPass) continue;
    const what = r.status === 0 ? 'a dropped connection' : `${r.status}`;
    out.push({
      kind: 'no-retry',
      message: `Request #${r.index} was answered with ${what}, a failure worth retrying, and was never sent again although a later attempt would have succeeded.`,
      requests: [r.index],
    });
  }
  return out;
}

/** The SDK's own retry: its retry count went up by one from the previous attempt. */
const sdkRetry = (prev: LabRequest, next: LabRequest) =>
  prev.retryCount !== undefined && next.retryCount !== undefined && next.retryCount === prev.retryCount + 1;

export function noBackoff(calls: readonly LogicalCall[]): Verdict[] {
  const out: Verdict[] = [];
  for (const call of calls) {
    // waits the app chose itself: after a transient failure that asked for no particular wait
    const own = retries(call).filter(
      ({ prev }) => (isRetryableFailure(prev) || prev.outcome === 'stream-error') && askedWaitMs(prev) === undefined,
    );
    if (own.length === 0) continue;
    const instant = own.filter((e) => e.wait < NO_WAIT_MS);
    // the SDKs' own retries (their retry count going up by one) back off exponentially by design: on a busy
    // machine their measured waits blur, so only the app's own retries are judged for growth
    const apps = own.filter((e) => !sdkRetry(e.prev, e.next));
    const waits = (instant.length > 0 ? own : apps).map((e) => Math.round(e.wait));
    const neverGrow = apps.length >= 2 && apps.every((e) => e.wait < apps[0].wait * GROWTH_FACTOR);
    if (instant.length === 0 && !neverGrow) continue;
    out.push({
      kind: 'no-backoff',
      message:
        instant.length > 0
          ? `Request #${instant[0].next.index} was sent ${Math.round(instant[0].wait)} ms after #${instant[0].prev.index} failed: no wait before retrying (waits: ${waits.join(', ')} ms).`
          : `The retries of one call waited ${waits.join(', ')} ms: the wait never grows.`,
      requests: indices(own.flatMap((e) => [e.prev, e.next])),
    });
  }
  return out;
}

export function streamReplayed(calls: readonly LogicalCall[]): Verdict[] {
  const out: Verdict[] = [];
  for (const call of calls) {
    const replays = retries(call).filter(({ prev }) => prev.streamed && prev.textDelivered);
    if (replays.length === 0) continue;
    const { prev, next } = replays[0];
    out.push({
      kind: 'stream-replayed',
      message: `Stream #${prev.index} had already delivered text when it failed, and was sent again from the start as #${next.index}: the user sees that text twice.`,
      requests: indices(replays.flatMap((e) => [e.prev, e.next])),
    });
  }
  return out;
}

export interface JudgeOptions {
  maxAttempts?: number;
}

/** Every verdict on a run's requests, grouped by kind in the order of VERDICT_KINDS. */
export function judge(requests: readonly LabRequest[], options: JudgeOptions = {}): Verdict[] {
  const calls = logicalCalls(requests);
  return [
    ...retryBeforeRetryAfter(calls),
    ...retryNonRetryable(calls),
    ...retryAmplified(calls, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    ...noRetry(calls),
    ...noBackoff(calls),
    ...streamReplayed(calls),
  ];
}
