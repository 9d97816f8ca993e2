// --proxy with a share: the lab forwards to a second local server standing in for the API and injects the
// scenario's faults into only a share of the calls, chosen by a seeded generator; the report says which
// requests were faulted and which were forwarded, and the verdicts judge them. The app is a real SDK client.

import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import Anthropic from '@anthropic-ai/sdk';
import { FaultLab, startFaultLab } from '../../../../src/core/api/faultLab/lab';
import { seededRandom } from '../../../../src/core/api/simulated/counters';
import { validateScenario } from '../../../../src/core/api/simulatedServer';
import { SECRET_KEY } from './runLab';

interface Upstream {
  url: string;
  seen: { prompt: string; auth: string }[];
  close(): Promise<void>;
}

/** A stand-in for the API: answers every message with "upstream: <prompt>" and remembers what it saw. */
async function startUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: { content: string }[] };
      const prompt = body.messages[0].content;
      seen.push({ prompt, auth: String(req.headers['x-api-key'] ?? req.headers.authorization ?? '') });
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_upstream' });
      res.end(
        JSON.stringify({
          id: 'msg_upstream',
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [{ type: 'text', text: `upstream: ${prompt}` }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const CALLS = 8;
const SEED = 7;

/** Which of the first `n` calls the faults apply to, by the same generator the lab uses. */
function expectedFaulted(seed: number, share: number, n: number): boolean[] {
  const die = seededRandom(seed);
  return Array.from({ length: n }, () => die() < share);
}

async function sendCalls(lab: FaultLab, maxRetries: number): Promise<string[]> {
  const client = new Anthropic({ apiKey: SECRET_KEY, baseURL: lab.url, maxRetries });
  const out: string[] = [];
  for (let i = 0; i < CALLS; i++) {
    try {
      const m = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: `call ${i}` }] });
      out.push(m.content[0].type === 'text' ? m.content[0].text : '');
    } catch (e) {
      out.push(`failed ${(e as { status?: number }).status}`);
    }
  }
  return out;
}

describe('fault lab: --proxy with a share of the calls faulted', function () {
  this.timeout(30_000);
  let upstream: Upstream;
  let lab: FaultLab | undefined;
  beforeEach(async () => {
    upstream = await startUpstream();
  });
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
    await upstream.close();
  });

  const startLab = (options: Record<string, number | string>) =>
    startFaultLab({ scenario: 'overloaded-burst', scenarioOptions: { failures: 1, retryAfterMs: 20, ...options }, proxy: new URL(upstream.url) });

  it('share=0.5 seed=7: the chosen calls get a 529 first, every answer that gets through comes from the endpoint', async () => {
    lab = await startLab({ share: 0.5, seed: SEED });
    const answers = await sendCalls(lab, 2);
    const faulted = expectedFaulted(SEED, 0.5, CALLS);
    // the generator is part of the contract (the same seed, the same choice, from one version to the next)
    assert.deepStrictEqual(faulted.map((f) => (f ? 'F' : '-')).join(''), 'FF---FFF');
    assert.deepStrictEqual(answers, Array.from({ length: CALLS }, (_, i) => `upstream: call ${i}`));
    const report = lab.report();
    const expected = faulted.flatMap((f) => (f ? [[529, true, false], [200, false, true]] : [[200, false, true]]));
    assert.deepStrictEqual(report.requests.map((r) => [r.status, r.faulted, r.forwarded]), expected);
    // the endpoint saw every call exactly once, with the app's own key; the injected 529s never reached it
    assert.deepStrictEqual(upstream.seen.map((s) => s.prompt), Array.from({ length: CALLS }, (_, i) => `call ${i}`));
    for (const s of upstream.seen) assert.match(s.auth, new RegExp(SECRET_KEY));
    assert.deepStrictEqual(report.verdicts, [], 'the SDK waited the retry-after-ms it was given');
    assert.ok(!JSON.stringify(report).includes(SECRET_KEY));
  });

  it('the verdicts judge the faulted calls only: no-retry for each 529 the app gave up on', async () => {
    lab = await startLab({ share: 0.5, seed: SEED });
    const answers = await sendCalls(lab, 0);
    const faulted = expectedFaulted(SEED, 0.5, CALLS);
    assert.deepStrictEqual(answers, faulted.map((f, i) => (f ? 'failed 529' : `upstream: call ${i}`)));
    const report = lab.report();
    assert.deepStrictEqual(report.requests.map((r) => [r.status, r.faulted, r.forwarded]), faulted.map((f) => (f ? [529, true, false] : [200, false, true])));
    const failedIndices = report.requests.filter((r) => r.status === 529).map((r) => r.index);
    assert.deepStrictEqual(report.verdicts.map((v) => [v.kind, v.requests]), failedIndices.map((i) => ['no-retry', [i]]));
    assert.strictEqual(upstream.seen.length, faulted.filter((f) => !f).length);
  });

  it('the same seed gives the same choice; share 0 faults nothing and share 1 every call', async () => {
    const pattern = async (options: Record<string, number>) => {
      lab = await startLab(options);
      await sendCalls(lab, 0);
      const p = lab.report().requests.map((r) => (r.faulted ? 'F' : '-')).join('');
      await lab.close();
      lab = undefined;
      return p;
    };
    const a = await pattern({ share: 0.5, seed: SEED });
    assert.strictEqual(await pattern({ share: 0.5, seed: SEED }), a);
    assert.notStrictEqual(await pattern({ share: 0.5, seed: 12345 }), a, 'another seed, another choice');
    assert.strictEqual(await pattern({ share: 0, seed: SEED }), '-'.repeat(CALLS));
    assert.strictEqual(await pattern({ share: 1 }), 'F'.repeat(CALLS));
    // the choice restarts with the lab's counters
    lab = await startLab({ share: 0.5, seed: SEED });
    await sendCalls(lab, 0);
    lab.clear();
    await sendCalls(lab, 0);
    assert.strictEqual(lab.report().requests.map((r) => (r.faulted ? 'F' : '-')).join(''), a);
  });

  it('an endpoint that cannot be reached: a 502 naming the endpoint, never the key', async () => {
    const closed = await startUpstream();
    const url = closed.url;
    await closed.close();
    lab = await startFaultLab({ scenario: 'ok', proxy: new URL(url) });
    const client = new Anthropic({ apiKey: SECRET_KEY, baseURL: lab.url, maxRetries: 0 });
    const err = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }).then(
      () => assert.fail('expected a 502'),
      (e: Error & { status?: number }) => e,
    );
    assert.strictEqual(err.status, 502);
    assert.match(err.message, new RegExp(`could not reach ${url.replace(/[.]/g, '\\.')}`));
    assert.ok(!err.message.includes(SECRET_KEY));
    const report = lab.report();
    assert.deepStrictEqual(report.requests.map((r) => [r.status, r.faulted, r.forwarded]), [[502, false, true]]);
    assert.ok(!JSON.stringify(report).includes(SECRET_KEY));
  });

  it('bad share and seed values are refused with a clear message', () => {
    assert.throws(() => validateScenario('overloaded-burst', { share: 1.5 }), /Option "share" of scenario "overloaded-burst" must be a number from 0 to 1, got 1\.5\./);
    assert.throws(() => validateScenario('overloaded-burst', { share: -0.1 }), /must be a number from 0 to 1, got -0\.1/);
    assert.throws(() => validateScenario('overloaded-burst', { share: 'half' }), /must be a number from 0 to 1, got "half"/);
    assert.throws(() => validateScenario('overloaded-burst', { seed: 1.5 }), /Option "seed" of scenario "overloaded-burst" must be an integer >= 0/);
    assert.deepStrictEqual(validateScenario('overloaded-burst', { share: 0.25, seed: 3 }).options.share, 0.25);
  });
});
