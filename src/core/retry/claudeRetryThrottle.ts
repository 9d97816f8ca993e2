/**
 * claudeRetryThrottle: the opt-in companion of claudeRetry.ts, for many calls running at once. Two objects, each
 * shared by every call (one per process, or per API key), that `withRetry` consults before it sends an attempt:
 *
 *   import { withRetry } from './claudeRetry';
 *   import { AdaptiveThrottle, CircuitBreaker } from './claudeRetryThrottle';
 *   const throttle = new AdaptiveThrottle();
 *   const circuitBreaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 30000 });
 *   await withRetry(() => client.messages.create(body), { throttle, circuitBreaker });
 *
 * Backoff alone spaces out one call's retries, not the crowd's: during an overload (a storm of 529
 * `overloaded_error`, which can last minutes) the AdaptiveThrottle keeps the requests all calls send near what the
 * API accepts, and the CircuitBreaker stops every call from sending while the API keeps failing (they wait for
 * it, within their budget). Both implement `RetryGate` from claudeRetry.ts, the only import of this file.
 */
import type { GateCall, RetryGate } from './claudeRetry';

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
export class CircuitBreaker implements RetryGate {
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

  /**
   * For `withRetry`: while the breaker refuses, a call waits (without sending) to the half-open moment plus a
   * random part of one cool-down, so that waiting calls come back one by one rather than together; one that comes
   * back while another call's trial is still running finds the breaker still refusing, and waits again. The random
   * part is cut to what is left of the budget; when even the half-open moment lies beyond it, the call gives up
   * at once with CircuitOpenError (at least 1 ms, so that a breaker with no cool-down cannot make the loop spin).
   */
  admit(call: GateCall): { waitMs: number } | { giveUp: 'circuit-open'; error: CircuitOpenError } | undefined {
    if (this.tryAcquire()) return undefined;
    const remainingMs = this.remainingCooldownMs();
    if (remainingMs > call.budgetLeftMs || call.budgetLeftMs < 1) {
      return { giveUp: 'circuit-open', error: new CircuitOpenError(remainingMs, call.lastError) };
    }
    const spreadMs = Math.round(Math.min(1, Math.max(0, call.random())) * this.cooldownMs);
    return { waitMs: Math.max(1, Math.min(call.budgetLeftMs, remainingMs + spreadMs)) };
  }

  /** For `withRetry`: what became of a call the breaker let through. */
  settle(outcome: 'accepted' | 'failed' | 'unsent'): void {
    if (outcome === 'accepted') this.recordSuccess();
    else if (outcome === 'failed') this.recordFailure();
    else this.release();
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
export class AdaptiveThrottle implements RetryGate {
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

  /**
   * For `withRetry`: a refused attempt is not sent; it waits the backoff of the call's last failure (that of a
   * first failure when none failed yet) and asks again. Refusals do not make the backoff grow, as they put no
   * load on the API: calls that kept doubling their waits on refusals would leave the API idle once it recovers.
   * Past the budget, the call gives up with its last error, or with ThrottledError when nothing was sent.
   */
  admit(call: GateCall): { waitMs: number } | { giveUp: 'budget-exceeded' | 'throttled'; error: unknown } | undefined {
    if (this.tryAcquire()) return undefined;
    const waitMs = call.backoffMs();
    if (waitMs <= call.budgetLeftMs) return { waitMs };
    return call.lastError !== undefined ? { giveUp: 'budget-exceeded', error: call.lastError } : { giveUp: 'throttled', error: new ThrottledError() };
  }

  /** For `withRetry`: the API took the request (a success or a final error); retryable failures count as nothing. */
  settle(outcome: 'accepted' | 'failed' | 'unsent'): void {
    if (outcome === 'accepted') this.recordAccepted();
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

/** `value`, or `fallback` when it is undefined (an option left out). */
function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}
