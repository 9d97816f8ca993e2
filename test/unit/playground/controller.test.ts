// The playground host's message handling without VS Code: real sends to the simulated server (and to a
// custom endpoint with a key), with every outgoing message inspected.
import * as assert from 'assert';
import * as http from 'http';
import { startSimulatedServer, SCENARIO_NAMES, type SimulatedServer } from '../../../src/core/api/simulatedServer';
import { defaultDraft } from '../../../src/core/playground/draft';
import { PlaygroundSession } from '../../../src/core/playground/session';
import type { RequestDraft } from '../../../src/core/playground/types';
import { PlaygroundController, maskSecrets, modelIds, type ApiKey } from '../../../src/extension/playgroundController';
import { isRetiredOn } from '../../../src/core/api/modelLifecycle';
import type { HostToWebview } from '../../../src/extension/protocol';

const KEY = 'sk-ant-api03-THIS-IS-THE-SECRET-KEY-0123456789';

interface Harness {
  controller: PlaygroundController;
  posted: HostToWebview[];
  copied: string[];
  setKeyCalls: number;
  key: ApiKey | undefined;
}

function harness(key: ApiKey | undefined, session = new PlaygroundSession()): Harness {
  const h: Harness = { posted: [], copied: [], setKeyCalls: 0, key, controller: undefined as unknown as PlaygroundController };
  h.controller = new PlaygroundController(
    {
      post: (m) => h.posted.push(JSON.parse(JSON.stringify(m)) as HostToWebview),
      getApiKey: async () => h.key,
      copy: async (t) => {
        h.copied.push(t);
      },
      setApiKey: async () => {
        h.setKeyCalls++;
        h.key = { key: KEY, source: 'secret-storage' };
      },
      log: () => undefined,
    },
    session,
  );
  return h;
}

function draft(over: Partial<RequestDraft> = {}): RequestDraft {
  return { ...defaultDraft(), retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 30000 }, ...over };
}

const types = (posted: HostToWebview[]): string[] => posted.map((m) => m.type);

describe('playground controller', function () {
  const sessions: PlaygroundSession[] = [];
  const newSession = (): PlaygroundSession => {
    const s = new PlaygroundSession();
    sessions.push(s);
    return s;
  };
  after(async () => {
    for (const s of sessions) await s.dispose();
  });

  it('answers ready with the scenarios, models, key status and no draft', async () => {
    const h = harness(undefined, newSession());
    await h.controller.handle({ type: 'ready' });
    const init = h.posted[0];
    assert.strictEqual(init.type, 'init');
    if (init.type !== 'init') return;
    assert.deepStrictEqual(init.scenarios.map((s) => s.name), [...SCENARIO_NAMES]);
    assert.ok(init.scenarios.find((s) => s.name === 'rate-limited')?.options.some((o) => o.startsWith('retryAfter (1)')));
    // the list never offers a model retired today, by the retired-model rule's dated table
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(init.models.length > 0 && init.models.every((id) => !isRetiredOn(id, today)), init.models.join(', '));
    assert.deepStrictEqual(init.models, modelIds());
    assert.deepStrictEqual(init.keyStatus, { available: false, source: null });
    assert.strictEqual(init.draft, null);
    assert.strictEqual(init.run, null);
  });

  it('the model list follows the retirement dates: claude-sonnet-4-5 until 2026-11-29, not from 2026-11-30', () => {
    const before = modelIds(new Date('2026-11-29T23:59:59Z'));
    const after = modelIds(new Date('2026-11-30T00:00:00Z'));
    assert.ok(before.includes('claude-sonnet-4-5'));
    assert.ok(!after.includes('claude-sonnet-4-5'));
    assert.deepStrictEqual(before.filter((id) => !after.includes(id)), ['claude-sonnet-4-5']);
    // a model goes when any of its IDs is retired: Claude Opus 4 (claude-opus-4-0, retired 2026-06-15)
    assert.ok(modelIds(new Date('2026-06-14T12:00:00Z')).includes('claude-opus-4-0'));
    assert.ok(!modelIds(new Date('2026-06-15T00:00:00Z')).includes('claude-opus-4-0'));
    assert.ok(after.includes('claude-sonnet-4-6') && after.includes('claude-haiku-4-5'));
  });

  it('answers a bad message with an error notice that says why', async () => {
    const h = harness(undefined, newSession());
    await h.controller.handle({ type: 'send', draft: { ...draft(), maxTokens: 'lots' } });
    await h.controller.handle({ type: 'explode' });
    await h.controller.handle('ready');
    assert.deepStrictEqual(types(h.posted), ['notice', 'notice', 'notice']);
    const texts = h.posted.map((m) => (m.type === 'notice' ? `${m.level}: ${m.message}` : ''));
    assert.match(texts[0], /^error: The playground rejected a message: .*maxTokens must be a whole number/);
    assert.match(texts[1], /Unknown message type "explode"/);
    assert.match(texts[2], /must be an object, got a string/);
  });

  it('lints a changed draft and attaches findings to fields', async () => {
    const h = harness(undefined, newSession());
    await h.controller.handle({ type: 'draftChanged', seq: 5, draft: draft({ maxTokens: null, messagesJson: '[{"role":"assistant","content":"hi"}]' }) });
    const r = h.posted[0];
    assert.strictEqual(r.type, 'lintResult');
    if (r.type !== 'lintResult') return;
    assert.strictEqual(r.seq, 5);
    const ids = r.findings.map((f) => `${f.field}:${f.ruleId}`);
    assert.ok(ids.includes('request:missing-max-tokens'), ids.join(', '));
    assert.ok(ids.some((i) => i === 'messages:role-order'), ids.join(', '));
  });

  it('sends to the simulated endpoint and reports start, attempts, text and the result in order', async () => {
    const h = harness(undefined, newSession());
    const d = draft({ scenario: 'server-error', stream: true });
    await h.controller.handle({ type: 'send', draft: d });
    const t = types(h.posted);
    assert.strictEqual(t[0], 'runStarted');
    assert.strictEqual(t[t.length - 1], 'runFinished');
    assert.ok(t.includes('attempt') && t.includes('text'));
    const fin = h.posted[h.posted.length - 1];
    if (fin.type !== 'runFinished') return assert.fail('no runFinished');
    assert.strictEqual(fin.result.outcome, 'success');
    assert.deepStrictEqual(fin.result.attempts.map((a) => a.status), [500, 200]);
    const streamed = h.posted.map((m) => (m.type === 'text' ? m.delta : '')).join('');
    assert.strictEqual(streamed, fin.result.text);
    // after a hide/show the page asks again and gets the finished run
    h.posted.length = 0;
    await h.controller.handle({ type: 'ready' });
    const init = h.posted[0];
    if (init.type !== 'init') return assert.fail('no init');
    assert.strictEqual(init.run?.result?.outcome, 'success');
    assert.strictEqual(init.run?.running, false);
  });

  it('cancel stops a slow request; a second send while one runs is refused', async () => {
    const h = harness(undefined, newSession());
    const sending = h.controller.handle({ type: 'send', draft: draft({ scenario: 'slow', scenarioOptionsJson: '{"delayMs": 30000}' }) });
    while (!h.posted.some((m) => m.type === 'attempt')) await new Promise((r) => setTimeout(r, 10));
    await h.controller.handle({ type: 'send', draft: draft() });
    assert.ok(h.posted.some((m) => m.type === 'notice' && /already running/.test(m.message)));
    await h.controller.handle({ type: 'cancel' });
    await sending;
    const fin = h.posted.find((m) => m.type === 'runFinished');
    if (!fin || fin.type !== 'runFinished') return assert.fail('no runFinished');
    assert.strictEqual(fin.result.outcome, 'cancelled');
    await h.controller.handle({ type: 'cancel' });
    assert.ok(h.posted.some((m) => m.type === 'notice' && /No request is running/.test(m.message)));
  });

  it('without a key, the Anthropic endpoint gets a clear error with a Set API key action, and no run starts', async () => {
    const h = harness(undefined, newSession());
    await h.controller.handle({ type: 'send', draft: draft({ endpoint: 'anthropic' }) });
    assert.deepStrictEqual(types(h.posted), ['notice']);
    const n = h.posted[0];
    if (n.type !== 'notice') return;
    assert.strictEqual(n.level, 'error');
    assert.strictEqual(n.action, 'setApiKey');
    assert.match(n.message, /No API key for Anthropic API/);
    await h.controller.handle({ type: 'setApiKey' });
    assert.strictEqual(h.setKeyCalls, 1);
    const ks = h.posted[h.posted.length - 1];
    assert.deepStrictEqual(ks, { type: 'keyStatus', keyStatus: { available: true, source: 'secret-storage' } });
  });

  describe('the key never reaches the webview', () => {
    let upstream: SimulatedServer;
    let echo: http.Server;
    let echoUrl: string;
    before(async () => {
      upstream = await startSimulatedServer();
      // a hostile gateway that echoes the credentials it received into headers, error bodies and text
      echo = http.createServer((req, res) => {
        const got = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '').replace(/^Bearer /, '');
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          const stream = JSON.parse(body).stream === true;
          if (req.headers['x-fail'] === 'yes' || !stream) {
            res.writeHead(401, { 'content-type': 'application/json', 'request-id': `req_${got}`, 'anthropic-ratelimit-requests-remaining': got });
            res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${got}` } }));
            return;
          }
          res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_echo', 'anthropic-ratelimit-tokens-remaining': got });
          const ev = (name: string, data: object): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
          res.write(ev('message_start', { type: 'message_start', message: { id: `msg_${got}`, type: 'message', role: 'assistant', model: got, content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } } }));
          res.write(ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
          res.write(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `your key is ${got}` } }));
          res.write(ev('content_block_stop', { type: 'content_block_stop', index: 0 }));
          res.write(ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } }));
          res.end(ev('message_stop', { type: 'message_stop' }));
        });
      });
      await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
      echoUrl = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
    });
    after(async () => {
      echo.close();
      await upstream.close();
    });

    it('in any message of a run, a failing run, a lint, a copy and an init', async () => {
      const h = harness({ key: KEY, source: 'environment' }, newSession());
      await h.controller.handle({ type: 'ready' });
      await h.controller.handle({ type: 'send', draft: draft({ endpoint: 'custom', baseURL: echoUrl, stream: true }) });
      await h.controller.handle({ type: 'send', draft: draft({ endpoint: 'custom', baseURL: echoUrl, stream: false }) });
      await h.controller.handle({ type: 'draftChanged', seq: 1, draft: draft({ endpoint: 'anthropic' }) });
      await h.controller.handle({ type: 'copy', format: 'curl', draft: draft({ endpoint: 'anthropic' }) });
      await h.controller.handle({ type: 'copy', format: 'code', draft: draft({ endpoint: 'custom', baseURL: echoUrl }) });
      await h.controller.handle({ type: 'copy', format: 'python', draft: draft({ endpoint: 'anthropic' }) });
      await h.controller.handle({ type: 'ready' });
      const finished = h.posted.filter((m) => m.type === 'runFinished');
      assert.strictEqual(finished.length, 2);
      // the gateway did get the key, and echoed it: the runs really carried it
      const ok = finished[0].type === 'runFinished' ? finished[0].result : undefined;
      assert.strictEqual(ok?.outcome, 'success');
      assert.strictEqual(ok?.text, 'your key is [hidden]');
      const failed = finished[1].type === 'runFinished' ? finished[1].result : undefined;
      assert.strictEqual(failed?.outcome, 'error');
      assert.strictEqual(failed?.attempts[0].status, 401);
      const all = JSON.stringify(h.posted);
      assert.ok(all.includes('[hidden]'), 'the echoed key was masked');
      assert.ok(!all.includes(KEY), 'the key appears in a message to the webview');
      assert.ok(!all.includes(KEY.slice(8)), 'part of the key appears in a message to the webview');
      assert.strictEqual(h.copied.length, 3);
      assert.match(h.copied[2], /api_key=os\.environ\["ANTHROPIC_API_KEY"\]/);
      for (const text of h.copied) assert.ok(!text.includes(KEY), 'the key is in a copied snippet');
    });

    it('maskSecrets masks nested strings and leaves other values alone', () => {
      const v = { a: [`x${KEY}y`, 1, null], b: { c: KEY }, d: true };
      assert.deepStrictEqual(maskSecrets(v, [KEY]), { a: ['x[hidden]y', 1, null], b: { c: '[hidden]' }, d: true });
      const same = { a: 'nothing' };
      assert.strictEqual(maskSecrets(same, [KEY]), same);
    });
  });
});
