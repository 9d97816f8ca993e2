import { ESM, ruleTester, PY } from './ruleTester';

const call = (messages: string, extra = '') => ESM + `await client.messages.create({ model: "m", max_tokens: 1024${extra}, messages: ${messages} });`;

ruleTester.run('role-order', {
  valid: [
    // Python
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Go on"}])' },
    { language: 'python', name: 'messages from a parameter', code: PY + 'def ask(history):\n    return client.messages.create(model="m", max_tokens=10, messages=history)' },
    { language: 'python', name: 'an unknown *history first', code: PY + 'def ask(history):\n    return client.messages.create(model="m", max_tokens=10, messages=[*history, {"role": "user", "content": "x"}])' },
    { language: 'python', name: 'a list filled with append before the call', code: PY + 'messages = []\nmessages.append({"role": "user", "content": "x"})\nclient.messages.create(model="m", max_tokens=10, messages=messages)' },
    { language: 'python', name: 'a final assistant prefill', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}, {"role": "assistant", "content": "{"}])' },
    call('[{ role: "user", content: "Hi" }]'),
    call('[{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }, { role: "user", content: "More" }]'),
    // a final assistant message is a prefill
    call('[{ role: "user", content: "Give JSON" }, { role: "assistant", content: "{" }]'),
    // a leading unknown spread hides the order
    'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\nexport function f(history: Anthropic.MessageParam[]) {\n  return client.messages.create({ model: "m", max_tokens: 1, messages: [...history, { role: "user", content: "x" }] });\n}',
    // an unknown spread between two user messages
    'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\nexport function f(h: Anthropic.MessageParam[]) {\n  return client.messages.create({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "a" }, ...h, { role: "user", content: "b" }] });\n}',
    // messages pushed to before the call
    ESM + 'const messages: Anthropic.MessageParam[] = [];\nmessages.push({ role: "user", content: "x" });\nawait client.messages.create({ model: "m", max_tokens: 1, messages });',
    // a tool_result answering the previous assistant tool_use
    call(`[
      { role: "user", content: "Weather?" },
      { role: "assistant", content: [{ type: "text", text: "Checking" }, { type: "tool_use", id: "toolu_1", name: "w", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "Sunny" }] },
    ]`),
    // assistant content not fully known: no judgement
    ESM + 'declare const blocks: any[];\n' + `await client.messages.create({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "a" }, { role: "assistant", content: blocks }, { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "" }] }] });`,
    // system role inside messages is fine on SDK 1.x (and with an unknown SDK)
    call('[{ role: "system", content: "Be brief" }, { role: "user", content: "Hi" }]'),
    // the role from a variable
    ESM + 'declare const r: "user" | "assistant";\nawait client.messages.create({ model: "m", max_tokens: 1, messages: [{ role: r, content: "x" }] });',
    // messages from a parameter
    ESM + 'export const f = (messages: any) => client.messages.create({ model: "m", max_tokens: 1, messages });',
  ],
  invalid: [
    // Python
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[])', errors: [{ messageId: 'empty', text: '[]' }] },
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=10)', errors: [{ messageId: 'missing', text: 'client.messages.create' }] },
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "assistant", "content": "x"}, {"role": "user", "content": "y"}])', errors: [{ messageId: 'firstNotUser', text: '{"role": "assistant", "content": "x"}' }] },
    {
      language: 'python',
      name: 'two user turns in a row, from a module constant',
      code: PY + 'HISTORY = [\n    {"role": "user", "content": "a"},\n    {"role": "user", "content": "b"},\n]\nclient.messages.create(model="m", max_tokens=10, messages=HISTORY)\n',
      errors: [{ messageId: 'consecutive', line: 6, severity: 'warning' }],
    },
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "tool", "content": "x"}])', errors: [{ messageId: 'badRole', text: '"tool"' }] },
    {
      language: 'python',
      name: 'a tool_result that answers no tool_use',
      code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}, {"role": "assistant", "content": "ok"}, {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "42"}]}])',
      errors: [{ messageId: 'orphanToolResult', message: 'toolu_1' }],
    },
    { code: call('[]'), errors: [{ messageId: 'empty', text: '[]', severity: 'error' }] },
    {
      name: 'empty through a const',
      code: ESM + 'const NONE = [] as const;\nawait client.messages.create({ model: "m", max_tokens: 1, messages: NONE as any });',
      errors: [{ messageId: 'empty', line: 3 }],
    },
    {
      name: 'no messages at all',
      code: ESM + 'await client.messages.create({ model: "m", max_tokens: 1 } as any);',
      errors: [{ messageId: 'missing' }],
    },
    {
      code: call('[{ role: "assistant", content: "Hello" }, { role: "user", content: "Hi" }]'),
      errors: [{ messageId: 'firstNotUser', text: '{ role: "assistant", content: "Hello" }' }],
    },
    {
      name: 'consecutive user turns: a warning on the second',
      code: ESM + 'await client.messages.create({\n  model: "m",\n  max_tokens: 1,\n  messages: [\n    { role: "user", content: "a" },\n    { role: "user", content: "b" },\n  ],\n});',
      errors: [{ messageId: 'consecutive', line: 8, column: 5, severity: 'warning' }],
    },
    {
      name: 'consecutive turns across a known spread',
      code: ESM + 'const intro = [{ role: "user" as const, content: "a" }];\nawait client.messages.create({ model: "m", max_tokens: 1, messages: [...intro, { role: "user", content: "b" }] });',
      errors: [{ messageId: 'consecutive', line: 4 }],
    },
    {
      name: 'tool_result with no matching tool_use',
      code: call(`[
      { role: "user", content: "Weather?" },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "w", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_2", content: "Sunny" }] },
    ]`),
      errors: [{ messageId: 'orphanToolResult', message: '"toolu_2"', line: 6 }],
    },
    {
      name: 'tool_result in the first message',
      code: call('[{ role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "x" }] }]'),
      errors: [{ messageId: 'orphanToolResult' }],
    },
    {
      name: 'a role the SDK does not know',
      code: call('[{ role: "user", content: "a" }, { role: "tool", content: "b" }]'),
      errors: [{ messageId: 'badRole', text: '"tool"' }],
    },
    {
      name: 'OpenAI-style system role on SDK 0.x is not this rule, developer is',
      code: call('[{ role: "system", content: "x" }, { role: "developer", content: "y" }, { role: "user", content: "z" }]'),
      sdkVersion: '0.137.0',
      errors: [{ messageId: 'badRole', message: 'top-level system field' }],
    },
  ],
});
