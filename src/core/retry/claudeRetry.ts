/**
 * claudeRetry: retries for Claude Messages API calls, in one file with no imports (Node 18+ and browsers).
 * Turn the SDK's own retries off, otherwise every attempt here hides up to three requests:
 *
 *   const client = new Anthropic({ maxRetries: 0 });
 *   const message = await withRetry(() => client.messages.create({ model, max_tokens: 1024, messages }, { signal }),
 *     { signal, onRetry: (e) => console.warn(`attempt ${e.attempt} failed (${e.status ?? e.errorType}), retrying in ${e.delayMs} ms`) });
 *   for await (const event of withStreamRetry(() => client.messages.stream(body))) { ... } // retried before its first event only
 *
 * Retried: HTTP 408, 409, 429 and every 5xx (529 "overloaded" included), connection resets and timeouts, and
 * `overloaded_error`, `api_error`, `rate_limit_error` or `timeout_error` inside a stream. Final: every other 4xx,
 * a 429 that reports the spend limit, aborts, and any error that does not come from the network or the API (a
 * bug in your own code fails at once). A `x-should-retry: true|false` header overrides all that, except an abort.
 * Waits: what the server asks for (`retry-after-ms`, else `retry-after`), in full; otherwise "full jitter", a
 * random wait in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))]. It gives up after `maxAttempts`, or at once
 * when the next wait would overrun `maxElapsedMs`, rejecting with the error the last attempt threw, unchanged.
 *
 * Options (all optional): maxAttempts 6, baseDelayMs 1000, maxDelayMs 60000, maxElapsedMs 120000, signal,
 * onRetry / onGiveUp hooks, shouldRetry. When many calls run at once, the opt-in file claudeRetryThrottle.ts adds
 * an AdaptiveThrottle and a CircuitBreaker shared between calls (`{ throttle, circuitBreaker }`). `classifyError`,
 * `parseRetryAfter` and `backoffDelay` are plain functions for code that runs its own loop.
 */

/** The part of `AbortSignal` used here (a real one, browser or Node, fits it). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
/** Why an error was judged retryable or final (see `classifyError`). */
export type ClassificationReason = 'aborted' | 'circuit-open' | 'throttled' | 'should-retry-header' | 'spend-limit'
  | 'http-status' | 'stream-error-type' | 'connection-error' | 'timeout' | 'host-not-found' | 'unknown-error';
/** What `classifyError` found: also the API error type (`overloaded_error`), code (`enforced_spend_limit_reached`),
 *  request id (worth logging), and the wait the server asked for (`retry-after-ms` / `retry-after`, in ms). */
export interface ErrorClassification {
  retryable: boolean;
  reason: ClassificationReason;
  status?: number; errorType?: string; errorCode?: string; requestId?: string; retryAfterMs?: number;
}
/** Passed to `onRetry` before each wait: the attempt that failed (1-based), the wait and who chose it, the error
 *  unchanged, and the time since `withRetry` started. */
export interface RetryEvent {
  attempt: number; delayMs: number; reason: 'retry-after' | 'backoff';
  status?: number; errorType?: string; requestId?: string;
  error: unknown; elapsedMs: number; classification: ErrorClassification;
}

export type GiveUpReason = 'final-error' | 'attempts-exhausted' | 'budget-exceeded' | 'aborted' | 'circuit-open' | 'throttled';
/** Passed to `onGiveUp` once, right before `withRetry` rejects with `error`; `attempts` is 0 when none was made. */
export interface GiveUpEvent {
  reason: GiveUpReason; attempts: number; error: unknown; elapsedMs: number; classification?: ErrorClassification;
}
/** Shared between calls, may hold an attempt back before it is sent (see claudeRetryThrottle.ts). `admit` answers
 *  `undefined` (send), `{ waitMs }` (wait, ask again) or `{ giveUp, error }`; a gate that admitted hears the outcome. */
export interface RetryGate {
  admit(call: GateCall): { waitMs: number } | { giveUp: GiveUpReason; error: unknown } | undefined;
  settle(outcome: 'accepted' | 'failed' | 'unsent'): void;
}
/** What a gate is told: what is left of `maxElapsedMs`, the last error (if any), and this call's backoff. */
export interface GateCall {
  attempt: number; budgetLeftMs: number; lastError: unknown; random: () => number; backoffMs: () => number;
}

export interface RetryOptions {
  /** Total attempts, the first included (default 6); backoff cap for the first retry, doubling each time (default
   *  1000 ms) and for any (default 60 000 ms; a server's `retry-after` may be longer); budget for the whole call,
   *  waits included (default 120 000 ms). */
  maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxElapsedMs?: number;
  /** Abort to stop: before the start nothing is called; during a wait it rejects at once. */
  signal?: AbortSignalLike;
  onRetry?: (event: RetryEvent) => void;
  onGiveUp?: (event: GiveUpEvent) => void;
  /** Override the retry decision; return `true` to retry. Aborts are never retried. */
  shouldRetry?: (error: unknown, classification: ErrorClassification) => boolean;
  /** A CircuitBreaker and an AdaptiveThrottle shared between calls (claudeRetryThrottle.ts). */
  circuitBreaker?: RetryGate;
  throttle?: RetryGate;
  /** Clock, sleep and random numbers in [0, 1), for tests. */
  now?: () => number; sleep?: (ms: number, signal?: AbortSignalLike) => Promise<void>; random?: () => number;
}

export const RETRY_DEFAULTS = Object.freeze({ maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60000, maxElapsedMs: 120000 });

/** `obj[key]` for any value, without throwing on null or primitives. */
function prop(obj: unknown, key: string): unknown {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return undefined;
  return (obj as { [key: string]: unknown })[key];
}
/** The first non-empty string among `values`. */
function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}
/** `to` with the fields of `from` that are defined (the others stay absent rather than `undefined`). */
function withDefined<T extends object>(to: T, from: object): T {
  for (const key of Object.keys(from)) if (prop(from, key) !== undefined) (to as { [key: string]: unknown })[key] = prop(from, key);
  return to;
}
function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}
function headerText(value: unknown): string | undefined {
  if (Array.isArray(value)) return headerText(value[0]);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value.trim() : undefined;
}
/** One header, any case, from a fetch `Headers`, a Map or Map-like `get`, a plain object or a list of pairs. */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const wanted = name.toLowerCase();
  if (Array.isArray(headers)) {
    for (const pair of headers) if (Array.isArray(pair) && typeof pair[0] === 'string' && pair[0].toLowerCase() === wanted) return headerText(pair[1]);
    return undefined;
  }
  const get = prop(headers, 'get');
  if (typeof get === 'function') {
    const direct = headerText(get.call(headers, wanted)); // Headers ignore case; a Map does not: scan it
    const forEach = prop(headers, 'forEach');
    if (direct !== undefined || typeof forEach !== 'function') return direct;
    let found: string | undefined;
    forEach.call(headers, (value: unknown, key: unknown) => {
      if (found === undefined && typeof key === 'string' && key.toLowerCase() === wanted) found = headerText(value);
    });
    return found;
  }
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headerText((headers as { [key: string]: unknown })[key]);
  return undefined;
}
const NUMBER_TEXT = /^\d+(\.\d+)?$/;

/**
 * How long the server asks us to wait, in ms: `retry-after-ms`, else `retry-after` as seconds (fractions allowed)
 * or an HTTP date measured against `nowMs`. Zero, negative, past and unparsable values give `undefined` (backoff
 * applies). No upper cap: the server knows how long its limit lasts.
 */
export function parseRetryAfter(headers: unknown, nowMs: number = Date.now()): number | undefined {
  const positive = (ms: number): number | undefined => (ms > 0 && isFinite(ms) ? Math.ceil(ms) : undefined);
  const ms = readHeader(headers, 'retry-after-ms');
  const fromMs = ms !== undefined && NUMBER_TEXT.test(ms) ? positive(Number(ms)) : undefined;
  if (fromMs !== undefined) return fromMs;
  const after = readHeader(headers, 'retry-after');
  if (after === undefined || after === '') return undefined;
  if (NUMBER_TEXT.test(after)) return positive(Number(after) * 1000);
  const date = Date.parse(after);
  return isNaN(date) ? undefined : positive(date - nowMs);
}

/** HTTP status from the SDK (`.status`), other clients (`.statusCode`) or axios-style `.response.status`. */
function readStatus(err: unknown): number | undefined {
  for (const c of [prop(err, 'status'), prop(err, 'statusCode'), prop(prop(err, 'response'), 'status')]) {
    const n = typeof c === 'string' && /^\d{3}$/.test(c) ? Number(c) : c;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599) return n;
  }
  return undefined;
}

/** Node's `err.code`, on the error and along its `.cause` chain (fetch wraps socket errors). */
function readCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let depth = 0, e = err; depth < 5 && e !== undefined && e !== null; depth++, e = prop(e, 'cause')) {
    const code = firstString(prop(e, 'code'));
    if (code) codes.push(code);
  }
  return codes;
}

/** Socket-level failures worth another try (UND_ERR_*: the same, as undici reports them). */
const TRANSIENT_CODES = ['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH',
  'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'];
/** Error types that arrive with no status, inside a stream after a 200, and pass with time. */
const RETRYABLE_STREAM_TYPES = ['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error'];
const SPEND_LIMIT = 'enforced_spend_limit_reached';
/**
 * Whether an error is worth another attempt, and what a log line needs. Understands @anthropic-ai/sdk errors
 * (0.x and 1.x), fetch-style `{ status, headers }`, axios-style `err.response`, and Node socket errors.
 */
export function classifyError(err: unknown, nowMs: number = Date.now()): ErrorClassification {
  const status = readStatus(err);
  const ownHeaders = prop(err, 'headers');
  const headers = ownHeaders !== undefined && ownHeaders !== null ? ownHeaders : prop(prop(err, 'response'), 'headers');
  // The SDK keeps the JSON body `{ type: 'error', error: { type, message, details? }, request_id }` on `.error`.
  const ownBody = prop(err, 'error');
  const body = ownBody !== undefined && ownBody !== null && typeof ownBody === 'object' ? ownBody : prop(prop(err, 'response'), 'data');
  const inner = prop(body, 'error');
  const ownType = firstString(prop(err, 'type'));
  const errorType = firstString(prop(inner, 'type'), ownType !== 'error' ? ownType : undefined);
  const errorCode = firstString(prop(err, 'errorCode'), prop(prop(inner, 'details'), 'error_code'), prop(inner, 'error_code'), prop(body, 'error_code'));
  const requestId = firstString(prop(err, 'requestID'), prop(err, 'request_id'), prop(err, 'requestId'), readHeader(headers, 'request-id'), prop(body, 'request_id'));
  const found = { status, errorType, errorCode, requestId, retryAfterMs: parseRetryAfter(headers, nowMs) };
  const result = (retryable: boolean, reason: ClassificationReason) => withDefined<ErrorClassification>({ retryable, reason }, found);
  const name = prop(err, 'name');
  const codes = readCodes(err);
  // The caller asked to stop (AbortError, the SDK's APIUserAbortError, undici's code): nothing overrides that.
  if (name === 'AbortError' || name === 'APIUserAbortError' || codes.indexOf('UND_ERR_ABORTED') !== -1) return result(false, 'aborted');
  if (name === 'CircuitOpenError') return result(false, 'circuit-open');
  if (name === 'ThrottledError') return result(false, 'throttled');
  // The API itself says whether a retry can help.
  const shouldRetryHeader = readHeader(headers, 'x-should-retry');
  if (shouldRetryHeader === 'true' || shouldRetryHeader === 'false') return result(shouldRetryHeader === 'true', 'should-retry-header');
  // The spend limit lasts until someone raises it. Older SDKs leave the code in the body, which the message embeds.
  const m = prop(err, 'message');
  const text = typeof m === 'string' ? m : '';
  if (errorCode === SPEND_LIMIT || errorType === SPEND_LIMIT || text.indexOf(SPEND_LIMIT) !== -1 || (status === 429 && /\bspend(ing)? limit\b/i.test(text))) {
    return result(false, 'spend-limit');
  }
  if (status !== undefined) return result(status === 408 || status === 409 || status === 429 || status >= 500, 'http-status');
  if (errorType !== undefined && name !== 'APIConnectionError' && name !== 'APIConnectionTimeoutError') {
    return result(RETRYABLE_STREAM_TYPES.indexOf(errorType) !== -1, 'stream-error-type');
  }
  // ENOTFOUND (checked before the SDK's APIConnectionError, which wraps it) is nearly always a wrong base URL.
  if (codes.indexOf('ENOTFOUND') !== -1) return result(false, 'host-not-found');
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError') return result(true, 'timeout');
  if (codes.some((c) => c === 'ETIMEDOUT' || c.indexOf('TIMEOUT') !== -1)) return result(true, 'timeout');
  if (name === 'APIConnectionError') return result(true, 'connection-error');
  if (codes.some((c) => TRANSIENT_CODES.indexOf(c) !== -1)) return result(true, 'connection-error');
  // fetch's network failures: "fetch failed" (Node), "Failed to fetch", "NetworkError ...", "Load failed".
  if (name === 'TypeError' && /fetch failed|failed to fetch|networkerror|load failed/i.test(text)) return result(true, 'connection-error');
  return result(false, 'unknown-error'); // most likely a bug or a bad argument in the calling code
}
/** `classifyError(err).retryable`. */
export function isRetryable(err: unknown): boolean {
  return classifyError(err).retryable;
}

/** Full-jitter backoff after failed `attempt` (1-based): a random wait in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, opts: { baseDelayMs?: number; maxDelayMs?: number } = {}, random: () => number = Math.random): number {
  const base = orDefault(opts.baseDelayMs, RETRY_DEFAULTS.baseDelayMs);
  const cap = Math.max(0, Math.min(orDefault(opts.maxDelayMs, RETRY_DEFAULTS.maxDelayMs), base * Math.pow(2, Math.max(0, attempt - 1))));
  return Math.round(Math.min(1, Math.max(0, random())) * cap);
}

const timers = globalThis as unknown as { setTimeout(callback: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
/** One timer waits at most 2^31-1 ms, so longer waits are chained. */
const MAX_TIMER_MS = 2147483647;

function abortReason(signal: AbortSignalLike): unknown {
  return signal.reason !== undefined ? signal.reason : Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}

/** The default `sleep`: waits `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal && signal.aborted) return reject(abortReason(signal));
    let handle: unknown;
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(abortReason(signal as AbortSignalLike));
    };
    const tick = (left: number) => {
      if (left > 0) return (handle = timers.setTimeout(() => tick(left - MAX_TIMER_MS), Math.min(left, MAX_TIMER_MS)));
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    };
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    tick(Math.max(0, ms));
  });
}

/** Runs an injected `sleep`, but rejects as soon as `signal` aborts even if that sleep ignores the signal. */
function waitUnlessAborted(sleepFn: (ms: number, signal?: AbortSignalLike) => Promise<void>, ms: number, signal?: AbortSignalLike): Promise<void> {
  if (!signal) return sleepFn(ms);
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    sleepFn(ms, signal).then(resolve, reject).then(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Calls a hook; an exception thrown by a logging hook must not change what the call returns. */
function notify<E>(hook: ((event: E) => void) | undefined, event: E): void {
  try {
    if (hook) hook(event);
  } catch (_ignored) {} // eslint-disable-line no-empty
}

/**
 * Calls `fn` (with the 1-based attempt number) until it succeeds or retrying stops making sense. Resolves with
 * its value; rejects with the last error `fn` threw, unchanged, with the abort reason when `signal` aborts
 * during a wait, or with the error of a shared gate that gave up. Pass the same `signal` to the request inside
 * `fn` so that an abort also stops a request in flight.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(orDefault(options.maxAttempts, RETRY_DEFAULTS.maxAttempts)));
  const maxElapsedMs = orDefault(options.maxElapsedMs, RETRY_DEFAULTS.maxElapsedMs);
  const now = orDefault(options.now, () => Date.now());
  const sleepFn = orDefault(options.sleep, sleep);
  const random = orDefault(options.random, Math.random);
  const signal = options.signal;
  const gates = [options.circuitBreaker, options.throttle].filter((g): g is RetryGate => g !== undefined && g !== null);
  const settle = (outcome: 'accepted' | 'failed' | 'unsent', upTo = gates.length) => {
    for (let i = 0; i < upTo; i++) gates[i].settle(outcome);
  };
  const started = now();
  const giveUp = (reason: GiveUpReason, attempts: number, error: unknown, classification?: ErrorClassification): never => {
    notify(options.onGiveUp, withDefined<GiveUpEvent>({ reason, attempts, error, elapsedMs: now() - started }, { classification }));
    throw error;
  };
  /** Waits `ms`; false when `signal` aborted the wait (an injected sleep that failed on its own rethrows). */
  const pause = async (ms: number): Promise<boolean> => {
    try {
      await waitUnlessAborted(sleepFn, ms, signal);
      return true;
    } catch (abortError) {
      if (signal && signal.aborted) return false;
      throw abortError;
    }
  };
  let lastError: unknown;
  let lastClassification: ErrorClassification | undefined;

  for (let attempt = 1; ; attempt++) {
    if (signal && signal.aborted) return giveUp('aborted', attempt - 1, abortReason(signal), lastClassification);
    // Wait, without sending, until every shared gate lets this attempt through (a refusal releases the ones before).
    for (let i = 0; i < gates.length; ) {
      const budgetLeftMs = maxElapsedMs - (now() - started);
      const verdict = gates[i].admit({ attempt, budgetLeftMs, lastError, random, backoffMs: () => backoffDelay(Math.max(1, attempt - 1), options, random) });
      if (!verdict) {
        i++;
        continue;
      }
      settle('unsent', i);
      if ('giveUp' in verdict) return giveUp(verdict.giveUp, attempt - 1, verdict.error, lastClassification);
      if (!(await pause(verdict.waitMs))) return giveUp('aborted', attempt - 1, abortReason(signal as AbortSignalLike), lastClassification);
      i = 0;
    }

    let error: unknown;
    try {
      const value = await fn(attempt);
      settle('accepted');
      return value;
    } catch (caught) {
      error = caught;
    }
    const classification = classifyError(error, now());
    // An abort of our own signal ends everything, whatever `shouldRetry` says; the error `fn` threw is kept.
    if ((signal && signal.aborted) || classification.reason === 'aborted') {
      settle('unsent');
      return giveUp(signal && signal.aborted ? 'aborted' : 'final-error', attempt, error, classification);
    }
    const retry = options.shouldRetry ? options.shouldRetry(error, classification) : classification.retryable;
    settle(retry ? 'failed' : 'accepted');
    if (!retry) return giveUp('final-error', attempt, error, classification);
    if (attempt >= maxAttempts) return giveUp('attempts-exhausted', attempt, error, classification);
    lastError = error;
    lastClassification = classification;

    const fromServer = classification.retryAfterMs !== undefined;
    const delayMs = fromServer ? (classification.retryAfterMs as number) : backoffDelay(attempt, options, random);
    const elapsedMs = now() - started;
    // Sleeping past the budget only to give up afterwards wastes the caller's time: give up now, with the error.
    if (elapsedMs + delayMs > maxElapsedMs) return giveUp('budget-exceeded', attempt, error, classification);
    const { status, errorType, requestId } = classification;
    const event = withDefined<RetryEvent>({ attempt, delayMs, reason: fromServer ? 'retry-after' : 'backoff', error, elapsedMs, classification }, { status, errorType, requestId });
    notify(options.onRetry, event);
    if (!(await pause(delayMs))) return giveUp('aborted', attempt, abortReason(signal as AbortSignalLike), classification);
  }
}

/**
 * Retries a streaming call only until its first event reaches you: once output has been delivered, a retry would
 * deliver it twice. `open` starts the stream (`messages.create({ ...body, stream: true })` or `messages.stream(body)`);
 * an error before the first event is retried by the rules and options of `withRetry`; after it, errors reach your
 * loop unchanged. Breaking out of the loop closes the stream, which cancels the request. (For a MessageStream's
 * helpers such as `finalMessage()`, keep the stream `open` returned, e.g. in a variable assigned inside `open`.)
 */
export function withStreamRetry<E>(open: (attempt: number) => Promise<AsyncIterable<E>> | AsyncIterable<E>, options: RetryOptions = {}): AsyncIterable<E> {
  return { [Symbol.asyncIterator]: () => streamAfterFirstEvent(open, options) };
}

async function* streamAfterFirstEvent<E>(open: (attempt: number) => Promise<AsyncIterable<E>> | AsyncIterable<E>, options: RetryOptions): AsyncGenerator<E, void, undefined> {
  const started = await withRetry(async (attempt) => {
    const iterator = (await open(attempt))[Symbol.asyncIterator]();
    try {
      return { iterator, first: await iterator.next() };
    } catch (err) {
      // release the failed attempt's connection (a stream that is already closed may refuse)
      await Promise.resolve().then(() => iterator.return && iterator.return()).catch(() => undefined);
      throw err;
    }
  }, options);
  const iterator = started.iterator;
  if (started.first.done) return;
  let sourceOpen = true; // whether the stream may still hold a connection to close if the caller stops early
  try {
    yield started.first.value;
    for (;;) {
      sourceOpen = false; // a stream that threw or ended is over (its error reaches the caller as it is)
      const next = await iterator.next();
      if (next.done) return;
      sourceOpen = true;
      yield next.value;
    }
  } finally {
    if (sourceOpen && iterator.return) await iterator.return();
  }
}
