// The retry core with a fake clock: every decision (retry or not, how long to wait, when to give up)
// is checked without real waiting. Errors are built with the SDK's own error classes where it has them.
// (The opt-in throttle and circuit breaker of claudeRetryThrottle.ts: claudeRetryThrottle.test.ts.)
import * as assert from 'assert';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  backoffDelay,
  classifyError,
  GiveUpEvent,
  isRetryable,
  parseRetryAfter,
  readHeader,
  RetryEvent,
  RetryOptions,
  withRetry,
  withStreamRetry,
} from '../../../src/core/retry/claudeRetry';
import { CircuitOpenError } from '../../../src/core/retry/claudeRetryThrottle';
import { FakeClock, run, sdkError, streamError } from './retryTestKit';

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
