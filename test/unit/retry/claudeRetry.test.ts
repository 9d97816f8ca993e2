// The retry core with a fake clock: every decision (retry or not, how long to wait, when to give up)
// is checked without real waiting. Errors are built with the SDK's own error classes where it has them.
import * as assert from 'assert';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  AdaptiveThrottle,
  backoffDelay,
  CircuitBreaker,
  CircuitOpenError,
  classifyError,
  GiveUpEvent,
  isRetryable,
  parseRetryAfter,
  readHeader,
  RetryEvent,
  RetryOptions,
  ThrottledError,
  withRetry,
  withStreamRetry,
} from '../../../src/core/retry/claudeRetry';

/** A clock that only moves when told to, and a sleep that moves it instead of waiting. */
class FakeClock {
  t = Date.UTC(2026, 0, 1, 12, 0, 0); // a whole second, so HTTP dates (second precision) compare exactly
  sleeps: number[] = [];
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += ms;
  };
}

/** An error exactly as the SDK builds it from an HTTP response. */
function sdkError(status: number, headers: Record<string, string> = {}, body?: unknown): APIError {
  const errBody = body ?? {
    type: 'error',
    error: { type: status === 529 ? 'overloaded_error' : 'api_error', message: 'failure' },
    request_id: 'req_body',
  };
  return APIError.generate(status, errBody as object, undefined, new Headers(headers));
}

/** A mid-stream `event: error` as the SDK raises it: APIError, no status, `.type` set. */
function streamError(type: string): APIError {
  return new APIError(undefined, { type: 'error', error: { type, message: type } }, undefined, new Headers(), type as ConstructorParameters<typeof APIError>[4]);
}

/** Runs `withRetry` over a scripted sequence of outcomes: an error is thrown, anything else is returned. */
async function run(
  script: unknown[],
  options: RetryOptions = {},
  clock = new FakeClock(),
): Promise<{ value?: unknown; error?: unknown; calls: number; sleeps: number[]; retries: RetryEvent[]; giveUps: GiveUpEvent[] }> {
  let calls = 0;
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const opts: RetryOptions = {
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    onRetry: (e) => retries.push(e),
    onGiveUp: (e) => giveUps.push(e),
    ...options,
  };
  try {
    const value = await withRetry(async (attempt) => {
      calls++;
      assert.strictEqual(attempt, calls, 'attempt numbers are 1-based and consecutive');
      const step = script[Math.min(calls, script.length) - 1];
      if (step instanceof Error || (typeof step === 'object' && step !== null && 'status' in step)) throw step;
      return step;
    }, opts);
    return { value, calls, sleeps: clock.sleeps, retries, giveUps };
  } catch (error) {
    return { error, calls, sleeps: clock.sleeps, retries, giveUps };
  }
}

describe('claudeRetry: status classes', () => {
  for (const status of [400, 401, 403, 404, 413, 422]) {
    it(`${status} is final: one call, no wait, the SDK error unchanged`, async () => {
      const err = sdkError(status);
      const r = await run([err, 'ok']);
      assert.strictEqual(r.error, err);
      assert.strictEqual(r.calls, 1);
      assert.deepStrictEqual(r.sleeps, []);
      assert.strictEqual(r.giveUps.length, 1);
      assert.strictEqual(r.giveUps[0].reason, 'final-error');
      assert.strictEqual(classifyError(err).retryable, false);
    });
  }
  for (const status of [408, 409, 429, 500, 502, 503, 504, 529]) {
    it(`${status} is retried, then the success is returned`, async () => {
      const r = await run([sdkError(status), 'ok']);
      assert.strictEqual(r.value, 'ok');
      assert.strictEqual(r.calls, 2);
      assert.strictEqual(r.retries.length, 1);
      assert.strictEqual(r.retries[0].status, status);
      assert.strictEqual(r.giveUps.length, 0);
      assert.strictEqual(isRetryable(sdkError(status)), true);
    });
  }
  it('x-should-retry: false makes a 503 final', async () => {
    const err = sdkError(503, { 'x-should-retry': 'false' });
    const r = await run([err, 'ok']);
    assert.strictEqual(r.error, err);
    assert.strictEqual(r.calls, 1);
    assert.deepStrictEqual(classifyError(err), {
      retryable: false,
      reason: 'should-retry-header',
      status: 503,
      errorType: 'api_error',
      requestId: 'req_body',
    });
  });
  it('x-should-retry: true makes a 400 retryable', async () => {
    const r = await run([sdkError(400, { 'x-should-retry': 'true' }), 'ok']);
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 2);
  });
  it('x-should-retry: true does not override an abort', () => {
    const err = new APIUserAbortError();
    (err as { headers?: unknown }).headers = new Headers({ 'x-should-retry': 'true' });
    assert.strictEqual(classifyError(err).retryable, false);
    assert.strictEqual(classifyError(err).reason, 'aborted');
  });
});

describe('claudeRetry: spend limit', () => {
  it('a 429 whose body reports the spend limit is final (SDK errorCode from body.error.details)', async () => {
    const err = sdkError(429, { 'retry-after': '1' }, {
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Spend limit reached', details: { error_code: 'enforced_spend_limit_reached' } },
    });
    assert.strictEqual(err.errorCode, 'enforced_spend_limit_reached');
    const r = await run([err, 'ok']);
    assert.strictEqual(r.error, err);
    assert.strictEqual(r.calls, 1);
    const c = classifyError(err);
    assert.strictEqual(c.reason, 'spend-limit');
    assert.strictEqual(c.errorCode, 'enforced_spend_limit_reached');
  });
  it('finds the code in error.error_code, in the type, or only in the message text', () => {
    const variants: unknown[] = [
      sdkError(429, {}, { type: 'error', error: { type: 'rate_limit_error', message: 'x', error_code: 'enforced_spend_limit_reached' } }),
      sdkError(429, {}, { type: 'error', error: { type: 'enforced_spend_limit_reached', message: 'x' } }),
      Object.assign(new Error('429 {"error":{"code":"enforced_spend_limit_reached"}}'), { status: 429 }),
      Object.assign(new Error('You have reached your spend limit.'), { status: 429 }),
    ];
    for (const v of variants) assert.strictEqual(classifyError(v).reason, 'spend-limit', String(v));
  });
  it('an ordinary 429 stays retryable', () => {
    assert.strictEqual(classifyError(sdkError(429)).retryable, true);
  });
});

describe('claudeRetry: classifyError on every error shape', () => {
  const table: Array<[string, unknown, boolean, string]> = [
    ['SDK APIConnectionError', new APIConnectionError({ message: 'Connection error.' }), true, 'connection-error'],
    ['SDK APIConnectionTimeoutError', new APIConnectionTimeoutError(), true, 'timeout'],
    ['SDK APIUserAbortError', new APIUserAbortError(), false, 'aborted'],
    ['DOM AbortError', new DOMException('This operation was aborted', 'AbortError'), false, 'aborted'],
    ['AbortSignal.timeout reason (TimeoutError)', new DOMException('timed out', 'TimeoutError'), true, 'timeout'],
    ['Node ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true, 'connection-error'],
    ['Node ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true, 'connection-error'],
    ['Node EPIPE', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), true, 'connection-error'],
    ['Node ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), true, 'timeout'],
    ['undici socket error', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), true, 'connection-error'],
    ['fetch failed with an ECONNRESET cause', new TypeError('fetch failed', { cause: Object.assign(new Error('read'), { code: 'ECONNRESET' }) }), true, 'connection-error'],
    ['browser "Failed to fetch"', new TypeError('Failed to fetch'), true, 'connection-error'],
    ['SDK connection error wrapping ENOTFOUND (final)', new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) }), false, 'host-not-found'],
    ['temporary DNS failure EAI_AGAIN', Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }), true, 'connection-error'],
    ['undici abort', Object.assign(new Error('aborted'), { code: 'UND_ERR_ABORTED' }), false, 'aborted'],
    ['stream overloaded_error (no status)', streamError('overloaded_error'), true, 'stream-error-type'],
    ['stream api_error (no status)', streamError('api_error'), true, 'stream-error-type'],
    ['stream rate_limit_error (no status)', streamError('rate_limit_error'), true, 'stream-error-type'],
    ['stream invalid_request_error (no status)', streamError('invalid_request_error'), false, 'stream-error-type'],
    ['plain { status, headers } object', { status: 503, headers: { 'retry-after': '2' } }, true, 'http-status'],
    ['Error with .statusCode', Object.assign(new Error('bad'), { statusCode: 422 }), false, 'http-status'],
    ['axios-style .response.status', Object.assign(new Error('x'), { response: { status: 502, headers: {} } }), true, 'http-status'],
    ['status as a numeric string', { status: '429' }, true, 'http-status'],
    ['a bug in the caller (TypeError)', new TypeError('client.messages.craete is not a function'), false, 'unknown-error'],
    ['a thrown string', 'boom', false, 'unknown-error'],
    ['null', null, false, 'unknown-error'],
    ['CircuitOpenError', new CircuitOpenError(1000), false, 'circuit-open'],
  ];
  for (const [name, err, retryable, reason] of table) {
    it(`${name} → ${retryable ? 'retryable' : 'final'} (${reason})`, () => {
      const c = classifyError(err);
      assert.strictEqual(c.retryable, retryable);
      assert.strictEqual(c.reason, reason);
    });
  }
  it('reads status, type, request id and retry-after from a real SDK error', () => {
    const err = sdkError(529, { 'request-id': 'req_hdr', 'retry-after-ms': '1500' }, {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: 'req_hdr',
    });
    assert.deepStrictEqual(classifyError(err), {
      retryable: true,
      reason: 'http-status',
      status: 529,
      errorType: 'overloaded_error',
      requestId: 'req_hdr',
      retryAfterMs: 1500,
    });
  });
  it('reads headers from Headers, plain objects in any case, Maps in any case, pair lists and array values', () => {
    assert.strictEqual(readHeader(new Headers({ 'Retry-After': '7' }), 'retry-after'), '7');
    assert.strictEqual(readHeader({ 'Retry-After': '7' }, 'retry-after'), '7');
    assert.strictEqual(readHeader(new Map([['Retry-After', '7']]), 'retry-after'), '7');
    assert.strictEqual(readHeader(new Map([['retry-after', 7]]), 'retry-after'), '7');
    assert.strictEqual(readHeader([['Retry-After', '7']], 'retry-after'), '7');
    assert.strictEqual(readHeader({ 'retry-after': ['7', '9'] }, 'retry-after'), '7');
    assert.strictEqual(readHeader(undefined, 'retry-after'), undefined);
    assert.strictEqual(readHeader({ other: '1' }, 'retry-after'), undefined);
  });
});

describe('claudeRetry: waits the server asks for', () => {
  it('retry-after-ms is used as is, reason retry-after', async () => {
    const r = await run([sdkError(429, { 'retry-after-ms': '250' }), 'ok']);
    assert.deepStrictEqual(r.sleeps, [250]);
    assert.strictEqual(r.retries[0].reason, 'retry-after');
    assert.strictEqual(r.retries[0].delayMs, 250);
  });
  it('retry-after-ms wins over retry-after', () => {
    assert.strictEqual(parseRetryAfter({ 'retry-after-ms': '20', 'retry-after': '5' }, 0), 20);
  });
  it('retry-after in whole seconds', async () => {
    const r = await run([sdkError(429, { 'retry-after': '3' }), 'ok']);
    assert.deepStrictEqual(r.sleeps, [3000]);
  });
  it('retry-after in fractional seconds', async () => {
    const r = await run([sdkError(503, { 'retry-after': '1.5' }), 'ok']);
    assert.deepStrictEqual(r.sleeps, [1500]);
  });
  it('retry-after as an HTTP date, measured against the injected clock', async () => {
    const clock = new FakeClock();
    const date = new Date(clock.t + 10000).toUTCString();
    const r = await run([sdkError(429, { 'retry-after': date }), 'ok'], {}, clock);
    assert.deepStrictEqual(r.sleeps, [10000]);
    assert.strictEqual(r.retries[0].reason, 'retry-after');
  });
  it('a long retry-after is honoured in full, beyond maxDelayMs', async () => {
    const r = await run([sdkError(429, { 'retry-after': '90' }), 'ok'], { maxDelayMs: 1000, maxElapsedMs: 600000 });
    assert.deepStrictEqual(r.sleeps, [90000]);
    assert.strictEqual(r.value, 'ok');
  });
  it('zero, negative, past-date and unparsable values fall back to backoff', () => {
    for (const h of [{ 'retry-after': '0' }, { 'retry-after': '-3' }, { 'retry-after': 'Thu, 01 Jan 2015 00:00:00 GMT' }, { 'retry-after': 'soon' }, { 'retry-after-ms': 'x' }]) {
      assert.strictEqual(parseRetryAfter(h, Date.UTC(2026, 0, 1)), undefined, JSON.stringify(h));
    }
  });
});

describe('claudeRetry: budget and attempts', () => {
  it('gives up at once, with the original error and no sleep, when retry-after would pass maxElapsedMs', async () => {
    const err = sdkError(429, { 'retry-after': '200' });
    const r = await run([err, 'ok']); // default budget 120 s
    assert.strictEqual(r.error, err);
    assert.strictEqual(r.calls, 1);
    assert.deepStrictEqual(r.sleeps, []);
    assert.strictEqual(r.retries.length, 0);
    assert.strictEqual(r.giveUps[0].reason, 'budget-exceeded');
    assert.strictEqual(r.giveUps[0].error, err);
  });
  it('counts time spent inside the attempts against the budget', async () => {
    const clock = new FakeClock();
    const err = sdkError(503);
    let calls = 0;
    const giveUps: GiveUpEvent[] = [];
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          clock.t += 9600; // a slow attempt
          throw err;
        },
        { now: clock.now, sleep: clock.sleep, random: () => 1, maxElapsedMs: 10000, onGiveUp: (e) => giveUps.push(e) },
      ),
      (e: unknown) => e === err,
    );
    // 9600 elapsed + a 1000 ms backoff would pass 10000: no sleep at all
    assert.strictEqual(calls, 1);
    assert.deepStrictEqual(clock.sleeps, []);
    assert.strictEqual(giveUps[0].reason, 'budget-exceeded');
    assert.strictEqual(giveUps[0].elapsedMs, 9600);
  });
  it('a wait that ends exactly at the budget is still taken', async () => {
    const r = await run([sdkError(429, { 'retry-after': '120' }), 'ok']);
    assert.deepStrictEqual(r.sleeps, [120000]);
    assert.strictEqual(r.value, 'ok');
  });
  it('stops after maxAttempts attempts with the last error', async () => {
    const errors = [sdkError(529), sdkError(529), sdkError(529), sdkError(529)];
    const r = await run(errors, { maxAttempts: 3 });
    assert.strictEqual(r.calls, 3);
    assert.strictEqual(r.error, errors[2]);
    assert.strictEqual(r.sleeps.length, 2);
    assert.strictEqual(r.giveUps.length, 1);
    assert.strictEqual(r.giveUps[0].reason, 'attempts-exhausted');
    assert.strictEqual(r.giveUps[0].attempts, 3);
  });
  it('defaults to 6 attempts in total', async () => {
    const r = await run([sdkError(500)]);
    assert.strictEqual(r.calls, 6);
    assert.strictEqual(r.sleeps.length, 5);
  });
});

describe('claudeRetry: full-jitter backoff', () => {
  it('random 0 gives 0, random close to 1 gives the cap', () => {
    assert.strictEqual(backoffDelay(1, {}, () => 0), 0);
    assert.strictEqual(backoffDelay(1, {}, () => 0.9999999), 1000);
    assert.strictEqual(backoffDelay(3, {}, () => 0.9999999), 4000);
    assert.strictEqual(backoffDelay(3, { baseDelayMs: 100 }, () => 0.5), 200);
  });
  it('the cap stops at maxDelayMs', () => {
    assert.strictEqual(backoffDelay(7, {}, () => 0.9999999), 60000); // 1000 * 64 = 64000 > 60000
    assert.strictEqual(backoffDelay(50, {}, () => 0.9999999), 60000);
    assert.strictEqual(backoffDelay(4, { baseDelayMs: 1000, maxDelayMs: 5000 }, () => 0.9999999), 5000);
    assert.strictEqual(backoffDelay(2000, { maxDelayMs: 5000 }, () => 1), 5000); // 2^1999 overflows to Infinity
  });
  it('every value stays within [0, cap]', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const cap = Math.min(60000, 1000 * 2 ** (attempt - 1));
      for (const r of [0, 0.1, 0.37, 0.5, 0.9, 0.999999]) {
        const d = backoffDelay(attempt, {}, () => r);
        assert.ok(d >= 0 && d <= cap, `attempt ${attempt}, random ${r}: ${d} not in [0, ${cap}]`);
      }
    }
  });
  it('withRetry uses it, with reason backoff, doubling per attempt', async () => {
    const r = await run([sdkError(500), sdkError(500), sdkError(500), 'ok'], { random: () => 0.5 });
    assert.deepStrictEqual(r.sleeps, [500, 1000, 2000]);
    assert.deepStrictEqual(r.retries.map((e) => e.reason), ['backoff', 'backoff', 'backoff']);
  });
});

describe('claudeRetry: events', () => {
  it('onRetry gets attempt, delay, reason, status, type, request id and the error itself', async () => {
    const err = sdkError(529, { 'request-id': 'req_abc', 'retry-after-ms': '40' }, {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const r = await run([err, 'ok']);
    assert.strictEqual(r.retries.length, 1);
    const e = r.retries[0];
    assert.strictEqual(e.attempt, 1);
    assert.strictEqual(e.delayMs, 40);
    assert.strictEqual(e.reason, 'retry-after');
    assert.strictEqual(e.status, 529);
    assert.strictEqual(e.errorType, 'overloaded_error');
    assert.strictEqual(e.requestId, 'req_abc');
    assert.strictEqual(e.error, err);
    assert.strictEqual(e.classification.retryable, true);
  });
  it('onGiveUp is called once with the final error and the classification', async () => {
    const err = sdkError(401);
    const r = await run([err]);
    assert.strictEqual(r.giveUps.length, 1);
    assert.strictEqual(r.giveUps[0].error, err);
    assert.strictEqual(r.giveUps[0].attempts, 1);
    assert.strictEqual(r.giveUps[0].classification?.status, 401);
  });
  it('a throwing hook does not change the outcome', async () => {
    const r = await run([sdkError(500), 'ok'], {
      onRetry: () => {
        throw new Error('logger broke');
      },
    });
    assert.strictEqual(r.value, 'ok');
  });
  it('shouldRetry overrides the decision both ways', async () => {
    const retry400 = await run([sdkError(400), 'ok'], { shouldRetry: (_e, c) => c.status === 400 });
    assert.strictEqual(retry400.value, 'ok');
    const no503 = await run([sdkError(503), 'ok'], { shouldRetry: () => false });
    assert.strictEqual(no503.calls, 1);
    assert.strictEqual(no503.giveUps[0].reason, 'final-error');
  });
});

describe('claudeRetry: abort', () => {
  it('an aborted signal before the start rejects with its reason without calling fn', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run(['ok'], { signal: controller.signal });
    assert.strictEqual(r.calls, 0);
    assert.strictEqual(r.error, controller.signal.reason);
    assert.strictEqual((r.error as Error).name, 'AbortError');
    assert.strictEqual(r.giveUps[0].reason, 'aborted');
    assert.strictEqual(r.giveUps[0].attempts, 0);
  });
  it('an abort during a real wait rejects at once with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    let calls = 0;
    const giveUps: GiveUpEvent[] = [];
    const pending = withRetry(
      async () => {
        calls++;
        throw sdkError(429, { 'retry-after': '600' }); // ten minutes: only the abort can end this wait
      },
      {
        signal: controller.signal,
        maxElapsedMs: Infinity,
        onRetry: () => setTimeout(() => controller.abort(reason), 5),
        onGiveUp: (e) => giveUps.push(e),
      },
    );
    await assert.rejects(pending, (e: unknown) => e === reason);
    assert.strictEqual(calls, 1);
    assert.strictEqual(giveUps[0].reason, 'aborted');
  });
  it('an abort during an injected sleep that ignores the signal still rejects at once', async () => {
    const controller = new AbortController();
    const pending = withRetry(
      async () => {
        throw sdkError(500);
      },
      {
        signal: controller.signal,
        sleep: () => new Promise<void>(() => undefined), // never ends by itself
        onRetry: () => queueMicrotask(() => controller.abort()),
      },
    );
    await assert.rejects(pending, (e: unknown) => (e as Error).name === 'AbortError');
  });
  it('an aborted request is never retried, even when shouldRetry says yes; the error fn threw is kept', async () => {
    const err = new APIUserAbortError();
    const r = await run([err, 'ok'], { shouldRetry: () => true });
    assert.strictEqual(r.error, err);
    assert.strictEqual(r.calls, 1);

    // our own signal aborted while the attempt ran: whatever fn threw ends it, unchanged
    const controller = new AbortController();
    const other = sdkError(503);
    const giveUps: GiveUpEvent[] = [];
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          controller.abort();
          throw other;
        },
        { signal: controller.signal, shouldRetry: () => true, onGiveUp: (e) => giveUps.push(e) },
      ),
      (e: unknown) => e === other,
    );
    assert.strictEqual(calls, 1);
    assert.strictEqual(giveUps[0].reason, 'aborted');
  });
  it('an APIUserAbortError is final by default', async () => {
    const err = new APIUserAbortError();
    const r = await run([err, 'ok']);
    assert.strictEqual(r.error, err);
    assert.strictEqual(r.calls, 1);
  });
});

describe('claudeRetry: circuit breaker', () => {
  it('opens after N consecutive retryable failures, refuses a call whose budget ends before the half-open moment, closes on success', async () => {
    const clock = new FakeClock();
    const states: string[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30000, now: clock.now, onStateChange: (s) => states.push(s) });
    const opts: RetryOptions = { circuitBreaker: breaker, maxAttempts: 1, maxElapsedMs: 29999, now: clock.now, sleep: clock.sleep };
    for (let i = 0; i < 3; i++) {
      await assert.rejects(withRetry(async () => Promise.reject(sdkError(529)), opts), (e: unknown) => e instanceof APIError);
    }
    assert.strictEqual(breaker.state, 'open');

    let called = false;
    const giveUps: GiveUpEvent[] = [];
    await assert.rejects(
      withRetry(
        async () => {
          called = true;
          return 'x';
        },
        { ...opts, onGiveUp: (e) => giveUps.push(e) },
      ),
      (e: unknown) => e instanceof CircuitOpenError && e.retryAfterMs === 30000,
    );
    assert.strictEqual(called, false);
    assert.deepStrictEqual(clock.sleeps, [], 'gave up at once, without waiting');
    assert.strictEqual(giveUps[0].reason, 'circuit-open');
    assert.strictEqual(giveUps[0].attempts, 0);

    clock.t += 30000;
    assert.strictEqual(breaker.state, 'half-open');
    assert.strictEqual(await withRetry(async () => 'trial', opts), 'trial');
    assert.strictEqual(breaker.state, 'closed');
    assert.deepStrictEqual(states, ['open', 'half-open', 'closed']);
  });
  it('half-open lets one trial through at a time; its failure re-opens for another cool-down', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: clock.now });
    breaker.recordFailure();
    assert.strictEqual(breaker.state, 'closed');
    breaker.recordFailure();
    assert.strictEqual(breaker.state, 'open');
    assert.strictEqual(breaker.tryAcquire(), false);
    clock.t += 999;
    assert.strictEqual(breaker.tryAcquire(), false);
    clock.t += 1;
    assert.strictEqual(breaker.tryAcquire(), true);
    assert.strictEqual(breaker.tryAcquire(), false, 'a second call while the trial runs fails fast');
    breaker.recordFailure();
    assert.strictEqual(breaker.state, 'open');
    assert.strictEqual(breaker.remainingCooldownMs(), 1000);
    clock.t += 1000;
    assert.strictEqual(breaker.tryAcquire(), true);
    breaker.release(); // an aborted trial tells nothing: the next caller may try
    assert.strictEqual(breaker.tryAcquire(), true);
    breaker.recordSuccess();
    assert.strictEqual(breaker.state, 'closed');
    assert.strictEqual(breaker.consecutiveFailures, 0);
  });
  it('a success or a final error resets the count of consecutive failures', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, now: clock.now });
    const opts: RetryOptions = { circuitBreaker: breaker, maxAttempts: 1, now: clock.now, sleep: clock.sleep };
    await assert.rejects(withRetry(async () => Promise.reject(sdkError(503)), opts));
    await assert.rejects(withRetry(async () => Promise.reject(sdkError(400)), opts));
    await assert.rejects(withRetry(async () => Promise.reject(sdkError(503)), opts));
    assert.strictEqual(breaker.state, 'closed');
    assert.strictEqual(breaker.consecutiveFailures, 1);
  });
  it('a call refused by an open breaker sends nothing, waits for the half-open moment plus a random part of a cool-down, then is the trial', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10000, now: clock.now });
    breaker.recordFailure();
    clock.t += 4000; // 6 s of cool-down left
    const r = await run(['ok'], { circuitBreaker: breaker, random: () => 0.25 }, clock);
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 1);
    assert.deepStrictEqual(r.sleeps, [6000 + 2500], 'to the half-open moment, then a quarter of a cool-down');
    assert.deepStrictEqual(r.retries, [], 'waiting for the breaker is not a retry');
    assert.strictEqual(breaker.state, 'closed');
  });
  it('the random part of a breaker wait is cut to the budget; a half-open moment past the budget gives up at once', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10000, now: clock.now });
    breaker.recordFailure();
    const fits = await run(['ok'], { circuitBreaker: breaker, random: () => 1, maxElapsedMs: 12000 }, clock);
    assert.strictEqual(fits.value, 'ok');
    assert.deepStrictEqual(fits.sleeps, [12000], 'the wait ends at the budget, not 8 s after it');

    const clock2 = new FakeClock();
    const breaker2 = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10000, now: clock2.now });
    breaker2.recordFailure();
    const late = await run(['ok'], { circuitBreaker: breaker2, maxElapsedMs: 9999 }, clock2);
    assert.strictEqual(late.calls, 0);
    assert.deepStrictEqual(late.sleeps, []);
    assert.ok(late.error instanceof CircuitOpenError);
    assert.strictEqual((late.error as CircuitOpenError).retryAfterMs, 10000);
    assert.strictEqual(late.giveUps[0].reason, 'circuit-open');
  });
  it('when its own failures open the circuit, a call backs off, waits for the half-open moment and tries again', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 30000, now: clock.now });
    const r = await run([sdkError(529), sdkError(529), 'ok'], { circuitBreaker: breaker, maxAttempts: 6 }, clock);
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 3);
    // backoff 500 (random 0.5 of 1 s), backoff 1000 (0.5 of 2 s), then the 29 s left of the cool-down
    // (it opened right after the second failure, before that backoff) plus half a cool-down
    assert.deepStrictEqual(r.sleeps, [500, 1000, 29000 + 15000]);
    assert.deepStrictEqual(
      r.retries.map((e) => e.delayMs),
      [500, 1000],
    );
    assert.strictEqual(breaker.state, 'closed');
  });
  it('gives up with CircuitOpenError carrying its last error when the circuit its failures opened stays shut past the budget', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 30000, now: clock.now });
    const last = sdkError(529);
    const r = await run([sdkError(529), last, 'ok'], { circuitBreaker: breaker, maxAttempts: 6, maxElapsedMs: 20000 }, clock);
    assert.strictEqual(r.calls, 2);
    assert.deepStrictEqual(r.sleeps, [500, 1000], 'the backoff fits the budget; the 29 s to the half-open moment does not');
    assert.ok(r.error instanceof CircuitOpenError);
    assert.strictEqual((r.error as CircuitOpenError).lastError, last);
    assert.strictEqual(r.giveUps[0].reason, 'circuit-open');
    assert.strictEqual(r.giveUps[0].attempts, 2);
    assert.strictEqual(r.giveUps[0].classification?.status, 529);
  });
  it('while a half-open trial runs, other calls keep waiting (random parts of a cool-down) and go once it has closed the circuit', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000, now: clock.now });
    breaker.recordFailure();
    clock.t += 1000; // half-open
    let endTrial: (value: string) => void = () => undefined;
    const trial = withRetry(() => new Promise<string>((resolve) => (endTrial = resolve)), { circuitBreaker: breaker, now: clock.now, sleep: clock.sleep });
    assert.strictEqual(breaker.state, 'half-open');

    const order: string[] = [];
    const waits: number[] = [];
    const other = withRetry(
      async () => {
        order.push(`other sent while ${breaker.state}`);
        return 'other';
      },
      {
        circuitBreaker: breaker,
        now: clock.now,
        random: () => 0.3,
        sleep: async (ms) => {
          waits.push(ms);
          clock.t += ms;
          if (waits.length === 3) endTrial('trial'); // the trial answers during the third wait
        },
      },
    );
    assert.strictEqual(await trial, 'trial');
    assert.strictEqual(await other, 'other');
    assert.deepStrictEqual(order, ['other sent while closed']);
    assert.ok(waits.length >= 3);
    assert.ok(waits.every((ms) => ms === 300), `each wait is 0.3 of a cool-down: ${waits}`);
  });
  it('an abort while waiting for the breaker rejects at once with the abort reason', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60000, now: clock.now });
    breaker.recordFailure();
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const giveUps: GiveUpEvent[] = [];
    let called = false;
    const pending = withRetry(
      async () => {
        called = true;
      },
      {
        circuitBreaker: breaker,
        signal: controller.signal,
        now: clock.now,
        sleep: () => new Promise<void>(() => undefined), // never ends by itself
        onGiveUp: (e) => giveUps.push(e),
      },
    );
    queueMicrotask(() => controller.abort(reason));
    await assert.rejects(pending, (e: unknown) => e === reason);
    assert.strictEqual(called, false);
    assert.strictEqual(giveUps[0].reason, 'aborted');
  });
  it('a breaker with no cool-down still waits at least 1 ms between looks, so a running trial cannot make a call spin', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 0, now: clock.now });
    breaker.recordFailure();
    assert.strictEqual(breaker.tryAcquire(), true); // a trial that never reports back
    const r = await run(['ok'], { circuitBreaker: breaker, maxElapsedMs: 5 }, clock);
    assert.strictEqual(r.calls, 0);
    assert.deepStrictEqual(r.sleeps, [1, 1, 1, 1, 1]);
    assert.ok(r.error instanceof CircuitOpenError);
  });
});

describe('claudeRetry: adaptive throttle', () => {
  it('refuses with probability max(0, (requests - ratio * accepts) / (requests + 1)); refusals count as requests', () => {
    const clock = new FakeClock();
    let r = 0.99;
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => r });
    assert.strictEqual(throttle.rejectionProbability, 0);
    for (let i = 0; i < 4; i++) assert.strictEqual(throttle.tryAcquire(), true);
    throttle.recordAccepted();
    // 4 requests, 1 accept: (4 - 2) / 5
    assert.strictEqual(throttle.rejectionProbability, 0.4);
    r = 0.39;
    assert.strictEqual(throttle.tryAcquire(), false, 'refused: 0.39 < 0.4');
    // the refusal counted: (5 - 2) / 6
    assert.strictEqual(throttle.rejectionProbability, 0.5);
    r = 0.5;
    assert.strictEqual(throttle.tryAcquire(), true, 'let through: 0.5 is not below 0.5');
    for (let i = 0; i < 2; i++) throttle.recordAccepted();
    // 6 requests, 3 accepts: nothing refused while the API takes half of what is sent
    assert.strictEqual(throttle.rejectionProbability, 0);
  });
  it('forgets counts older than the window', () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ windowMs: 10000, now: clock.now, random: () => 0.99 });
    for (let i = 0; i < 9; i++) throttle.tryAcquire();
    assert.strictEqual(throttle.rejectionProbability, 0.9);
    clock.t += 5000;
    throttle.tryAcquire();
    assert.strictEqual(throttle.rejectionProbability, 10 / 11);
    clock.t += 5000; // the first nine are now 10 s old
    assert.strictEqual(throttle.rejectionProbability, 0.5);
    clock.t += 5000;
    assert.strictEqual(throttle.rejectionProbability, 0);
  });
  it('withRetry does not send a refused attempt: it waits a backoff (not reported by onRetry) and asks again', async () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => 0 });
    throttle.tryAcquire(); // another call's request, still unanswered: everything else is refused
    const r = await run(['ok'], {
      throttle,
      sleep: async (ms) => {
        clock.sleeps.push(ms);
        clock.t += ms;
        if (clock.sleeps.length === 2) {
          throttle.recordAccepted();
          throttle.recordAccepted();
        }
      },
    }, clock);
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 1, 'sent once, as attempt 1');
    assert.deepStrictEqual(r.sleeps, [500, 500], 'two refusals, each waiting the first backoff (0.5 of 1 s)');
    assert.deepStrictEqual(r.retries, []);
  });
  it('refusals do not make the backoff grow; failures still do', async () => {
    /** A throttle the test switches on and off. */
    class SwitchedThrottle extends AdaptiveThrottle {
      refuse = false;
      override tryAcquire(): boolean {
        return !this.refuse;
      }
    }
    const clock = new FakeClock();
    const throttle = new SwitchedThrottle();
    const r = await run(
      [sdkError(529), sdkError(529), 'ok'],
      {
        throttle,
        sleep: async (ms) => {
          clock.sleeps.push(ms);
          clock.t += ms;
          if (clock.sleeps.length === 1) throttle.refuse = true; // after the first failure: three refusals
          if (clock.sleeps.length === 4) throttle.refuse = false;
        },
      },
      clock,
    );
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 3);
    // 500: backoff after failure 1; 3 x 500: refusals, at that same backoff; 1000: backoff after failure 2
    assert.deepStrictEqual(r.sleeps, [500, 500, 500, 500, 1000]);
    assert.deepStrictEqual(
      r.retries.map((e) => [e.attempt, e.delayMs]),
      [
        [1, 500],
        [2, 1000],
      ],
    );
  });
  it('gives up with ThrottledError when refused past the budget before anything was sent, else with the last error', async () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => 0 });
    throttle.tryAcquire();
    const never = await run(['ok'], { throttle, maxElapsedMs: 1200 }, clock);
    assert.strictEqual(never.calls, 0);
    assert.deepStrictEqual(never.sleeps, [500, 500], 'a third wait of 500 ms would pass 1.2 s');
    assert.ok(never.error instanceof ThrottledError);
    assert.strictEqual(never.giveUps[0].reason, 'throttled');
    assert.strictEqual(never.giveUps[0].attempts, 0);
    assert.deepStrictEqual(classifyError(never.error), { retryable: false, reason: 'throttled' });

    const clock2 = new FakeClock();
    const throttle2 = new AdaptiveThrottle({ now: clock2.now, random: () => 0 });
    const last = sdkError(529);
    // attempt 1 is let through (nothing counted yet) and fails; from then on the throttle refuses
    const after = await run([last, 'ok'], { throttle: throttle2, maxElapsedMs: 1200 }, clock2);
    assert.strictEqual(after.calls, 1);
    assert.strictEqual(after.error, last);
    assert.strictEqual(after.giveUps[0].reason, 'budget-exceeded');
    assert.strictEqual(after.giveUps[0].attempts, 1);
  });
  it('counts successes and final errors as accepted, retryable errors not', async () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => 0.99 });
    await run(['ok'], { throttle }, new FakeClock());
    await run([sdkError(400)], { throttle }, new FakeClock());
    assert.strictEqual(throttle.rejectionProbability, 0, '2 requests, 2 accepts');
    await run([sdkError(529)], { throttle, maxAttempts: 1 }, new FakeClock());
    await run([sdkError(529)], { throttle, maxAttempts: 1 }, new FakeClock());
    await run([sdkError(529)], { throttle, maxAttempts: 1 }, new FakeClock());
    // 5 requests, 2 accepts: (5 - 4) / 6
    assert.strictEqual(throttle.rejectionProbability, 1 / 6);
  });
  it('an abort while a refused attempt waits rejects at once with the abort reason', async () => {
    const throttle = new AdaptiveThrottle({ random: () => 0 });
    throttle.tryAcquire();
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    let called = false;
    const pending = withRetry(
      async () => {
        called = true;
      },
      { throttle, signal: controller.signal, sleep: () => new Promise<void>(() => undefined) },
    );
    queueMicrotask(() => controller.abort(reason));
    await assert.rejects(pending, (e: unknown) => e === reason);
    assert.strictEqual(called, false);
  });
});

describe('claudeRetry: streams', () => {
  /** A scripted stream: yields `events`, then throws `failAfter` if given. Records whether it was closed. */
  function source(events: string[], failAfter?: unknown) {
    const state = { closed: false, pulled: 0 };
    const iterable: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        let i = 0;
        return {
          async next() {
            state.pulled++;
            if (i < events.length) return { value: events[i++], done: false };
            if (failAfter !== undefined) throw failAfter;
            return { value: undefined, done: true };
          },
          async return() {
            state.closed = true;
            return { value: undefined, done: true };
          },
        };
      },
    };
    return { iterable, state };
  }
  const fast = (clock: FakeClock): RetryOptions => ({ now: clock.now, sleep: clock.sleep, random: () => 0 });

  it('retries an error before the first event (open throwing, or the first pull failing)', async () => {
    const clock = new FakeClock();
    const failingFirstPull = source([], sdkError(529));
    const good = source(['a', 'b', 'c']);
    let opens = 0;
    const seen: string[] = [];
    const stream = withStreamRetry<string>(async (attempt) => {
      opens++;
      assert.strictEqual(attempt, opens);
      if (attempt === 1) throw sdkError(503);
      if (attempt === 2) return failingFirstPull.iterable;
      return good.iterable;
    }, fast(clock));
    for await (const e of stream) seen.push(e);
    assert.deepStrictEqual(seen, ['a', 'b', 'c']);
    assert.strictEqual(opens, 3);
    assert.strictEqual(failingFirstPull.state.closed, true, 'the failed attempt was closed');
  });
  it('an error after the first event surfaces unchanged: no retry, no duplicate output', async () => {
    const clock = new FakeClock();
    const midStream = streamError('overloaded_error');
    let opens = 0;
    const seen: string[] = [];
    const retries: RetryEvent[] = [];
    const stream = withStreamRetry<string>(
      () => {
        opens++;
        return source(['hello', ' world'], midStream).iterable; // a plain iterable, not a promise
      },
      { ...fast(clock), onRetry: (e) => retries.push(e) },
    );
    await assert.rejects(
      (async () => {
        for await (const e of stream) seen.push(e);
      })(),
      (e: unknown) => e === midStream,
    );
    assert.deepStrictEqual(seen, ['hello', ' world']);
    assert.strictEqual(opens, 1);
    assert.strictEqual(retries.length, 0);
  });
  it('a final error before the first event is not retried', async () => {
    const err = sdkError(400);
    let opens = 0;
    const stream = withStreamRetry<string>(async () => {
      opens++;
      throw err;
    }, fast(new FakeClock()));
    await assert.rejects(
      (async () => {
        for await (const _ of stream) assert.fail('no events expected');
      })(),
      (e: unknown) => e === err,
    );
    assert.strictEqual(opens, 1);
  });
  it('an empty stream ends cleanly; breaking out early closes the source', async () => {
    const empty: string[] = [];
    for await (const e of withStreamRetry(() => source([]).iterable)) empty.push(e);
    assert.deepStrictEqual(empty, []);

    const s = source(['a', 'b', 'c']);
    for await (const e of withStreamRetry(() => s.iterable)) {
      if (e === 'b') break;
    }
    assert.strictEqual(s.state.closed, true);
    assert.strictEqual(s.state.pulled, 2);
  });
  it('nothing is opened until iteration starts', async () => {
    let opens = 0;
    const stream = withStreamRetry(() => {
      opens++;
      return source(['a']).iterable;
    });
    assert.strictEqual(opens, 0);
    for await (const _ of stream) break;
    assert.strictEqual(opens, 1);
  });
});
