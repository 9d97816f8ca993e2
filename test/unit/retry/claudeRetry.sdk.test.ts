// The retry core against errors the real @anthropic-ai/sdk raises: a small scripted HTTP server on
// 127.0.0.1 answers each request with the next scripted response, and a real client (maxRetries: 0, so
// every request is visible here) calls it through withRetry / withStreamRetry.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import Anthropic, { APIConnectionError, APIError, BadRequestError, InternalServerError, RateLimitError } from '@anthropic-ai/sdk';
import { classifyError, GiveUpEvent, RetryEvent, RetryOptions, withRetry, withStreamRetry } from '../../../src/core/retry/claudeRetry';

type Step =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { destroy: true }
  | { sse: Array<{ event: string; data: unknown }> };

const MESSAGE = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-5',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 1 },
};

const errorBody = (type: string, message: string, extra: object = {}) => ({
  type: 'error',
  error: { type, message, ...extra },
  request_id: 'req_x',
});

const ok = (): Step => ({ status: 200, body: MESSAGE });
const fail = (status: number, type: string, headers: Record<string, string> = {}, extra: object = {}): Step => ({
  status,
  headers: { 'request-id': 'req_x', ...headers },
  body: errorBody(type, type, extra),
});

const STREAM_START = { event: 'message_start', data: { type: 'message_start', message: { ...MESSAGE, content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 0 } } } };
const STREAM_REST = [
  { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
  { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } } },
  { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } } },
  { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
  { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } } },
  { event: 'message_stop', data: { type: 'message_stop' } },
];
const MID_STREAM_OVERLOAD = { event: 'error', data: errorBody('overloaded_error', 'Overloaded') };

describe('claudeRetry through the real SDK', () => {
  let server: http.Server;
  let script: Step[] = [];
  let requests = 0;
  let client: Anthropic;

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        const step = script.shift() ?? { status: 500, body: errorBody('api_error', 'script exhausted') };
        if ('destroy' in step) {
          req.socket.destroy();
          return;
        }
        if ('sse' in step) {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_stream' });
          for (const e of step.sse) res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
          res.end();
          return;
        }
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
        res.end(JSON.stringify(step.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new Anthropic({ apiKey: 'test', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    script = [];
    requests = 0;
  });

  const request = () =>
    client.messages.create({ model: 'claude-sonnet-5', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] });

  /** Small real waits, so the tests stay quick without a fake clock. */
  function observe(extra: RetryOptions = {}) {
    const retries: RetryEvent[] = [];
    const giveUps: GiveUpEvent[] = [];
    const options: RetryOptions = {
      baseDelayMs: 5,
      maxDelayMs: 20,
      onRetry: (e) => retries.push(e),
      onGiveUp: (e) => giveUps.push(e),
      ...extra,
    };
    return { retries, giveUps, options };
  }

  it('529 then 200: retried once, the message is returned, the event names the request', async () => {
    script = [fail(529, 'overloaded_error'), ok()];
    const { retries, options } = observe();
    const message = await withRetry(() => request(), options);
    assert.strictEqual(message.id, 'msg_1');
    assert.strictEqual(requests, 2);
    assert.strictEqual(retries.length, 1);
    assert.strictEqual(retries[0].status, 529);
    assert.strictEqual(retries[0].errorType, 'overloaded_error');
    assert.strictEqual(retries[0].requestId, 'req_x');
    assert.strictEqual(retries[0].reason, 'backoff');
    assert.ok(retries[0].error instanceof InternalServerError);
  });

  it('429 with retry-after-ms: waits what the server said', async () => {
    script = [fail(429, 'rate_limit_error', { 'retry-after-ms': '10' }), ok()];
    const { retries, options } = observe();
    await withRetry(() => request(), options);
    assert.strictEqual(requests, 2);
    assert.strictEqual(retries[0].reason, 'retry-after');
    assert.strictEqual(retries[0].delayMs, 10);
    assert.ok(retries[0].error instanceof RateLimitError);
  });

  it('429 with retry-after in seconds beyond the budget: one request, the RateLimitError itself', async () => {
    script = [fail(429, 'rate_limit_error', { 'retry-after': '30' }), ok()];
    const { retries, giveUps, options } = observe({ maxElapsedMs: 1000 });
    await assert.rejects(withRetry(() => request(), options), (e: unknown) => e instanceof RateLimitError);
    assert.strictEqual(requests, 1);
    assert.strictEqual(retries.length, 0);
    assert.strictEqual(giveUps[0].reason, 'budget-exceeded');
    assert.strictEqual(giveUps[0].classification?.retryAfterMs, 30000);
  });

  it('400 is final: exactly one request, BadRequestError unchanged', async () => {
    script = [fail(400, 'invalid_request_error'), ok()];
    const { giveUps, options } = observe();
    await assert.rejects(withRetry(() => request(), options), (e: unknown) => e instanceof BadRequestError);
    assert.strictEqual(requests, 1);
    assert.strictEqual(giveUps[0].reason, 'final-error');
    assert.strictEqual(giveUps[0].classification?.errorType, 'invalid_request_error');
  });

  it('429 for the spend limit is final: exactly one request', async () => {
    script = [
      fail(429, 'rate_limit_error', {}, { details: { error_code: 'enforced_spend_limit_reached' } }),
      ok(),
    ];
    const { giveUps, options } = observe();
    let caught: unknown;
    await withRetry(() => request(), options).catch((e: unknown) => (caught = e));
    assert.ok(caught instanceof RateLimitError);
    assert.strictEqual(requests, 1);
    assert.strictEqual(classifyError(caught).reason, 'spend-limit');
    assert.strictEqual(giveUps[0].reason, 'final-error');
  });

  it('a connection dropped by the server is retried', async () => {
    script = [{ destroy: true }, ok()];
    const { retries, options } = observe();
    const message = await withRetry(() => request(), options);
    assert.strictEqual(message.id, 'msg_1');
    assert.strictEqual(requests, 2);
    assert.ok(retries[0].error instanceof APIConnectionError);
    assert.strictEqual(retries[0].classification.reason, 'connection-error');
    assert.strictEqual(retries[0].status, undefined);
  });

  it('x-should-retry: false on a 500 is final', async () => {
    script = [fail(500, 'api_error', { 'x-should-retry': 'false' }), ok()];
    const { giveUps, options } = observe();
    await assert.rejects(withRetry(() => request(), options), (e: unknown) => e instanceof InternalServerError);
    assert.strictEqual(requests, 1);
    assert.strictEqual(giveUps[0].classification?.reason, 'should-retry-header');
  });

  it('x-should-retry: true on a 400 is retried', async () => {
    script = [fail(400, 'invalid_request_error', { 'x-should-retry': 'true' }), ok()];
    await withRetry(() => request(), observe().options);
    assert.strictEqual(requests, 2);
  });

  describe('streams', () => {
    const body = { model: 'claude-sonnet-5', max_tokens: 16, messages: [{ role: 'user' as const, content: 'Hi' }] };
    const texts = (events: Array<{ type: string; delta?: unknown }>) =>
      events
        .filter((e) => e.type === 'content_block_delta')
        .map((e) => (e.delta as { text: string }).text)
        .join('');

    it('messages.create({ stream: true }): a 529 before the stream is retried, the text arrives once', async () => {
      script = [fail(529, 'overloaded_error'), { sse: [STREAM_START, ...STREAM_REST] }];
      const events: Array<{ type: string; delta?: unknown }> = [];
      for await (const e of withStreamRetry(() => client.messages.create({ ...body, stream: true }), observe().options)) {
        events.push(e);
      }
      assert.strictEqual(requests, 2);
      assert.strictEqual(events[0].type, 'message_start');
      assert.strictEqual(texts(events), 'Hello');
    });

    it('messages.stream(): an overloaded_error event before any other event is retried', async () => {
      script = [{ sse: [MID_STREAM_OVERLOAD] }, { sse: [STREAM_START, ...STREAM_REST] }];
      const { retries, options } = observe();
      let last: ReturnType<typeof client.messages.stream> | undefined;
      const events: Array<{ type: string; delta?: unknown }> = [];
      const stream = withStreamRetry(() => (last = client.messages.stream(body)), options);
      for await (const e of stream) events.push(e);
      assert.strictEqual(requests, 2);
      assert.strictEqual(texts(events), 'Hello');
      assert.strictEqual(retries[0].errorType, 'overloaded_error');
      assert.strictEqual(retries[0].status, undefined);
      const final = await last!.finalMessage();
      assert.strictEqual((final.content[0] as { text: string }).text, 'Hello');
    });

    it('an overloaded_error after the first event surfaces unchanged and is not retried', async () => {
      script = [{ sse: [STREAM_START, STREAM_REST[0], STREAM_REST[1], MID_STREAM_OVERLOAD] }, { sse: [STREAM_START, ...STREAM_REST] }];
      const events: Array<{ type: string; delta?: unknown }> = [];
      let caught: unknown;
      try {
        for await (const e of withStreamRetry(() => client.messages.create({ ...body, stream: true }), observe().options)) {
          events.push(e);
        }
      } catch (e) {
        caught = e;
      }
      assert.strictEqual(requests, 1, 'no second request');
      assert.strictEqual(texts(events), 'Hel', 'output delivered once, not repeated');
      assert.ok(caught instanceof APIError);
      assert.strictEqual(caught.status, undefined);
      assert.strictEqual(caught.type, 'overloaded_error');
      // the error itself is retryable: only the stream's position makes it final
      assert.strictEqual(classifyError(caught).retryable, true);
    });

    it('messages.stream(): an error after the first event surfaces unchanged and is not retried', async () => {
      script = [{ sse: [STREAM_START, MID_STREAM_OVERLOAD] }, { sse: [STREAM_START, ...STREAM_REST] }];
      const events: Array<{ type: string }> = [];
      await assert.rejects(
        (async () => {
          for await (const e of withStreamRetry(() => client.messages.stream(body), observe().options)) events.push(e);
        })(),
        (e: unknown) => e instanceof APIError && e.type === 'overloaded_error',
      );
      assert.strictEqual(requests, 1);
      assert.deepStrictEqual(events.map((e) => e.type), ['message_start']);
    });
  });
});
