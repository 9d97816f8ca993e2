// The retry stack analysis on parsed snippets: what wraps a call (helper, libraries, hand-written loops and
// recursion, through same-file callers), what each retry does, and loops that must not count as retries.

import * as assert from 'assert';
import { lintText } from '../../../src/core/lint/index';
import { parse, walkProgram } from '../../../src/core/lint/scan';
import { RetryShapeAnalyzer, sdkTotalWaitMs, summarizeRetryStack, toRetryStackSummary } from '../../../src/core/lint/retry';
import type { RetryLayer, RetryShapeOptions, RetryStack, SdkRetrySetting, StreamHandling } from '../../../src/core/lint/retry';

const DEFAULT: SdkRetrySetting = { maxRetries: 2, source: 'default' };
const OFF: SdkRetrySetting = { maxRetries: 0, source: 'client' };

const HEAD = `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\n`;
const REQ = `{ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] }`;

function analyzerFor(code: string, options?: RetryShapeOptions) {
  const text = HEAD + code;
  const r = parse(text, 'snippet.ts');
  if ('error' in r) throw new Error(`snippet does not parse: ${r.error.message}`);
  const scan = walkProgram(r.ast, text);
  assert.ok(scan.messageCalls.length > 0, 'the snippet has no messages call');
  return { analyzer: new RetryShapeAnalyzer(r.ast, text, options), calls: scan.messageCalls, text };
}

/** The retry stack of the (first, or `index`-th) messages call in the snippet. */
function stackOf(code: string, sdk: SdkRetrySetting = DEFAULT, options?: RetryShapeOptions, index = 0): RetryStack {
  const { analyzer, calls } = analyzerFor(code, options);
  return analyzer.analyze(calls[index], sdk);
}

function streamOf(code: string): StreamHandling {
  const { analyzer, calls } = analyzerFor(code);
  return analyzer.streamHandling(calls[0]);
}

function onlyLayer(s: RetryStack): RetryLayer {
  assert.strictEqual(s.layers.length, 1, `expected one retry layer, got ${JSON.stringify(s.layers.map((l) => l.label))}`);
  return s.layers[0];
}

function noLayers(s: RetryStack): void {
  assert.deepStrictEqual(s.layers.map((l) => l.label), []);
}

describe('retryShape: the retry stack of a call', () => {
  before(function () {
    // the first parse loads the parser (slow on a busy machine)
    this.timeout(120000);
    parse('const a = 1;', 'warm.ts');
  });

  describe('SDK retries alone', () => {
    it('a bare call has no layers and the SDK default', () => {
      const s = stackOf(`async function ask(prompt: string) { return client.messages.create(${REQ}); }`);
      noLayers(s);
      assert.strictEqual(s.totalRequests, 3);
      assert.strictEqual(s.worstCaseWaitMs, 1500);
      assert.strictEqual(summarizeRetryStack(s), 'SDK 2 retries (default): up to 3 requests, worst-case wait ~1.5 s');
    });

    it('maxRetries: 0 with nothing around says so', () => {
      const s = stackOf(`async function ask(prompt: string) { return client.messages.create(${REQ}); }`, OFF);
      assert.strictEqual(s.totalRequests, 1);
      assert.strictEqual(summarizeRetryStack(s), 'SDK retries off (maxRetries: 0), nothing else retries this call: 1 request, transient errors fail at once');
    });

    it('SDK worst-case waits follow min(0.5 * 2^n, 8) s', () => {
      assert.strictEqual(sdkTotalWaitMs(0), 0);
      assert.strictEqual(sdkTotalWaitMs(2), 1500);
      assert.strictEqual(sdkTotalWaitMs(6), 500 + 1000 + 2000 + 4000 + 8000 + 8000);
    });

    it('an unknown SDK setting gives unknown totals', () => {
      const s = stackOf(`async function ask(prompt: string) { return client.messages.create(${REQ}); }`, { maxRetries: null, source: 'unknown' });
      assert.strictEqual(s.totalRequests, null);
      assert.strictEqual(s.worstCaseWaitMs, null);
    });
  });

  describe('hand-written loops', () => {
    it('the typical for loop: bounded, status-aware, exponential, reads retry-after, no jitter', () => {
      const s = stackOf(`
async function callWithRetry(prompt: string, maxRetries = 5, baseDelay = 1000) {
  for (let attempt = 0; attempt < maxRetries; attempt++) {
    try {
      return await client.messages.create(${REQ});
    } catch (err) {
      if (err instanceof Anthropic.RateLimitError) {
        if (attempt === maxRetries - 1) throw err;
        const retryAfter = parseInt(err.headers?.['retry-after'] ?? '0') * 1000;
        const wait = Math.max(retryAfter, baseDelay * Math.pow(2, attempt));
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      if (err instanceof Anthropic.APIError && err.status >= 500) {
        if (attempt === maxRetries - 1) throw err;
        await new Promise((r) => setTimeout(r, baseDelay * Math.pow(2, attempt)));
        continue;
      }
      throw err;
    }
  }
  throw new Error('Max retries exceeded');
}`);
      const l = onlyLayer(s);
      assert.strictEqual(l.kind, 'loop');
      assert.strictEqual(l.label, 'for loop');
      assert.strictEqual(l.attempts, 5);
      assert.strictEqual(l.bounded, true);
      assert.strictEqual(l.statusAware, true);
      assert.strictEqual(l.retries429, true);
      assert.strictEqual(l.waits, true);
      assert.strictEqual(l.grows, true);
      assert.strictEqual(l.jittered, false);
      assert.strictEqual(l.readsRetryAfter, true);
      assert.strictEqual(s.totalRequests, 15);
      assert.ok(/^SDK 2 retries \(default\) inside a 5-attempt for loop: up to 15 requests, worst-case wait ~\d+ s$/.test(summarizeRetryStack(s)), summarizeRetryStack(s));
    });

    it('a set of retryable statuses with full jitter', () => {
      const s = stackOf(`
const RETRYABLE = new Set([408, 429, 500, 503, 529]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function callWithRetry(prompt: string, { maxRetries = 6, baseDelay = 1000, maxDelay = 60000 } = {}) {
  for (let attempt = 0; attempt < maxRetries; attempt++) {
    try {
      return await client.messages.create(${REQ});
    } catch (err) {
      const last = attempt === maxRetries - 1;
      if (err instanceof Anthropic.APIConnectionError) {
        if (last) throw err;
      } else if (err instanceof Anthropic.APIError && err.status) {
        if (!RETRYABLE.has(err.status) || last) throw err;
      } else {
        throw err;
      }
      const retryAfter = (err as any)?.headers?.['retry-after'];
      const base = retryAfter ? parseFloat(retryAfter) * 1000 : Math.min(maxDelay, baseDelay * 2 ** attempt);
      await sleep(Math.random() * base);
    }
  }
  throw new Error('unreachable');
}`);
      const l = onlyLayer(s);
      assert.strictEqual(l.attempts, 6);
      assert.strictEqual(l.statusAware, true);
      assert.strictEqual(l.jittered, true);
      assert.strictEqual(l.grows, true);
      assert.strictEqual(l.readsRetryAfter, true);
    });

    it('a catch-all loop with a constant wait', () => {
      const s = stackOf(`
async function ask(prompt: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await client.messages.create(${REQ});
    } catch (e) {
      console.log('retrying', e);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error('failed');
}`);
      const l = onlyLayer(s);
      assert.strictEqual(l.attempts, 3);
      assert.strictEqual(l.statusAware, false);
      assert.strictEqual(l.retries429, true);
      assert.strictEqual(l.waits, true);
      assert.strictEqual(l.grows, false);
      assert.strictEqual(l.waitMs, 2000);
      assert.strictEqual(s.totalRequests, 9);
      // 3 attempts of (1.5 s SDK waits) + 2 s of its own
      assert.strictEqual(s.worstCaseWaitMs, 3 * 1500 + 2000);
    });

    it('a loop with no wait at all', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  for (let i = 0; i < 4; i++) {
    try { return await client.messages.create(${REQ}); } catch (e) { if (i === 3) throw e; }
  }
}`));
      assert.strictEqual(l.waits, false);
      assert.strictEqual(l.attempts, 4);
    });

    it('while (true) with no cap is unbounded', () => {
      const s = stackOf(`
async function ask(prompt: string) {
  while (true) {
    try {
      return await client.messages.create(${REQ});
    } catch (e: any) {
      if (e.status === 400) throw e;
      await sleep(2000);
    }
  }
}`);
      const l = onlyLayer(s);
      assert.strictEqual(l.label, 'while loop');
      assert.strictEqual(l.bounded, false);
      assert.strictEqual(s.totalRequests, null);
      assert.ok(summarizeRetryStack(s).includes('an unbounded while loop: no cap on requests'), summarizeRetryStack(s));
    });

    it('for (;;) with a cap inside the catch is bounded', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  let attempts = 0;
  for (;;) {
    try {
      return await client.messages.create(${REQ});
    } catch (e) {
      if (++attempts >= 4) throw e;
      await sleep(500 * 2 ** attempts);
    }
  }
}`));
      assert.strictEqual(l.bounded, true);
      assert.strictEqual(l.attempts, 4);
      assert.strictEqual(l.grows, true);
    });

    it('a while loop on a counter', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  let attempt = 0;
  while (attempt < 3) {
    try {
      return await client.messages.create(${REQ});
    } catch (e) {
      attempt++;
      await sleep(1000 * attempt);
    }
  }
}`));
      assert.strictEqual(l.attempts, 3);
      assert.strictEqual(l.grows, true, 'a linear wait grows');
    });

    it('do…while until success', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  let result;
  let tries = 0;
  do {
    try {
      result = await client.messages.create(${REQ});
    } catch (e) {
      tries++;
      await sleep(1000);
    }
  } while (!result && tries < 5);
  return result;
}`));
      assert.strictEqual(l.label, 'do…while loop');
      assert.strictEqual(l.bounded, true);
      assert.strictEqual(l.grows, false);
    });

    it('a time budget bounds a loop', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status < 500) throw e; await sleep(1000 + Math.random() * 1000); }
  }
}`));
      assert.strictEqual(l.bounded, true);
      assert.strictEqual(l.attempts, null);
      assert.strictEqual(l.jittered, true);
    });

    it('a `delay *= 2` accumulator grows', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  let delay = 500;
  for (let i = 0; i < 5; i++) {
    try { return await client.messages.create(${REQ}); } catch (e) { await sleep(delay); delay *= 2; }
  }
}`));
      assert.strictEqual(l.grows, true);
    });

    it('a promise .catch inside a loop counts as the catch', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  for (let i = 0; i < 3; i++) {
    const res = await client.messages.create(${REQ}).catch(() => null);
    if (res) return res;
    await sleep(1000);
  }
}`));
      assert.strictEqual(l.attempts, 3);
    });

    it('error.type and error.error.type checks are status-aware', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  for (let i = 0; i < 3; i++) {
    try { return await client.messages.create(${REQ}); } catch (error: any) {
      if (error.error?.type !== 'overloaded_error') throw error;
      await sleep(2 ** i * 1000);
    }
  }
}`));
      assert.strictEqual(l.statusAware, true);
      assert.strictEqual(l.retries429, false);
    });

    it('a classifier call is status-aware', () => {
      const l = onlyLayer(stackOf(`
import { isRetryable } from './errors';
async function ask(prompt: string) {
  for (let i = 0; i < 3; i++) {
    try { return await client.messages.create(${REQ}); } catch (e) { if (!isRetryable(e)) throw e; await sleep(2 ** i * 1000); }
  }
}`));
      assert.strictEqual(l.statusAware, true);
    });

    it('a same-file status check function counts', () => {
      const l = onlyLayer(stackOf(`
function transient(e: any) { return e.status === 429 || e.status >= 500; }
async function ask(prompt: string) {
  for (let i = 0; i < 3; i++) {
    try { return await client.messages.create(${REQ}); } catch (e) { if (!transient(e)) throw e; await sleep(2 ** i * 1000); }
  }
}`));
      assert.strictEqual(l.statusAware, true);
      assert.strictEqual(l.retries429, true);
    });

    it('a for…of over attempt numbers is a retry', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string) {
  for (const attempt of [1, 2, 3]) {
    try { return await client.messages.create(${REQ}); } catch (e) { await sleep(attempt * 1000); }
  }
}`));
      assert.strictEqual(l.attempts, 3);
    });
  });

  describe('a retry loop that reads the answer is still a retry', () => {
    it('stop_reason and tool_use blocks read to build the returned object', () => {
      const l = onlyLayer(stackOf(`
async function complete(prompt: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const res = await client.messages.create(${REQ});
      return { text: res.content, stop: res.stop_reason, tools: res.content.filter((b: any) => b.type === 'tool_use'), done: res.stop_reason === 'end_turn' };
    } catch (err: any) {
      if (err.status !== 429 && err.status < 500) throw err;
      await new Promise((r) => setTimeout(r, 2 ** attempt * 1000 * Math.random()));
    }
  }
}`, OFF));
      assert.strictEqual(l.kind, 'loop');
      assert.strictEqual(l.attempts, 4);
      assert.strictEqual(l.statusAware, true);
    });

    it('a counter read by the request (attempt number in metadata) does not make it an agent loop', () => {
      const l = onlyLayer(stackOf(`
async function complete(prompt: string) {
  let attempt = 0;
  while (attempt < 3) {
    attempt++;
    try {
      const res = await client.messages.create({ model: 'm', max_tokens: 64, metadata: { user_id: 'u' + attempt }, messages: [{ role: 'user', content: prompt }] });
      if (res.stop_reason === 'tool_use') return res;
      return res;
    } catch (err: any) {
      if (err.status === 400) throw err;
    }
  }
}`, OFF));
      assert.strictEqual(l.attempts, 3);
    });
  });

  describe('status sets', () => {
    const handler = (c: string) => stackOf(`
async function ask(prompt: string) {
  for (let i = 0; i < 3; i++) {
    try { return await client.messages.create(${REQ}); }
    catch (err: any) { ${c} }
  }
}`, OFF);
    it('names the final statuses a partial check still retries', () => {
      const l = onlyLayer(handler('if (err.status === 400) throw err;'));
      assert.strictEqual(l.statusAware, false);
      assert.deepStrictEqual(l.retriesFinal, [401, 403, 404, 413, 422]);
      assert.deepStrictEqual(onlyLayer(handler('if (err instanceof Anthropic.BadRequestError || err instanceof Anthropic.NotFoundError) throw err;')).retriesFinal, [401, 403, 413, 422]);
      assert.deepStrictEqual(onlyLayer(handler("if (err.error?.type === 'invalid_request_error') throw err;")).retriesFinal, [401, 403, 404, 413]);
    });
    it('a check that retries only a set, or stops on every final status, is status-aware', () => {
      for (const c of [
        'if (![429, 529, 500].includes(err.status)) throw err;',
        'const RETRY = new Set([408, 429, 500, 529]); if (!RETRY.has(err.status)) throw err;',
        'if (err.status >= 500 || err.status === 429) { await new Promise((r) => setTimeout(r, 100)); continue; } throw err;',
        'if (err.status < 500 && err.status !== 429) throw err;',
        'if (!(err instanceof Anthropic.RateLimitError || err instanceof Anthropic.InternalServerError)) throw err;',
      ]) {
        const l = onlyLayer(handler(c));
        assert.strictEqual(l.statusAware, true, c);
        assert.strictEqual(l.retriesFinal, undefined, c);
      }
    });
    it('a decision it cannot follow keeps the coarse judgment', () => {
      const l = onlyLayer(handler('if (!isRetryable(err) || err.status === 400) throw err;'));
      assert.strictEqual(l.statusAware, true);
      assert.strictEqual(l.retriesFinal, undefined);
    });
  });

  describe('failover', () => {
    it('a for…of over a literal list of models that feeds the request model', () => {
      const s = stackOf(`
const MODELS = ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5'] as const;
async function complete(prompt: string) {
  for (const model of MODELS) {
    try { return await client.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: prompt }] }); }
    catch (err: any) { if (err.status !== 529) throw err; }
  }
}`);
      const l = onlyLayer(s);
      assert.strictEqual(l.kind, 'loop');
      assert.deepStrictEqual(l.failover, { noun: 'models', count: 3 });
      assert.strictEqual(l.label, 'for…of loop that fails over across 3 models');
      assert.strictEqual(l.attempts, 3);
      assert.strictEqual(l.bounded, true);
      assert.strictEqual(summarizeRetryStack(s), 'SDK 2 retries (default) inside a for…of loop that fails over across 3 models: up to 9 requests, worst-case wait ~4.5 s');
    });

    it('an index loop over API keys, one client per key', () => {
      const l = onlyLayer(stackOf(`
const KEYS = [process.env.KEY_A, process.env.KEY_B];
async function complete(prompt: string) {
  for (let i = 0; i < KEYS.length; i++) {
    const keyed = new Anthropic({ apiKey: KEYS[i] });
    try { return await keyed.messages.create(${REQ}); }
    catch (err: any) { if (err.status !== 429) throw err; }
  }
}`));
      assert.deepStrictEqual(l.failover, { noun: 'API keys', count: 2 });
      assert.strictEqual(l.attempts, 2);
    });

    it('clients from a list, and regions passed to a same-file function', () => {
      const a = onlyLayer(stackOf(`
const primary = new Anthropic();
const backup = new Anthropic({ baseURL: 'https://backup.example.com' });
async function complete(prompt: string) {
  for (const c of [primary, backup]) {
    try { return await c.messages.create(${REQ}); } catch (err: any) { if (err.status < 500) throw err; }
  }
}`));
      assert.deepStrictEqual(a.failover, { noun: 'clients', count: 2 });
      const b = stackOf(`
async function callIn(region: string, prompt: string) { return client.messages.create(${REQ}); }
export async function complete(prompt: string, regions: string[]) {
  for (const region of regions) {
    try { return await callIn(region, prompt); } catch (err: any) { if (err.status !== 529) throw err; }
  }
}`);
      assert.deepStrictEqual(onlyLayer(b).failover, { noun: 'regions', count: null });
      assert.strictEqual(onlyLayer(b).label, 'for…of loop that fails over across regions');
    });

    it('a fallback loop over inputs is not a failover: the element feeds the content, not the model or client', () => {
      noLayers(stackOf(`
async function first(prompts: string[]) {
  for (const prompt of prompts) {
    try { return await client.messages.create(${REQ}); } catch (err) { console.error(err); }
  }
}`));
    });
  });

  describe('loops that are not retries', () => {
    it('an agent loop that continues on tool_use', () => {
      noLayers(stackOf(`
async function run(prompt: string, messages: any[]) {
  while (true) {
    const response = await client.messages.create(${REQ});
    messages.push({ role: 'assistant', content: response.content });
    if (response.stop_reason !== 'tool_use') return response;
    messages.push({ role: 'user', content: await runTools(response) });
  }
}`));
    });

    it('an agent loop with a catch that logs and continues', () => {
      noLayers(stackOf(`
async function run(prompt: string, messages: any[]) {
  for (let turn = 0; turn < 10; turn++) {
    try {
      const response = await client.messages.create(${REQ});
      if (response.stop_reason === 'end_turn') return response;
      messages.push({ role: 'assistant', content: response.content });
    } catch (e) {
      console.error(e);
    }
  }
}`));
    });

    it('a loop whose turns send a request changed by the previous answer (not a role object, not a messages name)', () => {
      noLayers(stackOf(`
async function refine(prompt: string, draft: string) {
  for (let round = 0; round < 5; round++) {
    try {
      const response = await client.messages.create({ model: 'm', max_tokens: 256, messages: [{ role: 'user', content: prompt + draft }] });
      if (response.stop_reason === 'end_turn' && draft.length > 500) return draft;
      draft = (response.content[0] as any).text;
    } catch (e) {
      console.error(e);
    }
  }
}`));
    });

    it('iterating over inputs, one call each', () => {
      noLayers(stackOf(`
async function summarize(items: string[]) {
  const out = [];
  for (const prompt of items) {
    try { out.push(await client.messages.create(${REQ})); } catch (e) { console.error(e); }
  }
  return out;
}`));
    });

    it('a fixed number of samples is not a retry (success does not leave)', () => {
      noLayers(stackOf(`
async function samples(prompt: string) {
  const out = [];
  for (let i = 0; i < 3; i++) {
    try { out.push(await client.messages.create(${REQ})); } catch (e) { console.error(e); }
  }
  return out;
}`));
    });

    it('pagination', () => {
      noLayers(stackOf(`
async function all(prompt: string) {
  let cursor: string | undefined;
  do {
    try {
      const page = await client.messages.create(${REQ});
      cursor = (page as any).next;
      if (!cursor) break;
    } catch (e) { console.error(e); }
  } while (cursor);
}`));
    });

    it('a single re-ask after unparsable output (the catch is around JSON.parse)', () => {
      noLayers(stackOf(`
async function askJson(prompt: string) {
  for (let i = 0; i < 2; i++) {
    const res = await client.messages.create(${REQ});
    try {
      return JSON.parse((res.content[0] as any).text);
    } catch {
      prompt += ' Reply with valid JSON only.';
    }
  }
}`));
    });

    it('a loop whose catch always leaves', () => {
      noLayers(stackOf(`
async function ask(prompt: string) {
  for (let i = 0; i < 3; i++) {
    try { return await client.messages.create(${REQ}); } catch (e) { console.error(e); throw e; }
  }
}`));
    });

    it('a loop with no catch around the call', () => {
      noLayers(stackOf(`
async function ask(prompts: string[]) {
  let i = 0;
  while (i < prompts.length) {
    const prompt = prompts[i++];
    await client.messages.create(${REQ});
  }
}`));
    });
  });

  describe('through callers in the same file', () => {
    it('a loop in callWithRetry around ask()', () => {
      const s = stackOf(`
async function ask(prompt: string) {
  return client.messages.create(${REQ});
}
async function callWithRetry(prompt: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try { return await ask(prompt); } catch (e) { await sleep(1000); }
  }
}`);
      const l = onlyLayer(s);
      assert.strictEqual(l.attempts, 5);
      assert.strictEqual(l.via, 'ask');
      assert.strictEqual(s.totalRequests, 15);
      assert.ok(summarizeRetryStack(s).includes('a 5-attempt for loop in ask()'), summarizeRetryStack(s));
    });

    it('two levels: a loop around a function that calls ask()', () => {
      const l = onlyLayer(stackOf(`
const ask = async (prompt: string) => client.messages.create(${REQ});
async function summarize(prompt: string) { const r = await ask(prompt); return r; }
export async function main() {
  for (let i = 0; i < 3; i++) {
    try { return await summarize('x'); } catch (e) { await sleep(2 ** i * 1000); }
  }
}`));
      assert.strictEqual(l.attempts, 3);
    });

    it('class methods called through this', () => {
      const l = onlyLayer(stackOf(`
class Bot {
  private client = new Anthropic();
  async ask(prompt: string) { return this.client.messages.create(${REQ}); }
  async askWithRetry(prompt: string) {
    for (let i = 0; i < 4; i++) {
      try { return await this.ask(prompt); } catch (e) { await sleep(1000 * 2 ** i); }
    }
  }
}`));
      assert.strictEqual(l.attempts, 4);
    });

    it('a caller without retry and a caller with: both paths are kept', () => {
      const s = stackOf(`
async function ask(prompt: string) { return client.messages.create(${REQ}); }
export async function once() { return ask('a'); }
export async function retried() {
  for (let i = 0; i < 3; i++) { try { return await ask('b'); } catch { await sleep(1000); } }
}`);
      assert.strictEqual(s.paths.length, 2);
      assert.strictEqual(s.layers.length, 1);
      assert.strictEqual(s.totalRequests, 9);
    });

    it('a same-file higher-order retry function around a callback', () => {
      const s = stackOf(`
async function retry<T>(fn: () => Promise<T>, times = 3): Promise<T> {
  let last;
  for (let i = 0; i < times; i++) {
    try { return await fn(); } catch (e) { last = e; await sleep(1000); }
  }
  throw last;
}
export const ask = (prompt: string) => retry(() => client.messages.create(${REQ}));`);
      const l = onlyLayer(s);
      assert.strictEqual(l.kind, 'loop');
      assert.strictEqual(l.attempts, 3);
      assert.strictEqual(l.via, 'retry');
    });

    it('recursion that retries from its catch', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string, retries = 3): Promise<any> {
  try {
    return await client.messages.create(${REQ});
  } catch (e) {
    if (retries <= 0) throw e;
    await sleep(1000);
    return ask(prompt, retries - 1);
  }
}`));
      assert.strictEqual(l.kind, 'recursion');
      assert.strictEqual(l.bounded, true);
      assert.strictEqual(l.attempts, 4);
      assert.strictEqual(l.grows, false);
    });

    it('recursion from a promise .catch', () => {
      const l = onlyLayer(stackOf(`
function ask(prompt: string, left = 2): Promise<any> {
  return client.messages.create(${REQ}).catch((e) => (left > 0 ? ask(prompt, left - 1) : Promise.reject(e)));
}`));
      assert.strictEqual(l.kind, 'recursion');
      assert.strictEqual(l.bounded, true);
      assert.strictEqual(l.waits, false);
    });

    it('recursion with no counter is unbounded', () => {
      const l = onlyLayer(stackOf(`
async function ask(prompt: string): Promise<any> {
  try { return await client.messages.create(${REQ}); } catch (e) { await sleep(1000); return ask(prompt); }
}`));
      assert.strictEqual(l.bounded, false);
    });

    it('a circuit breaker that counts and rethrows adds no retry', () => {
      const s = stackOf(`
class CircuitBreaker {
  failures = 0;
  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.failures >= 5) throw new Error('open');
    try { const r = await fn(); this.failures = 0; return r; } catch (e) { this.failures++; throw e; }
  }
}
const breaker = new CircuitBreaker();
export function ask(prompt: string) { return breaker.call(() => client.messages.create(${REQ})); }`, OFF);
      noLayers(s);
      assert.strictEqual(s.unknownWrapper, false);
    });

    it('a callback to an opaque retry-named function is unknown', () => {
      const s = stackOf(`
import { retryable } from './util';
export function ask(prompt: string) { return retryable(() => client.messages.create(${REQ})); }`, OFF);
      noLayers(s);
      assert.strictEqual(s.unknownWrapper, true);
    });

    it('a route handler callback is not a retry and not unknown', () => {
      const s = stackOf(`
app.post('/chat', async (req: any, res: any) => { const prompt = req.body; res.json(await client.messages.create(${REQ})); });`, OFF);
      noLayers(s);
      assert.strictEqual(s.unknownWrapper, false);
    });

    it('items.map(...) passes through to the loop around it', () => {
      const l = onlyLayer(stackOf(`
async function batch(prompts: string[]) {
  for (let i = 0; i < 3; i++) {
    try { return await Promise.all(prompts.map((prompt) => client.messages.create(${REQ}))); } catch { await sleep(1000 * 2 ** i); }
  }
}`));
      assert.strictEqual(l.attempts, 3);
    });
  });

  describe('the product helper and configured wrappers', () => {
    it('withRetry imported from the inserted helper', () => {
      const s = stackOf(`
import { withRetry } from './claudeRetry';
export const ask = (prompt: string) => withRetry(() => client.messages.create(${REQ}, { maxRetries: 0 }));`, { maxRetries: 0, source: 'request' });
      const l = onlyLayer(s);
      assert.strictEqual(l.kind, 'helper');
      assert.strictEqual(l.attempts, 6);
      assert.strictEqual(l.statusAware, true);
      assert.strictEqual(l.readsRetryAfter, true);
      assert.strictEqual(s.totalRequests, 6);
      assert.strictEqual(l.waitMs, 1000 + 2000 + 4000 + 8000 + 16000);
    });

    it('withRetry(() => ask()) wraps a same-file function', () => {
      const l = onlyLayer(stackOf(`
import { withRetry } from '../lib/claudeRetry.js';
async function ask(prompt: string) { return client.messages.create(${REQ}); }
export const run = () => withRetry(() => ask('hi'), { maxAttempts: 4 });`));
      assert.strictEqual(l.kind, 'helper');
      assert.strictEqual(l.attempts, 4);
    });

    it('withRetry from some other module is not the helper', () => {
      const s = stackOf(`
import { withRetry } from './retry-utils';
export const ask = (prompt: string) => withRetry(() => client.messages.create(${REQ}));`);
      noLayers(s);
      assert.strictEqual(s.unknownWrapper, true);
    });

    it('retryHelperModule and retryWrappers settings', () => {
      const a = stackOf(`
import { withRetry } from '@acme/resilience';
export const ask = (prompt: string) => withRetry(() => client.messages.create(${REQ}));`, DEFAULT, { retryHelperModule: '@acme/resilience' });
      assert.strictEqual(onlyLayer(a).kind, 'helper');
      const b = stackOf(`
import { resilient } from './x';
export const ask = (prompt: string) => resilient(() => client.messages.create(${REQ}));`, DEFAULT, { retryWrappers: ['resilient'] });
      assert.strictEqual(onlyLayer(b).kind, 'configured-wrapper');
    });
  });

  describe('retry libraries', () => {
    it('p-retry with defaults: 11 attempts, no abort for 4xx', () => {
      const s = stackOf(`
import pRetry from 'p-retry';
export const ask = (prompt: string) => pRetry(() => client.messages.create(${REQ}));`);
      const l = onlyLayer(s);
      assert.strictEqual(l.kind, 'p-retry');
      assert.strictEqual(l.attempts, 11);
      assert.strictEqual(l.statusAware, false);
      assert.strictEqual(l.grows, true);
      assert.strictEqual(s.totalRequests, 33);
    });

    it('p-retry aborting 4xx with AbortError', () => {
      const l = onlyLayer(stackOf(`
import pRetry, { AbortError } from 'p-retry';
export const ask = (prompt: string) => pRetry(async () => {
  try { return await client.messages.create(${REQ}, { maxRetries: 0 }); }
  catch (e: any) { if (e.status && e.status < 500 && e.status !== 429) throw new AbortError(e); throw e; }
}, { retries: 4, randomize: true });`, OFF));
      assert.strictEqual(l.statusAware, true);
      assert.strictEqual(l.attempts, 5);
      assert.strictEqual(l.jittered, true);
    });

    it('p-retry with shouldRetry, and forever', () => {
      assert.strictEqual(onlyLayer(stackOf(`
import pRetry from 'p-retry';
export const ask = (prompt: string) => pRetry(() => client.messages.create(${REQ}), { shouldRetry: (e: any) => e.status >= 500 });`)).statusAware, true);
      const l = onlyLayer(stackOf(`
const pRetry = require('p-retry');
export const ask = (prompt: string) => pRetry(() => client.messages.create(${REQ}), { forever: true });`));
      assert.strictEqual(l.bounded, false);
    });

    it('p-retry whose count comes from options: still a retry, the count says where it comes from', () => {
      const s = stackOf(`
import pRetry from 'p-retry';
interface RetryOptions { retries: number; minTimeout: number }
export class Summarizer {
  constructor(private readonly options: RetryOptions) {}
  summarize(prompt: string) {
    return pRetry(() => client.messages.create(${REQ}), {
      retries: this.options.retries,
      onFailedAttempt: (e: any) => console.warn('attempt failed', e.attemptNumber),
    });
  }
}`);
      const l = onlyLayer(s);
      assert.strictEqual(l.kind, 'p-retry');
      assert.strictEqual(l.attempts, null);
      assert.strictEqual(l.attemptsFrom, 'this.options.retries');
      assert.strictEqual(l.bounded, null);
      assert.strictEqual(l.statusAware, false, 'no AbortError, no shouldRetry: final errors are retried whatever the count');
      assert.strictEqual(l.grows, true, 'the other options are written or defaulted');
      assert.strictEqual(s.totalRequests, null);
      const sum = toRetryStackSummary(s);
      assert.strictEqual(sum.text, 'SDK 2 retries (default) inside pRetry (attempts from this.options.retries): request count not known statically');
      assert.strictEqual(sum.layers[0].attemptsFrom, 'this.options.retries');
    });

    it('p-retry with options the file cannot see: no defaults assumed, the status check unknown', () => {
      const l = onlyLayer(stackOf(`
import pRetry, { type Options } from 'p-retry';
export const ask = (prompt: string, opts: Options) => pRetry(() => client.messages.create(${REQ}), opts);`));
      assert.strictEqual(l.attempts, null, 'opts may set retries');
      assert.strictEqual(l.attemptsFrom, 'opts');
      assert.strictEqual(l.statusAware, null, 'opts may hold shouldRetry');
      assert.strictEqual(l.grows, null);
      const m = onlyLayer(stackOf(`
import pRetry from 'p-retry';
const defaults = { retries: 3 };
export function ask(prompt: string, extra: object) { return pRetry(() => client.messages.create(${REQ}), { ...extra, minTimeout: 500 }); }`));
      assert.strictEqual(m.attemptsFrom, 'extra');
      assert.strictEqual(m.attempts, null);
    });

    it('counts from options in async-retry, exponential-backoff, cockatiel and AsyncCaller', () => {
      const from = (code: string) => onlyLayer(stackOf(code)).attemptsFrom;
      assert.strictEqual(from(`
import retry from 'async-retry';
const config = { attempts: Number(process.env.RETRIES) };
export const ask = (prompt: string) => retry(async () => client.messages.create(${REQ}), { retries: config.attempts });`), 'config.attempts');
      assert.strictEqual(from(`
import { backOff } from 'exponential-backoff';
export const ask = (prompt: string, settings: { n: number }) => backOff(() => client.messages.create(${REQ}), { numOfAttempts: settings.n });`), 'settings.n');
      assert.strictEqual(from(`
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
declare const cfg: { maxAttempts: number };
const policy = retry(handleAll, { maxAttempts: cfg.maxAttempts, backoff: new ExponentialBackoff() });
export const ask = (prompt: string) => policy.execute(() => client.messages.create(${REQ}));`), 'cfg.maxAttempts');
      assert.strictEqual(from(`
import { AsyncCaller } from '@langchain/core/utils/async_caller';
declare const settings: { maxRetries: number };
const caller = new AsyncCaller({ maxRetries: settings.maxRetries });
export const ask = (prompt: string) => caller.call(() => client.messages.create(${REQ}));`), 'settings.maxRetries');
      assert.strictEqual(from(`
import pRetry from 'p-retry';
export const ask = (prompt: string) => pRetry(() => client.messages.create(${REQ}), { retries: 4 });`), null);
    });

    it('p-retry with a function passed by name', () => {
      const l = onlyLayer(stackOf(`
import pRetry from 'p-retry';
async function ask(prompt: string) { return client.messages.create(${REQ}); }
export const run = () => pRetry(ask, { retries: 2 });`));
      assert.strictEqual(l.kind, 'p-retry');
      assert.strictEqual(l.attempts, 3);
    });

    it('async-retry with and without bail', () => {
      const a = onlyLayer(stackOf(`
import retry from 'async-retry';
export const ask = (prompt: string) => retry(async (bail) => {
  try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status === 400) { bail(e); return; } throw e; }
}, { retries: 3 });`));
      assert.strictEqual(a.kind, 'async-retry');
      assert.strictEqual(a.statusAware, true);
      assert.strictEqual(a.attempts, 4);
      const b = onlyLayer(stackOf(`
const retry = require('async-retry');
export const ask = (prompt: string) => retry(async () => client.messages.create(${REQ}));`));
      assert.strictEqual(b.statusAware, false);
      assert.strictEqual(b.jittered, true);
    });

    it('exponential-backoff backOff with and without a retry option', () => {
      const a = onlyLayer(stackOf(`
import { backOff } from 'exponential-backoff';
export const ask = (prompt: string) => backOff(() => client.messages.create(${REQ}), { numOfAttempts: 5, jitter: 'full', retry: (e: any) => e.status >= 500 || e.status === 429 });`));
      assert.strictEqual(a.kind, 'exponential-backoff');
      assert.strictEqual(a.attempts, 5);
      assert.strictEqual(a.statusAware, true);
      assert.strictEqual(a.jittered, true);
      const b = onlyLayer(stackOf(`
import { backOff } from 'exponential-backoff';
export const ask = (prompt: string) => backOff(() => client.messages.create(${REQ}), { timeMultiple: 1 });`));
      assert.strictEqual(b.statusAware, false);
      assert.strictEqual(b.grows, false);
    });

    it('cockatiel retry policies', () => {
      const a = onlyLayer(stackOf(`
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
export const ask = (prompt: string) => policy.execute(() => client.messages.create(${REQ}));`));
      assert.strictEqual(a.kind, 'cockatiel');
      assert.strictEqual(a.attempts, 4);
      assert.strictEqual(a.statusAware, false);
      assert.strictEqual(a.grows, true);
      const b = onlyLayer(stackOf(`
import { retry, handleWhen, ConstantBackoff } from 'cockatiel';
const policy = retry(handleWhen((e: any) => e.status >= 500), { maxAttempts: 2, backoff: new ConstantBackoff(50) });
export const ask = (prompt: string) => policy.execute(() => client.messages.create(${REQ}));`));
      assert.strictEqual(b.statusAware, true);
      assert.strictEqual(b.grows, false);
      const c = onlyLayer(stackOf(`
import { Policy } from 'cockatiel';
const policy = Policy.handleAll().retry().attempts(3).exponential();
export const ask = (prompt: string) => policy.execute(() => client.messages.create(${REQ}));`));
      assert.strictEqual(c.kind, 'cockatiel');
      assert.strictEqual(c.attempts, 4);
    });

    it('LangChain AsyncCaller', () => {
      const l = onlyLayer(stackOf(`
import { AsyncCaller } from '@langchain/core/utils/async_caller';
const caller = new AsyncCaller({ maxRetries: 3 });
export const ask = (prompt: string) => caller.call(() => client.messages.create(${REQ}));`));
      assert.strictEqual(l.kind, 'langchain');
      assert.strictEqual(l.attempts, 4);
      assert.strictEqual(l.statusAware, true);
    });

    it('a library wrapper inside a hand-written loop: both layers, innermost first', () => {
      const s = stackOf(`
import pRetry from 'p-retry';
export async function ask(prompt: string) {
  for (let i = 0; i < 2; i++) {
    try { return await pRetry(() => client.messages.create(${REQ}), { retries: 2 }); } catch { await sleep(5000 * 2 ** i); }
  }
}`);
      assert.deepStrictEqual(s.layers.map((l) => l.kind), ['p-retry', 'loop']);
      assert.strictEqual(s.totalRequests, 3 * 3 * 2);
    });
  });

  describe('summary data', () => {
    it('is plain data with the text', () => {
      const s = stackOf(`
async function ask(prompt: string) {
  for (let i = 0; i < 5; i++) { try { return await client.messages.create(${REQ}); } catch { await sleep(1000); } }
}`);
      const sum = toRetryStackSummary(s);
      assert.strictEqual(sum.totalRequests, 15);
      assert.strictEqual(sum.layers.length, 1);
      assert.strictEqual(sum.layers[0].attempts, 5);
      // 5 attempts of 1.5 s SDK waits + 4 waits of 1 s
      assert.strictEqual(sum.worstCaseWaitMs, 5 * 1500 + 4000);
      assert.strictEqual(sum.text, 'SDK 2 retries (default) inside a 5-attempt for loop: up to 15 requests, worst-case wait ~12 s');
      assert.doesNotThrow(() => JSON.stringify(sum));
    });
  });

  describe('through the engine', () => {
    it('every call summary carries its retry stack', () => {
      const text = `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ maxRetries: 1 });\nexport async function ask(prompt: string) {\n  for (let i = 0; i < 4; i++) {\n    try { return await client.messages.create(${REQ}); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); }\n  }\n}\n`;
      const r = lintText(text, { fileName: 'a.ts' });
      assert.strictEqual(r.calls.length, 1);
      const sum = r.calls[0].retryStack;
      assert.ok(sum, 'a retry stack');
      assert.strictEqual(sum.sdkMaxRetries, 1);
      assert.strictEqual(sum.sdkSource, 'client');
      assert.strictEqual(sum.totalRequests, 8);
      assert.strictEqual(sum.text, 'SDK 1 retry inside a 4-attempt for loop: up to 8 requests, worst-case wait ~9 s');
    });
  });

  describe('stream error handling', () => {
    it('for await with no try is unhandled', () => {
      const s = streamOf(`
export async function main(prompt: string) {
  const stream = client.messages.stream(${REQ});
  for await (const ev of stream) process.stdout.write(JSON.stringify(ev));
}`);
      assert.strictEqual(s.status, 'unhandled');
      assert.strictEqual(s.consumption?.what, 'for await');
    });

    it('for await inside try/catch is handled', () => {
      assert.strictEqual(streamOf(`
export async function main(prompt: string) {
  try {
    const stream = await client.messages.create({ ...${REQ}, stream: true });
    for await (const ev of stream) console.log(ev);
  } catch (e) { console.error(e); }
}`).status, 'handled');
    });

    it("an 'error' listener handles it", () => {
      assert.strictEqual(streamOf(`
export function main(prompt: string) {
  client.messages.stream(${REQ}).on('text', (t) => process.stdout.write(t)).on('error', (e) => console.error(e));
}`).status, 'handled');
    });

    it('only a text listener is unhandled', () => {
      assert.strictEqual(streamOf(`
export function main(prompt: string) {
  client.messages.stream(${REQ}).on('text', (t) => process.stdout.write(t));
}`).status, 'unhandled');
    });

    it('finalMessage() with .catch is handled, without try is unhandled', () => {
      assert.strictEqual(streamOf(`
export async function main(prompt: string) {
  const stream = client.messages.stream(${REQ});
  stream.on('text', (t) => process.stdout.write(t));
  return stream.finalMessage().catch(() => null);
}`).status, 'handled');
      assert.strictEqual(streamOf(`
export async function main(prompt: string) {
  const stream = client.messages.stream(${REQ});
  stream.on('text', (t) => process.stdout.write(t));
  const msg = await stream.finalMessage();
  return msg;
}`).status, 'unhandled');
    });

    it('a caller that catches handles it', () => {
      assert.strictEqual(streamOf(`
async function streamIt(prompt: string) {
  const stream = client.messages.stream(${REQ});
  for await (const ev of stream) console.log(ev);
}
export async function main() {
  try { await streamIt('hi'); } catch (e) { console.error(e); }
}`).status, 'handled');
    });

    it('main().catch(...) at the top handles it', () => {
      assert.strictEqual(streamOf(`
async function main(prompt = 'hi') {
  const stream = client.messages.stream(${REQ});
  for await (const ev of stream) console.log(ev);
}
main().catch(console.error);`).status, 'handled');
    });

    it('returning the stream is unknown', () => {
      assert.strictEqual(streamOf(`
export function open(prompt: string) {
  return client.messages.stream(${REQ});
}`).status, 'unknown');
      assert.strictEqual(streamOf(`
export function open(prompt: string) {
  const stream = client.messages.stream(${REQ});
  return stream;
}`).status, 'unknown');
    });

    it('a non-streaming create is not a stream', () => {
      assert.strictEqual(streamOf(`export const f = (prompt: string) => client.messages.create(${REQ});`).streaming, false);
    });
  });
});
