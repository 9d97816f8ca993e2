import * as assert from 'assert';
import Anthropic, {
  APIConnectionError,
  APIError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import {
  COMMON_SCENARIO_OPTIONS,
  SCENARIOS,
  SCENARIO_NAMES,
  ScenarioError,
  SimulatedServer,
  scenarioDefaults,
  startSimulatedServer,
  validateScenario,
} from '../../../src/core/api/simulatedServer';

const BODY = { model: 'claude-sonnet-5', max_tokens: 256, messages: [{ role: 'user', content: 'What is the capital of France?' }] };

interface Post {
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  method?: string;
  path?: string;
}

async function post(server: SimulatedServer, p: Post = {}) {
  const method = p.method ?? 'POST';
  const res = await fetch(server.url + (p.path ?? '/v1/messages'), {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': 'test', ...(p.headers ?? {}) },
    body: method === 'GET' ? undefined : p.raw ?? JSON.stringify(p.body ?? BODY),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { res, text, json };
}

/** Splits an SSE body into frames, checking each is exactly `event: X\ndata: {json}`. */
function sseFrames(text: string): { event: string; data: any }[] {
  assert.ok(text.endsWith('\n\n'), 'an SSE body ends with a blank line');
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      const m = /^event: ([a-z_]+)\ndata: (.*)$/.exec(frame);
      assert.ok(m, `frame in wire format: ${JSON.stringify(frame)}`);
      return { event: m[1], data: JSON.parse(m[2]) };
    });
}

function sdk(server: SimulatedServer, maxRetries = 0) {
  return new Anthropic({ apiKey: 'test', baseURL: server.url, maxRetries });
}

async function sdkError(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the request to fail');
}

describe('simulated Messages API server', () => {
  let server: SimulatedServer;

  beforeEach(async () => {
    server = await startSimulatedServer();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('successful answers over plain HTTP', () => {
    it('listens on 127.0.0.1 with a free port and a usable url', () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
      assert.strictEqual(server.url, `http://127.0.0.1:${server.port}`);
    });

    it('answers a JSON message with the real body shape and headers', async () => {
      const { res, json } = await post(server);
      assert.strictEqual(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const requestId = res.headers.get('request-id') ?? '';
      assert.match(requestId, /^req_[A-Za-z0-9]{24}$/);
      assert.deepStrictEqual(Object.keys(json).sort(), ['content', 'id', 'model', 'role', 'stop_reason', 'stop_sequence', 'type', 'usage']);
      assert.match(json.id, /^msg_[A-Za-z0-9]+$/);
      assert.strictEqual(json.type, 'message');
      assert.strictEqual(json.role, 'assistant');
      assert.strictEqual(json.model, 'claude-sonnet-5');
      assert.strictEqual(json.stop_reason, 'end_turn');
      assert.strictEqual(json.stop_sequence, null);
      assert.strictEqual(json.content.length, 1);
      assert.strictEqual(json.content[0].type, 'text');
      assert.ok(json.content[0].text.includes('What is the capital of France?'), json.content[0].text);
      assert.strictEqual(json.usage.output_tokens, 12);
      assert.ok(json.usage.input_tokens > 0);
    });

    it('sends every anthropic-ratelimit header, with RFC 3339 reset times', async () => {
      const { res } = await post(server);
      for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
        const limit = Number(res.headers.get(`anthropic-ratelimit-${kind}-limit`));
        const remaining = Number(res.headers.get(`anthropic-ratelimit-${kind}-remaining`));
        const reset = res.headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '';
        assert.ok(limit > 0 && remaining > 0 && remaining <= limit, `${kind}: ${limit}/${remaining}`);
        assert.match(reset, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.ok(Date.parse(reset) > Date.now() - 1000);
      }
    });

    it('is deterministic and mentions the last user message', async () => {
      const body = {
        ...BODY,
        messages: [
          { role: 'user', content: 'first question' },
          { role: 'assistant', content: 'an answer' },
          { role: 'user', content: [{ type: 'text', text: 'second question' }] },
        ],
      };
      const a = await post(server, { body });
      const b = await post(server, { body });
      assert.strictEqual(a.json.content[0].text, b.json.content[0].text);
      assert.ok(a.json.content[0].text.includes('"second question"'));
      assert.ok(!a.json.content[0].text.includes('first question'));
      assert.notStrictEqual(a.json.id, b.json.id);
    });

    it('controls the reply length with replyWords and cuts it at max_tokens', async () => {
      const long = await post(server, { headers: { 'x-simulate-options': '{"replyWords": 40}' } });
      assert.strictEqual(long.json.content[0].text.split(' ').length, 40);
      assert.strictEqual(long.json.usage.output_tokens, 40);
      const cut = await post(server, { body: { ...BODY, max_tokens: 5 } });
      assert.strictEqual(cut.json.content[0].text.split(' ').length, 5);
      assert.strictEqual(cut.json.stop_reason, 'max_tokens');
      assert.strictEqual(cut.json.usage.output_tokens, 5);
    });

    it('streams SSE frames in the wire format and event order of the API', async () => {
      const { res, text } = await post(server, { body: { ...BODY, stream: true } });
      assert.strictEqual(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.match(res.headers.get('request-id') ?? '', /^req_/);
      const frames = sseFrames(text);
      for (const f of frames) assert.strictEqual(f.data.type, f.event);
      assert.deepStrictEqual(
        frames.map((f) => f.event),
        [
          'message_start',
          'content_block_start',
          'ping',
          ...Array(6).fill('content_block_delta'),
          'content_block_stop',
          'message_delta',
          'message_stop',
        ],
      );
      const start = frames[0].data.message;
      assert.strictEqual(start.role, 'assistant');
      assert.deepStrictEqual(start.content, []);
      assert.strictEqual(start.stop_reason, null);
      assert.deepStrictEqual(frames[1].data, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      const deltas = frames.filter((f) => f.event === 'content_block_delta');
      for (const d of deltas) assert.strictEqual(d.data.delta.type, 'text_delta');
      const streamed = deltas.map((d) => d.data.delta.text).join('');
      const plain = await post(server);
      assert.strictEqual(streamed, plain.json.content[0].text);
      const delta = frames.find((f) => f.event === 'message_delta')!.data;
      assert.deepStrictEqual(delta.delta, { stop_reason: 'end_turn', stop_sequence: null });
      assert.strictEqual(delta.usage.output_tokens, 12);
    });

    it('accepts Authorization: Bearer as well as x-api-key', async () => {
      const res = await fetch(server.url + '/v1/messages', {
        method: 'POST',
        headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
        body: JSON.stringify(BODY),
      });
      assert.strictEqual(res.status, 200);
      await res.text();
    });
  });

  describe('refusals', () => {
    async function expectError(p: Post, status: number, type: string, messagePart: RegExp) {
      const { res, json } = await post(server, p);
      assert.strictEqual(res.status, status);
      assert.strictEqual(json.type, 'error');
      assert.strictEqual(json.error.type, type);
      assert.match(json.error.message, messagePart);
      assert.strictEqual(json.request_id, res.headers.get('request-id'));
      assert.match(json.request_id, /^req_/);
    }

    it('401 authentication_error without an API key', async () => {
      const res = await fetch(server.url + '/v1/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(BODY),
      });
      const json: any = await res.json();
      assert.strictEqual(res.status, 401);
      assert.strictEqual(json.error.type, 'authentication_error');
      assert.match(json.error.message, /x-api-key/);
    });

    it('400 invalid_request_error for a missing max_tokens, model or messages, empty messages and bad JSON', async () => {
      const { max_tokens: _m, ...noMax } = BODY;
      const { model: _model, ...noModel } = BODY;
      const { messages: _msgs, ...noMessages } = BODY;
      await expectError({ body: noMax }, 400, 'invalid_request_error', /max_tokens: Field required/);
      await expectError({ body: noModel }, 400, 'invalid_request_error', /model: Field required/);
      await expectError({ body: noMessages }, 400, 'invalid_request_error', /messages: Field required/);
      await expectError({ body: { ...BODY, messages: [] } }, 400, 'invalid_request_error', /at least one message/);
      await expectError({ raw: '{"model": "m", ' }, 400, 'invalid_request_error', /parsing the body/);
      await expectError({ body: { ...BODY, max_tokens: -1 } }, 400, 'invalid_request_error', /max_tokens/);
      await expectError({ body: { ...BODY, messages: [{ role: 'robot', content: 'x' }] } }, 400, 'invalid_request_error', /role/);
    });

    it('404 for other paths and 405 for other methods', async () => {
      await expectError({ path: '/v1/complete' }, 404, 'not_found_error', /\/v1\/complete/);
      const { res, json } = await post(server, { method: 'GET' });
      assert.strictEqual(res.status, 405);
      assert.strictEqual(res.headers.get('allow'), 'POST');
      assert.strictEqual(json.error.type, 'invalid_request_error');
    });

    it('400 naming the valid scenarios for an unknown per-request scenario', async () => {
      await expectError({ headers: { 'x-simulate-scenario': 'meltdown' } }, 400, 'invalid_request_error', /Unknown scenario "meltdown".*ok, rate-limited, overloaded-burst/);
    });

    it('400 for per-request options that are not JSON or not valid for the scenario', async () => {
      await expectError({ headers: { 'x-simulate-scenario': 'rate-limited', 'x-simulate-options': '{nope' } }, 400, 'invalid_request_error', /not valid JSON/);
      await expectError(
        { headers: { 'x-simulate-scenario': 'rate-limited', 'x-simulate-options': '{"capacity": 3}' } },
        400,
        'invalid_request_error',
        /Unknown option "capacity".*failures, retryAfter/,
      );
      await expectError(
        { headers: { 'x-simulate-scenario': 'rate-limited', 'x-simulate-options': '{"failures": -2}' } },
        400,
        'invalid_request_error',
        /non-negative integer or "always"/,
      );
    });
  });

  describe('scenario selection and validation', () => {
    it('lists every scenario once, with a description and valid defaults', () => {
      assert.deepStrictEqual(SCENARIO_NAMES, [
        'ok',
        'rate-limited',
        'overloaded-burst',
        'overloaded-storm',
        'server-error',
        'mid-stream-error',
        'spend-limit',
        'connection-reset',
        'slow',
      ]);
      for (const s of SCENARIOS) {
        assert.ok(s.description.length > 10 && !s.description.includes('\n'), s.name);
        const defaults = scenarioDefaults(s.name);
        assert.deepStrictEqual(validateScenario(s.name).options, defaults);
        for (const o of [...s.options, ...COMMON_SCENARIO_OPTIONS]) assert.ok(o.description, `${s.name}.${o.name}`);
      }
      assert.deepStrictEqual(scenarioDefaults('overloaded-burst'), { failures: 2, replyWords: 12, wordsPerDelta: 2 });
    });

    it('startSimulatedServer rejects an unknown scenario with the list of valid names', async () => {
      await assert.rejects(startSimulatedServer({ scenario: 'flood' }), (e: Error) => {
        assert.ok(e instanceof ScenarioError);
        assert.match(e.message, /Unknown scenario "flood"\. Valid scenarios: ok, rate-limited, .*slow\./);
        return true;
      });
    });

    it('rejects bad options and a bad timeScale when starting', async () => {
      await assert.rejects(startSimulatedServer({ scenario: 'overloaded-storm', scenarioOptions: { capacity: 0 } }), /capacity.*integer >= 1/);
      await assert.rejects(startSimulatedServer({ scenario: 'slow', scenarioOptions: { delayMs: 'long' } }), /delayMs.*number/);
      await assert.rejects(startSimulatedServer({ scenario: 'mid-stream-error', scenarioOptions: { errorType: 'oops' } }), /one of overloaded_error/);
      await assert.rejects(startSimulatedServer({ timeScale: -1 }), /timeScale/);
    });

    it('setScenario throws on bad input and keeps the previous scenario', async () => {
      server.setScenario('overloaded-burst', { failures: 1 });
      assert.throws(() => server.setScenario('nope'), /Valid scenarios: ok, rate-limited/);
      assert.throws(() => server.setScenario('slow', { delay: 5 }), /Unknown option "delay".*delayMs, deltaDelayMs/);
      assert.strictEqual(server.scenario.name, 'overloaded-burst');
      assert.strictEqual((await post(server)).res.status, 529);
    });

    it('a per-request scenario header overrides the server scenario', async () => {
      server.setScenario('server-error', { failures: 'always' });
      assert.strictEqual((await post(server)).res.status, 500);
      assert.strictEqual((await post(server, { headers: { 'x-simulate-scenario': 'ok' } })).res.status, 200);
      const limited = await post(server, { headers: { 'x-simulate-scenario': 'rate-limited', 'x-simulate-options': '{"retryAfter": 7}' } });
      assert.strictEqual(limited.res.status, 429);
      assert.strictEqual(limited.res.headers.get('retry-after'), '7');
    });

    it('per-request options alone refine the server scenario', async () => {
      server.setScenario('overloaded-burst', { failures: 1, key: 'a' });
      const r = await post(server, { headers: { 'x-simulate-options': '{"retryAfterMs": 25}' } });
      assert.strictEqual(r.res.status, 529);
      assert.strictEqual(r.res.headers.get('retry-after-ms'), '25');
      assert.strictEqual(server.stats.requests[0].scenario, 'overloaded-burst');
    });
  });

  describe('fault scenarios over plain HTTP', () => {
    it('rate-limited: 429 with retry-after for the first N requests, then ok', async () => {
      server.setScenario('rate-limited', { failures: 2, retryAfter: 3 });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { res, json } = await post(server);
        statuses.push(res.status);
        if (res.status === 429) {
          assert.strictEqual(res.headers.get('retry-after'), '3');
          assert.strictEqual(res.headers.get('retry-after-ms'), null);
          assert.strictEqual(res.headers.get('anthropic-ratelimit-requests-remaining'), '0');
          assert.strictEqual(json.error.type, 'rate_limit_error');
        }
      }
      assert.deepStrictEqual(statuses, [429, 429, 200]);
    });

    it('timeScale multiplies retry-after values', async () => {
      const scaled = await startSimulatedServer({ scenario: 'rate-limited', scenarioOptions: { retryAfter: 2, retryAfterMs: 2000 }, timeScale: 0.25 });
      try {
        const { res } = await post(scaled);
        assert.strictEqual(res.status, 429);
        assert.strictEqual(res.headers.get('retry-after'), '0.5');
        assert.strictEqual(res.headers.get('retry-after-ms'), '500');
      } finally {
        await scaled.close();
      }
    });

    it('overloaded-burst: 529 N times per scenario key; setScenario and key restart the sequence', async () => {
      server.setScenario('overloaded-burst');
      const seq = async (n: number, headers: Record<string, string> = {}) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await post(server, { headers })).res.status);
        return out;
      };
      assert.deepStrictEqual(await seq(4), [529, 529, 200, 200]);
      const first = await post(server, { headers: { 'x-simulate-scenario': 'overloaded-burst', 'x-simulate-options': '{"key": "client-b"}' } });
      assert.strictEqual(first.res.status, 529, 'another key has its own counter');
      assert.strictEqual(first.json.error.type, 'overloaded_error');
      assert.strictEqual(first.json.error.message, 'Overloaded');
      server.setScenario('overloaded-burst', { failures: 1 });
      assert.deepStrictEqual(await seq(2), [529, 200]);
      server.reset();
      assert.deepStrictEqual(await seq(2), [529, 200]);
    });

    it('overloaded-storm: refuses what exceeds the capacity of the window', async () => {
      server.setScenario('overloaded-storm', { capacity: 2, windowMs: 60_000 });
      const results = await Promise.all(Array.from({ length: 5 }, () => post(server)));
      const statuses = results.map((r) => r.res.status).sort();
      assert.deepStrictEqual(statuses, [200, 200, 529, 529, 529]);
    });

    it('overloaded-storm: the window slides, so capacity returns', async () => {
      server.setScenario('overloaded-storm', { capacity: 1, windowMs: 50 });
      assert.strictEqual((await post(server)).res.status, 200);
      await new Promise((r) => setTimeout(r, 80));
      assert.strictEqual((await post(server)).res.status, 200);
    });

    it('server-error: 500 api_error N times or always', async () => {
      server.setScenario('server-error');
      assert.strictEqual((await post(server)).json.error.type, 'api_error');
      assert.strictEqual((await post(server)).res.status, 200);
      server.setScenario('server-error', { failures: 'always' });
      for (let i = 0; i < 3; i++) assert.strictEqual((await post(server)).res.status, 500);
    });

    it('spend-limit: 429 with error_code in error.details and no retry-after', async () => {
      server.setScenario('spend-limit');
      const { res, json } = await post(server);
      assert.strictEqual(res.status, 429);
      assert.strictEqual(res.headers.get('retry-after'), null);
      assert.strictEqual(res.headers.get('retry-after-ms'), null);
      assert.strictEqual(json.error.type, 'rate_limit_error');
      assert.deepStrictEqual(json.error.details, { error_code: 'enforced_spend_limit_reached' });
    });

    it('mid-stream-error: 200, some deltas, then an error event; non-streaming requests get 529', async () => {
      server.setScenario('mid-stream-error', { deltasBeforeError: 3 });
      const { res, text } = await post(server, { body: { ...BODY, stream: true } });
      assert.strictEqual(res.status, 200);
      const frames = sseFrames(text);
      assert.deepStrictEqual(
        frames.map((f) => f.event),
        ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'error'],
      );
      assert.deepStrictEqual(frames[6].data, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      assert.strictEqual((await post(server)).res.status, 529);
      server.setScenario('mid-stream-error', { nonStream: 'ok' });
      assert.strictEqual((await post(server)).res.status, 200);
    });

    it('connection-reset: no response N times, then ok', async () => {
      server.setScenario('connection-reset', { failures: 1 });
      await assert.rejects(post(server), (e: Error) => e instanceof TypeError);
      assert.strictEqual((await post(server)).res.status, 200);
      assert.strictEqual(server.stats.byStatus[0], 1);
      assert.strictEqual(server.stats.requests[0].outcome, 'reset');
    });

    it('slow: waits delayMs (scaled) before answering and between stream events', async () => {
      server.setScenario('slow', { delayMs: 120, deltaDelayMs: 10 });
      const t0 = Date.now();
      const { res, text } = await post(server, { body: { ...BODY, stream: true } });
      const elapsed = Date.now() - t0;
      assert.strictEqual(res.status, 200);
      // 120 ms before the headers, then 12 events each followed by 10 ms
      assert.ok(elapsed >= 120 + 12 * 10 - 5, `elapsed ${elapsed} ms`);
      assert.strictEqual(sseFrames(text).at(-1)!.event, 'message_stop');
    });

    it('records every request in stats, and reset() clears them', async () => {
      server.setScenario('overloaded-burst', { failures: 1 });
      await post(server);
      await post(server);
      await post(server, { path: '/nowhere' });
      assert.strictEqual(server.stats.total, 3);
      assert.deepStrictEqual(server.stats.byStatus, { 200: 1, 404: 1, 529: 1 });
      const [a, b, c] = server.stats.requests;
      assert.strictEqual(a.scenario, 'overloaded-burst');
      assert.strictEqual(a.status, 529);
      assert.strictEqual(b.status, 200);
      assert.strictEqual(c.scenario, '-');
      assert.match(a.requestId, /^req_/);
      assert.ok(a.time <= b.time && b.time <= Date.now());
      server.reset();
      assert.strictEqual(server.stats.total, 0);
      assert.deepStrictEqual(server.stats.byStatus, {});
      assert.strictEqual(server.stats.requests.length, 0);
    });

    it('close() ends pending slow answers and stops listening', async () => {
      server.setScenario('slow', { delayMs: 60_000 });
      const pending = post(server);
      await new Promise((r) => setTimeout(r, 50));
      await server.close();
      await assert.rejects(pending);
      await assert.rejects(fetch(server.url + '/v1/messages', { method: 'POST' }));
    });
  });

  describe('through the real SDK', () => {
    const params = { model: 'claude-sonnet-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hello' }] };

    it('messages.create returns a typed Message with its request id', async () => {
      const msg = await sdk(server).messages.create(params);
      assert.strictEqual(msg.type, 'message');
      assert.strictEqual(msg.stop_reason, 'end_turn');
      const block = msg.content[0];
      assert.ok(block.type === 'text' && block.text.includes('Say hello'));
      assert.strictEqual(msg._request_id, server.stats.requests[0].requestId);
    });

    it('messages.stream emits text events and a finalMessage equal to the non-streamed answer', async () => {
      server.setScenario('ok', { replyWords: 20, wordsPerDelta: 3 });
      const texts: string[] = [];
      const stream = sdk(server).messages.stream(params);
      stream.on('text', (t) => texts.push(t));
      const final = await stream.finalMessage();
      assert.strictEqual(texts.length, 7);
      const plain = await sdk(server).messages.create(params);
      const block = final.content[0];
      assert.ok(block.type === 'text');
      assert.strictEqual(block.text, texts.join(''));
      assert.deepStrictEqual(final.content, plain.content);
      assert.strictEqual(final.stop_reason, 'end_turn');
      assert.strictEqual(final.usage.output_tokens, 20);
    });

    it('create({stream: true}) iterates the raw events', async () => {
      const stream = await sdk(server).messages.create({ ...params, stream: true });
      const types: string[] = [];
      let text = '';
      for await (const ev of stream) {
        types.push(ev.type);
        if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
      }
      assert.deepStrictEqual(types, [
        'message_start',
        'content_block_start',
        ...Array(6).fill('content_block_delta'),
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      assert.ok(text.startsWith('Simulated reply to: "Say hello".'));
    });

    it('rate-limited gives RateLimitError with status, type, request id and retry-after', async () => {
      server.setScenario('rate-limited', { retryAfter: 2 });
      const e = await sdkError(sdk(server).messages.create(params));
      assert.ok(e instanceof RateLimitError);
      assert.strictEqual(e.status, 429);
      assert.strictEqual(e.type, 'rate_limit_error');
      assert.strictEqual(e.errorCode, null);
      assert.strictEqual(e.requestID, server.stats.requests[0].requestId);
      assert.strictEqual(e.headers.get('retry-after'), '2');
    });

    it('overloaded-burst and overloaded-storm give OverloadedError 529', async () => {
      server.setScenario('overloaded-burst');
      const e = await sdkError(sdk(server).messages.create(params));
      assert.ok(e instanceof OverloadedError);
      assert.strictEqual(e.status, 529);
      assert.strictEqual(e.type, 'overloaded_error');
      assert.match(String(e.requestID), /^req_/);
      server.setScenario('overloaded-storm', { capacity: 1, windowMs: 60_000 });
      await sdk(server).messages.create(params);
      const storm = await sdkError(sdk(server).messages.create(params));
      assert.ok(storm instanceof OverloadedError);
    });

    it('server-error gives InternalServerError 500 api_error', async () => {
      server.setScenario('server-error');
      const e = await sdkError(sdk(server).messages.create(params));
      assert.ok(e instanceof InternalServerError);
      assert.strictEqual(e.status, 500);
      assert.strictEqual(e.type, 'api_error');
      assert.match(String(e.requestID), /^req_/);
    });

    it('spend-limit gives a RateLimitError whose errorCode is enforced_spend_limit_reached', async () => {
      server.setScenario('spend-limit');
      const e = await sdkError(sdk(server).messages.create(params));
      assert.ok(e instanceof RateLimitError);
      assert.strictEqual(e.constructor.name, 'EnforcedSpendLimitReachedError');
      assert.strictEqual(e.status, 429);
      assert.strictEqual(e.type, 'rate_limit_error');
      assert.strictEqual(e.errorCode, 'enforced_spend_limit_reached');
      assert.strictEqual(e.headers.get('retry-after'), null);
      assert.strictEqual(e.requestID, server.stats.requests[0].requestId);
    });

    it('connection-reset gives APIConnectionError', async () => {
      server.setScenario('connection-reset', { failures: 'always' });
      const e = await sdkError(sdk(server).messages.create(params));
      assert.ok(e instanceof APIConnectionError);
      assert.strictEqual(e.status, undefined);
    });

    it('mid-stream-error surfaces as APIError with status undefined after some text events', async () => {
      server.setScenario('mid-stream-error', { deltasBeforeError: 2 });
      const texts: string[] = [];
      const stream = sdk(server).messages.stream(params);
      stream.on('text', (t) => texts.push(t));
      const e = await sdkError(stream.finalMessage());
      assert.ok(e instanceof APIError);
      assert.ok(!(e instanceof APIConnectionError));
      assert.strictEqual(e.status, undefined);
      assert.strictEqual(e.type, 'overloaded_error');
      assert.match(String(e.requestID), /^req_/);
      assert.deepStrictEqual(texts, ['Simulated reply', ' to: "Say']);

      const raw = await sdk(server).messages.create({ ...params, stream: true });
      const seen: string[] = [];
      const e2 = await sdkError(
        (async () => {
          for await (const ev of raw) seen.push(ev.type);
        })(),
      );
      assert.strictEqual(e2.status, undefined);
      assert.strictEqual(e2.type, 'overloaded_error');
      assert.deepStrictEqual(seen, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta']);
    });

    it('mid-stream-error on a non-streaming request gives OverloadedError', async () => {
      server.setScenario('mid-stream-error');
      assert.ok((await sdkError(sdk(server).messages.create(params))) instanceof OverloadedError);
    });

    it('slow answers still parse', async () => {
      server.setScenario('slow', { delayMs: 30, deltaDelayMs: 1 });
      const msg = await sdk(server).messages.stream(params).finalMessage();
      assert.strictEqual(msg.stop_reason, 'end_turn');
    });

    it('the SDK default retries (maxRetries 2) recover from a 529 burst of 2', async () => {
      server.setScenario('overloaded-burst', { failures: 2, retryAfterMs: 1 });
      const msg = await sdk(server, 2).messages.create(params);
      assert.strictEqual(msg.type, 'message');
      assert.deepStrictEqual(
        server.stats.requests.map((r) => r.status),
        [529, 529, 200],
      );
    });

    it('the SDK default retries give up after 3 requests when the burst is longer', async () => {
      server.setScenario('overloaded-burst', { failures: 5, retryAfterMs: 1 });
      const e = await sdkError(sdk(server, 2).messages.create(params));
      assert.ok(e instanceof OverloadedError);
      assert.strictEqual(server.stats.total, 3);
    });
  });
});
