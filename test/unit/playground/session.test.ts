// The playground's send logic against the real simulated server, one run per scenario: the timeline matches
// the attempts the server saw, waits carry their reason, cancellation works in a request and in a wait,
// stream errors are not retried and never repeat text.
import * as assert from 'assert';
import { SCENARIO_NAMES, startSimulatedServer, type SimulatedServer } from '../../../src/core/api/simulatedServer';
import { defaultDraft } from '../../../src/core/playground/draft';
import { PlaygroundSession } from '../../../src/core/playground/session';
import type { AttemptRecord, RequestDraft, RunResult } from '../../../src/core/playground/types';

function draft(over: Partial<RequestDraft> = {}): RequestDraft {
  return {
    ...defaultDraft(),
    scenario: 'ok',
    messagesJson: JSON.stringify([{ role: 'user', content: 'Name three colours' }]),
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 60000 },
    ...over,
  };
}

interface Recorded {
  result: RunResult;
  events: AttemptRecord[];
  deltas: string[];
}

async function run(session: PlaygroundSession, d: RequestDraft, signal?: AbortSignal, runId = 1): Promise<Recorded> {
  const events: AttemptRecord[] = [];
  const deltas: string[] = [];
  const result = await session.run(d, { runId, signal, listener: { onAttempt: (a) => events.push(a), onText: (t) => deltas.push(t) } });
  return { result, events, deltas };
}

/** Statuses the server answered, in order (0 = reset connection). */
function serverStatuses(server: SimulatedServer): number[] {
  return server.stats.requests.map((r) => r.status);
}

describe('playground session (simulated server)', function () {
  let session: PlaygroundSession;
  let server: SimulatedServer;

  before(async () => {
    session = new PlaygroundSession();
    server = await session.simulatedServer();
  });
  after(async () => {
    await session.dispose();
  });
  beforeEach(() => server.reset());

  it('starts the simulated server lazily, once, on 127.0.0.1', async () => {
    const again = await session.simulatedServer();
    assert.strictEqual(again, server);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('covers every scenario of the simulated server in this suite', () => {
    const covered = ['ok', 'rate-limited', 'overloaded-burst', 'overloaded-storm', 'server-error', 'mid-stream-error', 'spend-limit', 'connection-reset', 'slow'];
    assert.deepStrictEqual([...SCENARIO_NAMES].sort(), [...covered].sort());
  });

  for (const stream of [false, true]) {
    describe(stream ? 'streaming' : 'not streaming', () => {
      it('ok: one attempt, 200, request id, text, usage, stop_reason, rate-limit headers', async () => {
        const { result, events, deltas } = await run(session, draft({ scenario: 'ok', stream }));
        assert.strictEqual(result.outcome, 'success', JSON.stringify(result.error));
        assert.strictEqual(result.attempts.length, 1);
        const a = result.attempts[0];
        assert.strictEqual(a.outcome, 'ok');
        assert.strictEqual(a.status, 200);
        assert.strictEqual(a.requestId, server.stats.requests[0].requestId);
        assert.strictEqual(a.wait, undefined);
        assert.ok(result.text.startsWith('Simulated reply to: "Name three colours".'), result.text);
        assert.strictEqual(deltas.join(''), result.text);
        if (stream) assert.ok(deltas.length > 1, 'text arrives in pieces');
        assert.strictEqual(result.message?.text, result.text);
        assert.strictEqual(result.message?.stop_reason, 'end_turn');
        assert.ok((result.message?.usage?.output_tokens ?? 0) > 0);
        assert.ok((result.message?.usage?.input_tokens ?? 0) > 0);
        assert.ok(Object.keys(result.rateLimitHeaders).some((k) => k.startsWith('anthropic-ratelimit-')), JSON.stringify(result.rateLimitHeaders));
        assert.ok(result.totalMs >= 0);
        assert.deepStrictEqual(serverStatuses(server), [200]);
        // the listener saw the attempt start (pending) and end (ok)
        assert.deepStrictEqual(events.map((e) => e.outcome), ['pending', 'ok']);
      });

      it('rate-limited: a 429 waits for retry-after, then succeeds', async () => {
        const { result } = await run(session, draft({ scenario: 'rate-limited', scenarioOptionsJson: '{"failures": 2, "retryAfter": 0.05}', stream }));
        assert.strictEqual(result.outcome, 'success', JSON.stringify(result.error));
        assert.deepStrictEqual(result.attempts.map((a) => a.status), [429, 429, 200]);
        assert.deepStrictEqual(serverStatuses(server), [429, 429, 200]);
        for (const a of result.attempts.slice(0, 2)) {
          assert.strictEqual(a.outcome, 'error');
          assert.strictEqual(a.errorType, 'rate_limit_error');
          assert.match(a.errorMessage ?? '', /^Number of request tokens has exceeded your per-minute rate limit/, 'the API message, not the raw body');
          assert.deepStrictEqual(a.wait, { ms: 50, reason: 'retry-after' });
          assert.ok(a.requestId?.startsWith('req_'), a.requestId);
        }
        assert.strictEqual(result.attempts[2].wait, undefined);
        assert.deepStrictEqual(
          result.attempts.map((a) => a.requestId),
          server.stats.requests.map((r) => r.requestId),
        );
        // the attempts are spaced by at least the waits
        assert.ok(result.attempts[1].startedAt - result.attempts[0].startedAt >= 50);
      });

      it('overloaded-burst: 529s are retried with backoff', async () => {
        const { result } = await run(session, draft({ scenario: 'overloaded-burst', stream }));
        assert.strictEqual(result.outcome, 'success');
        assert.deepStrictEqual(result.attempts.map((a) => a.status), [529, 529, 200]);
        for (const a of result.attempts.slice(0, 2)) {
          assert.strictEqual(a.errorType, 'overloaded_error');
          assert.strictEqual(a.wait?.reason, 'backoff');
          assert.ok(a.wait.ms >= 0 && a.wait.ms <= 20);
        }
      });

      it('overloaded-burst that never ends: gives up after maxAttempts with the last error', async () => {
        const { result } = await run(session, draft({ scenario: 'overloaded-burst', scenarioOptionsJson: '{"failures": "always"}', stream, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 60000 } }));
        assert.strictEqual(result.outcome, 'error');
        assert.strictEqual(result.attempts.length, 3);
        assert.deepStrictEqual(serverStatuses(server), [529, 529, 529]);
        assert.strictEqual(result.error?.giveUpReason, 'attempts-exhausted');
        assert.strictEqual(result.error?.status, 529);
        assert.strictEqual(result.attempts[2].wait, undefined);
      });

      it('overloaded-storm: a single request under capacity succeeds at once', async () => {
        const { result } = await run(session, draft({ scenario: 'overloaded-storm', stream }));
        assert.strictEqual(result.outcome, 'success');
        assert.deepStrictEqual(result.attempts.map((a) => a.status), [200]);
      });

      it('server-error: a 500 is retried once, then ok', async () => {
        const { result } = await run(session, draft({ scenario: 'server-error', stream }));
        assert.strictEqual(result.outcome, 'success');
        assert.deepStrictEqual(result.attempts.map((a) => [a.status, a.errorType]), [
          [500, 'api_error'],
          [200, undefined],
        ]);
        assert.strictEqual(result.attempts[0].wait?.reason, 'backoff');
      });

      it('spend-limit: the 429 is final, one attempt, no wait', async () => {
        const { result } = await run(session, draft({ scenario: 'spend-limit', stream }));
        assert.strictEqual(result.outcome, 'error');
        assert.strictEqual(result.attempts.length, 1);
        assert.deepStrictEqual(serverStatuses(server), [429]);
        const a = result.attempts[0];
        assert.strictEqual(a.status, 429);
        assert.strictEqual(a.classification, 'spend-limit');
        assert.strictEqual(a.retryable, false);
        assert.strictEqual(a.errorCode, 'enforced_spend_limit_reached');
        assert.strictEqual(a.wait, undefined);
        assert.strictEqual(result.error?.giveUpReason, 'final-error');
      });

      it('connection-reset: the reset is retried, then ok', async () => {
        const { result } = await run(session, draft({ scenario: 'connection-reset', stream }));
        assert.strictEqual(result.outcome, 'success');
        assert.strictEqual(result.attempts.length, 2);
        const a = result.attempts[0];
        assert.strictEqual(a.outcome, 'error');
        assert.strictEqual(a.status, undefined);
        assert.strictEqual(a.classification, 'connection-error');
        assert.strictEqual(a.errorType, 'APIConnectionError');
        assert.strictEqual(a.wait?.reason, 'backoff');
        assert.deepStrictEqual(serverStatuses(server), [0, 200]);
      });

      it('slow: cancel during the request resolves quickly as cancelled', async () => {
        const abort = new AbortController();
        const t0 = Date.now();
        const pending = run(session, draft({ scenario: 'slow', scenarioOptionsJson: '{"delayMs": 30000}', stream }), abort.signal);
        setTimeout(() => abort.abort(), 100);
        const { result } = await pending;
        const took = Date.now() - t0;
        assert.strictEqual(result.outcome, 'cancelled');
        assert.strictEqual(result.attempts.length, 1);
        assert.strictEqual(result.attempts[0].outcome, 'cancelled');
        assert.ok(took < 15000, `took ${took} ms although the server would answer after 30 s`);
      });

      it('slow: completes when left alone', async () => {
        const { result } = await run(session, draft({ scenario: 'slow', scenarioOptionsJson: '{"delayMs": 50, "deltaDelayMs": 5}', stream }));
        assert.strictEqual(result.outcome, 'success');
        assert.strictEqual(result.attempts.length, 1);
      });
    });
  }

  it('rate-limited: cancel during a retry-after wait resolves quickly as cancelled', async () => {
    const abort = new AbortController();
    const events: AttemptRecord[] = [];
    const t0 = Date.now();
    const pending = session.run(draft({ scenario: 'rate-limited', scenarioOptionsJson: '{"retryAfter": 30}' }), {
      runId: 7,
      signal: abort.signal,
      listener: {
        onAttempt: (a) => {
          events.push(a);
          // cancel 100 ms after the wait starts
          if (a.wait) setTimeout(() => abort.abort(), 100);
        },
      },
    });
    const result = await pending;
    const took = Date.now() - t0;
    assert.strictEqual(result.outcome, 'cancelled');
    assert.strictEqual(result.attempts.length, 1, 'no second attempt after the cancel');
    assert.deepStrictEqual(result.attempts[0].wait, { ms: 30000, reason: 'retry-after' });
    assert.strictEqual(result.error?.giveUpReason, 'aborted');
    assert.ok(took < 15000, `took ${took} ms although the wait was 30 s`);
    assert.deepStrictEqual(serverStatuses(server), [429]);
  });

  it('mid-stream-error: the text before the error is delivered once, the error shows, nothing is retried', async () => {
    const { result, deltas } = await run(session, draft({ scenario: 'mid-stream-error', stream: true, scenarioOptionsJson: '{"deltasBeforeError": 3, "wordsPerDelta": 1}' }));
    assert.strictEqual(result.outcome, 'error');
    assert.strictEqual(result.attempts.length, 1, 'not retried after output started');
    assert.deepStrictEqual(serverStatuses(server), [200]);
    const a = result.attempts[0];
    assert.strictEqual(a.outcome, 'stream-error');
    assert.strictEqual(a.status, 200);
    assert.strictEqual(a.errorType, 'overloaded_error');
    assert.strictEqual(a.retryable, false);
    assert.strictEqual(result.error?.midStream, true);
    assert.strictEqual(result.error?.errorType, 'overloaded_error');
    assert.strictEqual(deltas.length, 3);
    assert.strictEqual(result.text, deltas.join(''));
    assert.strictEqual(result.text, 'Simulated reply to:');
  });

  it('mid-stream-error without streaming: the 529 before any output is retried until attempts run out', async () => {
    const { result } = await run(session, draft({ scenario: 'mid-stream-error', stream: false, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 60000 } }));
    assert.strictEqual(result.outcome, 'error');
    assert.deepStrictEqual(result.attempts.map((a) => a.status), [529, 529]);
    assert.strictEqual(result.error?.giveUpReason, 'attempts-exhausted');
  });

  it('a new run of a fault scenario sees the faults again (a fault counter per run)', async () => {
    const d = draft({ scenario: 'server-error' });
    const first = await run(session, d, undefined, 21);
    const second = await run(session, d, undefined, 22);
    assert.deepStrictEqual(first.result.attempts.map((a) => a.status), [500, 200]);
    assert.deepStrictEqual(second.result.attempts.map((a) => a.status), [500, 200]);
  });

  it('the retry budget stops a retry-after wait that would overrun it', async () => {
    const { result } = await run(session, draft({ scenario: 'rate-limited', scenarioOptionsJson: '{"retryAfter": 30}', retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 1000 } }));
    assert.strictEqual(result.outcome, 'error');
    assert.strictEqual(result.attempts.length, 1);
    assert.strictEqual(result.error?.giveUpReason, 'budget-exceeded');
  });

  it('a bad scenario or draft fails before any request, with a clear message', async () => {
    const bad = await run(session, draft({ scenario: 'no-such-scenario' }));
    assert.strictEqual(bad.result.outcome, 'error');
    assert.match(bad.result.error?.message ?? '', /Unknown scenario "no-such-scenario"/);
    const badOpt = await run(session, draft({ scenario: 'ok', scenarioOptionsJson: '{"failures": 1}' }));
    assert.match(badOpt.result.error?.message ?? '', /Unknown option "failures"/);
    const badJson = await run(session, draft({ messagesJson: '[{"role": "user", "content": "hi"' }));
    assert.match(badJson.result.error?.message ?? '', /Invalid JSON/);
    assert.strictEqual(server.stats.total, 0);
  });

  it('the Anthropic endpoint without a key fails before any request', async () => {
    const { result } = await run(session, draft({ endpoint: 'anthropic' }));
    assert.strictEqual(result.outcome, 'error');
    assert.match(result.error?.message ?? '', /No API key/);
    assert.strictEqual(result.attempts.length, 0);
  });
});

describe('playground session (custom endpoint)', () => {
  let server: SimulatedServer;
  before(async () => {
    server = await startSimulatedServer({ scenario: 'server-error' });
  });
  after(() => server.close());

  it('sends to a custom base URL with the given key and the SDK retries off', async () => {
    const session = new PlaygroundSession();
    const seenKeys: string[] = [];
    const http = await import('http');
    // a tiny gateway in front of the simulated server that records the key it receives
    const gateway = http.createServer((req, res) => {
      // SDK 1.x sends the key as a bearer token; 0.x as x-api-key
      seenKeys.push(String(req.headers['x-api-key'] ?? req.headers.authorization).replace(/^Bearer /, ''));
      const upstream = http.request(`${server.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (gateway.address() as { port: number }).port;
      const d = draft({ endpoint: 'custom', baseURL: `http://127.0.0.1:${port}/`, stream: false });
      const result = await session.run(d, { runId: 1, apiKey: 'sk-ant-api03-custom-endpoint-key' });
      assert.strictEqual(result.outcome, 'success', JSON.stringify(result.error));
      assert.deepStrictEqual(result.attempts.map((a) => a.status), [500, 200]);
      assert.deepStrictEqual(seenKeys, ['sk-ant-api03-custom-endpoint-key', 'sk-ant-api03-custom-endpoint-key']);
      assert.ok(result.endpointLabel.startsWith('Custom ('));
    } finally {
      gateway.close();
      await session.dispose();
    }
  });

  it('sends to a custom base URL without a key (a keyless gateway): no key header at all', async () => {
    const session = new PlaygroundSession();
    const keyless = await startSimulatedServer({ requireApiKey: false });
    const keyed = await startSimulatedServer({ requireApiKey: true });
    try {
      const ok = await session.run(draft({ endpoint: 'custom', baseURL: keyless.url, stream: false }), { runId: 1 });
      assert.strictEqual(ok.outcome, 'success', JSON.stringify(ok.error));
      // the same send to a server that wants a key is refused: proof that none was sent
      const refused = await session.run(draft({ endpoint: 'custom', baseURL: keyed.url, stream: false }), { runId: 2 });
      assert.strictEqual(refused.outcome, 'error');
      assert.deepStrictEqual(refused.attempts.map((a) => a.status), [401]);
    } finally {
      await Promise.all([keyless.close(), keyed.close(), session.dispose()]);
    }
  });
});
