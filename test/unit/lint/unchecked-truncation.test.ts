import { ESM, ruleTester, PY } from './ruleTester';

const req = '{ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [{ role: "user", content: "Give JSON" }] }';
const pyReq = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Give JSON"}]';
const JS_GUARD = "if (msg.stop_reason === 'max_tokens') throw new Error('The reply was truncated at max_tokens: raise max_tokens or ask for less');";
const PY_GUARD = (name: string, indent: string) =>
  `${indent}if ${name}.stop_reason == "max_tokens":\n${indent}    raise RuntimeError("The reply was truncated at max_tokens: raise max_tokens or ask for less")\n`;

ruleTester.run('unchecked-truncation', {
  valid: [
    // stop_reason is read (before or after: any read counts)
    ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  if (msg.stop_reason !== 'end_turn') throw new Error('cut');\n  return JSON.parse(msg.content[0].text);\n}`,
    ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  const data = JSON.parse(msg.content[0].text);\n  return { data, truncated: msg.stop_reason === 'max_tokens' };\n}`,
    ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  const { content, stop_reason } = msg;\n  return JSON.parse(msg.content[0].text);\n}`,
    // the response handed to a function before the parse (it may check)
    ESM + `declare function assertComplete(m: unknown): void;\nasync function f() {\n  const msg = await client.messages.create(${req});\n  assertComplete(msg);\n  return JSON.parse(msg.content[0].text);\n}`,
    // the text is not parsed as JSON
    ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  return msg.content[0].text.toUpperCase();\n}`,
    ESM + `declare const marked: { parse(s: string): string };\nasync function f() {\n  const msg = await client.messages.create(${req});\n  return marked.parse(msg.content[0].text);\n}`,
    // parsing something else
    ESM + `async function f(raw: string) {\n  const msg = await client.messages.create(${req});\n  return [msg.id, JSON.parse(raw)];\n}`,
    // forced tool / structured output: stay silent
    ESM + `async function f() {\n  const msg = await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [], tool_choice: { type: "tool", name: "emit" } });\n  return JSON.parse(msg.content[0].text);\n}`,
    ESM + `async function f() {\n  const msg = await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [], output_format: { type: "json_schema", schema: {} } });\n  return JSON.parse(msg.content[0].text);\n}`,
    // a request that may carry tool_choice (unknown spread)
    ESM + `async function f(extra: object) {\n  const msg = await client.messages.create({ ...extra, model: "claude-sonnet-4-6", max_tokens: 1024, messages: [] });\n  return JSON.parse(msg.content[0].text);\n}`,
    // streamed
    ESM + `async function f() {\n  const s = await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [], stream: true });\n  return s;\n}`,
    // the parse is in another function (a callback)
    ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  return () => JSON.parse(msg.content[0].text);\n}`,
    // streams: stop_reason read from the events, from the final message, or the stream handed on first
    ESM + `async function f() {\n  const stream = client.messages.stream(${req});\n  for await (const ev of stream) if (ev.type === 'message_delta' && ev.delta.stop_reason === 'max_tokens') throw new Error('cut');\n  return JSON.parse(await stream.finalText());\n}`,
    ESM + `async function f() {\n  const stream = client.messages.stream(${req});\n  const msg = await stream.finalMessage();\n  if (msg.stop_reason === 'max_tokens') throw new Error('cut');\n  return JSON.parse(msg.content[0].text);\n}`,
    ESM + `declare function watch(s: unknown): void;\nasync function f() {\n  const stream = client.messages.stream(${req});\n  watch(stream);\n  return JSON.parse(await stream.finalText());\n}`,
    ESM + `async function f() {\n  const text = await client.messages.stream(${req}).finalText();\n  return text.toUpperCase();\n}`,
    { language: 'python', code: PY + `import json\n\ndef f():\n    with client.messages.stream(${pyReq}) as stream:\n        msg = stream.get_final_message()\n    if msg.stop_reason == "max_tokens":\n        raise RuntimeError("cut")\n    return json.loads(msg.content[0].text)` },
    // Python
    { language: 'python', code: PY + `def f():\n    resp = client.messages.create(${pyReq})\n    if resp.stop_reason == "max_tokens":\n        raise RuntimeError("cut")\n    return json.loads(resp.content[0].text)` },
    { language: 'python', code: PY + `def f():\n    resp = client.messages.create(${pyReq})\n    return resp.content[0].text.strip()` },
    { language: 'python', code: PY + `def f():\n    resp = client.messages.create(${pyReq}, tool_choice={"type": "any"})\n    return json.loads(resp.content[0].text)` },
    { language: 'python', code: PY + `def f(**kw):\n    resp = client.messages.create(**kw)\n    return json.loads(resp.content[0].text)` },
  ],
  invalid: [
    {
      name: 'JSON.parse of content[0].text, fix inserts the check',
      code: ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  return JSON.parse(msg.content[0].text);\n}`,
      errors: [{ messageId: 'unchecked', text: 'JSON.parse(msg.content[0].text)', line: 5 }],
      output: ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  ${JS_GUARD}\n  return JSON.parse(msg.content[0].text);\n}`,
    },
    {
      name: 'a text block found with .find, held in variables, trimmed',
      code: ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  const block = msg.content.find((b) => b.type === 'text');\n  const text = block?.type === 'text' ? block.text : '';\n  const data = JSON.parse(text.trim());\n  return data;\n}`,
      errors: [{ messageId: 'unchecked', text: 'JSON.parse(text.trim())' }],
      output: ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  const block = msg.content.find((b) => b.type === 'text');\n  const text = block?.type === 'text' ? block.text : '';\n  ${JS_GUARD}\n  const data = JSON.parse(text.trim());\n  return data;\n}`,
    },
    {
      name: 'a zod schema parse of the text (.find(...).text)',
      code: ESM + `declare const ReplySchema: { parse(x: unknown): unknown };\nasync function f() {\n  const msg = await client.messages.create(${req});\n  const text = (msg.content.find((b) => b.type === 'text') as { text: string }).text;\n  return ReplySchema.parse(text);\n}`,
      errors: [{ messageId: 'unchecked', text: 'ReplySchema.parse(text)' }],
    },
    {
      name: 'inline: the response is not kept, no fix',
      code: ESM + `async function f() {\n  return JSON.parse((await client.messages.create(${req})).content[0].text);\n}`,
      errors: [{ messageId: 'uncheckedInline' }],
      output: null,
    },
    {
      name: 'the fix is a suggestion',
      code: ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  return JSON.parse(msg.content[0].text);\n}`,
      errors: [{ messageId: 'unchecked' }],
      safeOnly: true,
      output: null,
    },
    {
      name: 'a parse inside an expression: the check goes before its statement',
      code: ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  const g = true ? JSON.parse(msg.content[0].text) : null; return g;\n}`,
      errors: [{ messageId: 'unchecked' }],
      output: ESM + `async function f() {\n  const msg = await client.messages.create(${req});\n  ${JS_GUARD}\n  const g = true ? JSON.parse(msg.content[0].text) : null; return g;\n}`,
    },
    {
      name: "a stream's final message parsed: the fix checks its stop_reason",
      code: ESM + `async function f() {\n  const stream = client.messages.stream(${req});\n  const msg = await stream.finalMessage();\n  return JSON.parse(msg.content[0].text);\n}`,
      errors: [{ messageId: 'unchecked', text: 'JSON.parse(msg.content[0].text)', line: 6 }],
      output: ESM + `async function f() {\n  const stream = client.messages.stream(${req});\n  const msg = await stream.finalMessage();\n  ${JS_GUARD}\n  return JSON.parse(msg.content[0].text);\n}`,
    },
    {
      name: "a stream's finalText() parsed, chained on the call",
      code: ESM + `async function f() {\n  const text = await client.messages.stream(${req}).finalText();\n  return JSON.parse(text);\n}`,
      errors: [{ messageId: 'uncheckedStream', text: 'JSON.parse(text)', message: 'finalText()' }],
      output: null,
    },
    {
      language: 'python',
      name: 'Python: get_final_message() of a with-stream parsed after the block',
      code: PY + `import json\n\ndef f():\n    with client.messages.stream(${pyReq}) as stream:\n        msg = stream.get_final_message()\n    return json.loads(msg.content[0].text)\n`,
      errors: [{ messageId: 'unchecked', text: 'json.loads(msg.content[0].text)' }],
      output: PY + `import json\n\ndef f():\n    with client.messages.stream(${pyReq}) as stream:\n        msg = stream.get_final_message()\n${PY_GUARD('msg', '    ')}    return json.loads(msg.content[0].text)\n`,
    },
    {
      language: 'python',
      name: 'Python: get_final_text() parsed inside the with block',
      code: PY + `import json\n\ndef f():\n    with client.messages.stream(${pyReq}) as stream:\n        return json.loads(stream.get_final_text())\n`,
      errors: [{ messageId: 'uncheckedStream', message: 'get_final_text()' }],
    },
    // Python
    {
      language: 'python',
      name: 'json.loads(resp.content[0].text) in a function',
      code: PY + `import json\n\ndef f():\n    resp = client.messages.create(${pyReq})\n    data = json.loads(resp.content[0].text)\n    return data\n`,
      errors: [{ messageId: 'unchecked', text: 'json.loads(resp.content[0].text)', line: 8 }],
      output: PY + `import json\n\ndef f():\n    resp = client.messages.create(${pyReq})\n${PY_GUARD('resp', '    ')}    data = json.loads(resp.content[0].text)\n    return data\n`,
    },
    {
      language: 'python',
      name: 'async client, pydantic model_validate_json at module level',
      code: 'import anthropic\nfrom pydantic import BaseModel\n\nclient = anthropic.AsyncAnthropic()\n\nclass Reply(BaseModel):\n    answer: str\n\nasync def ask():\n    message = await client.messages.create(' + pyReq + ')\n    text = message.content[0].text\n    return Reply.model_validate_json(text)\n',
      errors: [{ messageId: 'unchecked', text: 'Reply.model_validate_json(text)' }],
      output: 'import anthropic\nfrom pydantic import BaseModel\n\nclient = anthropic.AsyncAnthropic()\n\nclass Reply(BaseModel):\n    answer: str\n\nasync def ask():\n    message = await client.messages.create(' + pyReq + ')\n    text = message.content[0].text\n' + PY_GUARD('message', '    ') + '    return Reply.model_validate_json(text)\n',
    },
  ],
});
