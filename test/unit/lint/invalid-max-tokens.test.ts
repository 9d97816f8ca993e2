import { ESM, ruleTester, PY } from './ruleTester';

const msg = (extra: string) => `[{ role: "user", content: "Hi" }]${extra}`;

ruleTester.run('invalid-max-tokens', {
  valid: [
    // Python
    { language: 'python', code: PY + 'client.messages.create(model="claude-sonnet-4-6", max_tokens=1_024, messages=[{"role": "user", "content": "x"}])' },
    { language: 'python', code: PY + 'def ask(n):\n    return client.messages.create(model="m", max_tokens=n, messages=[{"role": "user", "content": "x"}])' },
    { language: 'python', name: 'max_tokens=0 with anthropic 1.x', sdkVersion: '1.13.0', code: PY + 'client.messages.create(model="m", max_tokens=0, messages=[{"role": "user", "content": "x"}])' },
    { language: 'python', name: 'a large max_tokens with stream', code: PY + 'with client.messages.stream(model="claude-sonnet-4-6", max_tokens=64000, messages=[{"role": "user", "content": "x"}]) as s:\n    pass\n' },
    { language: 'python', name: 'a large max_tokens with a timeout keyword', code: PY + 'client.messages.create(model="claude-sonnet-4-6", max_tokens=64000, messages=[{"role": "user", "content": "x"}], timeout=1200)' },
    ESM + `await client.messages.create({ model: "claude-haiku-4-5", max_tokens: 1024, messages: ${msg('')} });`,
    // exactly the ceiling
    ESM + `await client.messages.stream({ model: "claude-haiku-4-5-20251001", max_tokens: 64000, messages: ${msg('')} });`,
    // unknown model: no ceiling known
    ESM + `await client.messages.stream({ model: "claude-next-9", max_tokens: 500000, messages: ${msg('')} });`,
    // 0 pre-warms the cache on SDK 1.x (and with an unknown SDK)
    { code: ESM + `await client.messages.create({ model: "m", max_tokens: 0, messages: ${msg('')} });`, sdkVersion: '^1.12.0' },
    ESM + `await client.messages.create({ model: "m", max_tokens: 0, messages: ${msg('')} });`,
    // large non-streaming with a timeout on the request, or on the client, or streaming
    ESM + `await client.messages.create({ model: "claude-opus-4-7", max_tokens: 64000, messages: ${msg('')} }, { timeout: 3_600_000 });`,
    'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ timeout: 3_600_000 });\n' +
      `await client.messages.create({ model: "claude-opus-4-7", max_tokens: 64000, messages: ${msg('')} });`,
    ESM + `await client.messages.create({ model: "claude-opus-4-7", max_tokens: 64000, stream: true, messages: ${msg('')} });`,
    ESM + `await client.messages.stream({ model: "claude-opus-4-7", max_tokens: 64000, messages: ${msg('')} });`,
    // exactly at the non-streaming limit
    ESM + `await client.messages.create({ model: "claude-opus-4-7", max_tokens: 21333, messages: ${msg('')} });`,
    // client options unknown (a typed parameter): its timeout might be set
    `import Anthropic from "@anthropic-ai/sdk";\nexport const run = (c: Anthropic) => c.messages.create({ model: "claude-opus-4-7", max_tokens: 64000, messages: ${msg('')} });`,
    // unknown values
    ESM + `declare const n: number;\nawait client.messages.create({ model: "m", max_tokens: n * 2, messages: ${msg('')} });`,
  ],
  invalid: [
    // Python
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=-1, messages=[{"role": "user", "content": "x"}])', errors: [{ messageId: 'notInteger', text: '-1' }] },
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=1.5, messages=[{"role": "user", "content": "x"}])', errors: [{ messageId: 'notInteger', text: '1.5' }] },
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens="1024", messages=[{"role": "user", "content": "x"}])', errors: [{ messageId: 'notNumber', message: 'a string', text: '"1024"' }] },
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=None, messages=[{"role": "user", "content": "x"}])', errors: [{ messageId: 'notNumber', message: 'a null', text: 'None' }] },
    { language: 'python', sdkVersion: '0.40.0', code: PY + 'client.messages.create(model="m", max_tokens=0, messages=[{"role": "user", "content": "x"}])', errors: [{ messageId: 'zeroOldSdk', message: 'before anthropic 1.0' }] },
    { language: 'python', code: PY + 'client.messages.create(model="claude-sonnet-4-6", max_tokens=200000, messages=[{"role": "user", "content": "x"}])', errors: [{ messageId: 'aboveCeiling' }] },
    { language: 'python', code: PY + 'client.messages.create(model="claude-sonnet-4-6", max_tokens=64000, messages=[{"role": "user", "content": "x"}])', errors: [{ messageId: 'needsStreaming', text: '64000' }] },
    {
      code: ESM + `await client.messages.create({ model: "m", max_tokens: -1, messages: ${msg('')} });`,
      errors: [{ messageId: 'notInteger', text: '-1', line: 3 }],
    },
    {
      code: ESM + `await client.messages.create({ model: "m", max_tokens: 1024.5, messages: ${msg('')} });`,
      errors: [{ messageId: 'notInteger', text: '1024.5' }],
    },
    {
      code: ESM + `await client.messages.create({ model: "m", max_tokens: "1024", messages: ${msg('')} });`,
      errors: [{ messageId: 'notNumber', message: 'a string' }],
    },
    {
      name: '0 on SDK 0.x',
      code: ESM + `await client.messages.create({ model: "m", max_tokens: 0, messages: ${msg('')} });`,
      sdkVersion: '^0.137.0',
      errors: [{ messageId: 'zeroOldSdk', message: '0.137' }],
    },
    {
      name: 'above the ceiling, through a const and a dated id',
      code: ESM + `const MAX = 100_000;\nawait client.messages.stream({ model: "claude-haiku-4-5-20251001", max_tokens: MAX, messages: ${msg('')} });`,
      errors: [{ messageId: 'aboveCeiling', message: '64000-token output ceiling of Claude Haiku 4.5', text: '100_000', line: 3 }],
    },
    {
      name: 'above the ceiling of Claude 3 Haiku',
      code: ESM + `await client.messages.create({ model: "claude-3-haiku-20240307", max_tokens: 8192, messages: ${msg('')} });`,
      errors: [{ messageId: 'aboveCeiling', message: '4096' }],
    },
    {
      name: 'non-streaming create above the SDK limit without a timeout',
      code: ESM + `await client.messages.create({\n  model: "claude-opus-4-7",\n  max_tokens: 32000,\n  messages: ${msg('')},\n});`,
      errors: [{ messageId: 'needsStreaming', line: 5, column: 15, text: '32000' }],
    },
    {
      name: 'non-streaming with stream: false and a per-model SDK limit',
      code: ESM + `await client.messages.create({ model: "claude-opus-4-1@20250805", max_tokens: 10000, stream: false, messages: ${msg('')} });`,
      errors: [{ messageId: 'needsStreaming', message: 'over 8192' }],
    },
  ],
});
