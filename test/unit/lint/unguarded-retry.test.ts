import { ESM, ruleTester } from './ruleTester';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';

ruleTester.run('unguarded-retry', {
  valid: [
    // SDK defaults alone
    ESM + `export const ask = () => client.messages.create(${REQ});`,
    // maxRetries: 1
    'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 1 });\n' + `export const ask = () => client.messages.create(${REQ});`,
    // the helper
    OFF + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}));`,
    // maxRetries: 0 under a library retry
    OFF + `import pRetry, { AbortError } from "p-retry";\nexport const ask = () => pRetry(async () => {\n  try { return await client.messages.create(${REQ}); }\n  catch (e: any) { if (e.status < 500 && e.status !== 429) throw new AbortError(e); throw e; }\n}, { retries: 5, randomize: true });`,
    // the retry lives in another function of the same file
    OFF + `async function ask() { return client.messages.create(${REQ}); }\nexport async function askWithRetry() {\n  for (let i = 0; i < 5; i++) {\n    try { return await ask(); } catch (e: any) { if (e.status < 500 && e.status !== 429) throw e; await new Promise((r) => setTimeout(r, 2 ** i * 1000 * Math.random())); }\n  }\n}`,
    // a bounded, jittered, status-aware loop that reads retry-after
    OFF + `export async function ask() {\n  for (let attempt = 0; attempt < 6; attempt++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) {\n      if (!(err instanceof Anthropic.RateLimitError) && !(err.status >= 500)) throw err;\n      const ra = Number(err.headers?.get?.("retry-after"));\n      await new Promise((r) => setTimeout(r, ra ? ra * 1000 : Math.random() * 1000 * 2 ** attempt));\n    }\n  }\n}`,
    // handed to an opaque function whose name says it retries
    OFF + `import { retryable } from "./lib";\nexport const ask = () => retryable(() => client.messages.create(${REQ}));`,
    // maxRetries from a variable: unknown
    'import Anthropic from "@anthropic-ai/sdk";\ndeclare const n: number;\nconst client = new Anthropic({ maxRetries: n });\n' + `export const ask = () => client.messages.create(${REQ});`,
    // a configured retry wrapper
    { code: OFF + `import { resilient } from "./r";\nexport const ask = () => resilient(() => client.messages.create(${REQ}));`, config: { retryWrappers: ['resilient'] } },
    // the per-request option turns retries back on
    OFF + `export const ask = () => client.messages.create(${REQ}, { maxRetries: 3 });`,
  ],
  invalid: [
    {
      name: 'client with maxRetries: 0 and a bare call',
      code: OFF + `export const ask = () => client.messages.create(${REQ});`,
      errors: [{ messageId: 'unguarded', line: 3, text: 'client.messages.create', message: 'maxRetries: 0 on the client' }],
      output: OFF + `export const ask = () => withRetry(() => client.messages.create(${REQ}));`,
    },
    {
      name: 'maxRetries: 0 on the request',
      code: ESM + `export async function ask() { return await client.messages.create(${REQ}, { maxRetries: 0 }); }`,
      errors: [{ messageId: 'unguarded', message: 'on the request' }],
      output: ESM + `export async function ask() { return await withRetry(() => client.messages.create(${REQ}, { maxRetries: 0 })); }`,
    },
    {
      name: 'a circuit breaker that only counts and rethrows is still unguarded',
      code:
        OFF +
        `class CircuitBreaker {\n  private failures = 0;\n  async call<T>(fn: () => Promise<T>): Promise<T> {\n    if (this.failures >= 5) throw new Error("circuit open");\n    try { const r = await fn(); this.failures = 0; return r; }\n    catch (e) { this.failures++; throw e; }\n  }\n}\nconst breaker = new CircuitBreaker();\nexport const ask = () => breaker.call(() => client.messages.create(${REQ}));`,
      errors: [{ messageId: 'unguarded', line: 12 }],
    },
    {
      name: 'a loop that is not a retry (an agent loop) does not guard the call',
      code: OFF + `export async function run(messages: any[]) {\n  while (true) {\n    const r = await client.messages.create({ model: "m", max_tokens: 512, messages });\n    if (r.stop_reason !== "tool_use") return r;\n    messages.push({ role: "assistant", content: r.content });\n  }\n}`,
      errors: [{ messageId: 'unguarded', line: 5 }],
    },
    {
      name: 'maxRetries: 0 on a client assigned in the constructor of a class',
      code: `import Anthropic from "@anthropic-ai/sdk";\nexport class Chat {\n  private readonly api: Anthropic;\n  constructor() { this.api = new Anthropic({ maxRetries: 0 }); }\n  ask() { return this.api.messages.create(${REQ}); }\n}`,
      errors: [{ messageId: 'unguarded', line: 5, message: 'maxRetries: 0 on the client' }],
    },
    {
      name: 'stream calls are reported without a wrap fix',
      code: OFF + `export async function run() {\n  try { for await (const e of client.messages.stream(${REQ})) console.log(e); } catch (e) { console.error(e); }\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    {
      name: 'the related location points at maxRetries: 0',
      code: OFF + `client.messages.create(${REQ}).then(console.log);`,
      errors: [{ messageId: 'unguarded', line: 3, column: 1 }],
    },
  ],
});
