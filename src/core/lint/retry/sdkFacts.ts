// Facts about the SDK and the retry libraries: defaults, backoff schedules, error class names, and the
// names that tell a transparent callback user from a possible retry wrapper.

/** The SDK's default `maxRetries`. */
export const SDK_DEFAULT_MAX_RETRIES = 2;

/** Worst-case SDK wait before retry n (0-based), without retry-after: min(0.5 · 2^n, 8) s. */
export function sdkBackoffMs(n: number): number {
  return Math.min(500 * 2 ** n, 8000);
}

/** Upper bound of the SDK's total backoff for maxRetries retries (ms). */
export function sdkTotalWaitMs(maxRetries: number): number {
  let t = 0;
  for (let n = 0; n < maxRetries; n++) t += sdkBackoffMs(n);
  return t;
}

/** Defaults of the inserted helper (RETRY_DEFAULTS in claudeRetry.ts). */
export const HELPER = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60000, maxElapsedMs: 120000 };

export const HELPER_EXPORTS = new Set(['withRetry', 'withStreamRetry', 'retryStream']);

export const SDK_STATUS_CLASSES = new Set([
  'RateLimitError',
  'InternalServerError',
  'OverloadedError',
  'ServiceUnavailableError',
  'GatewayTimeoutError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
  'RequestTimeoutError',
  'ConflictError',
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'UnprocessableEntityError',
  'ContentTooLargeError',
  'PaymentRequiredError',
  'APIUserAbortError',
  'APIStatusError',
]);

/** Callees that take a callback but never retry it. */
export const TRANSPARENT_METHODS = new Set([
  'map', 'forEach', 'filter', 'reduce', 'flatMap', 'some', 'every', 'find', 'findIndex', 'sort',
  'then', 'catch', 'finally', 'all', 'allSettled', 'race', 'any', 'from',
]);

/** Names of opaque functions that may well be retry wrappers (the call they receive is then "unknown"). */
export const RETRYISH = /retr|backoff|resilien|polic|circuit|breaker|attempt|^with[A-Z_]|execute/i;

/**
 * Worst-case total wait of a library's exponential schedule (p-retry, async-retry: the k-th wait is
 * minTimeout·factor^k, doubled at most by `randomize`, capped at maxTimeout); null when a part is unknown.
 */
export function exponentialWaitMs(attempts: number | null, minT: number | null, factor: number | null, maxT: number | null, randomize: boolean | null): number | null {
  if (attempts === null || factor === null || minT === null || maxT === null) return null;
  return sumWaits(attempts, (k) => Math.min(minT * factor ** k * (randomize ? 2 : 1), maxT));
}

export function sumWaits(attempts: number, delay: (k: number) => number): number | null {
  let t = 0;
  for (let k = 0; k < attempts - 1; k++) t += delay(k);
  return Number.isFinite(t) ? t : null;
}
