import { ESM, ruleTester } from './ruleTester';

const req = (p: string) => `{ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [{ role: "user", content: ${p} }] }`;
const PYA = 'import asyncio\n\nimport anthropic\n\nclient = anthropic.AsyncAnthropic()\n';
const pyReq = (p: string) => `model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": ${p}}]`;
const PY_HELPER = '\n\n_claude_semaphore = asyncio.Semaphore(5)\n\n\nasync def _claude_limited(coro):\n    async with _claude_semaphore:\n        return await coro\n';
const PY_WITH_HELPER = 'import asyncio\n\nimport anthropic' + PY_HELPER + '\n\nclient = anthropic.AsyncAnthropic()\n';

ruleTester.run('unbounded-fan-out', {
  valid: [
    // a small fixed literal collection (<= 10)
    ESM + `await Promise.all(["a", "b", "c"].map((p) => client.messages.create(${req('p')})));`,
    ESM + `const topics = ["a", "b"];\nawait Promise.all(topics.map((p) => client.messages.create(${req('p')})));`,
    // forEach over a small fixed collection, or with a limiter inside the callback
    ESM + `["a", "b", "c"].forEach(async (p) => { await client.messages.create(${req('p')}); });`,
    ESM + `import pLimit from "p-limit";\nconst limit = pLimit(4);\nexport function run(xs: string[]) {\n  xs.forEach(async (x) => { await limit(() => client.messages.create(${req('x')})); });\n}`,
    // forEach handing each element to an unknown function: it may limit
    ESM + `declare function enqueue(f: () => Promise<unknown>): void;\nexport function run(xs: string[]) {\n  xs.forEach((x) => enqueue(() => client.messages.create(${req('x')})));\n}`,
    // a fixed set of calls
    ESM + `await Promise.all([client.messages.create(${req('"a"')}), client.messages.create(${req('"b"')})]);`,
    // p-limit in the path
    ESM + `import pLimit from "p-limit";\nconst limit = pLimit(4);\nexport async function run(xs: string[]) {\n  return Promise.all(xs.map((x) => limit(() => client.messages.create(${req('x')}))));\n}`,
    // p-queue / Bottleneck
    ESM + `import PQueue from "p-queue";\nconst q = new PQueue({ concurrency: 2 });\nexport async function run(xs: string[]) {\n  return Promise.all(xs.map((x) => q.add(() => client.messages.create(${req('x')}))));\n}`,
    ESM + `import Bottleneck from "bottleneck";\nconst b = new Bottleneck({ maxConcurrent: 2 });\nexport async function run(xs: string[]) {\n  return Promise.all(xs.map((x) => b.schedule(() => client.messages.create(${req('x')}))));\n}`,
    // p-map with a concurrency
    ESM + `import pMap from "p-map";\nexport async function run(xs: string[]) {\n  return pMap(xs, (x) => client.messages.create(${req('x')}), { concurrency: 4 });\n}`,
    // chunked: each batch of a sequential loop, or a slice
    ESM + `declare function chunks<T>(xs: T[], n: number): T[][];\nexport async function run(xs: string[]) {\n  for (const batch of chunks(xs, 5)) {\n    await Promise.all(batch.map((x) => client.messages.create(${req('x')})));\n  }\n}`,
    ESM + `export async function run(xs: string[]) {\n  for (let i = 0; i < xs.length; i += 5) {\n    await Promise.all(xs.slice(i, i + 5).map((x) => client.messages.create(${req('x')})));\n  }\n}`,
    // a semaphore acquired before the call in the mapped function
    ESM + `declare const sem: { acquire(): Promise<() => void> };\nexport async function run(xs: string[]) {\n  return Promise.all(xs.map(async (x) => {\n    const release = await sem.acquire();\n    try { return await client.messages.create(${req('x')}); } finally { release(); }\n  }));\n}`,
    // one after another: awaited in the loop
    ESM + `export async function run(xs: string[]) {\n  const out = [];\n  for (const x of xs) out.push(await client.messages.create(${req('x')}));\n  return out;\n}`,
    // a function from another file (may limit): unknown, silent
    ESM + `import { ask } from "./ask";\nexport async function run(xs: string[]) {\n  return Promise.all(xs.map((x) => ask(x)));\n}`,
    // a callback handed to an unknown function (may limit)
    ESM + `declare function runLimited<T>(f: () => Promise<T>): Promise<T>;\nexport async function run(xs: string[]) {\n  return Promise.all(xs.map((x) => runLimited(() => client.messages.create(${req('x')}))));\n}`,
    // mapped but never awaited together
    ESM + `export function run(xs: string[]) {\n  return xs.map((x) => () => client.messages.create(${req('x')}));\n}`,
    // Python
    { language: 'python', code: PYA + `async def run():\n    return await asyncio.gather(*[client.messages.create(${pyReq('t')}) for t in ["a", "b", "c"]])` },
    { language: 'python', code: PYA + `async def run():\n    return await asyncio.gather(*(client.messages.create(${pyReq('str(i)')}) for i in range(3)))` },
    { language: 'python', code: PYA + `sem = asyncio.Semaphore(5)\n\nasync def one(t):\n    async with sem:\n        return await client.messages.create(${pyReq('t')})\n\nasync def run(texts):\n    return await asyncio.gather(*(one(t) for t in texts))` },
    { language: 'python', code: PYA + `async def run(texts):\n    return [await client.messages.create(${pyReq('t')}) for t in texts]` },
    { language: 'python', code: PYA + `async def run(texts):\n    for i in range(0, len(texts), 5):\n        await asyncio.gather(*[client.messages.create(${pyReq('t')}) for t in texts[i:i + 5]])` },
    { language: 'python', code: PYA + `from helpers import one\n\nasync def run(texts):\n    return await asyncio.gather(*(one(t) for t in texts))` },
  ],
  invalid: [
    {
      name: 'forEach with an async callback: every request leaves at once; p-limit in the dependencies',
      dependencies: ['p-limit'],
      code: ESM + `export function run(xs: string[]) {\n  xs.forEach(async (x) => {\n    const m = await client.messages.create(${req('x')});\n    console.log(m.id);\n  });\n}`,
      errors: [{ messageId: 'burst', message: 'element of xs', line: 4 }],
      output: ESM.replace('const client', 'import pLimit from "p-limit";\nconst limit = pLimit(5);\nconst client') + `export function run(xs: string[]) {\n  xs.forEach(async (x) => {\n    const m = await limit(() => client.messages.create(${req('x')}));\n    console.log(m.id);\n  });\n}`,
    },
    {
      name: 'forEach with a callback returning the request',
      code: ESM + `export function run(xs: string[]) {\n  xs.forEach((x) => void client.messages.create(${req('x')}));\n}`,
      errors: [{ messageId: 'burst', message: 'element of xs' }],
    },
    {
      name: 'a second fan-out in a file that already has a p-limit limiter: the fix shares it',
      dependencies: ['p-limit'],
      code: ESM.replace('const client', 'import pLimit from "p-limit";\nconst limit = pLimit(5);\nconst client') + `export async function a(xs: string[]) {\n  return Promise.all(xs.map((x) => limit(() => client.messages.create(${req('x')}))));\n}\nexport async function b(ys: string[]) {\n  return Promise.all(ys.map((y) => client.messages.create(${req('y')})));\n}`,
      errors: [{ messageId: 'burst', message: 'element of ys' }],
      output: ESM.replace('const client', 'import pLimit from "p-limit";\nconst limit = pLimit(5);\nconst client') + `export async function a(xs: string[]) {\n  return Promise.all(xs.map((x) => limit(() => client.messages.create(${req('x')}))));\n}\nexport async function b(ys: string[]) {\n  return Promise.all(ys.map((y) => limit(() => client.messages.create(${req('y')}))));\n}`,
    },
    {
      name: 'Promise.all over xs.map with a direct call; no fix without a limiter dependency',
      code: ESM + `export async function run(xs: string[]) {\n  return Promise.all(xs.map((x) => client.messages.create(${req('x')})));\n}`,
      errors: [{ messageId: 'burst', message: 'element of xs', line: 4 }],
      output: null,
    },
    {
      name: 'through a same-file function; p-limit in the dependencies: the fix wraps the call',
      dependencies: ['p-limit'],
      code: ESM + `async function ask(x: string) {\n  const m = await client.messages.create(${req('x')});\n  return m.content;\n}\nexport async function run(xs: string[]) {\n  return Promise.allSettled(xs.map((x) => ask(x)));\n}`,
      errors: [{ messageId: 'burst', text: 'Promise.allSettled(xs.map((x) => ask(x)))' }],
      output: ESM.replace('const client', 'import pLimit from "p-limit";\nconst limit = pLimit(5);\nconst client') .replace('import pLimit', 'import pLimit') + `async function ask(x: string) {\n  const m = await client.messages.create(${req('x')});\n  return m.content;\n}\nexport async function run(xs: string[]) {\n  return Promise.allSettled(xs.map((x) => limit(() => ask(x))));\n}`,
    },
    {
      name: 'a loop pushing promises awaited together later; p-queue',
      dependencies: ['p-queue'],
      code: ESM + `export async function run(xs: string[]) {\n  const ps = [];\n  for (const x of xs) ps.push(client.messages.create(${req('x')}));\n  return Promise.all(ps);\n}`,
      errors: [{ messageId: 'burst', text: 'Promise.all(ps)' }],
      output: ESM.replace('const client', 'import PQueue from "p-queue";\nconst queue = new PQueue({ concurrency: 5 });\nconst client') + `export async function run(xs: string[]) {\n  const ps = [];\n  for (const x of xs) ps.push(queue.add(() => client.messages.create(${req('x')})));\n  return Promise.all(ps);\n}`,
    },
    {
      name: 'Array.from with a mapping function, a stored promise list; Bottleneck',
      dependencies: ['bottleneck'],
      code: ESM + `export async function run(n: number) {\n  const jobs = Array.from({ length: n }, (_, i) => client.messages.create(${req('String(i)')}));\n  return await Promise.all(jobs);\n}`,
      errors: [{ messageId: 'burst', text: 'Promise.all(jobs)' }],
      output: ESM.replace('const client', 'import Bottleneck from "bottleneck";\nconst limiter = new Bottleneck({ maxConcurrent: 5 });\nconst client') + `export async function run(n: number) {\n  const jobs = Array.from({ length: n }, (_, i) => limiter.schedule(() => client.messages.create(${req('String(i)')})));\n  return await Promise.all(jobs);\n}`,
    },
    {
      name: 'a method of the class, called through this, inside an async callback',
      code: ESM + `export class Summarizer {\n  async one(doc: string) {\n    return client.messages.create(${req('doc')});\n  }\n  async all(docs: string[]) {\n    return Promise.all(docs.map(async (d) => { const r = await this.one(d); return r; }));\n  }\n}`,
      errors: [{ messageId: 'burst', message: 'element of docs' }],
    },
    {
      name: 'p-map without a concurrency option (its default is Infinity)',
      code: ESM + `import pMap from "p-map";\nexport async function run(xs: string[]) {\n  return pMap(xs, (x) => client.messages.create(${req('x')}));\n}`,
      errors: [{ messageId: 'burst' }],
    },
    {
      name: 'a literal array larger than 10',
      code: ESM + `await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => client.messages.create(${req('String(i)')})));`,
      errors: [{ messageId: 'burst' }],
    },
    {
      name: 'a retry wrapper is not a limiter',
      code: ESM + `declare function withRetry<T>(f: () => Promise<T>): Promise<T>;\nexport async function run(xs: string[]) {\n  return Promise.all(xs.map((x) => withRetry(() => client.messages.create(${req('x')}))));\n}`,
      errors: [{ messageId: 'burst' }],
    },
    // Python
    {
      language: 'python',
      name: 'asyncio.gather over a generator through a nested coroutine: the fix adds a Semaphore',
      code: PYA + `\n\nasync def run(texts):\n    async def one(t):\n        return await client.messages.create(${pyReq('t')})\n\n    return await asyncio.gather(*(one(t) for t in texts))\n`,
      errors: [{ messageId: 'burst', text: 'asyncio.gather(*(one(t) for t in texts))', message: 'element of texts' }],
      output: PY_WITH_HELPER + `\n\nasync def run(texts):\n    async def one(t):\n        return await client.messages.create(${pyReq('t')})\n\n    return await asyncio.gather(*(_claude_limited(one(t)) for t in texts))\n`,
    },
    {
      language: 'python',
      name: 'asyncio.gather over a list comprehension of direct calls',
      code: PYA + `\n\nasync def run(texts):\n    return await asyncio.gather(*[client.messages.create(${pyReq('t')}) for t in texts if t])\n`,
      errors: [{ messageId: 'burst', message: 'element of texts' }],
      output: PY_WITH_HELPER + `\n\nasync def run(texts):\n    return await asyncio.gather(*[_claude_limited(client.messages.create(${pyReq('t')})) for t in texts if t])\n`,
    },
    {
      language: 'python',
      name: 'a TaskGroup starting a task per element',
      code: PYA + `\n\nasync def ask(t):\n    return await client.messages.create(${pyReq('t')})\n\n\nasync def run(texts):\n    async with asyncio.TaskGroup() as tg:\n        for t in texts:\n            tg.create_task(ask(t))\n`,
      errors: [{ messageId: 'burst', text: 'tg.create_task(ask(t))' }],
      output: PY_WITH_HELPER + `\n\nasync def ask(t):\n    return await client.messages.create(${pyReq('t')})\n\n\nasync def run(texts):\n    async with asyncio.TaskGroup() as tg:\n        for t in texts:\n            tg.create_task(_claude_limited(ask(t)))\n`,
    },
    {
      language: 'python',
      name: 'tasks appended in a loop, gathered after it',
      code: PYA + `\n\nasync def run(texts):\n    tasks = []\n    for t in texts:\n        tasks.append(asyncio.create_task(client.messages.create(${pyReq('t')})))\n    return await asyncio.gather(*tasks)\n`,
      errors: [{ messageId: 'burst', text: 'asyncio.gather(*tasks)' }],
    },
    {
      language: 'python',
      name: 'gather imported from asyncio; no fix without `import asyncio`',
      code: 'from asyncio import gather\n\nimport anthropic\n\nclient = anthropic.AsyncAnthropic()\n\n\nasync def run(texts):\n    return await gather(*[client.messages.create(' + pyReq('t') + ') for t in texts])\n',
      errors: [{ messageId: 'burst', message: 'element of texts' }],
      output: null,
    },
  ],
});
