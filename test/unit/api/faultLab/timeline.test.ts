// The live view's data: calls on one time axis with the waits and the retry-after each answer asked for.

import * as assert from 'assert';
import type { LabRequest } from '../../../../src/core/api/faultLab/requestLog';
import { timelineOf } from '../../../../src/core/api/faultLab/timeline';
import { judge } from '../../../../src/core/api/faultLab/verdicts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const req = (index: number, at: number, took: number, status: number, extra: Partial<LabRequest> = {}): LabRequest => ({
  index,
  time: new Date(T0 + at).toISOString(),
  answeredAt: new Date(T0 + at + took).toISOString(),
  method: 'POST',
  path: '/v1/messages',
  streamed: false,
  status,
  outcome: status === 200 ? 'ok' : 'error',
  bodyHash: '0123456789abcdef',
  textDelivered: false,
  laterWouldPass: true,
  faulted: status !== 200,
  forwarded: false,
  scenario: 'rate-limited',
  requestId: `req_${index}`,
  ...extra,
});

describe('fault lab timeline', () => {
  it('places attempts relative to the first request, with waits and retry-after, grouped by call', () => {
    const requests = [
      req(0, 1000, 10, 429, { retryAfter: '1' }),
      req(1, 1200, 5, 200, { bodyHash: 'ffffffffffffffff' }),
      req(2, 1310, 20, 200),
    ];
    const t = timelineOf({ requests, verdicts: judge(requests) });
    assert.strictEqual(t.span, 330);
    assert.deepStrictEqual(
      t.calls.map((c) => c.attempts.map((a) => [a.index, a.start, a.end, a.status, a.retryAfterMs, a.waitBefore])),
      [
        [
          [0, 0, 10, 429, 1000, undefined],
          [2, 310, 330, 200, undefined, 300],
        ],
        [[1, 200, 205, 200, undefined, undefined]],
      ],
    );
    assert.strictEqual(t.calls[0].label, 'POST /v1/messages · body 01234567');
    assert.deepStrictEqual(t.verdicts.map((v) => v.kind), ['retry-before-retry-after']);
  });

  it('keeps whether each answer was faulted and whether it came from the proxy, as the report has it', () => {
    const requests = [
      req(0, 0, 10, 529, { forwarded: false, faulted: true }),
      req(1, 100, 40, 200, { forwarded: true, faulted: false }),
      req(2, 200, 900, 200, { forwarded: true, faulted: true, bodyHash: 'ffffffffffffffff' }),
    ];
    const t = timelineOf({ requests, verdicts: [] });
    assert.deepStrictEqual(
      t.calls.flatMap((c) => c.attempts.map((a) => [a.index, a.faulted, a.forwarded])),
      [
        [0, true, false],
        [1, false, true],
        [2, true, true],
      ],
    );
  });

  it('an empty run has no calls and a span of 0', () => {
    assert.deepStrictEqual(timelineOf({ requests: [], verdicts: [] }), { span: 0, calls: [], verdicts: [] });
  });
});
