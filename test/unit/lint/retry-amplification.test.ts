import * as assert from 'assert';
import { applyFixes, lintText } from '../../../src/core/lint/index';
import { ESM, ruleTester } from './ruleTester';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';
const LOOP = (call: string) =>
  `export async function ask() {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try {\n      return await ${call};\n    } catch (err: any) {\n      if (err.status < 500 && err.status !== 429) throw err;\n      await new Promise((r) => setTimeout(r, Math.random() * 1000 * 2 ** attempt));\n    }\n  }\n}`;

// Python
const PY = 'import anthropic\nimport random\nimport time\n\nclient = anthropic.Anthropic()\n';
const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';
const PY_LOOP = (call: string, n = 5) =>
  `def ask():\n    for attempt in range(${n}):\n        try:\n            return ${call}\n        except (anthropic.RateLimitError, anthropic.APIConnectionError) as e:\n            time.sleep(random.uniform(0, 2 ** attempt))\n    raise RuntimeError("Claude is unavailable")\n`;

ruleTester.run('retry-amplification', {
  valid: [
    // Python
    { language: 'python', name: 'the loop around a client with max_retries=0', code: PY.replace('Anthropic()', 'Anthropic(max_retries=0)') + PY_LOOP(`client.messages.create(${PY_REQ})`) },
    { language: 'python', name: 'the loop with with_options(max_retries=0) on the call', code: PY + PY_LOOP(`client.with_options(max_retries=0).messages.create(${PY_REQ})`) },
    { language: 'python', name: 'a client parameter: its setting is unknown', code: 'import anthropic\nimport time\n\n' + PY_LOOP(`client.messages.create(${PY_REQ})`).replace('def ask():', 'def ask(client: anthropic.Anthropic):') },
    { language: 'python', name: 'iterating over inputs is not a retry', code: PY + 'def run(texts):\n    for text in texts:\n        try:\n            print(client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": text}]))\n        except anthropic.APIError:\n            continue\n' },
    { language: 'python', name: 'an agent loop is not a retry', code: PY + 'def run(history):\n    while True:\n        reply = client.messages.create(model="m", max_tokens=512, messages=history)\n        history.append({"role": "assistant", "content": reply.content})\n        if reply.stop_reason != "tool_use":\n            return reply\n' },
    // SDK defaults alone
    ESM + `export const ask = () => client.messages.create(${REQ});`,
    // maxRetries: 1, nothing around
    'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 1 });\n' + `export const ask = () => client.messages.create(${REQ});`,
    // the loop with retries off on the client
    OFF + LOOP(`client.messages.create(${REQ})`),
    // the loop with retries off on the request
    ESM + LOOP(`client.messages.create(${REQ}, { maxRetries: 0 })`),
    // the helper with maxRetries: 0
    ESM + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}, { maxRetries: 0 }));`,
    // an agent loop is not a retry
    ESM + `export async function run(messages: any[]) {\n  for (;;) {\n    const r = await client.messages.create({ model: "m", max_tokens: 512, messages });\n    messages.push({ role: "assistant", content: r.content });\n    if (r.stop_reason !== "tool_use") return r;\n  }\n}`,
    // a client typed as a parameter: its retry setting is unknown
    `import Anthropic from "@anthropic-ai/sdk";\n` + `export async function ask(client: Anthropic) {\n  for (let i = 0; i < 3; i++) { try { return await client.messages.create(${REQ}); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); } }\n}`,
    // a field given two different retry settings: the setting is unknown
    `import Anthropic from "@anthropic-ai/sdk";\nexport class Svc {\n  private api: Anthropic | null = null;\n  fast() { this.api = new Anthropic({ maxRetries: 0 }); }\n  slow() { this.api = new Anthropic({ maxRetries: 2 }); }\n  async ask() {\n    for (let i = 0; i < 3; i++) { try { return await this.api!.messages.create(${REQ}); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); } }\n  }\n}`,
    // an exported function's parameter: callers elsewhere may pass any client
    `import Anthropic from "@anthropic-ai/sdk";\nconst anthropic = new Anthropic();\nexport async function ask(c: Anthropic) {\n  for (let i = 0; i < 3; i++) { try { return await c.messages.create(${REQ}); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); } }\n}\nexport const a = () => ask(anthropic);`,
    // a parameter whose callers pass different clients
    `import Anthropic from "@anthropic-ai/sdk";\nconst a1 = new Anthropic();\nconst a0 = new Anthropic({ maxRetries: 0 });\nasync function ask(c: Anthropic) {\n  for (let i = 0; i < 3; i++) { try { return await c.messages.create(${REQ}); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); } }\n}\nexport const x = () => ask(a1);\nexport const y = () => ask(a0);`,
    // iterating over inputs
    ESM + `export async function all(items: string[]) {\n  const out = [];\n  for (const content of items) {\n    try { out.push(await client.messages.create({ model: "m", max_tokens: 64, messages: [{ role: "user", content }] })); } catch (e) { console.error(e); }\n  }\n  return out;\n}`,
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'for attempt in range(5) around a default client (no fix written in JS syntax)',
      code: PY + PY_LOOP(`client.messages.create(${PY_REQ})`),
      errors: [{ messageId: 'amplified', line: 9, text: 'client.messages.create', message: 'a 5-attempt for loop retries it again: up to 15 requests per call' }],
      output: null,
    },
    {
      language: 'python',
      name: 'range(1, 4) around AnthropicVertex',
      code: 'import time\nfrom anthropic import AnthropicVertex\n\nvertex = AnthropicVertex(region="us-east5", project_id="p")\n\ndef ask():\n    for attempt in range(1, 4):\n        try:\n            return vertex.messages.create(' + PY_REQ + ')\n        except Exception:\n            time.sleep(attempt * 2)\n',
      errors: [{ messageId: 'amplified', line: 9, message: 'up to 9 requests per call' }],
    },
    {
      language: 'python',
      name: 'max_retries=3 inside a while loop with a counter',
      code: PY.replace('Anthropic()', 'Anthropic(max_retries=3)') + 'def ask():\n    attempt = 0\n    while True:\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.RateLimitError:\n            attempt += 1\n            if attempt >= 4:\n                raise\n            time.sleep(2 ** attempt)\n',
      errors: [{ messageId: 'amplified', message: 'The SDK retries this call 3 times and a 4-attempt while loop retries it again: up to 16 requests per call' }],
    },
    {
      language: 'python',
      name: 'with_options(max_retries=4) on the call inside range(3)',
      code: PY + PY_LOOP(`client.with_options(max_retries=4).messages.create(${PY_REQ})`, 3),
      errors: [{ messageId: 'amplified', message: 'up to 15 requests per call' }],
    },
    {
      language: 'python',
      name: 'a recursive async retry around AsyncAnthropic',
      code: 'import asyncio\nimport anthropic\n\nclient = anthropic.AsyncAnthropic()\n\nasync def ask(prompt, attempt=1):\n    try:\n        return await client.messages.create(' + PY_REQ + ')\n    except anthropic.RateLimitError:\n        if attempt >= 3:\n            raise\n        await asyncio.sleep(2 ** attempt)\n        return await ask(prompt, attempt + 1)\n',
      errors: [{ messageId: 'amplified', line: 8, message: 'a 3-attempt recursive retry in ask() retries it again: up to 9 requests per call' }],
    },
    {
      name: 'the typical loop around a default client',
      code: ESM + LOOP(`client.messages.create(${REQ})`),
      errors: [{ messageId: 'amplified', line: 6, text: 'client.messages.create', message: 'up to 15 requests per call' }],
      output: ESM + LOOP(`client.messages.create(${REQ}, { maxRetries: 0 })`),
      safeOnly: true,
    },
    {
      name: 'a loop in a caller around ask()',
      code: ESM + `async function ask() { return client.messages.create(${REQ}, { timeout: 30000 }); }\nexport async function askWithRetry() {\n  for (let i = 0; i < 3; i++) {\n    try { return await ask(); } catch { await new Promise((r) => setTimeout(r, 1000)); }\n  }\n}`,
      errors: [{ messageId: 'amplified', line: 3, message: 'up to 9 requests per call' }],
      output: ESM + `async function ask() { return client.messages.create(${REQ}, { timeout: 30000, maxRetries: 0 }); }\nexport async function askWithRetry() {\n  for (let i = 0; i < 3; i++) {\n    try { return await ask(); } catch { await new Promise((r) => setTimeout(r, 1000)); }\n  }\n}`,
    },
    {
      name: 'maxRetries: 3 on the client inside p-retry',
      code: 'import Anthropic from "@anthropic-ai/sdk";\nimport pRetry from "p-retry";\nconst client = new Anthropic({ maxRetries: 3 });\n' + `export const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 4 });`,
      errors: [{ messageId: 'amplified', message: 'up to 20 requests per call' }],
    },
    {
      name: 'p-retry whose count comes from the options of a class still multiplies the SDK retries',
      code: ESM + `import pRetry from "p-retry";\nexport class Summarizer {\n  constructor(private readonly options: { retries: number; factor: number }) {}\n  run() {\n    return pRetry(() => client.messages.create(${REQ}), { retries: this.options.retries, factor: this.options.factor });\n  }\n}`,
      errors: [{ messageId: 'amplified', line: 7, message: 'and pRetry (attempts from this.options.retries) retries it again: 3 requests for every outer attempt' }],
    },
    {
      name: 'p-retry options spread from a default object',
      code: ESM + `import pRetry from "p-retry";\nimport { retryDefaults } from "./config";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { ...retryDefaults, onFailedAttempt: console.warn });`,
      errors: [{ messageId: 'amplified', message: 'pRetry (attempts from retryDefaults)' }],
    },
    {
      name: 'a failover across 3 models: the message says so',
      code: ESM + `const MODELS = ["claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"];\nexport async function ask(prompt: string) {\n  for (const model of MODELS) {\n    try { return await client.messages.create({ model, max_tokens: 64, messages: [{ role: "user", content: prompt }] }); }\n    catch (e: any) { if (e.status !== 529) throw e; }\n  }\n}`,
      errors: [{ messageId: 'amplified', line: 6, message: 'a for…of loop that fails over across 3 models retries it again: up to 9 requests per call' }],
    },
    {
      name: 'two calls inside one failover loop: one finding for the loop',
      code: ESM + `const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5"];\nexport async function draftAndReview(prompt: string) {\n  for (const model of MODELS) {\n    try {\n      const draft = await client.messages.create({ model, max_tokens: 512, messages: [{ role: "user", content: prompt }] });\n      return await client.messages.create({ model, max_tokens: 512, messages: [{ role: "user", content: "Review: " + JSON.stringify(draft.content) }] });\n    } catch (e: any) { if (e.status !== 529) throw e; }\n  }\n}`,
      errors: [{ messageId: 'amplified', line: 7 }],
    },
    {
      name: 'two calls inside one retry loop: one finding for the loop',
      code: ESM + LOOP(`client.messages.create(${REQ}).then((a) => client.messages.create(${REQ}))`),
      errors: [{ messageId: 'amplified' }],
    },
    {
      name: 'the helper around a client whose retries are on',
      code: ESM + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}));`,
      errors: [{ messageId: 'amplified', message: 'up to 18 requests per call' }],
      output: ESM + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}, { maxRetries: 0 }));`,
    },
    {
      name: 'an unbounded loop',
      code: ESM + `export async function ask() {\n  while (true) {\n    try { return await client.messages.create(${REQ}); } catch { await new Promise((r) => setTimeout(r, 1000)); }\n  }\n}`,
      errors: [{ messageId: 'amplified', message: 'an unlimited number of requests' }],
    },
    {
      name: 'options from a variable are merged',
      code: ESM + `const opts = { timeout: 1000 };\nexport async function ask() {\n  for (let i = 0; i < 2; i++) { try { return await client.messages.create(${REQ}, opts); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); } }\n}`,
      errors: [{ messageId: 'amplified' }],
      output: ESM + `const opts = { timeout: 1000 };\nexport async function ask() {\n  for (let i = 0; i < 2; i++) { try { return await client.messages.create(${REQ}, { ...opts, maxRetries: 0 }); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); } }\n}`,
    },
    {
      name: 'a client held in a class field, assigned in an init method and used as this.api!',
      code:
        `import Anthropic from "@anthropic-ai/sdk";\n` +
        `export class Summarizer {\n  private api: Anthropic | null = null;\n  init(key: string) { this.api = new Anthropic({ apiKey: key }); }\n` +
        `  async summarize(text: string) {\n    for (let attempt = 0; attempt < 4; attempt++) {\n      try { return await this.api!.messages.create(${REQ}); }\n` +
        `      catch (e: any) { if (e.status < 500 && e.status !== 429) throw e; await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt)); }\n    }\n  }\n}`,
      errors: [{ messageId: 'amplified', line: 7, message: 'up to 12 requests per call' }],
    },
    {
      name: 'a lazy singleton getter (??=)',
      code:
        `import Anthropic from "@anthropic-ai/sdk";\nlet client: Anthropic | undefined;\nfunction getClient() { return (client ??= new Anthropic({ maxRetries: 3 })); }\n` +
        LOOP(`getClient().messages.create(${REQ})`),
      errors: [{ messageId: 'amplified', message: 'up to 20 requests per call' }],
    },
    {
      name: 'a lazy singleton getter (if (!client))',
      code:
        `import Anthropic from "@anthropic-ai/sdk";\nlet client: Anthropic | null = null;\nexport function getClient(): Anthropic {\n  if (!client) client = new Anthropic();\n  return client;\n}\n` +
        LOOP(`getClient().messages.create(${REQ})`),
      errors: [{ messageId: 'amplified', message: 'up to 15 requests per call' }],
    },
    {
      name: 'a parameter whose callers in the file all pass the same client',
      code:
        `import Anthropic from "@anthropic-ai/sdk";\nconst anthropic = new Anthropic();\n` +
        `async function ask(c, prompt: string) {\n  for (let i = 0; i < 3; i++) {\n    try { return await c.messages.create({ model: "m", max_tokens: 64, messages: [{ role: "user", content: prompt }] }); }\n    catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); }\n  }\n}\n` +
        `export const a = () => ask(anthropic, "a");\nexport const b = () => ask(anthropic, "b");`,
      errors: [{ messageId: 'amplified', line: 5, message: 'up to 9 requests per call' }],
    },
    {
      name: 'an explicit maxRetries: 2 on the request is replaced',
      code: ESM + LOOP(`client.messages.create(${REQ}, { maxRetries: 2 })`),
      errors: [{ messageId: 'amplified' }],
      output: ESM + LOOP(`client.messages.create(${REQ}, { maxRetries: 0 })`),
    },
  ],
});

describe('retry-amplification fixes', () => {
  it('offers "replace the wrapper with withRetry" for p-retry, needing the helper', () => {
    const code = ESM + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 4 });`;
    const f = lintText(code, { fileName: 'a.ts' }).findings.find((x) => x.ruleId === 'retry-amplification');
    assert.ok(f && f.fixes);
    const replace = f.fixes.find((x) => x.needsRetryHelper);
    assert.ok(replace, 'a replace fix');
    assert.strictEqual(replace.safe, false);
    assert.strictEqual(
      applyFixes(code, [replace]).text,
      ESM + `import pRetry from "p-retry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}, { maxRetries: 0 }));`,
    );
  });

  it('the maxRetries fix is a suggestion when another caller reaches the call without a retry', () => {
    const code = ESM + `async function ask() { return client.messages.create(${REQ}); }\nexport const once = () => ask();\nexport async function retried() {\n  for (let i = 0; i < 3; i++) { try { return await ask(); } catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); } }\n}`;
    const f = lintText(code, { fileName: 'a.ts' }).findings.find((x) => x.ruleId === 'retry-amplification');
    assert.ok(f && f.fixes && f.fixes.length);
    assert.strictEqual(f.fixes[0].safe, false);
  });

  it('names the wrapper and the worst-case wait in the message and points at the loop', () => {
    const code = ESM + LOOP(`client.messages.create(${REQ})`);
    const f = lintText(code, { fileName: 'a.ts' }).findings.find((x) => x.ruleId === 'retry-amplification');
    assert.ok(f);
    assert.ok(f.message.includes('a 5-attempt for loop'), f.message);
    assert.ok(/waiting up to ~\d+ s/.test(f.message), f.message);
    assert.ok(f.related?.some((r) => code.slice(r.start, r.end) === 'for'));
  });
});

describe('the followed client setting in the retry stack', () => {
  it('names where the setting of a client assigned in an init method comes from', () => {
    const code =
      `import Anthropic from "@anthropic-ai/sdk";\nexport class Bot {\n  private api: Anthropic | null = null;\n  init() {\n    this.api = new Anthropic({ maxRetries: 3 });\n  }\n` +
      `  ask() { return this.api!.messages.create(${REQ}); }\n}`;
    const r = lintText(code, { fileName: 'a.ts' });
    assert.strictEqual(r.calls.length, 1);
    const s = r.calls[0].retryStack!;
    assert.strictEqual(s.sdkMaxRetries, 3);
    assert.strictEqual(s.sdkSource, 'client');
    assert.strictEqual(s.sdkWhere, 'line 5');
  });

  it('names the construction of a client left on the SDK default', () => {
    const code = `import Anthropic from "@anthropic-ai/sdk";\nlet client: Anthropic | undefined;\nconst get = () => (client ??= new Anthropic());\nexport const ask = () => get().messages.create(${REQ});`;
    const s = lintText(code, { fileName: 'a.ts' }).calls[0].retryStack!;
    assert.strictEqual(s.sdkMaxRetries, 2);
    assert.strictEqual(s.sdkSource, 'default');
    assert.strictEqual(s.sdkWhere, 'line 3');
  });
});
