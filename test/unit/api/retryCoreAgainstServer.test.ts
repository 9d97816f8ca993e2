// The retry core driving the real SDK (maxRetries: 0) against the simulated Messages API, one scenario
// at a time: what is retried, how long it waits, and how many requests reach the server.
import * as assert from 'assert';
import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { GiveUpEvent, RetryEvent, RetryOptions, withRetry, withStreamRetry } from '../../../src/core/retry/claudeRetry';
import { ScenarioOptions, SimulatedServer, startSimulatedServer } from '../../../src/core/api/simulatedServer';

const params = { model: 'claude-sonnet-5', max_tokens: 128, messages: [{ role: 'user' as const, content: 'Retry me' }] };

describe('retry core against the simulated API', () => {
  let server: SimulatedServer;
  let client: Anthropic;
  let retries: RetryEvent[];
  let gaveUp: GiveUpEvent[];
  let waits: number[];

  /** Options that record every retry and wait, and wait for real only `realWaitMs` at most. */
  function recording(extra: RetryOptions = {}, realWaitMs = 0): RetryOptions {
    return {
      onRetry: (e) => retries.push(e),
      onGiveUp: (e) => gaveUp.push(e),
      sleep: async (ms) => {
        waits.push(ms);
        if (realWaitMs > 0) await new Promise((r) => setTimeout(r, Math.min(ms, realWaitMs)));
      },
      ...extra,
    };
  }

  async function use(scenario: string, options: ScenarioOptions = {}, timeScale = 1) {
    await server?.close();
    server = await startSimulatedServer({ scenario, scenarioOptions: options, timeScale });
    client = new Anthropic({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
  }

  beforeEach(() => {
    retries = [];
    gaveUp = [];
    waits = [];
  });
  afterEach(async () => {
    await server?.close();
  });

  it('429: honours retry-after in full; the recorded wait equals the header value', async () => {
    await use('rate-limited', { failures: 2, retryAfter: 3 });
    const headers: (string | null)[] = [];
    const msg = await withRetry(() => client.messages.create(params), {
      ...recording(),
      onRetry: (e) => {
        retries.push(e);
        headers.push((e.error as RateLimitError).headers.get('retry-after'));
        assert.ok(e.error instanceof RateLimitError);
      },
    });
    assert.strictEqual(msg.type, 'message');
    assert.deepStrictEqual(headers, ['3', '3']);
    assert.deepStrictEqual(waits, [3000, 3000]);
    assert.deepStrictEqual(
      retries.map((r) => [r.status, r.reason, r.delayMs]),
      [
        [429, 'retry-after', 3000],
        [429, 'retry-after', 3000],
      ],
    );
    assert.strictEqual(retries[0].requestId, server.stats.requests[0].requestId);
    assert.deepStrictEqual(server.stats.byStatus, { 429: 2, 200: 1 });
  });

  it('429: a scaled, fractional retry-after is honoured with real waits', async () => {
    await use('rate-limited', { failures: 1, retryAfter: 2 }, 0.01);
    const t0 = Date.now();
    await withRetry(() => client.messages.create(params), { onRetry: (e) => retries.push(e) });
    assert.strictEqual(retries.length, 1);
    assert.strictEqual((retries[0].error as RateLimitError).headers.get('retry-after'), '0.02');
    assert.strictEqual(retries[0].delayMs, 20);
    assert.ok(Date.now() - t0 >= 20);
    assert.strictEqual(server.stats.total, 2);
  });

  it('529 burst: recovered with jittered backoff', async () => {
    await use('overloaded-burst', { failures: 2 });
    const msg = await withRetry(() => client.messages.create(params), recording({ baseDelayMs: 100, random: () => 0.5 }));
    assert.strictEqual(msg.stop_reason, 'end_turn');
    assert.deepStrictEqual(waits, [50, 100]);
    assert.deepStrictEqual(
      retries.map((r) => [r.status, r.errorType, r.reason]),
      [
        [529, 'overloaded_error', 'backoff'],
        [529, 'overloaded_error', 'backoff'],
      ],
    );
    assert.deepStrictEqual(server.stats.requests.map((r) => r.status), [529, 529, 200]);
  });

  it('529 burst longer than maxAttempts: gives up with the last OverloadedError', async () => {
    await use('overloaded-burst', { failures: 10 });
    await assert.rejects(
      withRetry(() => client.messages.create(params), recording({ maxAttempts: 4 })),
      (e: unknown) => e instanceof OverloadedError,
    );
    assert.strictEqual(server.stats.total, 4);
    assert.strictEqual(gaveUp[0].reason, 'attempts-exhausted');
    assert.strictEqual(gaveUp[0].attempts, 4);
  });

  it('529 storm: concurrent calls all get through as the window frees up', async () => {
    await use('overloaded-storm', { capacity: 3, windowMs: 1000 });
    const calls = Array.from({ length: 6 }, () =>
      withRetry(() => client.messages.create(params), { baseDelayMs: 200, maxDelayMs: 1000, maxAttempts: 30, onRetry: (e) => retries.push(e) }),
    );
    const results = await Promise.all(calls);
    assert.strictEqual(results.length, 6);
    assert.strictEqual(server.stats.byStatus[200], 6);
    assert.ok(server.stats.byStatus[529] >= 3, JSON.stringify(server.stats.byStatus));
    assert.strictEqual(retries.length, server.stats.byStatus[529]);
    for (const r of retries) assert.strictEqual(r.status, 529);
  });

  it('500: retried once then ok; always failing ends after maxAttempts', async () => {
    await use('server-error', { failures: 1 });
    await withRetry(() => client.messages.create(params), recording());
    assert.deepStrictEqual(server.stats.requests.map((r) => r.status), [500, 200]);

    await use('server-error', { failures: 'always' });
    gaveUp = [];
    await assert.rejects(withRetry(() => client.messages.create(params), recording({ maxAttempts: 3 })), (e: unknown) => e instanceof InternalServerError);
    assert.strictEqual(server.stats.total, 3);
    assert.strictEqual(gaveUp[0].classification?.status, 500);
  });

  it('spend limit: not retried, exactly one request, the SDK error comes back unchanged', async () => {
    await use('spend-limit');
    let attempts = 0;
    const err = await withRetry(() => {
      attempts++;
      return client.messages.create(params);
    }, recording()).then(
      () => assert.fail('expected the spend limit error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RateLimitError);
    assert.strictEqual(err.errorCode, 'enforced_spend_limit_reached');
    assert.strictEqual(attempts, 1);
    assert.strictEqual(server.stats.total, 1);
    assert.strictEqual(retries.length, 0);
    assert.strictEqual(gaveUp[0].reason, 'final-error');
    assert.strictEqual(gaveUp[0].classification?.reason, 'spend-limit');
  });

  it('connection reset: retried as a connection error, then ok', async () => {
    await use('connection-reset', { failures: 2 });
    const msg = await withRetry(() => client.messages.create(params), recording());
    assert.strictEqual(msg.type, 'message');
    assert.strictEqual(retries.length, 2);
    for (const r of retries) {
      assert.ok(r.error instanceof APIConnectionError);
      assert.strictEqual(r.classification.reason, 'connection-error');
    }
    assert.deepStrictEqual(server.stats.requests.map((r) => r.outcome), ['reset', 'reset', 'ok']);
  });

  it('mid-stream error after the first event: not retried, surfaces to the loop after the text so far', async () => {
    await use('mid-stream-error', { deltasBeforeError: 2 });
    const seen: string[] = [];
    let text = '';
    const stream = withStreamRetry(() => client.messages.create({ ...params, stream: true }), recording());
    const err = await (async () => {
      for await (const ev of stream) {
        seen.push(ev.type);
        if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
      }
    })().then(
      () => assert.fail('expected the stream to fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof APIError);
    assert.strictEqual(err.status, undefined);
    assert.strictEqual(err.type, 'overloaded_error');
    assert.deepStrictEqual(seen, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta']);
    assert.strictEqual(text, 'Simulated reply to: "Retry');
    assert.strictEqual(retries.length, 0);
    assert.strictEqual(server.stats.total, 1);
  });

  it('a stream refused before its first event (529) is retried', async () => {
    await use('overloaded-burst', { failures: 1 });
    const types: string[] = [];
    for await (const ev of withStreamRetry(() => client.messages.create({ ...params, stream: true }), recording())) types.push(ev.type);
    assert.strictEqual(types[0], 'message_start');
    assert.strictEqual(types.at(-1), 'message_stop');
    assert.strictEqual(retries.length, 1);
    assert.deepStrictEqual(server.stats.requests.map((r) => r.status), [529, 200]);
  });

  it('slow: a slow answer within the timeout needs no retry', async () => {
    await use('slow', { delayMs: 100, deltaDelayMs: 5 });
    const msg = await withRetry(() => client.messages.create(params), recording());
    assert.strictEqual(msg.type, 'message');
    assert.strictEqual(retries.length, 0);
    assert.strictEqual(server.stats.total, 1);
  });

  it('slow: an SDK timeout is retried as a timeout, and the timeout error is what comes back', async () => {
    await use('slow', { delayMs: 60_000 });
    const impatient = new Anthropic({ apiKey: 'test', baseURL: server.url, maxRetries: 0, timeout: 100 });
    let attempts = 0;
    await assert.rejects(
      withRetry(() => {
        attempts++;
        return impatient.messages.create(params);
      }, recording({ maxAttempts: 2 })),
      (e: unknown) => e instanceof APIConnectionTimeoutError,
    );
    assert.strictEqual(attempts, 2);
    assert.strictEqual(retries[0].classification.reason, 'timeout');
    assert.strictEqual(gaveUp[0].reason, 'attempts-exhausted');
  });
});
