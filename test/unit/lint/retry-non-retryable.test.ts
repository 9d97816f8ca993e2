import { ESM, ruleTester } from './ruleTester';
import { BACKOFF, PY_OFF as PY_LIB_OFF, STAMINA, TENACITY, pyDecorated, pyLoop as libPyLoop } from './pythonRetryLibs';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';

// Python
const PY_OFF = 'import anthropic\nimport asyncio\nimport random\nimport time\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';
/** A Python retry loop around the call; `handler` is the except clause(s), indented by 8 spaces. */
const pyLoop = (handler: string, head = 'for attempt in range(5):') => PY_OFF + `def ask():\n    ${head}\n        try:\n            return client.messages.create(${PY_REQ})\n${handler}\n    raise RuntimeError("Claude is unavailable")\n`;

ruleTester.run('retry-non-retryable', {
  valid: [
    // Python
    { language: 'python', name: 'except RateLimitError retries only 429', code: pyLoop('        except anthropic.RateLimitError as e:\n            retry_after = e.response.headers.get("retry-after")\n            time.sleep(float(retry_after) if retry_after else random.uniform(0, 2 ** attempt))') },
    { language: 'python', name: 'APIStatusError with a status set (not in), a tuple of transient classes', code: pyLoop('        except (anthropic.APIConnectionError, anthropic.APITimeoutError):\n            time.sleep(2 ** attempt)\n        except anthropic.APIStatusError as e:\n            if e.status_code not in {408, 409, 429, 500, 529}:\n                raise\n            time.sleep(float(e.response.headers.get("retry-after", 2 ** attempt)))') },
    { language: 'python', name: 'e.status_code >= 500 or == 429, else raise', code: pyLoop('        except anthropic.APIStatusError as e:\n            if e.status_code >= 500 or e.status_code == 429:\n                time.sleep(float(e.response.headers.get("retry-after", 2 ** attempt)))\n            else:\n                raise') },
    { language: 'python', name: 'except Exception with an isinstance check that re-raises the rest', code: pyLoop('        except Exception as e:\n            if not isinstance(e, (anthropic.RateLimitError, anthropic.OverloadedError, anthropic.APIConnectionError)):\n                raise\n            time.sleep(float(getattr(e, "retry_after", 0)) or 2 ** attempt)') },
    { language: 'python', name: 'getattr(e, "status_code", None) in a frozenset', code: PY_OFF + 'RETRYABLE = frozenset({429, 500, 529})\n\ndef ask():\n    for attempt in range(4):\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.APIError as e:\n            if getattr(e, "status_code", None) not in RETRYABLE:\n                raise\n            time.sleep(2 ** attempt)\n' },
    ESM + `export const ask = () => client.messages.create(${REQ});`,
    OFF + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}));`,
    // p-retry with an AbortError for 4xx
    OFF + `import pRetry, { AbortError } from "p-retry";\nexport const ask = () => pRetry(async () => {\n  try { return await client.messages.create(${REQ}); }\n  catch (e: any) { if (e.status && e.status < 500 && e.status !== 429) throw new AbortError(e); throw e; }\n}, { retries: 5 });`,
    // p-retry with shouldRetry
    OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 5, shouldRetry: ({ error }: any) => error.status === 429 || error.status >= 500 });`,
    // async-retry with bail
    OFF + `import retry from "async-retry";\nexport const ask = () => retry(async (bail) => {\n  try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status < 500 && e.status !== 429) return bail(e); throw e; }\n}, { retries: 4 });`,
    // a loop with a status set
    OFF + `const RETRYABLE = new Set([408, 409, 429, 500, 529]);\nexport async function ask() {\n  for (let i = 0; i < 4; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { if (!RETRYABLE.has(err.status)) throw err; await new Promise((r) => setTimeout(r, Math.random() * 2 ** i * 1000)); }\n  }\n}`,
    // error classes
    OFF + `export async function ask() {\n  for (let i = 0; i < 4; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err) { if (!(err instanceof Anthropic.RateLimitError || err instanceof Anthropic.InternalServerError)) throw err; await new Promise((r) => setTimeout(r, 2 ** i * 1000)); }\n  }\n}`,
    // error.type
    OFF + `export async function ask() {\n  for (let i = 0; i < 4; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { if (err.error?.type !== "overloaded_error") throw err; await new Promise((r) => setTimeout(r, 2 ** i * 1000)); }\n  }\n}`,
    // a classifier
    OFF + `import { classifyError } from "./claudeRetry";\nexport async function ask() {\n  for (let i = 0; i < 4; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err) { if (!classifyError(err).retryable) throw err; await new Promise((r) => setTimeout(r, 2 ** i * 1000)); }\n  }\n}`,
    // a re-ask after unparsable output is not a retry of the call
    OFF + `export async function askJson(prompt: string) {\n  for (let i = 0; i < 2; i++) {\n    const res = await client.messages.create({ model: "m", max_tokens: 256, messages: [{ role: "user", content: prompt }] });\n    try { return JSON.parse((res.content[0] as any).text); } catch { prompt += " Answer in JSON."; }\n  }\n}`,
    // cockatiel handling only retryable errors
    OFF + `import { retry, handleWhen, ExponentialBackoff } from "cockatiel";\nconst policy = retry(handleWhen((e: any) => e.status === 429 || e.status >= 500), { maxAttempts: 3, backoff: new ExponentialBackoff() });\nexport const ask = () => policy.execute(() => client.messages.create(${REQ}));`,
    // p-retry with options the file cannot see (they may hold shouldRetry)
    OFF + `import pRetry, { type Options } from "p-retry";\nexport const ask = (opts: Options) => pRetry(() => client.messages.create(${REQ}), opts);`,
    // a count from options with an AbortError for final errors
    OFF + `import pRetry, { AbortError } from "p-retry";\nexport class Api {\n  constructor(private readonly cfg: { retries: number }) {}\n  ask() {\n    return pRetry(async () => {\n      try { return await client.messages.create(${REQ}); }\n      catch (e: any) { if (e.status === 400 || e.status === 401 || e.status === 403 || e.status === 404) throw new AbortError(e); throw e; }\n    }, { retries: this.cfg.retries });\n  }\n}`,
    // retries only a set of statuses, read into a variable
    OFF + `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport class Chat {\n  async send(prompt: string) {\n    for (let attempt = 1; attempt <= 5; attempt++) {\n      try {\n        return await client.messages.create({ model: "m", max_tokens: 64, messages: [{ role: "user", content: prompt }] });\n      } catch (err: any) {\n        const status = err?.status;\n        if ([429, 529, 500, 502, 503].includes(status) && attempt < 5) {\n          await sleep(2 ** attempt * 500 * Math.random());\n          continue;\n        }\n        throw err;\n      }\n    }\n  }\n}`,
    // retries 5xx and 429 only
    OFF + `export async function ask() {\n  for (let i = 0; i < 4; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) {\n      if (err.status >= 500 || err.status === 429) { await new Promise((r) => setTimeout(r, 2 ** i * 1000 * Math.random())); continue; }\n      throw err;\n    }\n  }\n}`,
    // excludes the 4xx range but 408, 409 and 429
    OFF + `export async function ask() {\n  for (let i = 0; i < 4; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) {\n      if (err.status >= 400 && err.status < 500 && ![408, 409, 429].includes(err.status)) throw err;\n      await new Promise((r) => setTimeout(r, 2 ** i * 1000 * Math.random()));\n    }\n  }\n}`,
    // LangChain's AsyncCaller aborts on 4xx itself
    OFF + `import { AsyncCaller } from "@langchain/core/utils/async_caller";\nconst caller = new AsyncCaller({ maxRetries: 3 });\nexport const ask = () => caller.call(() => client.messages.create(${REQ}));`,
    // Python retry libraries told which errors are transient
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=60), retry=retry_if_exception_type((anthropic.RateLimitError, anthropic.APIConnectionError)), reraise=True)'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception_type(anthropic.OverloadedError) | retry_if_exception_type(anthropic.InternalServerError))'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_not_exception_type((anthropic.BadRequestError, anthropic.AuthenticationError, anthropic.PermissionDeniedError, anthropic.NotFoundError, anthropic.RequestTooLargeError, anthropic.UnprocessableEntityError)))'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception(lambda e: isinstance(e, anthropic.APIStatusError) and e.status_code >= 500))'),
    pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception(lambda e: isinstance(e, (anthropic.RateLimitError, anthropic.OverloadedError))))'),
    {
      name: 'a tuple of transient classes kept in a module constant',
      language: 'python',
      code: `${TENACITY}\n${PY_LIB_OFF}\nTRANSIENT = (anthropic.RateLimitError, anthropic.OverloadedError, anthropic.InternalServerError, anthropic.APIConnectionError)\n\n\n@retry(stop=stop_after_attempt(4), retry=retry_if_exception_type(TRANSIENT))\ndef ask(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n`,
    },
    // the file's own exception class: what it stands for is not known
    {
      name: 'a retry on the file\'s own exception class',
      language: 'python',
      code: `${TENACITY}\n${PY_LIB_OFF}\n\nclass Transient(Exception):\n    pass\n\n\n@retry(stop=stop_after_attempt(4), retry=retry_if_exception_type(Transient))\ndef ask(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n`,
    },
    libPyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(4), retry=retry_if_exception_type(anthropic.RateLimitError))'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, (anthropic.RateLimitError, anthropic.APIConnectionError), max_tries=5)'),
    pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.APIStatusError, max_tries=5, giveup=lambda e: e.status_code < 500 and e.status_code != 429)'),
    pyDecorated(STAMINA, '@stamina.retry(on=(anthropic.RateLimitError, anthropic.OverloadedError), attempts=5)'),
    pyDecorated(STAMINA, '@stamina.retry(on=lambda e: isinstance(e, anthropic.APIStatusError) and e.status_code >= 500, attempts=5)'),
    // options the file cannot see
    pyDecorated(TENACITY + '\nfrom settings import RETRY_OPTIONS', '@retry(**RETRY_OPTIONS)'),
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'except Exception retries every error',
      code: pyLoop('        except Exception:\n            time.sleep(2 ** attempt)'),
      errors: [{ messageId: 'catchAll', line: 8, text: 'for', message: '4 more times' }],
    },
    {
      language: 'python',
      name: 'a bare except retries every error',
      code: pyLoop('        except:\n            time.sleep(2 ** attempt)'),
      errors: [{ messageId: 'catchAll', line: 8, message: 'check e.status_code, or use with_retry' }],
    },
    {
      language: 'python',
      name: 'APIStatusError that stops only on 400',
      code: pyLoop('        except anthropic.APIStatusError as e:\n            if e.status_code == 400:\n                raise\n            time.sleep(2 ** attempt)'),
      errors: [{ messageId: 'partial', line: 8, message: 'still retries 401, 403, 404, 413 and 422' }],
    },
    {
      language: 'python',
      name: 'a while True loop whose attempt cap is the only exit',
      code: PY_OFF + 'def ask():\n    attempt = 0\n    while True:\n        try:\n            return client.messages.create(' + PY_REQ + ')\n        except anthropic.APIError as e:\n            attempt += 1\n            if attempt >= 3:\n                raise\n            time.sleep(2 ** attempt)\n',
      errors: [{ messageId: 'catchAll', line: 9, text: 'while', message: '2 more times' }],
    },
    {
      name: 'a catch-all retry that rethrows on its last attempt: replaced with withRetry, which stops on final errors',
      code: OFF + `export async function ask() {\n  for (let attempt = 1; attempt <= 3; attempt++) {\n    try {\n      return await client.messages.create(${REQ});\n    } catch (err) {\n      if (attempt === 3) throw err;\n      await new Promise((r) => setTimeout(r, 2 ** attempt * 1000 * Math.random()));\n    }\n  }\n}`,
      errors: [{ messageId: 'catchAll' }],
      output: OFF + `export async function ask() {\n  return await withRetry(() => client.messages.create(${REQ}), { maxAttempts: 3 });\n}`,
      typeCheck: true,
    },
    {
      name: 'a catch that wraps the error in another: no loop fix (the error thrown would change)',
      code: OFF + `export async function ask() {\n  for (let attempt = 1; attempt <= 3; attempt++) {\n    try {\n      return await client.messages.create(${REQ});\n    } catch (err) {\n      if (attempt === 3) throw new Error("Claude failed", { cause: err });\n      await new Promise((r) => setTimeout(r, 2 ** attempt * 1000 * Math.random()));\n    }\n  }\n}`,
      errors: [{ messageId: 'catchAll' }],
      output: null,
    },
    {
      name: 'a catch-all loop',
      code: OFF + `export async function ask() {\n  for (let i = 0; i < 3; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (e) { console.warn("retrying", e); await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); }\n  }\n}`,
      errors: [{ messageId: 'catchAll', line: 4, column: 3, text: 'for', message: '2 more times' }],
    },
    {
      name: 'a catch-all loop in another function around ask()',
      code: OFF + `async function ask() { return client.messages.create(${REQ}); }\nexport async function run() {\n  let tries = 0;\n  while (tries < 4) {\n    try { return await ask(); } catch { tries++; await new Promise((r) => setTimeout(r, 1000 * tries)); }\n  }\n}`,
      errors: [{ messageId: 'catchAll', line: 6, text: 'while', message: 'while loop (around ask())' }],
    },
    {
      name: 'p-retry with no abort',
      code: OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 3 });`,
      errors: [{ messageId: 'library', text: 'pRetry', message: 'AbortError' }],
    },
    {
      name: 'p-retry in a class whose count comes from its options',
      code: OFF + `import pRetry from "p-retry";\ninterface RetryOptions { retries: number }\nexport class Summarizer {\n  constructor(private readonly options: RetryOptions) {}\n  summarize() {\n    return pRetry(() => client.messages.create(${REQ}), {\n      retries: this.options.retries,\n      onFailedAttempt: (e: any) => console.warn(e.attemptNumber),\n    });\n  }\n}`,
      errors: [{ messageId: 'library', line: 8, text: 'pRetry', message: 'as many times as this.options.retries allows' }],
    },
    {
      name: 'a loop that only excludes 400 still retries the other final statuses',
      code: OFF + `export class Summarizer {\n  async summarize(text: string) {\n    for (let attempt = 0; attempt < 4; attempt++) {\n      try {\n        return await client.messages.create({ model: "m", max_tokens: 256, messages: [{ role: "user", content: text }] });\n      } catch (e: any) {\n        if (e.status === 400) throw e;\n        await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt * Math.random()));\n      }\n    }\n  }\n}`,
      errors: [{ messageId: 'partial', line: 5, text: 'for', message: 'still retries 401, 403, 404, 413 and 422: they fail the same way on every attempt, 3 more times' }],
    },
    {
      name: 'a loop that excludes 400 and 401',
      code: OFF + `export async function ask() {\n  let n = 0;\n  while (n < 3) {\n    try { return await client.messages.create(${REQ}); }\n    catch (e: any) {\n      if (e.status === 400 || e.status === 401) throw e;\n      n++;\n      await new Promise((r) => setTimeout(r, 500 * 2 ** n));\n    }\n  }\n}`,
      errors: [{ messageId: 'partial', text: 'while', message: 'still retries 403, 404, 413 and 422' }],
    },
    {
      name: 'a catch that only logs the status retries every error',
      code: OFF + `export async function ask() {\n  for (let i = 0; i < 3; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (e: any) { console.warn("attempt failed with", e.status); await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); }\n  }\n}`,
      errors: [{ messageId: 'catchAll', text: 'for' }],
    },
    {
      name: 'async-retry without bail',
      code: OFF + `const retry = require("async-retry");\nexport const ask = () => retry(async () => client.messages.create(${REQ}), { retries: 3 });`,
      errors: [{ messageId: 'library', message: 'bail' }],
    },
    {
      name: 'exponential-backoff without a retry option',
      code: OFF + `import { backOff } from "exponential-backoff";\nexport const ask = () => backOff(() => client.messages.create(${REQ}));`,
      errors: [{ messageId: 'library', text: 'backOff' }],
    },
    {
      name: 'cockatiel handleAll',
      code: OFF + `import { retry, handleAll, ExponentialBackoff } from "cockatiel";\nconst policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });\nexport const ask = () => policy.execute(() => client.messages.create(${REQ}));`,
      errors: [{ messageId: 'library', text: 'policy.execute' }],
    },
    {
      name: 'a recursive retry without a status check',
      code: OFF + `export async function ask(n = 3): Promise<any> {\n  try { return await client.messages.create(${REQ}); }\n  catch (e) { if (n === 0) throw e; await new Promise((r) => setTimeout(r, 500 * 2 ** (3 - n))); return ask(n - 1); }\n}`,
      errors: [{ messageId: 'catchAll', text: 'ask(n - 1)' }],
    },
    {
      name: 'a catch-all failover across models: reported once for the loop, naming the failover',
      code: OFF + `const MODELS = ["claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"];\nexport async function ask(prompt: string) {\n  let last: unknown;\n  for (const model of MODELS) {\n    try {\n      const a = await client.messages.create({ model, max_tokens: 64, messages: [{ role: "user", content: prompt }] });\n      return await client.messages.create({ model, max_tokens: 64, messages: [{ role: "user", content: String(a.id) }] });\n    } catch (e) { last = e; }\n  }\n  throw last;\n}`,
      errors: [{ messageId: 'catchAll', line: 6, text: 'for', message: 'for…of loop that fails over across 3 models' }],
    },
    {
      name: 'two calls in one loop: reported once',
      code: OFF + `export async function ask() {\n  for (let i = 0; i < 3; i++) {\n    try { const a = await client.messages.create(${REQ}); const b = await client.messages.create(${REQ}); return [a, b]; }\n    catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); }\n  }\n}`,
      errors: [{ messageId: 'catchAll' }],
    },
    // Python retry libraries: tenacity retries every exception unless told otherwise
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=60))'), errors: [{ messageId: 'library', line: 7, text: 'retry', message: '@retry (around ask()) retries every error, final ones too: a 400, 401, 403, 404, 413 or 422 fails the same way on every attempt 4 more times. Stop on final errors: pass retry=retry_if_exception_type(' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(3), retry=retry_if_exception_type())'), errors: [{ messageId: 'library' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(3), retry=retry_if_exception_type(anthropic.APIError))'), errors: [{ messageId: 'library' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(3), retry=retry_if_exception_type((anthropic.RateLimitError, anthropic.BadRequestError)))'), errors: [{ messageId: 'partial', message: 'still retries 400' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(3), retry=retry_if_not_exception_type(anthropic.BadRequestError))'), errors: [{ messageId: 'partial', message: 'still retries 401, 403, 404, 413 and 422' }] },
    { ...pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(3), retry=retry_if_exception(lambda e: True))'), errors: [{ messageId: 'library' }] },
    { ...libPyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(3), wait=wait_random_exponential())'), errors: [{ messageId: 'library', text: 'Retrying', message: 'Retrying loop retries every error' }] },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, Exception, max_tries=5)'), errors: [{ messageId: 'library', text: 'backoff.on_exception', message: 'giveup=' }] },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.APIStatusError, max_tries=5)'), errors: [{ messageId: 'library' }] },
    { ...pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.APIStatusError, max_tries=5, giveup=lambda e: isinstance(e, anthropic.AuthenticationError))'), errors: [{ messageId: 'partial', message: 'still retries 400, 403, 404, 413 and 422' }] },
    { ...pyDecorated(STAMINA, '@stamina.retry(on=Exception, attempts=5)'), errors: [{ messageId: 'library', text: 'stamina.retry', message: 'on=(anthropic.RateLimitError' }] },
    { ...pyDecorated(STAMINA, '@stamina.retry(on=anthropic.APIStatusError)'), errors: [{ messageId: 'library', message: '9 more times' }] },
    {
      name: 'tenacity options from a dict literal, names imported from its submodules',
      language: 'python',
      code: `from tenacity import retry\nfrom tenacity.stop import stop_after_attempt\nfrom tenacity.wait import wait_random_exponential\n${PY_LIB_OFF}\nRETRY_OPTIONS = {"stop": stop_after_attempt(3), "wait": wait_random_exponential(max=10)}\n\n\n@retry(**RETRY_OPTIONS)\ndef ask(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n`,
      errors: [{ messageId: 'library', line: 11, message: '2 more times' }],
    },
  ],
});
