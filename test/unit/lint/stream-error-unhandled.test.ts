import { ESM, ruleTester } from './ruleTester';

const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';

ruleTester.run('stream-error-unhandled', {
  valid: [
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
    {
      name: 'for await with no try',
      code: ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  for await (const event of stream) console.log(event.type);\n}`,
      errors: [{ messageId: 'unhandled', line: 4, text: 'client.messages.stream', message: 'for await' }],
    },
    {
      name: 'create({ stream: true }) iterated with no try',
      code: ESM + `export async function run() {\n  const stream = await client.messages.create({ ...${REQ}, stream: true });\n  for await (const event of stream) if (event.type === "content_block_delta") process.stdout.write(JSON.stringify(event.delta));\n}`,
      errors: [{ messageId: 'unhandled', text: 'client.messages.create' }],
    },
    {
      name: 'only a text listener',
      code: ESM + `export function run() {\n  client.messages.stream(${REQ}).on("text", (t) => process.stdout.write(t));\n}`,
      errors: [{ messageId: 'unhandled', message: ".on('text')" }],
    },
    {
      name: 'finalMessage awaited with no try',
      code: ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  stream.on("text", (t) => process.stdout.write(t));\n  const message = await stream.finalMessage();\n  return message.usage;\n}`,
      errors: [{ messageId: 'unhandled', message: 'finalMessage()' }],
    },
    {
      name: 'try/finally without a catch',
      code: ESM + `export async function run() {\n  const stream = client.messages.stream(${REQ});\n  try { for await (const e of stream) console.log(e.type); } finally { console.log("done"); }\n}`,
      errors: [{ messageId: 'unhandled' }],
    },
    {
      name: 'a caller that does not catch',
      code: ESM + `async function consume() {\n  for await (const e of client.messages.stream(${REQ})) console.log(e.type);\n}\nexport async function main() { await consume(); }`,
      errors: [{ messageId: 'unhandled' }],
    },
    {
      name: 'a route handler',
      code: ESM + `app.post("/chat", async (req: any, res: any) => {\n  const stream = client.messages.stream(${REQ});\n  for await (const e of stream) res.write(JSON.stringify(e));\n  res.end();\n});`,
      errors: [{ messageId: 'unhandled' }],
    },
  ],
});
