import { ESM, ruleTester } from './ruleTester';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';

// Python
const PY_OFF = 'import anthropic\nimport random\nimport time\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';
const PY_LOOP = (call: string) =>
  `def ask():\n    for attempt in range(5):\n        try:\n            return ${call}\n        except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.OverloadedError, anthropic.APIConnectionError) as e:\n            retry_after = e.response.headers.get("retry-after") if getattr(e, "response", None) else None\n            time.sleep(float(retry_after) if retry_after else random.uniform(0, 2 ** attempt))\n    raise RuntimeError("Claude is unavailable")\n`;

ruleTester.run('unguarded-retry', {
  valid: [
    // Python
    { language: 'python', name: 'max_retries=0 under a bounded, status-aware for loop', code: PY_OFF + PY_LOOP(`client.messages.create(${PY_REQ})`) },
    { language: 'python', name: 'the SDK default alone', code: 'import anthropic\n\nclient = anthropic.Anthropic()\n\ndef ask():\n    return client.messages.create(' + PY_REQ + ')\n' },
    { language: 'python', name: 'the Python retry helper', code: PY_OFF + 'from claude_retry import with_retry\n\ndef ask():\n    return with_retry(lambda: client.messages.create(' + PY_REQ + '))\n' },
    { language: 'python', name: 'the helper module imported whole, async', code: 'import anthropic\nfrom app import claude_retry\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def ask():\n    return await claude_retry.async_with_retry(lambda: client.messages.create(' + PY_REQ + '))\n' },
    { language: 'python', name: 'with_options(max_retries=3) turns retries back on for one call', code: PY_OFF + 'def ask():\n    return client.with_options(max_retries=3).messages.create(' + PY_REQ + ')\n' },
    { language: 'python', name: 'max_retries from the environment: unknown', code: 'import os\nimport anthropic\n\nclient = anthropic.Anthropic(max_retries=int(os.environ["RETRIES"]))\n\ndef ask():\n    return client.messages.create(' + PY_REQ + ')\n' },
    { language: 'python', name: 'a retry decorator (tenacity) around the function', code: PY_OFF + 'from tenacity import retry, stop_after_attempt, wait_random_exponential\n\n@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(1, 60))\ndef ask():\n    return client.messages.create(' + PY_REQ + ')\n' },
    {
      language: 'python',
      name: 'a recursive retry with a keyword counter',
      code: PY_OFF + 'def ask(prompt, attempt=0):\n    try:\n        return client.messages.create(' + PY_REQ + ')\n    except anthropic.RateLimitError:\n        if attempt >= 4:\n            raise\n        time.sleep(2 ** attempt)\n        return ask(prompt, attempt=attempt + 1)\n',
    },
    {
      language: 'python',
      name: 'while True with a counter and a status check',
      code: PY_OFF + 'def ask():\n    attempt = 0\n    while True:\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.APIStatusError as e:\n            attempt += 1\n            if e.status_code not in (429, 529) or attempt >= 5:\n                raise\n            time.sleep(min(30, 2 ** attempt) * random.random())\n',
    },
    {
      language: 'python',
      name: 'AsyncAnthropic with asyncio.sleep in the retry of a same-file caller',
      code: 'import asyncio\nimport anthropic\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def once(prompt):\n    return await client.messages.create(' + PY_REQ + ')\n\nasync def ask(prompt):\n    for attempt in range(1, 6):\n        try:\n            return await once(prompt)\n        except (anthropic.RateLimitError, anthropic.APIConnectionError):\n            await asyncio.sleep(2 ** attempt)\n    raise RuntimeError("unavailable")\n',
    },
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
    // a retry loop that reads stop_reason and tool_use blocks to build what it returns is still a retry
    {
      name: 'a retry loop in a service class that reads stop_reason is a retry, not an agent loop',
      code:
        OFF +
        `interface Completion { text: string; truncated: boolean; toolCalls: unknown[] }\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport class CompletionService {\n  constructor(private readonly model = "claude-sonnet-4-5") {}\n  async complete(prompt: string): Promise<Completion> {\n    const params = { model: this.model, max_tokens: 1024, messages: [{ role: "user" as const, content: prompt }] };\n    for (let attempt = 0; attempt < 4; attempt++) {\n      try {\n        const res = await client.messages.create(params);\n        const text = res.content.map((b: any) => (b.type === "text" ? b.text : "")).join("");\n        return { text, truncated: res.stop_reason === "max_tokens", toolCalls: res.content.filter((b: any) => b.type === "tool_use") };\n      } catch (err: any) {\n        if (![408, 409, 429, 500, 529].includes(err.status)) throw err;\n        await sleep(2 ** attempt * 1000 * (0.5 + Math.random()));\n      }\n    }\n    throw new Error("Claude is unavailable");\n  }\n}`,
    },
    // the same in a while loop that ends on stop_reason "end_turn" reads (no new request is built)
    OFF + `export async function ask(prompt: string) {\n  let tries = 0;\n  while (tries < 3) {\n    try {\n      const r = await client.messages.create({ model: "m", max_tokens: 512, messages: [{ role: "user", content: prompt }] });\n      if (r.stop_reason === "end_turn" || r.stop_reason === "tool_use") return r;\n      return r;\n    } catch (e: any) {\n      tries++;\n      if (e.status !== 429 && e.status < 500) throw e;\n      await new Promise((res) => setTimeout(res, 1000 * 2 ** tries * Math.random()));\n    }\n  }\n}`,
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
    // Python
    {
      language: 'python',
      name: 'Anthropic(max_retries=0) and a bare call (no fix written in JS syntax)',
      code: PY_OFF + 'def ask():\n    return client.messages.create(' + PY_REQ + ')\n',
      errors: [{ messageId: 'unguarded', line: 7, text: 'client.messages.create', message: 'max_retries=0 on the client' }],
      output: null,
    },
    {
      language: 'python',
      name: 'client.with_options(max_retries=0) on one call',
      code: 'import anthropic\n\nclient = anthropic.Anthropic()\n\ndef ask():\n    return client.with_options(max_retries=0).messages.create(' + PY_REQ + ')\n',
      errors: [{ messageId: 'unguarded', line: 6, message: 'max_retries=0 on the request' }],
    },
    {
      language: 'python',
      name: 'AnthropicBedrock(max_retries=0) from anthropic',
      code: 'from anthropic import AnthropicBedrock\n\nbedrock = AnthropicBedrock(aws_region="us-east-1", max_retries=0)\nbedrock.messages.create(' + PY_REQ + ')\n',
      errors: [{ messageId: 'unguarded', line: 4, text: 'bedrock.messages.create' }],
    },
    {
      language: 'python',
      name: 'AsyncAnthropic, a chain of with_options calls',
      code: 'from anthropic import AsyncAnthropic\n\nclient = AsyncAnthropic()\nfast = client.with_options(timeout=5.0).with_options(max_retries=0)\n\nasync def ask():\n    return await fast.messages.create(' + PY_REQ + ')\n',
      errors: [{ messageId: 'unguarded', line: 7 }],
    },
    {
      language: 'python',
      name: 'an agent loop that appends to messages does not guard the call',
      code: PY_OFF + 'def run(messages):\n    while True:\n        r = client.messages.create(model="m", max_tokens=512, messages=messages)\n        if r.stop_reason != "tool_use":\n            return r\n        messages.append({"role": "assistant", "content": r.content})\n',
      errors: [{ messageId: 'unguarded', line: 8 }],
    },
    {
      language: 'python',
      name: 'a loop over inputs that logs failures does not guard the call',
      code: PY_OFF + 'def run(texts):\n    out = []\n    for text in texts:\n        try:\n            out.append(client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": text}]))\n        except anthropic.APIError as e:\n            print(e)\n    return out\n',
      errors: [{ messageId: 'unguarded', line: 10 }],
    },
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
      name: 'an agent loop that rebuilds its messages array (with a catch that continues) does not guard the call',
      code: OFF + `export async function chat(question: string) {\n  let messages: any[] = [{ role: "user", content: question }];\n  for (let turn = 0; turn < 8; turn++) {\n    let r;\n    try {\n      r = await client.messages.create({ model: "m", max_tokens: 512, messages });\n    } catch (e) {\n      console.warn("turn failed", e);\n      continue;\n    }\n    if (r.stop_reason !== "tool_use") return r;\n    messages = [...messages, { role: "assistant", content: r.content }, { role: "user", content: await runTools(r) }];\n  }\n}\ndeclare function runTools(r: unknown): Promise<any[]>;`,
      errors: [{ messageId: 'unguarded', line: 8 }],
    },
    {
      name: 'a tool loop that pushes tool results into the request it sends next does not guard the call',
      code: OFF + `export async function agent(params: { model: string; max_tokens: number; messages: any[] }) {\n  while (true) {\n    try {\n      const r = await client.messages.create(params);\n      if (r.stop_reason !== "tool_use") return r;\n      params.messages.push({ role: "assistant", content: r.content });\n      params.messages.push({ role: "user", content: r.content.filter((b: any) => b.type === "tool_use").map((b: any) => ({ type: "tool_result", tool_use_id: b.id, content: "ok" })) });\n    } catch (e) {\n      console.error(e);\n    }\n  }\n}`,
      errors: [{ messageId: 'unguarded', line: 6 }],
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
