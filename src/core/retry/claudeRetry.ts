/**
 * claudeRetry: retries for Claude Messages API calls, in one file with no imports.
 *
 * Drop this file into a project (TypeScript as is; JavaScript builds ship as claudeRetry.mjs / .cjs) and
 * wrap each call. Turn the SDK's own retries off, otherwise every attempt here hides up to three requests:
 *
 *   const client = new Anthropic({ maxRetries: 0 });
 *
 *   const message = await withRetry(
 *     (attempt) => client.messages.create({ model, max_tokens: 1024, messages }, { signal }),
 *     { signal, onRetry: (e) => console.warn(`attempt ${e.attempt} failed (${e.status ?? e.errorType}), retrying in ${e.delayMs} ms`) },
 *   );
 *
 * Streams are retried only until their first event reaches you (after that, a retry would repeat output):
 *
 *   for await (const event of withStreamRetry(() => client.messages.create({ ...body, stream: true }))) { ... }
 *   for await (const event of withStreamRetry(() => client.messages.stream(body))) { ... }
 *
 * What is retried: HTTP 408, 409, 429 and every 5xx (529 "overloaded" included), connection resets and
 * timeouts, and errors that arrive inside a stream as `overloaded_error`, `api_error`, `rate_limit_error`
 * or `timeout_error`. What is final: every other 4xx, a 429 that reports the spend limit, aborts, and any
 * error that does not come from the network or the API (a bug in your own code should fail at once).
 * A `x-should-retry: true|false` response header from the API overrides all of that, except an abort.
 *
 * How long it waits: what the server asks for (`retry-after-ms`, else `retry-after`), in full; otherwise
 * "full jitter" exponential backoff, a random wait between 0 and min(maxDelayMs, baseDelayMs * 2^(attempt-1)).
 * It gives up after `maxAttempts` attempts, or at once when the next wait would overrun `maxElapsedMs`,
 * always rejecting with the error the last attempt threw (never a wrapper), so your existing error
 * handling keeps working.
 *
 * Options (all optional): maxAttempts 6, baseDelayMs 1000, maxDelayMs 60000, maxElapsedMs 120000, signal,
 * onRetry / onGiveUp hooks, shouldRetry to override the decision, and two objects to share between calls:
 * an AdaptiveThrottle, which keeps many calls from flooding an overloaded API with retries (use it when
 * many calls run at once: backoff alone spaces out one call's retries, not the crowd's), and a
 * CircuitBreaker, which stops all calls from sending while the API keeps failing (they wait for it,
 * within their budget). `classifyError`, `parseRetryAfter` and `backoffDelay` are exported as plain
 * functions for code that runs its own loop.
 *
 * Works in Node 18+ and browsers: only `globalThis.setTimeout` is used, no Node APIs.
 */

// ---------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------

/**
 * The part of `AbortSignal` used here. Spelled out so the file type-checks with or without the DOM or
 * Node type libraries; a real `AbortSignal` (browser or Node) fits it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Why an error was judged retryable or final (see `classifyError`). */
export type ClassificationReason =
  /** the caller aborted (AbortError, APIUserAbortError): never retried */
  | 'aborted'
  /** a CircuitBreaker refused the call */
  | 'circuit-open'
  /** an AdaptiveThrottle kept the call from being sent */
  | 'throttled'
  /** the API's `x-should-retry` header decided */
  | 'should-retry-header'
  /** a 429 (or other error) saying the spend limit was reached: waiting will not help */
  | 'spend-limit'
  /** decided by the HTTP status */
  | 'http-status'
  /** no HTTP status, but an API error type (an `event: error` inside a stream) */
  | 'stream-error-type'
  /** the connection failed or was reset */
  | 'connection-error'
  /** the request timed out before a response */
  | 'timeout'
  /** DNS says the host does not exist */
  | 'host-not-found'
  /** not recognisably an API or network error */
  | 'unknown-error';

export interface ErrorClassification {
  retryable: boolean;
  reason: ClassificationReason;
  /** HTTP status, when the error carries one. */
  status?: number;
  /** API error type, e.g. `overloaded_error`, `rate_limit_error`. */
  errorType?: string;
  /** Finer API error code when present, e.g. `enforced_spend_limit_reached`. */
  errorCode?: string;
  /** The API's `request-id`, worth logging with every failure. */
  requestId?: string;
  /** How long the server asked us to wait (from `retry-after-ms` or `retry-after`), in ms. */
  retryAfterMs?: number;
}

/** Passed to `onRetry` before each wait. */
export interface RetryEvent {
  /** The attempt that just failed (1-based); the next one is `attempt + 1`. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  /** `retry-after` when the server chose the wait, `backoff` when we did. */
  reason: 'retry-after' | 'backoff';
  status?: number;
  errorType?: string;
  requestId?: string;
  /** The error the attempt threw, unchanged. */
  error: unknown;
  /** Milliseconds since `withRetry` started, before the wait. */
  elapsedMs: number;
  classification: ErrorClassification;
}

export type GiveUpReason =
  /** the error is not retryable (or `shouldRetry` said no) */
  | 'final-error'
  /** `maxAttempts` attempts all failed */
  | 'attempts-exhausted'
  /** the next wait would have passed `maxElapsedMs` */
  | 'budget-exceeded'
  /** `signal` was aborted */
  | 'aborted'
  /** the circuit breaker is open */
  | 'circuit-open'
  /** a shared AdaptiveThrottle kept refusing until the budget ran out, before anything was sent */
  | 'throttled';

/** Passed to `onGiveUp` once, right before `withRetry` rejects with `error`. */
export interface GiveUpEvent {
  reason: GiveUpReason;
  /** Attempts made (0 when nothing was tried). */
  attempts: number;
  /** What `withRetry` rejects with. */
  error: unknown;
  elapsedMs: number;
  /** The classification of the last attempt's error, when there was one. */
  classification?: ErrorClassification;
}

export interface RetryOptions {
  /** Total attempts, the first included. Default 6. */
  maxAttempts?: number;
  /** Backoff cap for the first retry; doubles each time. Default 1000 ms. */
  baseDelayMs?: number;
  /** Largest backoff wait (a server's `retry-after` may be longer and is honoured). Default 60 000 ms. */
  maxDelayMs?: number;
  /** Wall-clock budget for the whole call, waits included. Default 120 000 ms. */
  maxElapsedMs?: number;
  /** Abort to stop: before the start nothing is called; during a wait it rejects at once. */
  signal?: AbortSignalLike;
  /** Called before each wait, for logs and metrics. */
  onRetry?: (event: RetryEvent) => void;
  /** Called once when giving up, with the error `withRetry` rejects with and why. */
  onGiveUp?: (event: GiveUpEvent) => void;
  /** Override the retry decision; return `true` to retry. Aborts are never retried. */
  shouldRetry?: (error: unknown, classification: ErrorClassification) => boolean;
  /**
   * Share one breaker between calls: while it is open no call sends anything; each waits (within
   * `maxElapsedMs`) for the moment the breaker lets a call through, and gives up with `CircuitOpenError`
   * when that moment lies beyond its budget.
   */
  circuitBreaker?: CircuitBreaker;
  /**
   * Share one throttle between calls: while the API turns most requests away, it keeps the requests
   * sent to about `ratio` times the ones it accepts; a refused attempt is not sent and waits like a
   * failed one. See `AdaptiveThrottle`.
   */
  throttle?: AdaptiveThrottle;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Wait, for tests. Default: a timer that stops early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignalLike) => Promise<void>;
  /** Random numbers in [0, 1), for tests. Default `Math.random`. */
  random?: () => number;
}

/** The defaults, in one place. */
export const RETRY_DEFAULTS = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60000,
  maxElapsedMs: 120000,
});

// ---------------------------------------------------------------------------------------------------
// Reading errors and headers
// ---------------------------------------------------------------------------------------------------

/** `obj[key]` for any value, without throwing on null or primitives. */
function prop(obj: unknown, key: string): unknown {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return undefined;
  return (obj as { [key: string]: unknown })[key];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The first non-empty string among `values`. (Written out rather than with `??` so the JS copy stays readable.) */
function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

/** `value`, or `fallback` when it is undefined (an option left out). */
function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** A header value as a string: arrays (Node's IncomingHttpHeaders) give their first entry. */
function headerText(value: unknown): string | undefined {
  if (Array.isArray(value)) return headerText(value[0]);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * Reads one header from whatever an HTTP library attached to its error: a fetch `Headers` (SDK 1.x),
 * a `Map` or Map-like object with `get`, a plain object (SDK 0.x, Node, axios), or a list of pairs.
 * Header names are case-insensitive, so every form is matched without regard to case.
 */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const wanted = name.toLowerCase();
  if (Array.isArray(headers)) {
    for (const pair of headers) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && pair[0].toLowerCase() === wanted) return headerText(pair[1]);
    }
    return undefined;
  }
  const get = prop(headers, 'get');
  if (typeof get === 'function') {
    // Headers and axios' AxiosHeaders ignore case themselves; a Map does not, so fall back to a scan.
    const direct = headerText(get.call(headers, wanted));
    if (direct !== undefined) return direct;
    const forEach = prop(headers, 'forEach');
    if (typeof forEach !== 'function') return undefined;
    let found: string | undefined;
    forEach.call(headers, (value: unknown, key: unknown) => {
      if (found === undefined && typeof key === 'string' && key.toLowerCase() === wanted) found = headerText(value);
    });
    return found;
  }
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) return headerText((headers as { [key: string]: unknown })[key]);
  }
  return undefined;
}

const NUMBER_TEXT = /^\d+(\.\d+)?$/;

/**
 * How long the server asks us to wait, in ms, or `undefined` when it does not say.
 * `retry-after-ms` wins (the API sends it, and it is more precise); else `retry-after` as seconds
 * (fractions allowed) or as an HTTP date, measured against `nowMs`.
 * Zero, negative and past values give `undefined`: they usually come from clock skew, and answering an
 * overloaded server with an immediate retry only adds load, so backoff applies instead.
 * No upper cap: the server knows how long its limit lasts, and retrying early just earns another 429.
 */
export function parseRetryAfter(headers: unknown, nowMs: number = Date.now()): number | undefined {
  const positive = (ms: number): number | undefined => (ms > 0 && isFinite(ms) ? Math.ceil(ms) : undefined);
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined && NUMBER_TEXT.test(ms)) {
    const value = positive(Number(ms));
    if (value !== undefined) return value;
  }
  const after = readHeader(headers, 'retry-after');
  if (after === undefined || after === '') return undefined;
  if (NUMBER_TEXT.test(after)) return positive(Number(after) * 1000);
  const date = Date.parse(after);
  return isNaN(date) ? undefined : positive(date - nowMs);
}

/** HTTP status from the SDK (`.status`), other clients (`.statusCode`) or axios-style `.response.status`. */
function readStatus(err: unknown): number | undefined {
  const candidates = [prop(err, 'status'), prop(err, 'statusCode'), prop(prop(err, 'response'), 'status')];
  for (const c of candidates) {
    const n = typeof c === 'string' && /^\d{3}$/.test(c) ? Number(c) : c;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599) return n;
  }
  return undefined;
}

function readHeaders(err: unknown): unknown {
  const own = prop(err, 'headers');
  return own !== undefined && own !== null ? own : prop(prop(err, 'response'), 'headers');
}

/**
 * The parsed error body. The SDK keeps the whole JSON body on `.error`:
 * `{ type: 'error', error: { type, message, details? }, request_id }`. axios-style errors keep it on
 * `.response.data`.
 */
function readBody(err: unknown): unknown {
  const body = prop(err, 'error');
  if (body !== undefined && body !== null && typeof body === 'object') return body;
  return prop(prop(err, 'response'), 'data');
}

function readErrorType(err: unknown, body: unknown): string | undefined {
  // The SDK sets `.type` from the body, and from the SSE `event: error` payload when there is no status.
  const inner = str(prop(prop(body, 'error'), 'type'));
  if (inner) return inner;
  const own = str(prop(err, 'type'));
  return own && own !== 'error' ? own : undefined;
}

function readErrorCode(err: unknown, body: unknown): string | undefined {
  const inner = prop(body, 'error');
  return firstString(
    prop(err, 'errorCode'), // SDK 1.x copies body.error.details.error_code here
    prop(prop(inner, 'details'), 'error_code'),
    prop(inner, 'error_code'),
    prop(body, 'error_code'),
  );
}

function readRequestId(err: unknown, headers: unknown, body: unknown): string | undefined {
  return firstString(
    prop(err, 'requestID'), // SDK 1.x, from the `request-id` header
    prop(err, 'request_id'),
    prop(err, 'requestId'),
    readHeader(headers, 'request-id'),
    prop(body, 'request_id'),
  );
}

/** Node's `err.code`, looked for on the error and along its `.cause` chain (fetch wraps socket errors). */
function readCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current = err;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = str(prop(current, 'code'));
    if (code) codes.push(code);
    current = prop(current, 'cause');
  }
  return codes;
}

function message(err: unknown): string {
  const m = prop(err, 'message');
  return typeof m === 'string' ? m : '';
}

/**
 * Socket-level failures worth another try: the connection was refused, reset or timed out, or DNS
 * failed temporarily (EAI_AGAIN). UND_ERR_* are the same failures as reported by undici (Node's fetch).
 */
const TRANSIENT_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];

/**
 * Error types that can arrive with no HTTP status, inside an SSE stream after a 200 (the SDK raises them
 * as `APIError` with `status === undefined` and `.type` set). These are server-side conditions that pass.
 */
const RETRYABLE_STREAM_TYPES = ['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error'];

const SPEND_LIMIT = 'enforced_spend_limit_reached';

function isAbort(err: unknown): boolean {
  const name = prop(err, 'name');
  // DOM/Node AbortError (also what AbortSignal.abort() gives), the SDK's APIUserAbortError, and
  // undici's own abort code.
  return name === 'AbortError' || name === 'APIUserAbortError' || readCodes(err).indexOf('UND_ERR_ABORTED') !== -1;
}

/**
 * Decides whether an error is worth another attempt, and extracts what a log line needs.
 * Understands errors from @anthropic-ai/sdk (0.x and 1.x), fetch-style `{ status, headers }` objects,
 * axios-style `err.response`, and Node socket errors. `nowMs` is only used for HTTP-date `retry-after`.
 */
export function classifyError(err: unknown, nowMs: number = Date.now()): ErrorClassification {
  const status = readStatus(err);
  const headers = readHeaders(err);
  const body = readBody(err);
  const base: ErrorClassification = { retryable: false, reason: 'unknown-error' };
  if (status !== undefined) base.status = status;
  const errorType = readErrorType(err, body);
  if (errorType !== undefined) base.errorType = errorType;
  const errorCode = readErrorCode(err, body);
  if (errorCode !== undefined) base.errorCode = errorCode;
  const requestId = readRequestId(err, headers, body);
  if (requestId !== undefined) base.requestId = requestId;
  const retryAfterMs = parseRetryAfter(headers, nowMs);
  if (retryAfterMs !== undefined) base.retryAfterMs = retryAfterMs;
  const result = (retryable: boolean, reason: ClassificationReason): ErrorClassification => {
    base.retryable = retryable;
    base.reason = reason;
    return base;
  };

  // The caller asked to stop: nothing may override that.
  if (isAbort(err)) return result(false, 'aborted');
  if (prop(err, 'name') === 'CircuitOpenError') return result(false, 'circuit-open');
  if (prop(err, 'name') === 'ThrottledError') return result(false, 'throttled');

  // The API itself says whether a retry can help; it knows better than any rule below.
  const shouldRetryHeader = readHeader(headers, 'x-should-retry');
  if (shouldRetryHeader === 'true') return result(true, 'should-retry-header');
  if (shouldRetryHeader === 'false') return result(false, 'should-retry-header');

  // A 429 for the spend limit lasts until someone raises the limit: retrying only burns the budget.
  // The SDK puts the code on `errorCode` (from body.error.details.error_code); older SDKs leave it in the
  // body, and the SDK's message embeds the JSON body, so the text is checked as well.
  const text = message(err);
  if (
    errorCode === SPEND_LIMIT ||
    errorType === SPEND_LIMIT ||
    text.indexOf(SPEND_LIMIT) !== -1 ||
    (status === 429 && /\bspend(ing)? limit\b/i.test(text))
  ) {
    return result(false, 'spend-limit');
  }

  if (status !== undefined) {
    // 408 request timeout, 409 lock conflict, 429 rate limit and every 5xx (529 overloaded) pass with time.
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return result(retryable, 'http-status');
  }

  if (errorType !== undefined && prop(err, 'name') !== 'APIConnectionError' && prop(err, 'name') !== 'APIConnectionTimeoutError') {
    return result(RETRYABLE_STREAM_TYPES.indexOf(errorType) !== -1, 'stream-error-type');
  }

  // ENOTFOUND means DNS answered that the host does not exist, which nearly always is a wrong base URL
  // or proxy setting; retrying for two minutes would only delay that message. Temporary DNS failures
  // are EAI_AGAIN, retried above. This check comes before the SDK's APIConnectionError, which wraps it.
  const codes = readCodes(err);
  if (codes.indexOf('ENOTFOUND') !== -1) return result(false, 'host-not-found');

  const name = prop(err, 'name');
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError') return result(true, 'timeout');
  if (codes.some((c) => c === 'ETIMEDOUT' || c.indexOf('TIMEOUT') !== -1)) return result(true, 'timeout');
  if (name === 'APIConnectionError') return result(true, 'connection-error');
  if (codes.some((c) => TRANSIENT_CODES.indexOf(c) !== -1)) return result(true, 'connection-error');
  // fetch reports network failures as a TypeError: "fetch failed" (Node), "Failed to fetch" (Chrome),
  // "NetworkError when attempting to fetch resource." (Firefox), "Load failed" (Safari).
  if (name === 'TypeError' && /fetch failed|failed to fetch|networkerror|load failed/i.test(text)) {
    return result(true, 'connection-error');
  }

  // Anything else is most likely a bug or a bad argument in the calling code: fail at once.
  return result(false, 'unknown-error');
}

/** `classifyError(err).retryable`. */
export function isRetryable(err: unknown): boolean {
  return classifyError(err).retryable;
}

// ---------------------------------------------------------------------------------------------------
// Waiting
// ---------------------------------------------------------------------------------------------------

/**
 * Full-jitter exponential backoff: a random wait in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))],
 * where `attempt` is the attempt that just failed (1-based). Spreading retries over the whole range,
 * rather than around the cap, keeps many clients that failed together from retrying together.
 * A pure function of its inputs, so it can be tested and reused.
 */
export function backoffDelay(
  attempt: number,
  opts: { baseDelayMs?: number; maxDelayMs?: number } = {},
  random: () => number = Math.random,
): number {
  const base = orDefault(opts.baseDelayMs, RETRY_DEFAULTS.baseDelayMs);
  const max = orDefault(opts.maxDelayMs, RETRY_DEFAULTS.maxDelayMs);
  const cap = Math.max(0, Math.min(max, base * Math.pow(2, Math.max(0, attempt - 1))));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(r * cap);
}

/** The timers of whatever runtime this is; typed here so no DOM or Node types are needed. */
interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const timers = globalThis as unknown as TimerHost;

/** One timer can wait at most 2^31-1 ms (longer values fire at once), so longer waits are chained. */
const MAX_TIMER_MS = 2147483647;

function abortReason(signal: AbortSignalLike): unknown {
  if (signal.reason !== undefined) return signal.reason;
  // Older runtimes have no `reason`: build the error a DOM abort would give.
  const err = new Error('The operation was aborted.');
  err.name = 'AbortError';
  return err;
}

/** The default `sleep`: waits `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    let handle: unknown;
    let remaining = Math.max(0, ms);
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(abortReason(signal as AbortSignalLike));
    };
    const tick = () => {
      if (remaining <= 0) {
        if (signal) signal.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      const step = Math.min(remaining, MAX_TIMER_MS);
      remaining -= step;
      handle = timers.setTimeout(tick, step);
    };
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}

/**
 * Runs an injected `sleep`, but rejects as soon as `signal` aborts even if that sleep ignores the
 * signal: "abort during a wait rejects at once" must not depend on the sleep being written well.
 */
function waitUnlessAborted(
  sleepFn: (ms: number, signal?: AbortSignalLike) => Promise<void>,
  ms: number,
  signal: AbortSignalLike | undefined,
): Promise<void> {
  if (!signal) return sleepFn(ms);
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    sleepFn(ms, signal).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------------
// Circuit breaker
// ---------------------------------------------------------------------------------------------------

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive retryable failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. Default 30 000 ms. */
  cooldownMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Called on every state change. */
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/** Thrown (without calling the wrapped function) when the circuit stays open past the call's budget. */
export class CircuitOpenError extends Error {
  /** Time left until the breaker lets a trial call through. */
  readonly retryAfterMs: number;
  /** The failure that opened the circuit, when this call saw it. */
  readonly lastError: unknown;
  constructor(retryAfterMs: number, lastError?: unknown) {
    super(`Circuit open after repeated failures of the Claude API; no call is let through for another ${Math.max(0, Math.ceil(retryAfterMs))} ms.`);
    this.name = 'CircuitOpenError';
    this.retryAfterMs = Math.max(0, retryAfterMs);
    this.lastError = lastError;
  }
}

/**
 * A breaker shared by many calls: once the API has failed `failureThreshold` times in a row (failures
 * that would be retried: 429, 5xx, connection errors), it opens and no call sends anything for
 * `cooldownMs`. Then one trial call goes through ("half-open"): success closes the circuit, a failure
 * opens it again for another cool-down.
 *
 *   const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 30000 });
 *   await withRetry(() => client.messages.create(body), { circuitBreaker: breaker });
 *
 * Why calls wait rather than fail: during an overload ("529 overloaded_error", which can last minutes)
 * every request the API turns away is load it did not need, and a call that fails at once only hands
 * the problem to its caller, who usually retries. So `withRetry` keeps a refused call waiting, without
 * sending, until the breaker would let a call through, as long as that fits its `maxElapsedMs`; otherwise
 * it gives up at once with `CircuitOpenError`. The breaker thus works as a shared throttle: one trial
 * probes the API, and the rest come back spread out over the next cool-down (random waits), so a
 * circuit that closes is not hit by every waiting call at the same moment; if the API is still
 * overloaded, a few failures open it again. To fail fast instead (to switch to a fallback, say), check
 * `breaker.state !== 'closed'` before calling, or pass a small `maxElapsedMs`.
 *
 * Final errors (a 400, say) count as the service answering, so they close a half-open circuit and reset
 * the count; aborts count as nothing.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  /** How long the circuit stays open; waiting calls also spread their return over one cool-down. */
  readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onStateChange: ((state: CircuitState, previous: CircuitState) => void) | undefined;
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, orDefault(options.failureThreshold, 5));
    this.cooldownMs = Math.max(0, orDefault(options.cooldownMs, 30000));
    this.now = orDefault(options.now, () => Date.now());
    this.onStateChange = options.onStateChange;
  }

  /** The state now; an open circuit whose cool-down has passed reads as half-open. */
  get state(): CircuitState {
    this.refresh();
    return this.current;
  }

  /** Consecutive retryable failures counted so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Milliseconds until an open circuit lets a trial call through (0 unless open). */
  remainingCooldownMs(): number {
    this.refresh();
    return this.current === 'open' ? Math.max(0, this.openedAt + this.cooldownMs - this.now()) : 0;
  }

  /**
   * Asks to make one call. `false` means: do not send now. In half-open state only one trial call is let
   * through at a time; whoever gets `true` must report back with `recordSuccess`, `recordFailure` or
   * `release`.
   */
  tryAcquire(): boolean {
    this.refresh();
    if (this.current === 'closed') return true;
    if (this.current === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** The call succeeded, or the API answered with a final error: the service is up. */
  recordSuccess(): void {
    this.refresh();
    // A call admitted before the circuit opened says nothing about the present: ignore it.
    if (this.current === 'open') return;
    this.failures = 0;
    this.trialInFlight = false;
    this.setState('closed');
  }

  /** The call failed in a way that would be retried. */
  recordFailure(): void {
    this.refresh();
    if (this.current === 'open') return;
    this.failures++;
    if (this.current === 'half-open' || this.failures >= this.failureThreshold) this.open();
  }

  /** The call ended without telling anything about the service (it was aborted). */
  release(): void {
    this.trialInFlight = false;
  }

  /** Back to closed, counts cleared. */
  reset(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.setState('closed');
  }

  private open(): void {
    this.openedAt = this.now();
    this.trialInFlight = false;
    this.setState('open');
  }

  private refresh(): void {
    if (this.current === 'open' && this.now() - this.openedAt >= this.cooldownMs) this.setState('half-open');
  }

  private setState(next: CircuitState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    if (this.onStateChange) {
      try {
        this.onStateChange(next, previous);
      } catch (_ignored) {
        // an observer must not break the breaker
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Adaptive throttle
// ---------------------------------------------------------------------------------------------------

export interface AdaptiveThrottleOptions {
  /**
   * Requests allowed per request the API accepts, over the window. Default 2: during an overload at
   * most about half of what is sent comes back as an error. Higher lets more through (recovers faster,
   * wastes more); 1 sends no more than the API accepted lately.
   */
  ratio?: number;
  /** How far back the counts go. Default 60 000 ms. */
  windowMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Random numbers in [0, 1), for tests. Default `Math.random`. */
  random?: () => number;
}

/** Thrown (without calling the wrapped function) when a throttle refused every try within the budget. */
export class ThrottledError extends Error {
  constructor() {
    super('Not sent: the Claude API has been turning most requests away (overloaded or rate limited), and the throttle held this call back until its time budget ran out.');
    this.name = 'ThrottledError';
  }
}

/**
 * Client-side throttling shared by many calls, the "adaptive throttling" of Google's SRE book: it
 * counts, over the last `windowMs`, the requests the calls wanted to send and the ones the API accepted
 * (answered with anything but a retryable error), and refuses a request with probability
 *
 *   max(0, (requests - ratio * accepts) / (requests + 1))
 *
 * While the API accepts what it gets, that is 0 and nothing changes. During an overload (a storm of 529
 * `overloaded_error`, which can last minutes) backoff alone is not enough: every call backs off on its
 * own, and together they still send far more than the API takes, each refused request being load it did
 * not need. The throttle holds the total near `ratio` times what the API accepts, across all calls,
 * whatever their number, and lets traffic grow back as soon as the API accepts more. A refused request
 * is never sent: `withRetry` waits as if it had failed (the same backoff), then asks again, within the
 * call's budget. Requests are counted when sent, not when answered, so a slow or stalled API cannot
 * let a burst through before the counts notice.
 *
 *   const throttle = new AdaptiveThrottle(); // one per process (or per API key), shared by every call
 *   await withRetry(() => client.messages.create(body), { throttle });
 */
export class AdaptiveThrottle {
  private readonly ratio: number;
  private readonly bucketMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  // The window is kept as BUCKETS counts of requests and accepts, each covering windowMs / BUCKETS.
  private readonly requestCounts: number[] = [];
  private readonly acceptCounts: number[] = [];
  private currentBucket = -1;

  constructor(options: AdaptiveThrottleOptions = {}) {
    this.ratio = Math.max(1, orDefault(options.ratio, 2));
    this.bucketMs = Math.max(1, orDefault(options.windowMs, 60000)) / THROTTLE_BUCKETS;
    this.now = orDefault(options.now, () => Date.now());
    this.random = orDefault(options.random, Math.random);
    for (let i = 0; i < THROTTLE_BUCKETS; i++) {
      this.requestCounts.push(0);
      this.acceptCounts.push(0);
    }
  }

  /** The chance that the next request is refused, from the counts of the window. */
  get rejectionProbability(): number {
    this.advance();
    const requests = sum(this.requestCounts);
    const accepts = sum(this.acceptCounts);
    return Math.max(0, (requests - this.ratio * accepts) / (requests + 1));
  }

  /** Asks to send one request; counts it either way (refusals count too, as in the SRE book). */
  tryAcquire(): boolean {
    const refuse = this.random() < this.rejectionProbability;
    this.requestCounts[this.currentBucket % THROTTLE_BUCKETS]++;
    return !refuse;
  }

  /** The API answered a request with something other than a retryable error. */
  recordAccepted(): void {
    this.advance();
    this.acceptCounts[this.currentBucket % THROTTLE_BUCKETS]++;
  }

  /** Moves the window to now, clearing the buckets that fell out of it. */
  private advance(): void {
    const bucket = Math.floor(this.now() / this.bucketMs);
    if (bucket <= this.currentBucket) return; // (a clock that went back keeps the current bucket)
    const stale = this.currentBucket < 0 ? THROTTLE_BUCKETS : Math.min(THROTTLE_BUCKETS, bucket - this.currentBucket);
    for (let i = 1; i <= stale; i++) {
      this.requestCounts[(bucket - stale + i) % THROTTLE_BUCKETS] = 0;
      this.acceptCounts[(bucket - stale + i) % THROTTLE_BUCKETS] = 0;
    }
    this.currentBucket = bucket;
  }
}

const THROTTLE_BUCKETS = 10;

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

// ---------------------------------------------------------------------------------------------------
// Retrying
// ---------------------------------------------------------------------------------------------------

/** Calls a hook; an exception thrown by a logging hook must not change what the call returns. */
function notify<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    hook(event);
  } catch (_ignored) {
    // ignored on purpose
  }
}

/**
 * Calls `fn` until it succeeds or retrying stops making sense (see the header of this file).
 * `fn` receives the attempt number, starting at 1. Resolves with `fn`'s value; rejects with the last
 * error `fn` threw, unchanged, or with the abort reason when `signal` aborts during a wait, or with a
 * `CircuitOpenError` when a shared circuit breaker stays open past the budget.
 *
 * Pass the same `signal` to the request inside `fn` so that an abort also stops a request in flight;
 * `withRetry` itself does not cut a running attempt short.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(orDefault(options.maxAttempts, RETRY_DEFAULTS.maxAttempts)));
  const maxElapsedMs = orDefault(options.maxElapsedMs, RETRY_DEFAULTS.maxElapsedMs);
  const now = orDefault(options.now, () => Date.now());
  const sleepFn = orDefault(options.sleep, sleep);
  const random = orDefault(options.random, Math.random);
  const signal = options.signal;
  const breaker = options.circuitBreaker;
  const throttle = options.throttle;
  const started = now();

  const giveUp = (reason: GiveUpReason, attempts: number, error: unknown, classification?: ErrorClassification): never => {
    const event: GiveUpEvent = { reason, attempts, error, elapsedMs: now() - started };
    if (classification) event.classification = classification;
    notify(options.onGiveUp, event);
    throw error;
  };

  // The previous attempt's error and classification, for a give-up that happens before the next attempt.
  let lastError: unknown;
  let lastClassification: ErrorClassification | undefined;
  /** Waits `ms` for the breaker or the throttle; false when `signal` aborted the wait. */
  const pause = async (ms: number): Promise<boolean> => {
    try {
      await waitUnlessAborted(sleepFn, ms, signal);
      return true;
    } catch (abortError) {
      if (signal && signal.aborted) return false;
      throw abortError; // an injected sleep failed on its own: surface it rather than hide it
    }
  };

  for (let attempt = 1; ; attempt++) {
    if (signal && signal.aborted) return giveUp('aborted', attempt - 1, abortReason(signal), lastClassification);

    // Wait, without sending, until a shared breaker and throttle both let this attempt through.
    for (;;) {
      // An open breaker (see CircuitBreaker for why calls wait). Each wait runs to the half-open moment
      // plus a random part of one cool-down, so that waiting calls come back one by one rather than
      // together; one that comes back while another call's trial is still running finds the breaker
      // still refusing, and waits again. The random part is cut to what is left of the budget; when
      // even the half-open moment lies beyond it, the call gives up at once.
      if (breaker && !breaker.tryAcquire()) {
        const remainingMs = breaker.remainingCooldownMs();
        const budgetLeftMs = maxElapsedMs - (now() - started);
        if (remainingMs > budgetLeftMs || budgetLeftMs < 1) {
          return giveUp('circuit-open', attempt - 1, new CircuitOpenError(remainingMs, lastError), lastClassification);
        }
        const spreadMs = Math.round(Math.min(1, Math.max(0, random())) * breaker.cooldownMs);
        // (at least 1 ms, so that a breaker with no cool-down cannot make this loop spin)
        if (await pause(Math.max(1, Math.min(budgetLeftMs, remainingMs + spreadMs)))) continue;
        return giveUp('aborted', attempt - 1, abortReason(signal as AbortSignalLike), lastClassification);
      }
      // A throttle refusal: the attempt is not sent; it waits the backoff of this call's last failure
      // (that of a first failure when none failed yet) and asks again. Refusals do not make the backoff
      // grow, as they put no load on the API: calls that kept doubling their waits on refusals would
      // leave the API idle once it recovers. Past the budget, the call gives up with its last error, or
      // with ThrottledError when nothing was sent.
      if (throttle && !throttle.tryAcquire()) {
        if (breaker) breaker.release(); // the breaker let us through, but nothing is sent
        const delayMs = backoffDelay(Math.max(1, attempt - 1), options, random);
        if (now() - started + delayMs > maxElapsedMs) {
          return lastError !== undefined
            ? giveUp('budget-exceeded', attempt - 1, lastError, lastClassification)
            : giveUp('throttled', 0, new ThrottledError());
        }
        if (await pause(delayMs)) continue;
        return giveUp('aborted', attempt - 1, abortReason(signal as AbortSignalLike), lastClassification);
      }
      break;
    }

    let error: unknown;
    try {
      const value = await fn(attempt);
      if (breaker) breaker.recordSuccess();
      if (throttle) throttle.recordAccepted();
      return value;
    } catch (caught) {
      error = caught;
    }

    const classification = classifyError(error, now());
    // An abort of our own signal ends everything, whatever `shouldRetry` would say. The error `fn`
    // threw is kept (usually the SDK's APIUserAbortError), as the caller's code expects it.
    if ((signal && signal.aborted) || classification.reason === 'aborted') {
      if (breaker) breaker.release();
      return giveUp(signal && signal.aborted ? 'aborted' : 'final-error', attempt, error, classification);
    }
    const retry = options.shouldRetry ? options.shouldRetry(error, classification) : classification.retryable;
    if (breaker) {
      if (retry) breaker.recordFailure();
      else breaker.recordSuccess();
    }
    if (throttle && !retry) throttle.recordAccepted(); // a final error: the API took the request
    if (!retry) return giveUp('final-error', attempt, error, classification);
    if (attempt >= maxAttempts) return giveUp('attempts-exhausted', attempt, error, classification);
    // (If this failure opened a shared breaker, the wait for it comes at the top of the next round.)
    lastError = error;
    lastClassification = classification;

    const fromServer = classification.retryAfterMs !== undefined;
    const delayMs = fromServer ? (classification.retryAfterMs as number) : backoffDelay(attempt, options, random);
    const elapsedMs = now() - started;
    // Sleeping past the budget only to give up afterwards wastes the caller's time: give up now, with
    // the error that explains why (for a 429, the rate limit), not a timeout of our own.
    if (elapsedMs + delayMs > maxElapsedMs) return giveUp('budget-exceeded', attempt, error, classification);

    const event: RetryEvent = {
      attempt,
      delayMs,
      reason: fromServer ? 'retry-after' : 'backoff',
      error,
      elapsedMs,
      classification,
    };
    if (classification.status !== undefined) event.status = classification.status;
    if (classification.errorType !== undefined) event.errorType = classification.errorType;
    if (classification.requestId !== undefined) event.requestId = classification.requestId;
    notify(options.onRetry, event);

    try {
      await waitUnlessAborted(sleepFn, delayMs, signal);
    } catch (abortError) {
      if (signal && signal.aborted) return giveUp('aborted', attempt, abortReason(signal), classification);
      throw abortError; // an injected sleep failed on its own: surface it rather than hide it
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------------------------------

/**
 * Retries a streaming call only until its first event reaches you, never after: once output has been
 * delivered, a retry would deliver it twice. `open` starts the stream (it may return the stream or a
 * promise of it); each attempt opens a fresh stream and waits for its first event, and an error up to
 * that point (an HTTP 529, a connection reset, an `overloaded_error` event) is retried by the same rules
 * and options as `withRetry`. After the first event, errors surface to your loop unchanged.
 *
 * With `messages.create({ stream: true })` (a promise of an SDK `Stream`):
 *
 *   const events = withStreamRetry((attempt) => client.messages.create({ ...body, stream: true }, { signal }), { signal });
 *   for await (const event of events) { if (event.type === 'content_block_delta') ... }
 *
 * With `messages.stream()` (a `MessageStream`, itself an async iterable of the same events):
 *
 *   const events = withStreamRetry(() => client.messages.stream(body, { signal }), { signal });
 *   for await (const event of events) { ... }
 *
 * (To use the MessageStream's helpers such as `finalMessage()`, keep the stream that `open` returned for
 * the attempt that succeeded, e.g. in a variable assigned inside `open`.)
 *
 * Breaking out of the loop early closes the underlying stream, which cancels the request.
 */
export function withStreamRetry<E>(
  open: (attempt: number) => Promise<AsyncIterable<E>> | AsyncIterable<E>,
  options: RetryOptions = {},
): AsyncIterable<E> {
  return {
    [Symbol.asyncIterator]: () => streamAfterFirstEvent(open, options)[Symbol.asyncIterator](),
  };
}

async function* streamAfterFirstEvent<E>(
  open: (attempt: number) => Promise<AsyncIterable<E>> | AsyncIterable<E>,
  options: RetryOptions,
): AsyncGenerator<E, void, undefined> {
  const started = await withRetry(async (attempt) => {
    const iterator = (await open(attempt))[Symbol.asyncIterator]();
    try {
      return { iterator, first: await iterator.next() };
    } catch (err) {
      // Let the failed attempt release its connection before the next one opens.
      if (iterator.return) {
        try {
          await iterator.return();
        } catch (_ignored) {
          // already closed
        }
      }
      throw err;
    }
  }, options);

  const iterator = started.iterator;
  if (started.first.done) return;
  // Whether the source may still hold a connection that we must close if the caller stops early.
  let sourceOpen = true;
  try {
    yield started.first.value;
    for (;;) {
      let next: IteratorResult<E>;
      try {
        next = await iterator.next();
      } catch (err) {
        sourceOpen = false; // a stream that threw is over; its error reaches the caller as it is
        throw err;
      }
      if (next.done) {
        sourceOpen = false;
        return;
      }
      yield next.value;
    }
  } finally {
    // The caller stopped early (break, return, or an exception in the loop body): close the stream,
    // which cancels the request.
    if (sourceOpen && iterator.return) await iterator.return();
  }
}
