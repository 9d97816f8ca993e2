import { ruleTester } from './ruleTester';
import { BACKOFF, PY_OFF as PY_LIB_OFF, STAMINA, TENACITY, pyDecorated, pyLoop as libPyLoop } from './pythonRetryLibs';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';
const loop = (catchBody: string) =>
  OFF + `export async function ask() {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { ${catchBody} }\n  }\n}`;

// Python
const PY_OFF = 'import anthropic\nimport asyncio\nimport random\nimport time\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';
/** A Python retry loop around the call; `handler` is the except clause(s), indented by 8 spaces. */
const pyLoop = (handler: string, head = 'for attempt in range(5):') => PY_OFF + `def ask():\n    ${head}\n        try:\n            return client.messages.create(${PY_REQ})\n${handler}\n    raise RuntimeError("Claude is unavailable")\n`;

ruleTester.run('retry-ignores-retry-after', {
  valid: [
    // Python
    { language: 'python', name: 'e.response.headers.get("retry-after")', code: pyLoop('        except anthropic.RateLimitError as e:\n            retry_after = e.response.headers.get("retry-after")\n            time.sleep(float(retry_after) if retry_after else random.uniform(0, 2 ** attempt))') },
    { language: 'python', name: 'retry-after-ms by subscript', code: pyLoop('        except anthropic.RateLimitError as e:\n            ms = e.response.headers["retry-after-ms"]\n            time.sleep(float(ms) / 1000 if ms else 2 ** attempt)') },
    { language: 'python', name: 'only 529s and connection errors are retried (no 429)', code: pyLoop('        except (anthropic.OverloadedError, anthropic.APIConnectionError):\n            time.sleep(random.uniform(0, 2 ** attempt))') },
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
    // Python retry libraries: a wait that reads retry-after
    {
      name: 'tenacity with a wait callable that reads retry-after',
      language: 'python',
      code: `${TENACITY}\n${PY_LIB_OFF}\nbackoff_wait = wait_random_exponential(multiplier=1, max=60)\n\n\ndef wait_retry_after(retry_state):\n    error = retry_state.outcome.exception()\n    header = getattr(getattr(error, "response", None), "headers", {}).get("retry-after")\n    return float(header) if header else backoff_wait(retry_state)\n\n\n@retry(stop=stop_after_attempt(6), wait=wait_retry_after, retry=retry_if_exception_type((anthropic.RateLimitError, anthropic.OverloadedError)))\ndef ask(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n`,
    },
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(6), wait=wait_exception(lambda e: float(e.response.headers.get("retry-after", "1"))), retry=retry_if_exception_type(anthropic.RateLimitError))'),
    // 429s are not retried here (the SDK's own retries are off)
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=60), retry=retry_if_exception_type((anthropic.OverloadedError, anthropic.APIConnectionError)))'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.runtime, anthropic.RateLimitError, max_tries=5, value=lambda e: float(e.response.headers["retry-after"]))'),
    pyDecorated(STAMINA, '@stamina.retry(on=lambda e: float(e.response.headers.get("retry-after", "1")) if isinstance(e, anthropic.RateLimitError) else isinstance(e, anthropic.OverloadedError), attempts=5)'),
    // a library that retries every error is left to retry-non-retryable (as p-retry is)
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, Exception, max_tries=5)'),
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'RateLimitError with its own schedule',
      code: pyLoop('        except anthropic.RateLimitError:\n            time.sleep(random.uniform(0, 2 ** attempt))'),
      errors: [{ messageId: 'ignores', line: 8, text: 'for', message: 'e.g. e.response.headers.get("retry-after")' }],
    },
    {
      language: 'python',
      name: 'status_code == 429 checked, the header not read',
      code: pyLoop('        except anthropic.APIStatusError as e:\n            if e.status_code != 429:\n                raise\n            time.sleep(2 ** attempt)'),
      errors: [{ messageId: 'ignores', line: 8 }],
    },
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
    // Python retry libraries told to retry rate limits: they wait on their own schedule
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=60) + wait_random(0, 1), retry=retry_if_exception_type((anthropic.RateLimitError, anthropic.APIConnectionError)), reraise=True)'), errors: [{ messageId: 'ignores', line: 7, text: 'retry', message: '@retry (around ask())' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=60), retry=retry_if_exception(lambda e: isinstance(e, anthropic.RateLimitError)))'), errors: [{ messageId: 'ignores' }] },
    { ...libPyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=20), retry=retry_if_exception_type(anthropic.RateLimitError))'), errors: [{ messageId: 'ignores', text: 'Retrying' }] },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5, max_time=60)'), errors: [{ messageId: 'ignores', text: 'backoff.on_exception' }] },
    { ...pyDecorated(STAMINA, '@stamina.retry(on=anthropic.RateLimitError, attempts=5)'), errors: [{ messageId: 'ignores', text: 'stamina.retry' }] },
  ],
});
