import { ruleTester } from './ruleTester';
import { BACKOFF, STAMINA, TENACITY, pyDecorated, pyLoop as libPyLoop } from './pythonRetryLibs';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const DEFAULT = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';
const loop = (catchBody: string, head = 'for (let attempt = 0; attempt < 4; attempt++)') =>
  OFF + `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function ask() {\n  ${head} {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { if (err.status < 500 && err.status !== 429) throw err; ${catchBody} }\n  }\n}`;

// Python
const PY_OFF = 'import anthropic\nimport asyncio\nimport random\nimport time\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';
/** A Python retry loop around the call; `handler` is the except clause(s), indented by 8 spaces. */
const pyLoop = (handler: string, head = 'for attempt in range(5):') => PY_OFF + `def ask():\n    ${head}\n        try:\n            return client.messages.create(${PY_REQ})\n${handler}\n    raise RuntimeError("Claude is unavailable")\n`;

ruleTester.run('retry-no-backoff', {
  valid: [
    // Python
    { language: 'python', name: 'time.sleep(2 ** attempt)', code: pyLoop('        except anthropic.RateLimitError:\n            time.sleep(2 ** attempt)') },
    { language: 'python', name: 'min(cap, base * 2 ** attempt) with full jitter', code: pyLoop('        except anthropic.RateLimitError:\n            time.sleep(random.uniform(0, min(30.0, 0.5 * 2 ** attempt)))') },
    { language: 'python', name: 'delay *= 2 with await asyncio.sleep', code: 'import anthropic\nimport asyncio\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def ask():\n    delay = 1.0\n    for attempt in range(5):\n        try:\n            return await client.messages.create(' + PY_REQ + ')\n        except anthropic.OverloadedError:\n            await asyncio.sleep(delay)\n            delay *= 2\n' },
    { language: 'python', name: 'a same-file sleep function handed the attempt', code: PY_OFF + 'def _backoff(attempt):\n    time.sleep(min(60, 2 ** attempt) * random.random())\n\ndef ask():\n    for attempt in range(5):\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.RateLimitError:\n            _backoff(attempt)\n' },
    { language: 'python', name: 'await anyio.sleep growing with the attempt', code: 'import anthropic\nimport anyio\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def ask():\n    for attempt in range(1, 6):\n        try:\n            return await client.messages.create(' + PY_REQ + ')\n        except anthropic.APIConnectionError:\n            await anyio.sleep(attempt * 2)\n' },
    loop('await sleep(1000 * 2 ** attempt);'),
    loop('await sleep(Math.min(30000, 500 * Math.pow(2, attempt)) * Math.random());'),
    loop('await sleep(1000 * (attempt + 1));'),
    // an accumulator
    OFF + `export async function ask() {\n  let delay = 250;\n  for (let i = 0; i < 5; i++) {\n    try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status < 500) throw e; await new Promise((r) => setTimeout(r, delay)); delay = Math.min(delay * 2, 8000); }\n  }\n}`,
    // a same-file backoff function
    OFF + `function backoff(n: number) { return new Promise((r) => setTimeout(r, 2 ** n * 1000 * Math.random())); }\nexport async function ask() {\n  for (let i = 0; i < 5; i++) { try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status < 500) throw e; await backoff(i); } }\n}`,
    // the helper and good libraries
    OFF + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}));`,
    OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 3, shouldRetry: () => true });`,
    // a failover across models moves on at once: each attempt goes to another model
    OFF + `const FALLBACK_MODELS = ["claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"];\nexport class Completer {\n  async complete(prompt: string) {\n    let lastError: unknown;\n    for (const model of FALLBACK_MODELS) {\n      try {\n        return await client.messages.create({ model, max_tokens: 1024, messages: [{ role: "user", content: prompt }] });\n      } catch (err: any) {\n        if (err.status !== 529 && err.status !== 429 && err.status !== 404) throw err;\n        lastError = err;\n      }\n    }\n    throw lastError;\n  }\n}`,
    // a failover across API keys, one client per key
    OFF + `const KEYS = [process.env.ANTHROPIC_KEY_A, process.env.ANTHROPIC_KEY_B];\nexport async function ask(prompt: string) {\n  for (let i = 0; i < KEYS.length; i++) {\n    const c = new Anthropic({ apiKey: KEYS[i], maxRetries: 0 });\n    try { return await c.messages.create({ model: "m", max_tokens: 64, messages: [{ role: "user", content: prompt }] }); }\n    catch (err: any) { if (err.status !== 429 && err.status !== 401) throw err; }\n  }\n}`,
    // a single retry after a fixed wait (2 attempts): nothing could grow
    loop('if (err.status !== 529) throw err; await sleep(2000);', 'for (let attempt = 0; attempt < 2; attempt++)'),
    // not a retry at all
    OFF + `export async function run(items: string[]) { for (const content of items) { try { await client.messages.create({ model: "m", max_tokens: 9, messages: [{ role: "user", content }] }); } catch (e) { console.error(e); } } }`,
    // Python retry libraries
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(multiplier=1, max=60))'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=60) + wait_random(0, 1))'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=1, max=30))'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_chain(wait_fixed(1), wait_fixed(5), wait_fixed(30)))'),
    // a single retry after a fixed wait has nothing that could grow
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(2), wait=wait_fixed(2))'),
    libPyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=20))'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5)'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.fibo, anthropic.RateLimitError, max_tries=5)'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5, jitter=None, factor=2, max_value=30)'),
    pyDecorated(STAMINA, '@stamina.retry(on=anthropic.RateLimitError, attempts=5)'),
    libPyLoop(STAMINA, 'stamina.retry_context(on=anthropic.APIConnectionError, attempts=3)'),
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'no wait at all',
      code: pyLoop('        except anthropic.RateLimitError:\n            continue'),
      errors: [{ messageId: 'noWait', line: 8, text: 'for' }],
    },
    {
      language: 'python',
      name: 'time.sleep(1) every time',
      code: pyLoop('        except anthropic.RateLimitError:\n            time.sleep(1)'),
      errors: [{ messageId: 'constant', line: 8, message: 'e.g. with_retry from the retry helper' }],
    },
    {
      language: 'python',
      name: 'a random wait that never grows',
      code: pyLoop('        except anthropic.OverloadedError:\n            time.sleep(random.uniform(1, 3))'),
      errors: [{ messageId: 'flat', line: 8 }],
    },
    {
      language: 'python',
      name: 'await asyncio.sleep(2) in a while loop with a counter',
      code: 'import anthropic\nimport asyncio\n\nclient = anthropic.AsyncAnthropic(max_retries=0)\n\nasync def ask():\n    attempt = 0\n    while attempt < 5:\n        attempt += 1\n        try:\n            return await client.messages.create(' + PY_REQ + ')\n        except anthropic.RateLimitError:\n            await asyncio.sleep(2)\n',
      errors: [{ messageId: 'constant', line: 8, text: 'while' }],
    },
    {
      name: 'no wait at all',
      code: loop('console.warn("retrying");'),
      errors: [{ messageId: 'noWait', line: 5, text: 'for' }],
    },
    {
      name: 'a constant wait',
      code: loop('await sleep(2000);'),
      errors: [{ messageId: 'constant', text: 'for' }],
    },
    {
      name: 'a jittered wait that never grows',
      code: loop('await sleep(500 * Math.random());'),
      errors: [{ messageId: 'flat', text: 'for' }],
    },
    {
      name: 'a constant wait through a const',
      code: OFF + `const RETRY_DELAY = 1500;\nexport async function ask() {\n  let n = 0;\n  while (n < 3) {\n    try { return await client.messages.create(${REQ}); } catch (e: any) { n++; if (e.status === 400) throw e; await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY)); }\n  }\n}`,
      errors: [{ messageId: 'constant', text: 'while' }],
    },
    {
      name: 'p-retry with factor 1',
      code: OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 3, factor: 1, shouldRetry: () => true });`,
      errors: [{ messageId: 'constant', text: 'pRetry' }],
    },
    {
      name: 'cockatiel with a constant backoff',
      code: OFF + `import { retry, handleWhen, ConstantBackoff } from "cockatiel";\nconst policy = retry(handleWhen((e: any) => e.status >= 500), { maxAttempts: 3, backoff: new ConstantBackoff(50) });\nexport const ask = () => policy.execute(() => client.messages.create(${REQ}));`,
      errors: [{ messageId: 'constant', text: 'policy.execute' }],
    },
    {
      name: 'a loop that is only the call, a counter rethrow and logging: replaced with withRetry (same attempts)',
      code: OFF + `export async function ask() {\n  for (let attempt = 0; attempt < 4; attempt++) {\n    try {\n      return await client.messages.create(${REQ});\n    } catch (err) {\n      if (attempt === 3) throw err;\n      console.warn("retrying", err);\n    }\n  }\n}`,
      errors: [{ messageId: 'noWait', text: 'for' }],
      output: OFF + `export async function ask() {\n  return await withRetry(() => client.messages.create(${REQ}), { maxAttempts: 4 });\n}`,
      typeCheck: true,
    },
    {
      name: 'the last error kept in a variable and thrown after the loop: counter, variable and throw go; the SDK retries are turned off',
      code: DEFAULT + `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function ask(prompt: string) {\n  let lastError: unknown;\n  let attempt = 0;\n  while (attempt < 3) {\n    try {\n      return await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: prompt }] });\n    } catch (err) {\n      lastError = err;\n      attempt++;\n      await sleep(1000);\n    }\n  }\n  throw lastError;\n}`,
      errors: [{ messageId: 'constant', text: 'while' }],
      output: DEFAULT + `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function ask(prompt: string) {\n  return await withRetry(() => client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: prompt }] }, { maxRetries: 0 }), { maxAttempts: 3 });\n}`,
      typeCheck: true,
    },
    {
      name: 'a loop that gives up with an error of its own: no loop fix (withRetry would throw the last API error)',
      code: OFF + `export async function ask() {\n  for (let i = 0; i < 3; i++) {\n    try { return await client.messages.create(${REQ}); } catch (e) { console.warn(e); }\n  }\n  throw new Error("Claude is unavailable");\n}`,
      errors: [{ messageId: 'noWait' }],
      output: null,
    },
    {
      name: 'a loop that falls through after its last attempt (returns undefined): no loop fix',
      code: loop('console.warn("retrying");'),
      errors: [{ messageId: 'noWait' }],
      output: null,
    },
    {
      name: 'a loop with another effect in the catch: no loop fix',
      code: OFF + `declare const metrics: { increment(name: string): void };\nexport async function ask() {\n  for (let i = 0; i < 3; i++) {\n    try { return await client.messages.create(${REQ}); } catch (e) { if (i === 2) throw e; metrics.increment("retry"); }\n  }\n}`,
      errors: [{ messageId: 'noWait' }],
      output: null,
    },
    {
      name: 'a request that changes between attempts: no loop fix',
      code: OFF + `export async function ask() {\n  for (let i = 0; i < 3; i++) {\n    try { return await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 256 * (i + 1), messages: [{ role: "user", content: "Hi" }] }); } catch (e) { if (i === 2) throw e; }\n  }\n}`,
      errors: [{ messageId: 'noWait' }],
      output: null,
    },
    {
      name: 'a recursion that retries at once',
      code: OFF + `export async function ask(retries = 2): Promise<any> {\n  try { return await client.messages.create(${REQ}); } catch (e: any) { if (retries <= 0 || e.status < 500) throw e; return ask(retries - 1); }\n}`,
      errors: [{ messageId: 'noWait', text: 'ask(retries - 1)' }],
    },
    // Python retry libraries: tenacity waits nothing unless told to
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5))'), errors: [{ messageId: 'noWait', line: 7, text: 'retry', message: '@retry (around ask())' }] },
    { ...pyDecorated(TENACITY, '@retry'), errors: [{ messageId: 'noWait' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_fixed(2))'), errors: [{ messageId: 'constant', text: 'retry' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random(1, 3))'), errors: [{ messageId: 'flat' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=2, max=2))'), errors: [{ messageId: 'constant' }] },
    { ...libPyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(3))'), errors: [{ messageId: 'noWait', text: 'Retrying' }] },
    // backoff jitters every wait by default (full jitter): a constant interval stays flat
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.constant, anthropic.RateLimitError, max_tries=5)'), errors: [{ messageId: 'flat', text: 'backoff.on_exception' }] },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.constant, anthropic.RateLimitError, max_tries=5, interval=3, jitter=None)'), errors: [{ messageId: 'constant' }] },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5, base=1)'), errors: [{ messageId: 'flat' }] },
    { ...pyDecorated(STAMINA, '@stamina.retry(on=anthropic.RateLimitError, attempts=5, wait_exp_base=1)'), errors: [{ messageId: 'flat', text: 'stamina.retry' }] },
    { ...pyDecorated(STAMINA, '@stamina.retry(on=anthropic.RateLimitError, attempts=5, wait_initial=0, wait_jitter=0)'), errors: [{ messageId: 'noWait' }] },
  ],
});
