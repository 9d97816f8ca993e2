// The verdicts as pure functions over hand-made request logs.

import * as assert from 'assert';
import type { LabRequest } from '../../../../src/core/api/faultLab/requestLog';
import { askedWaitMs, judge, logicalCalls } from '../../../../src/core/api/faultLab/verdicts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A log entry: `at` ms after T0, answered 5 ms later unless `took` says otherwise. */
function req(index: number, at: number, status: number, extra: Partial<LabRequest> & { took?: number } = {}): LabRequest {
  const { took = 5, ...rest } = extra;
  return {
    index,
    time: new Date(T0 + at).toISOString(),
    answeredAt: new Date(T0 + at + took).toISOString(),
    method: 'POST',
    path: '/v1/messages',
    streamed: false,
    status,
    outcome: status === 200 ? 'ok' : status === 0 ? 'reset' : 'error',
    bodyHash: 'aaaaaaaaaaaaaaaa',
    textDelivered: false,
    laterWouldPass: status !== 200,
    faulted: status !== 200,
    forwarded: false,
    scenario: 'test',
    requestId: `req_${index}`,
    ...rest,
  };
}

const kinds = (log: LabRequest[], maxAttempts?: number) => judge(log, { maxAttempts }).map((v) => v.kind);

describe('fault lab verdicts', () => {
  describe('logical calls', () => {
    it('groups attempts of the same body until one succeeds; the same body after a success is a new call', () => {
      const calls = logicalCalls([req(0, 0, 529), req(1, 500, 200), req(2, 1000, 200), req(3, 1100, 529, { bodyHash: 'b' })]);
      assert.deepStrictEqual(
        calls.map((c) => c.attempts.map((a) => a.index)),
        [[0, 1], [2], [3]],
      );
    });
    it('a request sent while the same body is still unanswered is a separate call (concurrent duplicates)', () => {
      const calls = logicalCalls([req(0, 0, 529, { took: 100 }), req(1, 50, 529), req(2, 400, 200)]);
      assert.deepStrictEqual(
        calls.map((c) => c.attempts.map((a) => a.index)),
        [[0, 2], [1]],
      );
    });
    it('reads retry-after-ms before retry-after, and HTTP dates', () => {
      assert.strictEqual(askedWaitMs(req(0, 0, 429, { retryAfter: '2', retryAfterMs: '150' })), 150);
      assert.strictEqual(askedWaitMs(req(0, 0, 429, { retryAfter: '1.5' })), 1500);
      assert.strictEqual(askedWaitMs(req(0, 0, 429, { took: 0, retryAfter: new Date(T0 + 3000).toUTCString() })), 3000);
      assert.strictEqual(askedWaitMs(req(0, 0, 429)), undefined);
    });
  });

  it('a well-behaved sequence: growing waits, retry-after honoured, success at the end: no verdict', () => {
    assert.deepStrictEqual(kinds([req(0, 0, 529), req(1, 505, 529), req(2, 1510, 200)]), []);
    assert.deepStrictEqual(kinds([req(0, 0, 429, { retryAfter: '1' }), req(1, 1010, 200)]), []);
  });

  it('retry-before-retry-after: the retry came before the wait the answer asked for', () => {
    const log = [req(0, 0, 429, { retryAfter: '1' }), req(1, 300, 429, { retryAfter: '1' }), req(2, 1400, 200)];
    const v = judge(log);
    assert.deepStrictEqual(v.map((x) => x.kind), ['retry-before-retry-after']);
    assert.deepStrictEqual(v[0].requests, [0, 1]);
    assert.match(v[0].message, /#1 was sent 295 ms after #0 was answered 429 with retry-after 1 \(a wait of 1000 ms\)/);
    // retry-after-ms wins over retry-after: 200 ms asked, 250 ms waited
    assert.deepStrictEqual(kinds([req(0, 0, 529, { retryAfter: '1', retryAfterMs: '200' }), req(1, 255, 200)]), []);
  });

  it('retry-non-retryable: a 400, 401, 403, 404, 413 or 422 sent again unchanged', () => {
    for (const status of [400, 401, 403, 404, 413, 422]) {
      const v = judge([req(0, 0, status), req(1, 500, status)]);
      assert.deepStrictEqual(v.map((x) => x.kind), ['retry-non-retryable'], String(status));
    }
    // a 400 followed by a different (corrected) request is fine
    assert.deepStrictEqual(kinds([req(0, 0, 400), req(1, 500, 200, { bodyHash: 'fixed' })]), []);
    // 409 and 408 are retryable in both SDKs
    assert.deepStrictEqual(kinds([req(0, 0, 409), req(1, 500, 200)]), []);
  });

  it('retry-amplified: more attempts than allowed, or the SDK retry count starting over', () => {
    const many = Array.from({ length: 9 }, (_, i) => req(i, i * 1000 * 1.5 ** i, 529, { laterWouldPass: false }));
    assert.deepStrictEqual(kinds(many), ['retry-amplified']);
    assert.deepStrictEqual(kinds(many.slice(0, 8)), []);
    assert.deepStrictEqual(kinds(many.slice(0, 3), 2), ['retry-amplified']);
    const nested = [0, 1, 2, 0, 1].map((count, i) => req(i, [0, 500, 1500, 3000, 3500 + 1000][i], i === 4 ? 200 : 529, { retryCount: count }));
    const v = judge(nested);
    assert.deepStrictEqual(v.map((x) => x.kind), ['retry-amplified']);
    assert.match(v[0].message, /started over 1 time\(s\) \(runs of 3, 2 attempts\)/);
    // the app's own loop around an SDK with retries off sends count 0 every time: not nested
    const flat = [0, 0, 0].map((count, i) => req(i, [0, 500, 1500][i], i === 2 ? 200 : 529, { retryCount: count }));
    assert.deepStrictEqual(kinds(flat), []);
  });

  it('no-retry: the call ended at its first retryable failure although a later attempt would have passed', () => {
    for (const status of [429, 500, 503, 529, 0]) {
      assert.deepStrictEqual(kinds([req(0, 0, status)]), ['no-retry'], String(status));
    }
    // nothing would have passed (failures=always, a spend limit): no verdict
    assert.deepStrictEqual(kinds([req(0, 0, 529, { laterWouldPass: false })]), []);
    // a final error is not expected to be retried
    assert.deepStrictEqual(kinds([req(0, 0, 400)]), []);
    // it retried, then gave up: not no-retry
    assert.deepStrictEqual(kinds([req(0, 0, 529), req(1, 600, 529)]), []);
  });

  it('no-backoff: a retry under 50 ms after the failure, or waits that never grow', () => {
    const instant = judge([req(0, 0, 529), req(1, 20, 529), req(2, 800, 200)]);
    assert.deepStrictEqual(instant.map((x) => x.kind), ['no-backoff']);
    assert.match(instant[0].message, /#1 was sent 15 ms after #0 failed/);
    const flat = judge([req(0, 0, 529), req(1, 305, 529), req(2, 610, 529), req(3, 915, 200)]);
    assert.deepStrictEqual(flat.map((x) => x.kind), ['no-backoff']);
    assert.match(flat[0].message, /waited 300, 300, 300 ms: the wait never grows/);
    // the SDK's own retries (count 0, 1, 2) are judged only by the no-wait test; the app's own (count 0 each time) also for growth
    const sdk = (counts: number[]) => [req(0, 0, 529, { retryCount: counts[0] }), req(1, 705, 529, { retryCount: counts[1] }), req(2, 1510, 200, { retryCount: counts[2] })];
    assert.deepStrictEqual(kinds(sdk([0, 1, 2])), []);
    assert.deepStrictEqual(kinds(sdk([0, 0, 0])), ['no-backoff']);
    // one wait of 300 ms is not judged for growth; retry-after waits are the server's choice
    assert.deepStrictEqual(kinds([req(0, 0, 529), req(1, 305, 200)]), []);
    assert.deepStrictEqual(
      kinds([req(0, 0, 429, { retryAfterMs: '100' }), req(1, 110, 429, { retryAfterMs: '100' }), req(2, 220, 200)]),
      [],
    );
  });

  it('stream-replayed: a stream that delivered text was sent again; one that failed before text may be', () => {
    const failed = { streamed: true, outcome: 'stream-error' as const, status: 200 };
    const v = judge([req(0, 0, 200, { ...failed, textDelivered: true }), req(1, 500, 200, { streamed: true })]);
    assert.deepStrictEqual(v.map((x) => x.kind), ['stream-replayed']);
    assert.deepStrictEqual(v[0].requests, [0, 1]);
    assert.deepStrictEqual(kinds([req(0, 0, 200, { ...failed, textDelivered: false }), req(1, 500, 200, { streamed: true })]), []);
  });
});
