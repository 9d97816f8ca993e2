import { ESM, ruleTester } from './ruleTester';
import { PY_FIXED, PY_STREAM_FIX_ROWS, pyExcept } from './python/streamErrorFixCases';

const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';

// Python
const PY = 'import anthropic\n\nclient = anthropic.Anthropic()\n';
const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';

ruleTester.run('stream-error-unhandled', {
  valid: [
    // Python
    { language: 'python', name: 'a try around the with block', code: PY + 'def tell():\n    try:\n        with client.messages.stream(' + PY_REQ + ') as stream:\n            for text in stream.text_stream:\n                print(text, end="")\n    except anthropic.APIError as e:\n        print(e)\n' },
    { language: 'python', name: 'stream=True iterated inside try', code: PY + 'def tell():\n    stream = client.messages.create(' + PY_REQ + ', stream=True)\n    try:\n        for event in stream:\n            print(event.type)\n    except anthropic.APIError:\n        raise\n' },
    { language: 'python', name: 'every same-file caller catches', code: PY + 'def tell():\n    with client.messages.stream(' + PY_REQ + ') as stream:\n        return stream.get_final_message()\n\ndef main():\n    try:\n        return tell()\n    except anthropic.APIError:\n        return None\n' },
    { language: 'python', name: 'a generator hands the errors to whoever iterates it', code: PY + 'def chunks():\n    with client.messages.stream(' + PY_REQ + ') as stream:\n        for text in stream.text_stream:\n            yield text\n' },
    { language: 'python', name: 'the stream is returned: judged where it is consumed', code: PY + 'def open_stream():\n    return client.messages.create(' + PY_REQ + ', stream=True)\n' },
    { language: 'python', name: 'create without stream=True', code: PY + 'def tell():\n    return client.messages.create(' + PY_REQ + ')\n' },
    ESM + `export async function run() {\n  try {\n    const stream = client.messages.stream(${REQ});\n    for await (const event of stream) console.log(event.type);\n  } catch (err) { console.error("stream failed", err); }\n}`,
    ESM + `export async function run() {\n  const stream = await client.messages.create({ ...${REQ}, stream: true });\n  try { for await (const event of stream) console.log(event.type); } catch (err) { console.error(err); }\n}`,
    ESM + `export function run() {\n  client.messages.stream(${REQ}).on("text", (t) => process.stdout.write(t)).on("error", (e) => console.error(e));\n}`,
    ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  stream.on("text", (t) => process.stdout.write(t));\n  try { return await stream.finalMessage(); } catch (e) { console.error(e); return null; }\n}`,
    ESM + `export function run() {\n  const stream = client.messages.stream(${REQ});\n  return stream.finalMessage().catch((e) => { console.error(e); return null; });\n}`,
    // the caller catches
    ESM + `async function consume() {\n  const stream = client.messages.stream(${REQ});\n  for await (const e of stream) console.log(e.type);\n}\nexport async function main() {\n  try { await consume(); } catch (e) { console.error(e); }\n}`,
    ESM + `async function main() {\n  for await (const e of client.messages.stream(${REQ})) console.log(e.type);\n}\nmain().catch((e) => { console.error(e); process.exit(1); });`,
    // the stream is returned: the caller decides
    ESM + `export function open() { return client.messages.stream(${REQ}); }`,
    ESM + `export async function open() { const stream = await client.messages.create({ ...${REQ}, stream: true }); return stream; }`,
    // not a stream
    ESM + `export async function run() { const m = await client.messages.create(${REQ}); console.log(m.content); }`,
    // stream: false
    ESM + `export async function run() { const m = await client.messages.create({ ...${REQ}, stream: false }); console.log(m); }`,
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'with messages.stream(...) as stream: for text in stream.text_stream, no try',
      code: PY + 'def tell():\n    with client.messages.stream(' + PY_REQ + ') as stream:\n        for text in stream.text_stream:\n            print(text, end="")\n',
      errors: [{ messageId: 'unhandled', line: 5, text: 'client.messages.stream', message: '(for text in stream.text_stream has no try/except around it)' }],
      output: PY_FIXED + 'def tell():\n    try:\n        with client.messages.stream(' + PY_REQ + ') as stream:\n            for text in stream.text_stream:\n                print(text, end="")\n' + pyExcept('    '),
    },
    {
      language: 'python',
      name: 'create(..., stream=True) iterated with no try',
      code: PY + 'def tell():\n    stream = client.messages.create(' + PY_REQ + ', stream=True)\n    for event in stream:\n        print(event.type)\n',
      errors: [{ messageId: 'unhandled', line: 5, message: 'for event in stream' }],
      output: PY_FIXED + 'def tell():\n    try:\n        stream = client.messages.create(' + PY_REQ + ', stream=True)\n        for event in stream:\n            print(event.type)\n' + pyExcept('    '),
    },
    {
      language: 'python',
      name: 'async with and async for',
      code: 'import anthropic\n\nclient = anthropic.AsyncAnthropic()\n\nasync def tell():\n    async with client.messages.stream(' + PY_REQ + ') as stream:\n        async for event in stream:\n            print(event.type)\n',
      errors: [{ messageId: 'unhandled', line: 6, message: 'async for event in stream' }],
      output: 'import logging\nimport anthropic\n\nclient = anthropic.AsyncAnthropic()\n\nasync def tell():\n    try:\n        async with client.messages.stream(' + PY_REQ + ') as stream:\n            async for event in stream:\n                print(event.type)\n' + pyExcept('    '),
    },
    {
      language: 'python',
      name: 'get_final_message() with no try, and a caller with no try',
      code: PY + 'def tell():\n    with client.messages.stream(' + PY_REQ + ') as stream:\n        return stream.get_final_message()\n\ndef main():\n    print(tell())\n',
      errors: [{ messageId: 'unhandled', line: 5, message: '.get_final_message()' }],
      output: PY_FIXED + 'def tell():\n    try:\n        with client.messages.stream(' + PY_REQ + ') as stream:\n            return stream.get_final_message()\n' + pyExcept('    ') + '\ndef main():\n    print(tell())\n',
    },
    ...PY_STREAM_FIX_ROWS.map((r) => ({ language: 'python' as const, name: `fix: ${r.name}`, code: r.code, errors: [{ messageId: 'unhandled' }], output: r.output })),
    {
      name: 'for await with no try',
      code: ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  for await (const event of stream) console.log(event.type);\n}`,
      errors: [{ messageId: 'unhandled', line: 4, text: 'client.messages.stream', message: 'for await' }],
      output: ESM + `export async function run() {\n  try {\n    const stream = client.messages.stream(${REQ});\n    for await (const event of stream) console.log(event.type);\n  } catch (err) {\n    console.error('Claude stream failed', err);\n    throw err;\n  }\n}`,
      typeCheck: true,
    },
    {
      name: 'create({ stream: true }) iterated with no try',
      code: ESM + `export async function run() {\n  const stream = await client.messages.create({ ...${REQ}, stream: true });\n  for await (const event of stream) if (event.type === "content_block_delta") process.stdout.write(JSON.stringify(event.delta));\n}`,
      errors: [{ messageId: 'unhandled', text: 'client.messages.create' }],
      output: ESM + `export async function run() {\n  try {\n    const stream = await client.messages.create({ ...${REQ}, stream: true });\n    for await (const event of stream) if (event.type === "content_block_delta") process.stdout.write(JSON.stringify(event.delta));\n  } catch (err) {\n    console.error('Claude stream failed', err);\n    throw err;\n  }\n}`,
      typeCheck: true,
    },
    {
      name: 'only a text listener',
      code: ESM + `export function run() {\n  client.messages.stream(${REQ}).on("text", (t) => process.stdout.write(t));\n}`,
      errors: [{ messageId: 'unhandled', message: ".on('text')" }],
      output: ESM + `export function run() {\n  client.messages.stream(${REQ}).on("text", (t) => process.stdout.write(t)).on('error', (err) => { console.error('Claude stream failed', err); });\n}`,
      typeCheck: true,
    },
    {
      name: 'finalMessage awaited with no try',
      code: ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  stream.on("text", (t) => process.stdout.write(t));\n  const message = await stream.finalMessage();\n  return message.usage;\n}`,
      errors: [{ messageId: 'unhandled', message: 'finalMessage()' }],
      // the block is wrapped to its end: the return reads \`message\`, declared inside
      output: ESM + `export async function run() {\n  try {\n    const stream = client.messages.stream(${REQ});\n    stream.on("text", (t) => process.stdout.write(t));\n    const message = await stream.finalMessage();\n    return message.usage;\n  } catch (err) {\n    console.error('Claude stream failed', err);\n    throw err;\n  }\n}`,
      typeCheck: true,
    },
    {
      name: 'try/finally without a catch',
      code: ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  try { for await (const e of stream) console.log(e.type); } finally { console.log("done"); }\n}`,
      errors: [{ messageId: 'unhandled' }],
      // the for await sits alone in the try block of the try/finally: wrapped there, on its line
      output: ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  try { try { for await (const e of stream) console.log(e.type); } catch (err) { console.error('Claude stream failed', err); throw err; } } finally { console.log("done"); }\n}`,
      typeCheck: true,
    },
    {
      name: 'a caller that does not catch',
      code: ESM + `async function consume() {\n  for await (const e of client.messages.stream(${REQ})) console.log(e.type);\n}\nexport async function main() { await consume(); }`,
      errors: [{ messageId: 'unhandled' }],
      output: ESM + `async function consume() {\n  try {\n    for await (const e of client.messages.stream(${REQ})) console.log(e.type);\n  } catch (err) {\n    console.error('Claude stream failed', err);\n    throw err;\n  }\n}\nexport async function main() { await consume(); }`,
      typeCheck: true,
    },
    {
      name: 'a route handler',
      code: ESM + `app.post("/chat", async (req: any, res: any) => {\n  const stream = client.messages.stream(${REQ});\n  for await (const e of stream) res.write(JSON.stringify(e));\n  res.end();\n});`,
      errors: [{ messageId: 'unhandled' }],
      // the statements after the stream stay outside the try
      output: ESM + `app.post("/chat", async (req: any, res: any) => {\n  try {\n    const stream = client.messages.stream(${REQ});\n    for await (const e of stream) res.write(JSON.stringify(e));\n  } catch (err) {\n    console.error('Claude stream failed', err);\n    throw err;\n  }\n  res.end();\n});`,
    },
    {
      name: 'tab indentation and a statement before the stream are kept',
      code: ESM + `export async function run() {\n\tconsole.log("start");\n\tconst stream = client.messages.stream(${REQ});\n\tfor await (const e of stream) {\n\t\tconsole.log(e.type);\n\t}\n}`,
      errors: [{ messageId: 'unhandled' }],
      output: ESM + `export async function run() {\n\tconsole.log("start");\n\ttry {\n\t\tconst stream = client.messages.stream(${REQ});\n\t\tfor await (const e of stream) {\n\t\t\tconsole.log(e.type);\n\t\t}\n\t} catch (err) {\n\t\tconsole.error('Claude stream failed', err);\n\t\tthrow err;\n\t}\n}`,
      typeCheck: true,
    },
    {
      name: 'a multi-line template literal inside the wrapped statements keeps its text',
      code: ESM + 'export async function run() {\n  const stream = client.messages.stream({ ...' + REQ + ', system: `Be brief.\nAnswer in French.` });\n  const m = await stream.finalMessage();\n  return m.content;\n}',
      errors: [{ messageId: 'unhandled' }],
      output: ESM + 'export async function run() {\n  try {\n    const stream = client.messages.stream({ ...' + REQ + ', system: `Be brief.\nAnswer in French.` });\n    const m = await stream.finalMessage();\n    return m.content;\n  } catch (err) {\n    console.error(\'Claude stream failed\', err);\n    throw err;\n  }\n}',
      typeCheck: true,
    },
    {
      name: 'a listener chain written one call per line gets its error listener on a line of its own',
      code: ESM + `export function run() {\n  client.messages\n    .stream(${REQ})\n    .on("text", (t) => process.stdout.write(t))\n    .on("end", () => console.log());\n}`,
      errors: [{ messageId: 'unhandled' }],
      output: ESM + `export function run() {\n  client.messages\n    .stream(${REQ})\n    .on("text", (t) => process.stdout.write(t))\n    .on("end", () => console.log())\n    .on('error', (err) => { console.error('Claude stream failed', err); });\n}`,
      typeCheck: true,
    },
    {
      name: 'a stream consumed in an expression-bodied arrow function has no block to wrap: no fix',
      code: ESM + `export const run = async () => (await client.messages.stream(${REQ}).finalMessage()).content;`,
      errors: [{ messageId: 'unhandled' }],
      output: null,
    },
  ],
});
