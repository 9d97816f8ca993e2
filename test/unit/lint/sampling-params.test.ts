import { ESM, ruleTester, PY } from './ruleTester';

const call = (extra: string) => ESM + `await client.messages.create({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "x" }]${extra} });`;

ruleTester.run('sampling-params', {
  valid: [
    // Python
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}], temperature=1.0)' },
    { language: 'python', name: 'anthropic 1.2 (before 1.13 temperature is not deprecated in Python)', sdkVersion: '1.2.0', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}], temperature=0.2)' },
    { language: 'python', code: PY + 'def ask(t):\n    return client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}], temperature=t)' },
    call(''),
    // values the newest models accept
    call(', temperature: 1'),
    call(', top_p: 0.99'),
    // an SDK before the deprecation
    { code: call(', temperature: 0.2'), sdkVersion: '0.30.0' },
    // unknown values
    ESM + 'declare const t: number;\n' + `await client.messages.create({ model: "m", max_tokens: 1, messages: [], temperature: t, top_p: t } as any);`,
    // undefined is not set
    call(', temperature: undefined'),
  ],
  invalid: [
    // Python
    { language: 'python', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}], temperature=1.5)', errors: [{ messageId: 'outOfRange', severity: 'error', text: 'temperature=1.5' }] },
    {
      language: 'python',
      code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}], temperature=0.5, top_p=0.9)',
      errors: [{ messageId: 'both', text: 'top_p=0.9' }],
      output: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}], temperature=0.5)',
    },
    {
      language: 'python',
      name: 'removed from the request types of anthropic 1.13 (and the unknown version)',
      code: PY + 'client.messages.create(model="m", max_tokens=10, temperature=0.2, messages=[{"role": "user", "content": "x"}])',
      errors: [{ messageId: 'removed', message: 'anthropic 1.13+', text: 'temperature=0.2' }],
      output: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}])',
    },
    { language: 'python', sdkVersion: '1.13.0', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": "x"}], top_p=0.5)', errors: [{ messageId: 'removed', message: 'anthropic 1.13' }] },
    {
      code: call(', temperature: 1.5'),
      errors: [{ messageId: 'outOfRange', text: 'temperature: 1.5', severity: 'error' }],
    },
    {
      code: call(', top_p: -0.1'),
      sdkVersion: '0.30.0',
      errors: [{ messageId: 'outOfRange', message: 'top_p is -0.1' }],
    },
    {
      name: 'both set',
      code: call(', temperature: 0.5, top_p: 0.9'),
      sdkVersion: '0.30.0',
      errors: [{ messageId: 'both', text: 'top_p: 0.9', severity: 'warning' }],
      output: call(', temperature: 0.5'),
    },
    {
      name: 'deprecated on SDK 0.137',
      code: call(', temperature: 0.2'),
      sdkVersion: '~0.137.0',
      errors: [{ messageId: 'deprecated', message: 'temperature is deprecated in @anthropic-ai/sdk 0.137' }],
    },
    {
      name: 'removed on SDK 1.12; the fix is a suggestion',
      code: ESM + 'await client.messages.create({\n  model: "m",\n  temperature: 0,\n  max_tokens: 1,\n  messages: [{ role: "user", content: "x" }],\n});',
      sdkVersion: '1.12.0',
      errors: [{ messageId: 'removed', line: 5, column: 3 }],
      output: ESM + 'await client.messages.create({\n  model: "m",\n  max_tokens: 1,\n  messages: [{ role: "user", content: "x" }],\n});',
    },
    {
      name: 'a suggestion is not applied by --fix',
      code: call(', temperature: 0.7'),
      safeOnly: true,
      errors: [{ messageId: 'removed' }],
      output: null,
    },
  ],
});
