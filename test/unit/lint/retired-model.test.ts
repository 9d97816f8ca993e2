import { setRetiredModelClock } from '../../../src/core/lint/rules/retired-model';
import * as assert from 'assert';
import { loadPythonParser } from '../../../src/core/lint/index';
import { ESM, lintCase, ruleTester, PY } from './ruleTester';

const msgs = '[{ role: "user", content: "Hi" }]';
const pyMsgs = '[{"role": "user", "content": "x"}]';

describe('retired-model on 2026-03-01', () => {
// A fixed "today" so the table's dates give the same answers whenever the tests run.
before(() => setRetiredModelClock(() => new Date('2026-03-01T12:00:00Z')));
after(() => setRetiredModelClock());

ruleTester.run('retired-model', {
  valid: [
    // current and unknown models
    ESM + `await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 1024, messages: ${msgs} });`,
    ESM + `await client.messages.create({ model: "claude-next-9", max_tokens: 1024, messages: ${msgs} });`,
    // a provider spelling is not in the table
    ESM + `await client.messages.create({ model: "anthropic.claude-3-opus-20240229-v1:0", max_tokens: 1024, messages: ${msgs} });`,
    // not a literal written in the call: a constant, a parameter, an interpolated template
    ESM + `const MODEL = "claude-3-opus-20240229";\nawait client.messages.create({ model: MODEL, max_tokens: 1024, messages: ${msgs} });`,
    ESM + `export async function ask(model = "claude-2.1") {\n  return client.messages.create({ model, max_tokens: 1024, messages: ${msgs} });\n}`,
    ESM + 'declare const v: string;\n' + `await client.messages.create({ model: \`claude-3-\${v}\`, max_tokens: 1024, messages: ${msgs} });`,
    // not a Claude call
    'const config = { model: "claude-2.1" };',
    // Python
    { language: 'python', code: PY + `client.messages.create(model="claude-haiku-4-5", max_tokens=1024, messages=${pyMsgs})` },
    { language: 'python', code: PY + `client.messages.create(model="claude-unknown-1", max_tokens=1024, messages=${pyMsgs})` },
    { language: 'python', code: PY + `MODEL = "claude-2.1"\nclient.messages.create(model=MODEL, max_tokens=1024, messages=${pyMsgs})` },
    { language: 'python', code: PY + `def ask(v):\n    return client.messages.create(model=f"claude-3-{v}", max_tokens=1024, messages=${pyMsgs})` },
  ],
  invalid: [
    {
      name: 'retired (date passed): error, fix to the successor',
      code: ESM + `await client.messages.create({ model: "claude-3-opus-20240229", max_tokens: 1024, messages: ${msgs} });`,
      errors: [{ messageId: 'retired', severity: 'error', text: '"claude-3-opus-20240229"', message: 'retired on 2026-01-05' }],
      output: ESM + `await client.messages.create({ model: "claude-opus-4-7", max_tokens: 1024, messages: ${msgs} });`,
    },
    {
      name: 'deprecated (date to come): warning naming the date',
      code: ESM + `await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: ${msgs} });`,
      errors: [{ messageId: 'deprecated', severity: 'warning', text: "'claude-sonnet-4-5'", message: 'retires on 2026-11-30' }],
      output: ESM + `await client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: ${msgs} });`,
    },
    {
      name: 'the fix is a suggestion, not applied by --fix',
      code: ESM + `await client.messages.create({ model: "claude-2.1", max_tokens: 1024, messages: ${msgs} });`,
      errors: [{ messageId: 'retired' }],
      safeOnly: true,
      output: null,
    },
    {
      name: 'a plain template literal',
      code: ESM + 'await client.messages.create({ model: `claude-3-5-haiku-latest`, max_tokens: 1024, messages: ' + msgs + ' });',
      errors: [{ messageId: 'retired', message: 'retired on 2026-02-19' }],
      output: ESM + 'await client.messages.create({ model: `claude-haiku-4-5`, max_tokens: 1024, messages: ' + msgs + ' });',
    },
    {
      name: 'no successor: no fix',
      code: ESM + `await client.messages.create({ model: "claude-mythos-preview", max_tokens: 1024, messages: ${msgs} });`,
      errors: [{ messageId: 'deprecatedNoSuccessor', severity: 'warning', message: 'retires on 2026-06-30' }],
      output: null,
    },
    // Python
    {
      language: 'python',
      code: PY + `client.messages.create(model="claude-3-sonnet-20240229", max_tokens=1024, messages=${pyMsgs})`,
      errors: [{ messageId: 'retired', severity: 'error', text: '"claude-3-sonnet-20240229"', message: 'every call to it fails' }],
      output: PY + `client.messages.create(model="claude-sonnet-4-6", max_tokens=1024, messages=${pyMsgs})`,
    },
    {
      language: 'python',
      code: PY + `client.messages.create(model='claude-opus-4-0', max_tokens=1024, messages=${pyMsgs})`,
      errors: [{ messageId: 'deprecated', severity: 'warning', text: "'claude-opus-4-0'", message: 'retires on 2026-06-15' }],
      output: PY + `client.messages.create(model='claude-opus-4-7', max_tokens=1024, messages=${pyMsgs})`,
    },
  ],
});
});

describe('retired-model judges against today (UTC)', () => {
  before(() => loadPythonParser());
  after(() => setRetiredModelClock());
  const code = ESM + `await client.messages.create({ model: "claude-3-7-sonnet-20250219", max_tokens: 1024, messages: ${msgs} });`;
  const at = (iso: string) => {
    setRetiredModelClock(() => new Date(iso));
    return lintCase('retired-model', { code }).map((f) => `${f.severity}: ${f.message}`);
  };
  it('the day before the retirement date: a warning', () => {
    const found = at('2026-02-18T23:59:59Z');
    assert.strictEqual(found.length, 1);
    assert.match(found[0], /^warning: .*retires on 2026-02-19/);
  });
  it('on the retirement date: an error, every call fails', () => {
    const found = at('2026-02-19T00:00:00Z');
    assert.strictEqual(found.length, 1);
    assert.match(found[0], /^error: .*retired on 2026-02-19: every call to it fails/);
  });
  it('the real clock when none is set', () => {
    setRetiredModelClock();
    const found = lintCase('retired-model', { code: ESM + `await client.messages.create({ model: "claude-1.3", max_tokens: 1024, messages: ${msgs} });` });
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].severity, 'error');
  });
});
