import { ruleTester } from './ruleTester';
import { BACKOFF, PY_OFF as PY_LIB_OFF, STAMINA, TENACITY, pyDecorated, pyLoop as libPyLoop } from './pythonRetryLibs';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';
const CATCH = 'catch (e: any) { if (e.status < 500 && e.status !== 429) throw e; await new Promise((r) => setTimeout(r, Math.random() * 1000 * 2 ** n)); }';

// Python
const PY_OFF = 'import anthropic\nimport asyncio\nimport random\nimport time\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';
/** A Python retry loop around the call; `handler` is the except clause(s), indented by 8 spaces. */
const pyLoop = (handler: string, head = 'for attempt in range(5):') => PY_OFF + `def ask():\n    ${head}\n        try:\n            return client.messages.create(${PY_REQ})\n${handler}\n    raise RuntimeError("Claude is unavailable")\n`;

ruleTester.run('retry-unbounded', {
  valid: [
    // Python
    { language: 'python', name: 'for attempt in range(5)', code: pyLoop('        except anthropic.RateLimitError as e:\n            retry_after = e.response.headers.get("retry-after")\n            time.sleep(float(retry_after) if retry_after else random.uniform(0, 2 ** attempt))') },
    { language: 'python', name: 'while attempt < MAX_ATTEMPTS', code: PY_OFF + 'MAX_ATTEMPTS = 5\n\ndef ask():\n    attempt = 0\n    while attempt < MAX_ATTEMPTS:\n        attempt += 1\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.RateLimitError as e:\n            retry_after = e.response.headers.get("retry-after")\n            time.sleep(float(retry_after) if retry_after else random.uniform(0, 2 ** attempt))\n' },
    { language: 'python', name: 'while True with a time budget', code: PY_OFF + 'def ask():\n    start = time.monotonic()\n    attempt = 0\n    while time.monotonic() - start < 120:\n        attempt += 1\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.RateLimitError as e:\n            retry_after = e.response.headers.get("retry-after")\n            time.sleep(float(retry_after) if retry_after else random.uniform(0, 2 ** attempt))\n' },
    { language: 'python', name: 'a recursion with a counter parameter', code: PY_OFF + 'def ask(prompt, attempt=0):\n    try:\n        return client.messages.create(' + PY_REQ + ')\n    except anthropic.RateLimitError:\n        if attempt >= 5:\n            raise\n        time.sleep(2 ** attempt)\n        return ask(prompt, attempt + 1)\n' },
    OFF + `export async function ask() {\n  for (let n = 0; n < 5; n++) { try { return await client.messages.create(${REQ}); } ${CATCH} }\n}`,
    // a failover that cycles through models is not reported as unbounded
    OFF + `const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5"];\nexport async function ask(prompt: string) {\n  let i = 0;\n  while (true) {\n    const model = MODELS[i % MODELS.length];\n    try { return await client.messages.create({ model, max_tokens: 64, messages: [{ role: "user", content: prompt }] }); }\n    catch (e: any) { if (e.status !== 529) throw e; i++; }\n  }\n}`,
    // a cap inside the catch
    OFF + `export async function ask() {\n  let n = 0;\n  while (true) {\n    try { return await client.messages.create(${REQ}); }\n    catch (e: any) { if (++n >= 5) throw e; await new Promise((r) => setTimeout(r, 1000 * 2 ** n)); }\n  }\n}`,
    // a time budget
    OFF + `export async function ask() {\n  const started = Date.now();\n  let n = 0;\n  for (;;) {\n    try { return await client.messages.create(${REQ}); }\n    catch (e: any) { n++; if (Date.now() - started > 120000) throw e; await new Promise((r) => setTimeout(r, 1000 * 2 ** n)); }\n  }\n}`,
    OFF + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}));`,
    OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 5, shouldRetry: () => true });`,
    // an agent loop with while (true)
    OFF + `export async function run(messages: any[]) {\n  while (true) {\n    const r = await client.messages.create({ model: "m", max_tokens: 9, messages });\n    if (r.stop_reason !== "tool_use") return r;\n    messages.push({ role: "user", content: "tool output" });\n  }\n}`,
    // a recursion with a counter
    OFF + `export async function ask(attempt = 0): Promise<any> {\n  try { return await client.messages.create(${REQ}); }\n  catch (e) { if (attempt >= 4) throw e; await new Promise((r) => setTimeout(r, 2 ** attempt * 1000)); return ask(attempt + 1); }\n}`,
    // Python retry libraries
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(multiplier=1, max=60))'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_delay(120), wait=wait_random_exponential(max=30))'),
    pyDecorated(TENACITY, '@retry(stop=(stop_after_attempt(5) | stop_after_delay(60)), wait=wait_random_exponential())'),
    libPyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=20))'),
    libPyLoop(TENACITY, 'async AsyncRetrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=20))'),
    // a retry on results only never retries an error
    pyDecorated(TENACITY, '@retry(retry=retry_if_result(lambda r: r is None))'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5)'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_time=60)'),
    // stamina's defaults: 10 attempts within 45 s
    pyDecorated(STAMINA, '@stamina.retry(on=anthropic.RateLimitError)'),
    pyDecorated(STAMINA, '@stamina.retry(on=anthropic.RateLimitError, attempts=None)'),
    libPyLoop(STAMINA, 'stamina.retry_context(on=anthropic.APIConnectionError, attempts=3)'),
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'while True with no cap',
      code: pyLoop('        except anthropic.RateLimitError as e:\n            retry_after = e.response.headers.get("retry-after")\n            time.sleep(float(retry_after) if retry_after else random.uniform(0, 2 ** attempt))', 'while True:'),
      errors: [{ messageId: 'unbounded', line: 8, text: 'while', message: 'as with_retry from the retry helper does' }],
    },
    {
      language: 'python',
      name: 'a recursion without a counter',
      code: PY_OFF + 'def ask(prompt):\n    try:\n        return client.messages.create(' + PY_REQ + ')\n    except anthropic.RateLimitError:\n        time.sleep(5)\n        return ask(prompt)\n',
      errors: [{ messageId: 'unbounded', line: 12, text: 'ask(prompt)' }],
    },
    {
      language: 'python',
      name: 'a counter that is counted but never compared',
      code: PY_OFF + 'def ask():\n    attempt = 0\n    while True:\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.OverloadedError:\n            attempt += 1\n            time.sleep(2 ** attempt)\n',
      errors: [{ messageId: 'unbounded', line: 9 }],
    },
    {
      name: 'while (true) with no cap',
      code: OFF + `export async function ask() {\n  let n = 0;\n  while (true) {\n    try { return await client.messages.create(${REQ}); } ${CATCH}\n  }\n}`,
      errors: [{ messageId: 'unbounded', line: 5, text: 'while' }],
    },
    {
      name: 'for (;;) with no cap',
      code: OFF + `export async function ask() {\n  for (let n = 0; ; n++) {\n    try { return await client.messages.create(${REQ}); } ${CATCH}\n  }\n}`,
      errors: [{ messageId: 'unbounded', text: 'for' }],
    },
    {
      name: 'until a result arrives',
      code: OFF + `export async function ask() {\n  let result; let n = 0;\n  while (!result) {\n    try { result = await client.messages.create(${REQ}); } ${CATCH}\n  }\n  return result;\n}`,
      errors: [{ messageId: 'unbounded' }],
    },
    {
      name: 'a result variable assigned until it is set: `let` and loop become one const from withRetry',
      code: OFF + `export async function ask() {\n  let result;\n  while (true) {\n    try {\n      result = await client.messages.create(${REQ});\n      break;\n    } catch (e: any) {\n      if (e.status === 400) throw e;\n      await new Promise((r) => setTimeout(r, 500));\n    }\n  }\n  return result.content;\n}`,
      errors: [{ messageId: 'unbounded', text: 'while' }],
      output: OFF + `export async function ask() {\n  const result = await withRetry(() => client.messages.create(${REQ}));\n  return result.content;\n}`,
      typeCheck: true,
    },
    {
      name: 'while (!result): the typed declaration stays, the loop becomes an assignment from withRetry',
      code: OFF + `import type { Message } from "@anthropic-ai/sdk/resources/messages";\nexport async function ask() {\n  let result: Message | undefined;\n  while (!result) {\n    try {\n      result = await client.messages.create(${REQ});\n    } catch (e) {\n      console.error("Claude call failed", e);\n    }\n  }\n  return result;\n}`,
      errors: [{ messageId: 'unbounded', text: 'while' }],
      output: OFF + `import type { Message } from "@anthropic-ai/sdk/resources/messages";\nexport async function ask() {\n  let result: Message | undefined;\n  result = await withRetry(() => client.messages.create(${REQ}));\n  return result;\n}`,
      typeCheck: true,
    },
    {
      name: 'a break to a label: no loop fix',
      code: OFF + `export async function ask() {\n  let result;\n  outer: while (true) {\n    try {\n      result = await client.messages.create(${REQ});\n      break outer;\n    } catch (e) {\n      await new Promise((r) => setTimeout(r, 500));\n    }\n  }\n  return result;\n}`,
      errors: [{ messageId: 'unbounded' }],
      output: null,
    },
    {
      name: 'recursion with no counter',
      code: OFF + `export async function ask(): Promise<any> {\n  try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status < 500) throw e; await new Promise((r) => setTimeout(r, 1000)); return ask(); }\n}`,
      errors: [{ messageId: 'unbounded', text: 'ask()' }],
    },
    {
      name: 'p-retry forever',
      code: OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { forever: true, shouldRetry: () => true });`,
      errors: [{ messageId: 'unbounded', text: 'pRetry' }],
    },
    // Python retry libraries
    { ...pyDecorated(TENACITY, '@retry'), errors: [{ messageId: 'unbounded', line: 7, text: 'retry', message: '@retry (around ask())' }] },
    { ...pyDecorated(TENACITY, '@retry(wait=wait_random_exponential(multiplier=1, max=60))'), errors: [{ messageId: 'unbounded', text: 'retry' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_never, wait=wait_random_exponential())'), errors: [{ messageId: 'unbounded' }] },
    { ...pyDecorated('import tenacity', '@tenacity.retry(wait=tenacity.wait_random_exponential())'), errors: [{ messageId: 'unbounded', text: 'tenacity.retry' }] },
    { ...libPyLoop(TENACITY, 'Retrying(wait=wait_random_exponential(max=20))'), errors: [{ messageId: 'unbounded', line: 8, text: 'Retrying', message: 'Retrying loop' }] },
    { ...libPyLoop(TENACITY, 'async AsyncRetrying(wait=wait_random_exponential(max=20))'), errors: [{ messageId: 'unbounded', text: 'AsyncRetrying' }] },
    {
      name: 'a tenacity policy bound to a name, used as a decorator',
      language: 'python',
      code: `${TENACITY}\n${PY_LIB_OFF}\nforever = retry(wait=wait_random_exponential(max=30))\n\n\n@forever\ndef ask(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n`,
      errors: [{ messageId: 'unbounded', line: 9, text: 'forever' }],
    },
    {
      name: 'tenacity retry(...) called on a function',
      language: 'python',
      code: `${TENACITY}\n${PY_LIB_OFF}\n\ndef ask_once(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n\n\nask = retry(wait=wait_random_exponential(max=30))(ask_once)\n`,
      errors: [{ messageId: 'unbounded', line: 11, text: 'retry' }],
    },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError)'), errors: [{ messageId: 'unbounded', text: 'backoff.on_exception' }] },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=None, max_time=None)'), errors: [{ messageId: 'unbounded' }] },
    { ...pyDecorated(STAMINA, '@stamina.retry(on=anthropic.RateLimitError, attempts=None, timeout=None)'), errors: [{ messageId: 'unbounded', text: 'stamina.retry' }] },
    { ...libPyLoop(STAMINA, 'stamina.retry_context(on=anthropic.APIConnectionError, attempts=None, timeout=None)'), errors: [{ messageId: 'unbounded', text: 'stamina.retry_context' }] },
  ],
});
