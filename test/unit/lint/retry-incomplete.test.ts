import { ESM, PY, ruleTester } from './ruleTester';

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';
const SLEEP = 'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\n';

/** A 4-attempt loop around the call whose catch runs `handler` (the error is `err`). */
function loop(handler: string, head = OFF): string {
  return head + SLEEP + `export async function ask() {\n  for (let attempt = 0; attempt < 4; attempt++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) {\n${handler}\n    }\n  }\n}`;
}
const WAIT = '      await sleep(Math.random() * 1000 * 2 ** attempt);';

const PY_OFF = 'import time\nimport random\nimport anthropic\n\nclient = anthropic.Anthropic(max_retries=0)\n\n';
/** A Python 5-attempt loop around the call with these except clauses (indented 8). */
function pyLoop(excepts: string, head = PY_OFF): string {
  return head + `def ask(prompt):\n    for attempt in range(5):\n        try:\n            return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n${excepts}\n    raise RuntimeError("gave up")\n`;
}
const PY_WAIT = '            time.sleep(random.uniform(0, 2 ** attempt))';

ruleTester.run('retry-incomplete', {
  valid: [
    // the SDK's own retries are on: it retries 529 and connection errors itself
    ESM + `export async function ask() {\n  for (let i = 0; i < 3; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { if (err.status !== 429) throw err; await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); }\n  }\n}`,
    // the retry helper covers every transient failure
    OFF + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}));`,
    // careful code: connection errors by class, statuses by a set that has 529
    loop(`      const transient = err instanceof Anthropic.APIConnectionError || (err instanceof Anthropic.APIError && [408, 409, 429, 500, 502, 503, 504, 529].includes(err.status ?? 0));\n      if (!transient || attempt === 3) throw err;\n${WAIT}`),
    // careful code: every 5xx, 429 and connection errors
    loop(`      if (err instanceof Anthropic.APIConnectionError || err.status === 429 || err.status >= 500) {\n${WAIT}\n        continue;\n      }\n      throw err;`),
    // stops only on final statuses: a connection error (no status) is retried
    loop(`      if (err.status === 400 || err.status === 401 || err.status === 403 || err.status === 404) throw err;\n${WAIT}`),
    // a catch-all retries everything (retry-non-retryable's business, not this rule's)
    loop(`      console.warn("retrying", err);\n${WAIT}`),
    // a classifier the analysis cannot follow is trusted
    loop(`      if (!isRetryable(err)) throw err;\n${WAIT}`) + '\ndeclare function isRetryable(e: unknown): boolean;',
    // a test on the error code of a connection error cannot be followed: trusted
    loop(`      if (err.status === 429 || err.status >= 500 || err.code === "ECONNRESET") {\n${WAIT}\n        continue;\n      }\n      throw err;`),
    // the error classes of the JS SDK: OverloadedError (529) is an InternalServerError
    loop(`      if (!(err instanceof Anthropic.RateLimitError || err instanceof Anthropic.InternalServerError || err instanceof Anthropic.APIConnectionError)) throw err;\n${WAIT}`),
    // the count of retries the SDK makes is not known: nothing is assumed
    `import Anthropic from "@anthropic-ai/sdk";\nexport function make(n: number) { return new Anthropic({ maxRetries: n }); }\nconst client = make(0);\n` +
      SLEEP + `export async function ask() {\n  for (let attempt = 0; attempt < 4; attempt++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { if (err.status !== 429) throw err; await sleep(1000 * 2 ** attempt); }\n  }\n}`,
    // two retry layers: the outer catch-all covers what the inner one leaves out
    OFF + SLEEP + `async function once() {\n  for (let i = 0; i < 3; i++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err: any) { if (err.status !== 429) throw err; await sleep(1000 * 2 ** i); }\n  }\n}\nexport async function ask() {\n  for (let j = 0; j < 3; j++) {\n    try { return await once(); } catch { await sleep(2000 * 2 ** j); }\n  }\n}`,
    // a failover across models moves on after what it chooses
    OFF + `const MODELS = ["claude-opus-4-6", "claude-sonnet-4-6"];\nexport async function ask(prompt: string) {\n  let last: unknown;\n  for (const model of MODELS) {\n    try { return await client.messages.create({ model, max_tokens: 64, messages: [{ role: "user", content: prompt }] }); }\n    catch (err: any) { if (err.status !== 529) throw err; last = err; }\n  }\n  throw last;\n}`,
    // p-retry whose shouldRetry lets connection errors (no status) and every 5xx through
    OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 5, shouldRetry: ({ error }: any) => error.status === undefined || error.status === 429 || error.status >= 500 });`,
    // p-retry aborting on final errors only
    OFF + `import pRetry, { AbortError } from "p-retry";\nexport const ask = () => pRetry(async () => {\n  try { return await client.messages.create(${REQ}); }\n  catch (e: any) { if (e.status && e.status < 500 && e.status !== 429) throw new AbortError(e); throw e; }\n}, { retries: 5 });`,
    // p-retry with options the file cannot see
    OFF + `import pRetry, { type Options } from "p-retry";\nexport const ask = (opts: Options) => pRetry(() => client.messages.create(${REQ}), opts);`,
    // exponential-backoff stopping on 400 only
    OFF + `import { backOff } from "exponential-backoff";\nexport const ask = () => backOff(() => client.messages.create(${REQ}), { retry: (e: any) => e.status !== 400 });`,
    // cockatiel handling connection errors, 429 and 5xx
    OFF + `import { retry, handleWhen, ExponentialBackoff } from "cockatiel";\nconst policy = retry(handleWhen((e: any) => e instanceof Anthropic.APIConnectionError || e.status === 429 || e.status >= 500), { maxAttempts: 3, backoff: new ExponentialBackoff() });\nexport const ask = () => policy.execute(() => client.messages.create(${REQ}));`,
    // async-retry bailing on final errors only
    OFF + `import retry from "async-retry";\nexport const ask = () => retry(async (bail) => {\n  try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status === 400 || e.status === 401) return bail(e); throw e; }\n}, { retries: 4 });`,
    // no retry at all is unguarded-retry's finding, not this one
    OFF + `export const ask = () => client.messages.create(${REQ});`,
    // Python: careful code retrying 429, every 5xx, overloads and connection errors
    { language: 'python', sdkVersion: '1.13.0', code: pyLoop(`        except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.OverloadedError, anthropic.APIConnectionError):\n${PY_WAIT}`) },
    // Python: statuses by set and connection errors by class
    { language: 'python', sdkVersion: '1.13.0', code: pyLoop(`        except anthropic.APIConnectionError:\n${PY_WAIT}\n        except anthropic.APIStatusError as e:\n            if e.status_code not in (408, 409, 429, 500, 502, 503, 504, 529):\n                raise\n${PY_WAIT}`) },
    // Python: except InternalServerError on an SDK before 0.47, where a 529 still raised InternalServerError
    { language: 'python', sdkVersion: '0.46.0', code: pyLoop(`        except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.APIConnectionError):\n${PY_WAIT}`) },
    // Python: the same with the SDK version unknown: what holds for every version only
    { language: 'python', code: pyLoop(`        except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.APIConnectionError):\n${PY_WAIT}`) },
    // Python: the SDK's own retries are on
    { language: 'python', sdkVersion: '1.13.0', code: pyLoop(`        except anthropic.RateLimitError:\n${PY_WAIT}`, 'import time\nimport random\nimport anthropic\n\nclient = anthropic.Anthropic()\n\n') },
    // Python: a catch-all
    { language: 'python', sdkVersion: '1.13.0', code: pyLoop(`        except Exception:\n${PY_WAIT}`) },
    // Python: getattr(e, "status_code", None) lets a connection error (None) through
    { language: 'python', sdkVersion: '1.13.0', code: pyLoop(`        except anthropic.APIError as e:\n            status = getattr(e, "status_code", None)\n            if status is not None and status != 429 and status < 500:\n                raise\n${PY_WAIT}`) },
  ],
  invalid: [
    {
      name: 'a status list with 429 and 5xx but not 529',
      code: loop(`      if (err instanceof Anthropic.APIConnectionError || [429, 500, 502, 503].includes(err.status)) {\n${WAIT}\n        continue;\n      }\n      throw err;`),
      errors: [{ messageId: 'incomplete', line: 5, text: 'for', message: 'never retries 529 (overloaded_error). A 529 (the API is overloaded) is its most common transient failure' }],
    },
    {
      name: 'a 5xx range that stops below 529',
      code: loop(`      const s = err.status;\n      if (!(err instanceof Anthropic.APIConnectionError) && !(s === 429 || (s >= 500 && s < 529))) throw err;\n${WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error).' }],
    },
    {
      name: 'only 429',
      code: loop(`      if (err.status !== 429) throw err;\n${WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error), 500 (api_error), connection errors or timeouts' }],
    },
    {
      name: 'a complete status set read from err.status leaves out connection errors',
      code: OFF + SLEEP + `const RETRYABLE = new Set([408, 409, 429, 500, 502, 503, 504, 529]);\nexport async function ask() {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await client.messages.create(${REQ}); }\n    catch (err) {\n      if (!(err instanceof Anthropic.APIError) || !RETRYABLE.has(err.status ?? 0) || attempt === 4) throw err;\n      await sleep(Math.random() * 1000 * 2 ** attempt);\n    }\n  }\n}`,
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts. Connection errors and timeouts come on any network and carry no status. The first such failure ends the call.' }],
    },
    {
      name: '429 and every 5xx, but no connection errors',
      code: loop(`      if (err.status === 429 || err.status >= 500) {\n${WAIT}\n        continue;\n      }\n      throw err;`),
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts' }],
    },
    {
      name: 'error classes without the connection error',
      code: loop(`      if (!(err instanceof Anthropic.RateLimitError || err instanceof Anthropic.InternalServerError)) throw err;\n${WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts' }],
    },
    {
      name: 'timeouts retried, other connection errors not',
      code: loop(`      if (!(err instanceof Anthropic.APIConnectionTimeoutError) && !(err.status === 429 || err.status >= 500)) throw err;\n${WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors.' }],
    },
    {
      name: 'only overloads, by error.type',
      code: loop(`      if (err.error?.type !== "overloaded_error") throw err;\n${WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries 429 (rate_limit_error), 500 (api_error), connection errors or timeouts' }],
    },
    {
      name: 'a loop in a caller of ask()',
      code: OFF + SLEEP + `async function ask() { return client.messages.create(${REQ}); }\nexport async function run() {\n  let tries = 0;\n  while (tries < 4) {\n    try { return await ask(); }\n    catch (e: any) { if (e.status !== 429 && e.status !== 503) throw e; tries++; await sleep(500 * 2 ** tries); }\n  }\n}`,
      errors: [{ messageId: 'incomplete', text: 'while', message: 'This while loop (around ask()) is the only retry' }],
    },
    {
      name: 'a recursive retry on 429 only',
      code: OFF + SLEEP + `export async function ask(n = 3): Promise<any> {\n  try { return await client.messages.create(${REQ}); }\n  catch (e: any) {\n    if (n > 0 && e.status === 429) { await sleep(1000 * 2 ** (3 - n)); return ask(n - 1); }\n    throw e;\n  }\n}`,
      errors: [{ messageId: 'incomplete', text: 'ask(n - 1)', message: 'never retries 529 (overloaded_error), 500 (api_error), connection errors or timeouts' }],
    },
    {
      name: 'p-retry whose shouldRetry lists statuses',
      code: OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { retries: 5, shouldRetry: ({ error }: any) => [429, 500, 503].includes(error.status) });`,
      errors: [{ messageId: 'incomplete', text: 'pRetry', message: 'This pRetry is the only retry of this call (maxRetries: 0) and it never retries 529 (overloaded_error), connection errors or timeouts' }],
    },
    {
      name: 'p-retry aborting whatever is not in a status set',
      code: OFF + `import pRetry, { AbortError } from "p-retry";\nconst RETRYABLE = [429, 500, 502, 503, 529];\nexport const ask = () => pRetry(async () => {\n  try { return await client.messages.create(${REQ}); }\n  catch (e: any) { if (!RETRYABLE.includes(e.status)) throw new AbortError(e); throw e; }\n}, { retries: 5 });`,
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts' }],
    },
    {
      name: 'async-retry bailing on what is not listed',
      code: OFF + `import retry from "async-retry";\nexport const ask = () => retry(async (bail) => {\n  try { return await client.messages.create(${REQ}); }\n  catch (e: any) { if (![429, 500, 503].includes(e.status)) { bail(e); return; } throw e; }\n}, { retries: 4 });`,
      errors: [{ messageId: 'incomplete', text: 'retry', message: 'never retries 529 (overloaded_error), connection errors or timeouts' }],
    },
    {
      name: 'exponential-backoff retrying rate limits only',
      code: OFF + `import { backOff } from "exponential-backoff";\nexport const ask = () => backOff(() => client.messages.create(${REQ}), { numOfAttempts: 5, retry: (e: any) => e instanceof Anthropic.RateLimitError });`,
      errors: [{ messageId: 'incomplete', text: 'backOff', message: 'never retries 529 (overloaded_error), 500 (api_error), connection errors or timeouts' }],
    },
    {
      name: 'cockatiel handling one error type',
      code: OFF + `import { retry, handleType, ExponentialBackoff } from "cockatiel";\nconst policy = retry(handleType(Anthropic.RateLimitError), { maxAttempts: 3, backoff: new ExponentialBackoff() });\nexport const ask = () => policy.execute(() => client.messages.create(${REQ}));`,
      errors: [{ messageId: 'incomplete', text: 'policy.execute', message: 'never retries 529 (overloaded_error), 500 (api_error), connection errors or timeouts' }],
    },
    {
      name: 'cockatiel handling a 5xx range below 529',
      code: OFF + `import { retry, handleWhen, ExponentialBackoff } from "cockatiel";\nconst policy = retry(handleWhen((e: any) => e.status >= 500 && e.status < 529), { maxAttempts: 3, backoff: new ExponentialBackoff() });\nexport const ask = () => policy.execute(() => client.messages.create(${REQ}));`,
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error), 429 (rate_limit_error), connection errors or timeouts' }],
    },
    {
      name: 'the retry helper told to retry 429s only',
      code: OFF + `import { withRetry } from "./claudeRetry";\nexport const ask = () => withRetry(() => client.messages.create(${REQ}), { shouldRetry: (e: any) => e.status === 429 });`,
      errors: [{ messageId: 'incomplete', text: 'withRetry', message: 'never retries 529 (overloaded_error), 500 (api_error), connection errors or timeouts' }],
    },
    {
      name: 'maxRetries: 0 on the request',
      code: ESM + SLEEP + `export async function ask() {\n  for (let attempt = 0; attempt < 4; attempt++) {\n    try { return await client.messages.create(${REQ}, { maxRetries: 0 }); }\n    catch (err: any) { if (err.status !== 429 && err.status !== 500) throw err; await sleep(1000 * 2 ** attempt * Math.random()); }\n  }\n}`,
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error), connection errors or timeouts' }],
    },
    {
      name: 'a .catch callback in a loop: its return hands on a value and the loop goes on; its throw leaves',
      code: OFF + SLEEP + `export async function ask() {\n  for (let i = 0; i < 4; i++) {\n    const r = await client.messages.create(${REQ}).catch((e: any) => { if (e.status !== 429 && e.status !== 500 && e.status !== 529) throw e; if (e.status === 429) return null; console.warn("retrying after", e.status); });\n    if (r) return r;\n    await sleep(Math.random() * 1000 * 2 ** i);\n  }\n}`,
      errors: [{ messageId: 'incomplete', text: 'for', message: 'never retries connection errors or timeouts.' }],
    },
    {
      name: 'Python: except InternalServerError meant to cover overloads, on anthropic 1.13',
      language: 'python',
      sdkVersion: '1.13.0',
      code: pyLoop(`        except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.APIConnectionError):\n${PY_WAIT}`),
      errors: [{ messageId: 'incomplete', line: 8, text: 'for', message: 'this call (max_retries=0) and it never retries 529 (overloaded_error; in anthropic 0.47 and later it raises OverloadedError, which is not an InternalServerError). A 529' }],
    },
    {
      name: 'Python: InternalServerError and RateLimitError only: 529 and connection errors',
      language: 'python',
      sdkVersion: '0.47.0',
      code: pyLoop(`        except (anthropic.RateLimitError, anthropic.InternalServerError):\n${PY_WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error; in anthropic 0.47 and later it raises OverloadedError, which is not an InternalServerError), connection errors or timeouts. ' }],
    },
    {
      name: 'Python: the version unknown: only what every version misses (connection errors), no 529',
      language: 'python',
      code: pyLoop(`        except (anthropic.RateLimitError, anthropic.InternalServerError):\n${PY_WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts. ' }],
    },
    {
      name: 'Python: rate limits only, whatever the version',
      language: 'python',
      code: pyLoop(`        except anthropic.RateLimitError:\n${PY_WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error), 500 (api_error), connection errors or timeouts. ' }],
    },
    {
      name: 'Python: a status set without 529 read from APIStatusError',
      language: 'python',
      sdkVersion: '1.13.0',
      code: pyLoop(`        except anthropic.APIConnectionError:\n${PY_WAIT}\n        except anthropic.APIStatusError as e:\n            if e.status_code not in (429, 500, 502, 503):\n                raise\n${PY_WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error). ' }],
    },
    {
      name: 'Python: statuses only: connection errors are no APIStatusError',
      language: 'python',
      sdkVersion: '1.13.0',
      code: pyLoop(`        except anthropic.APIStatusError as e:\n            if e.status_code != 429 and e.status_code < 500:\n                raise\n${PY_WAIT}`),
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts. ' }],
    },
    {
      name: 'two calls in one loop: reported once',
      code: loop(`      if (err.status !== 429) throw err;\n${WAIT}`).replace(`return await client.messages.create(${REQ});`, `const a = await client.messages.create(${REQ}); return [a, await client.messages.create(${REQ})];`),
      errors: [{ messageId: 'incomplete' }],
    },
  ],
});
