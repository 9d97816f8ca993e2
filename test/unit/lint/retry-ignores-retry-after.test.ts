import { ruleTester } from './ruleTester';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';
const loop = (catchBody: string) =>
  OFF + `export async function ask() {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { ${catchBody} }\n  }\n}`;

ruleTester.run('retry-ignores-retry-after', {
  valid: [
    // a failover moves a rate-limited attempt to another model instead of waiting
    OFF + `const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5"];\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function ask(prompt: string) {\n  for (const model of MODELS) {\n    try { return await client.messages.create({ model, max_tokens: 64, messages: [{ role: "user", content: prompt }] }); }\n    catch (e: any) { if (e.status !== 429 && e.status !== 529) throw e; await sleep(250); }\n  }\n}`,
    // reads retry-after
    loop(`if (err.status !== 429 && err.status < 500) throw err; const ra = Number(err.headers?.get?.("retry-after") ?? 0) * 1000; await new Promise((r) => setTimeout(r, Math.max(ra, Math.random() * 1000 * 2 ** attempt)));`),
    loop(`if (!(err instanceof Anthropic.RateLimitError)) throw err; const retryAfter = parseInt(err.headers?.["retry-after"] ?? "1"); await new Promise((r) => setTimeout(r, retryAfter * 1000));`),
    // retries only 5xx: 429s are not retried here
    loop(`if (!(err.status >= 500)) throw err; await new Promise((r) => setTimeout(r, Math.random() * 1000 * 2 ** attempt));`),
    // a same-file delay function that reads the header
    OFF + `function waitFor(err: any, n: number) { const h = err.headers?.get?.("retry-after-ms"); return new Promise((r) => setTimeout(r, h ? Number(h) : 1000 * 2 ** n)); }\nexport async function ask() {\n  for (let i = 0; i < 4; i++) { try { return await client.messages.create(${REQ}); } catch (err: any) { if (err.status !== 429) throw err; await waitFor(err, i); } }\n}`,
    // libraries are left alone (p-retry with AbortError is a correct shape)
    OFF + `import pRetry, { AbortError } from "p-retry";\nexport const ask = () => pRetry(async () => { try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status < 500 && e.status !== 429) throw new AbortError(e); throw e; } }, { retries: 4 });`,
    OFF + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}));`,
    // SDK defaults alone (the SDK honours retry-after)
    'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\n' + `export const ask = () => client.messages.create(${REQ});`,
  ],
  invalid: [
    {
      name: 'the result kept in a const and returned: replaced with withRetry, which waits for retry-after',
      code: OFF + `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function ask() {\n  let attempt = 0;\n  while (true) {\n    try {\n      const message = await client.messages.create(${REQ});\n      return message;\n    } catch (err: any) {\n      if (err.status !== 429 || ++attempt >= 5) throw err;\n      await sleep(1000 * 2 ** attempt * Math.random());\n    }\n  }\n}`,
      errors: [{ messageId: 'ignores' }],
      output: OFF + `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function ask() {\n  return await withRetry(() => client.messages.create(${REQ}), { maxAttempts: 5 });\n}`,
      typeCheck: true,
    },
    {
      name: 'RateLimitError retried on a fixed exponential schedule',
      code: loop(`if (!(err instanceof Anthropic.RateLimitError)) throw err; await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));`),
      errors: [{ messageId: 'ignores', line: 4, text: 'for' }],
    },
    {
      name: 'a status set with 429 and no header read',
      code: OFF + `const RETRYABLE = [429, 500, 529];\nexport async function ask() {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { if (!RETRYABLE.includes(err.status)) throw err; await new Promise((r) => setTimeout(r, Math.random() * 1000 * 2 ** attempt)); }\n  }\n}`,
      errors: [{ messageId: 'ignores' }],
    },
    {
      name: 'a catch-all loop that waits retries 429s too',
      code: loop(`await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));`),
      errors: [{ messageId: 'ignores' }],
    },
  ],
});
