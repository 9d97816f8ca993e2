import { ruleTester } from './ruleTester';

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
      name: 'recursion with no counter',
      code: OFF + `export async function ask(): Promise<any> {\n  try { return await client.messages.create(${REQ}); } catch (e: any) { if (e.status < 500) throw e; await new Promise((r) => setTimeout(r, 1000)); return ask(); }\n}`,
      errors: [{ messageId: 'unbounded', text: 'ask()' }],
    },
    {
      name: 'p-retry forever',
      code: OFF + `import pRetry from "p-retry";\nexport const ask = () => pRetry(() => client.messages.create(${REQ}), { forever: true, shouldRetry: () => true });`,
      errors: [{ messageId: 'unbounded', text: 'pRetry' }],
    },
  ],
});
