import { ESM, ruleTester } from './ruleTester';
import { BACKOFF, PY_OFF as PY_LIB_OFF, STAMINA, TENACITY, pyDecorated, pyLoop } from './pythonRetryLibs';

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
    // max_retries=0 under a Python retry library
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=60), retry=retry_if_exception_type(anthropic.OverloadedError))'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.OverloadedError, max_tries=5)'),
    pyDecorated(STAMINA, '@stamina.retry(on=anthropic.OverloadedError)'),
    pyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=20))'),
    pyLoop(TENACITY, 'async AsyncRetrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=20))'),
    pyLoop(STAMINA, 'stamina.retry_context(on=anthropic.OverloadedError, attempts=3)'),
    {
      name: 'a Retrying object called with the function',
      language: 'python',
      code: `${TENACITY}\n${PY_LIB_OFF}\nretryer = Retrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=20))\n\n\ndef ask_once(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n\n\ndef ask(prompt):\n    return retryer(ask_once, prompt)\n`,
    },
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'Anthropic(max_retries=0) and a bare call (its fixes are written in Python: see the python/ tests)',
      code: PY_OFF + 'def ask():\n    return client.messages.create(' + PY_REQ + ')\n',
      errors: [{ messageId: 'unguarded', line: 7, text: 'client.messages.create', message: 'max_retries=0 on the client' }],
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
      name: 'a stream iterated by for await is wrapped in withStreamRetry',
      code: OFF + `export async function run() {\n  try { for await (const e of client.messages.stream(${REQ})) console.log(e); } catch (e) { console.error(e); }\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: OFF + `export async function run() {\n  try { for await (const e of withStreamRetry(() => client.messages.stream(${REQ}))) console.log(e); } catch (e) { console.error(e); }\n}`,
      typeCheck: true,
    },
    {
      name: 'create({ stream: true }) awaited into a variable that for await reads: the await goes into withStreamRetry',
      code: OFF + `export async function run() {\n  const stream = await client.messages.create({ ...${REQ}, stream: true });\n  for await (const event of stream) if (event.type === "content_block_delta") console.log(event.delta);\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: OFF + `export async function run() {\n  const stream = withStreamRetry(() => client.messages.create({ ...${REQ}, stream: true }));\n  for await (const event of stream) if (event.type === "content_block_delta") console.log(event.delta);\n}`,
      typeCheck: true,
    },
    {
      name: 'a MessageStream with a listener chain and finalMessage(): drained through withStreamRetry, helpers read the attempt that went through',
      code: OFF + `export async function run() {\n  const stream = client.messages\n    .stream(${REQ})\n    .on("text", (t) => process.stdout.write(t));\n  const message = await stream.finalMessage();\n  return message.usage;\n}`,
      errors: [{ messageId: 'unguarded' }],
      output:
        OFF +
        `export async function run() {\n  let stream!: ReturnType<typeof client.messages.stream>;\n  for await (const _event of withStreamRetry(() => (stream = client.messages\n    .stream(${REQ})\n    .on("text", (t) => process.stdout.write(t))))) {\n    // each event also reaches the listeners; the helpers below read the attempt that went through\n  }\n  const message = await stream.finalMessage();\n  return message.usage;\n}`,
      typeCheck: true,
    },
    {
      name: 'listeners added in the statements after the declaration are chained on the call that opens each attempt',
      code: OFF + `export class Chat {\n  private readonly api = client;\n  async ask() {\n    const stream = this.api.messages.stream(${REQ});\n    stream.on("text", (t) => process.stdout.write(t));\n    stream.on("error", (e) => console.warn(e.message));\n    console.log(await stream.finalText(), (await stream.finalMessage()).usage);\n  }\n}`,
      errors: [{ messageId: 'unguarded' }],
      output:
        OFF +
        `export class Chat {\n  private readonly api = client;\n  async ask() {\n    let stream!: ReturnType<typeof this.api.messages.stream>;\n    for await (const _event of withStreamRetry(() => (stream = this.api.messages.stream(${REQ})\n      .on("text", (t) => process.stdout.write(t))\n      .on("error", (e) => console.warn(e.message))))) {\n      // each event also reaches the listeners; the helpers below read the attempt that went through\n    }\n    console.log(await stream.finalText(), (await stream.finalMessage()).usage);\n  }\n}`,
      typeCheck: true,
    },
    {
      name: 'in JavaScript the drained variable has no type annotation',
      fileName: 'test.mjs',
      code: OFF + `export async function run() {\n  const stream = client.messages.stream(${REQ}).on("text", (t) => process.stdout.write(t));\n  return (await stream.finalMessage()).content;\n}`,
      errors: [{ messageId: 'unguarded' }],
      // (not type-checked: checkJs cannot see the assignment inside the callback and calls \`stream\` possibly undefined)
      output: OFF + `export async function run() {\n  let stream;\n  for await (const _event of withStreamRetry(() => (stream = client.messages.stream(${REQ}).on("text", (t) => process.stdout.write(t))))) {\n    // each event also reaches the listeners; the helpers below read the attempt that went through\n  }\n  return (await stream.finalMessage()).content;\n}`,
    },
    {
      name: 'a stream used between its creation and its first await: no withStreamRetry fix (draining would reorder the code)',
      code: OFF + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  console.log("started");\n  return await stream.finalMessage();\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    {
      name: 'a stream returned to the caller: no withStreamRetry fix',
      code: OFF + `export function open() {\n  return client.messages.stream(${REQ});\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    {
      name: 'a stream iterated twice: no fix (withStreamRetry would send two requests)',
      code: OFF + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  for await (const e of stream) console.log(e.type);\n  for await (const e of stream) console.log(e.type);\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    {
      name: 'a stream whose controller is read: no withStreamRetry, withRetry still retries the opening request',
      code: OFF + `export async function run() {\n  const stream = await client.messages.create({ ...${REQ}, stream: true });\n  setTimeout(() => stream.controller.abort(), 5000);\n  for await (const e of stream) console.log(e.type);\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: OFF + `export async function run() {\n  const stream = await withRetry(() => client.messages.create({ ...${REQ}, stream: true }));\n  setTimeout(() => stream.controller.abort(), 5000);\n  for await (const e of stream) console.log(e.type);\n}`,
      typeCheck: true,
    },
    {
      name: 'create({ stream: true }) returned to the caller keeps withRetry around the opening request',
      code: OFF + `export function open() {\n  return client.messages.create({ ...${REQ}, stream: true });\n}`,
      errors: [{ messageId: 'unguarded' }],
      output: OFF + `export function open() {\n  return withRetry(() => client.messages.create({ ...${REQ}, stream: true }));\n}`,
      typeCheck: true,
    },
    {
      name: 'the related location points at maxRetries: 0',
      code: OFF + `client.messages.create(${REQ}).then(console.log);`,
      errors: [{ messageId: 'unguarded', line: 3, column: 1 }],
    },
    {
      name: 'max_retries=0 in Python with nothing around the call',
      language: 'python',
      code: `${PY_LIB_OFF}\n\ndef ask(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n`,
      errors: [{ messageId: 'unguarded', line: 7, text: 'client.messages.create' }],
    },
    // Python streams: with_stream_retry where the rewrite keeps the code working
    {
      language: 'python',
      name: 'a for loop over create(stream=True) iterates with_stream_retry',
      code: PY_OFF + 'def run():\n    for event in client.messages.create(' + PY_REQ + ', stream=True):\n        print(event.type)\n',
      errors: [{ messageId: 'unguarded' }],
      output: PY_OFF + 'def run():\n    for event in with_stream_retry(lambda: client.messages.create(' + PY_REQ + ', stream=True)):\n        print(event.type)\n',
    },
    {
      language: 'python',
      name: 'async for over an awaited create(stream=True): the await goes, async_with_stream_retry awaits it',
      code: 'import anthropic\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def run():\n    async for event in await client.messages.create(' + PY_REQ + ', stream=True):\n        print(event.type)\n',
      errors: [{ messageId: 'unguarded' }],
      output: 'import anthropic\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def run():\n    async for event in async_with_stream_retry(lambda: client.messages.create(' + PY_REQ + ', stream=True)):\n        print(event.type)\n',
    },
    {
      language: 'python',
      name: 'a stream variable whose one use is a for loop: wrapped at the declaration',
      code: PY_OFF + 'def run():\n    stream = client.messages.create(' + PY_REQ + ', stream=True)\n    for event in stream:\n        print(event.type)\n',
      errors: [{ messageId: 'unguarded' }],
      output: PY_OFF + 'def run():\n    stream = with_stream_retry(lambda: client.messages.create(' + PY_REQ + ', stream=True))\n    for event in stream:\n        print(event.type)\n',
    },
    {
      language: 'python',
      name: 'with messages.stream(...) as stream holding only a loop over it: the loop iterates with_stream_retry, the with goes',
      code: PY_OFF + 'def run():\n    with client.messages.stream(' + PY_REQ + ') as stream:\n        for event in stream:\n            if event.type == "text":\n                print(event.text, end="")\n    print()\n',
      errors: [{ messageId: 'unguarded' }],
      output: PY_OFF + 'def run():\n    for event in with_stream_retry(lambda: client.messages.stream(' + PY_REQ + ')):\n        if event.type == "text":\n            print(event.text, end="")\n    print()\n',
    },
    {
      language: 'python',
      name: 'async with messages.stream(...) and async for: async_with_stream_retry enters the manager',
      code: 'import anthropic\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def run():\n    async with client.messages.stream(' + PY_REQ + ') as stream:\n        async for event in stream:\n            print(event.type)\n',
      errors: [{ messageId: 'unguarded' }],
      output: 'import anthropic\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def run():\n    async for event in async_with_stream_retry(lambda: client.messages.stream(' + PY_REQ + ')):\n        print(event.type)\n',
    },
    {
      language: 'python',
      name: 'a stream whose get_final_message() is read after the loop: no fix',
      code: PY_OFF + 'def run():\n    with client.messages.stream(' + PY_REQ + ') as stream:\n        for event in stream:\n            print(event.type)\n        return stream.get_final_message()\n',
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    {
      language: 'python',
      name: 'text_stream read from the stream: no fix',
      code: PY_OFF + 'def run():\n    with client.messages.stream(' + PY_REQ + ') as stream:\n        for text in stream.text_stream:\n            print(text, end="")\n',
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    {
      language: 'python',
      name: 'a create(stream=True) returned to the caller: no fix',
      code: PY_OFF + 'def open_stream():\n    return client.messages.create(' + PY_REQ + ', stream=True)\n',
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    {
      language: 'python',
      name: 'a stream variable iterated twice: no fix',
      code: PY_OFF + 'def run():\n    stream = client.messages.create(' + PY_REQ + ', stream=True)\n    for event in stream:\n        print(event.type)\n    for event in stream:\n        print(event.type)\n',
      errors: [{ messageId: 'unguarded' }],
      output: null,
    },
    // a tenacity retry on results never retries an error
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(3), retry=retry_if_result(lambda r: not r.content))'), errors: [{ messageId: 'unguarded' }] },
  ],
});
