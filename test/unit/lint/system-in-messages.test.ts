import { ESM, ruleTester, PY } from './ruleTester';

ruleTester.run('system-in-messages', {
  valid: [
    // Python
    { language: 'python', name: 'unknown anthropic version (the newest)', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "system", "content": "Be brief"}, {"role": "user", "content": "Hi"}])' },
    { language: 'python', name: 'anthropic 1.13', sdkVersion: '1.13.0', code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "system", "content": "Be brief"}, {"role": "user", "content": "Hi"}])' },
    // SDK 1.x types a system role inside messages
    { code: ESM + 'await client.messages.create({ model: "m", max_tokens: 1, messages: [{ role: "system", content: "Be brief" }, { role: "user", content: "Hi" }] });', sdkVersion: '1.12.0' },
    // unknown SDK version = newest rules
    ESM + 'await client.messages.create({ model: "m", max_tokens: 1, messages: [{ role: "system", content: "Be brief" }, { role: "user", content: "Hi" }] });',
    // the right shape on 0.x
    { code: ESM + 'await client.messages.create({ model: "m", max_tokens: 1, system: "Be brief", messages: [{ role: "user", content: "Hi" }] });', sdkVersion: '0.137.0' },
  ],
  invalid: [
    // Python
    {
      language: 'python',
      sdkVersion: '0.40.0',
      code: PY + 'client.messages.create(model="m", max_tokens=10, messages=[{"role": "system", "content": "Be brief"}, {"role": "user", "content": "Hi"}])',
      errors: [{ messageId: 'inMessages', message: 'anthropic 0.40', text: '{"role": "system", "content": "Be brief"}' }],
      output: PY + 'client.messages.create(model="m", max_tokens=10, system="Be brief", messages=[{"role": "user", "content": "Hi"}])',
    },
    {
      language: 'python',
      sdkVersion: '0.40.0',
      name: 'a request dict passed as **req: the fix passes system as a keyword argument',
      code: PY + 'req = {\n    "model": "m",\n    "max_tokens": 10,\n    "messages": [{"role": "system", "content": "Be brief"}, {"role": "user", "content": "Hi"}],\n}\nclient.messages.create(**req)\n',
      errors: [{ messageId: 'inMessages', line: 7 }],
      output: PY + 'req = {\n    "model": "m",\n    "max_tokens": 10,\n    "messages": [{"role": "user", "content": "Hi"}],\n}\nclient.messages.create(system="Be brief", **req)\n',
    },
    {
      code: ESM + 'await client.messages.create({ model: "m", max_tokens: 1, messages: [{ role: "system", content: "Be brief" }, { role: "user", content: "Hi" }] });',
      sdkVersion: '^0.137.0',
      errors: [{ messageId: 'inMessages', text: '{ role: "system", content: "Be brief" }', message: '0.137' }],
      output: ESM + 'await client.messages.create({ model: "m", max_tokens: 1, system: "Be brief", messages: [{ role: "user", content: "Hi" }] });',
    },
    {
      name: 'multi-line: moved above messages with its indentation',
      code: ESM + 'await client.messages.create({\n  model: "m",\n  max_tokens: 1,\n  messages: [\n    { role: "system", content: "Be brief" },\n    { role: "user", content: "Hi" },\n  ],\n});',
      sdkVersion: '0.30.1',
      errors: [{ messageId: 'inMessages', line: 7 }],
      output: ESM + 'await client.messages.create({\n  model: "m",\n  max_tokens: 1,\n  system: "Be brief",\n  messages: [\n    { role: "user", content: "Hi" },\n  ],\n});',
    },
    {
      name: 'an existing system field: reported without a fix',
      code: ESM + 'await client.messages.create({ model: "m", max_tokens: 1, system: "A", messages: [{ role: "user", content: "Hi" }, { role: "system", content: "B" }] });',
      sdkVersion: '0.137.0',
      errors: [{ messageId: 'inMessages' }],
      output: null,
    },
  ],
});
