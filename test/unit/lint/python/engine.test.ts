// The Python front end inside the engine: loading, parse errors, suppression comments, offsets, lowering.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { lintText, loadPythonParser, needsParse, prefilter, pythonParserReady } from '../../../../src/core/lint/index';

const HEAD = 'import anthropic\n\nclient = anthropic.Anthropic()\n';
const MISSING = 'client.messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n';

describe('Python in the engine', () => {
  it('before the parser is loaded, lintText answers pending; after loadPythonParser it lints', () => {
    // A fresh process, so the parser is certainly not loaded yet.
    const index = path.resolve(__dirname, '../../../../src/core/lint/index.js');
    const script = `
      const lint = require(${JSON.stringify(index)});
      const text = ${JSON.stringify(HEAD + MISSING)};
      const before = lint.lintText(text, { fileName: 'a.py' });
      const js = lint.lintText('const x = 1;', { fileName: 'a.ts' });
      lint.loadPythonParser().then(() => {
        const after = lint.lintText(text, { fileName: 'a.py' });
        console.log(JSON.stringify({ before, ready: lint.pythonParserReady(), after: after.findings.map((f) => f.ruleId), js: js.pending === undefined }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual(out.before, { findings: [], calls: [], parsed: false, pending: true });
    assert.strictEqual(out.ready, true);
    assert.deepStrictEqual(out.after, ['missing-max-tokens']);
    assert.strictEqual(out.js, true);
  });

  describe('loaded', () => {
    before(() => loadPythonParser());

    it('reports a syntax error as parse-error and nothing else', () => {
      assert.ok(pythonParserReady());
      const r = lintText(HEAD + 'def broken(:\n    pass\n' + MISSING, { fileName: 'a.py' });
      assert.deepStrictEqual(r.findings.map((f) => f.ruleId), ['parse-error']);
    });

    it('a file that never imports anthropic is not parsed', () => {
      const r = lintText('client.messages.create(model="m")\n', { fileName: 'a.py' });
      assert.strictEqual(r.parsed, false);
      assert.strictEqual(r.pending, undefined);
    });

    it('honours # claude-request-lint-disable-next-line and file-wide disable comments', () => {
      const next = lintText(HEAD + '# claude-request-lint-disable-next-line missing-max-tokens -- tested elsewhere\n' + MISSING + MISSING, { fileName: 'a.py' });
      assert.deepStrictEqual(next.findings.map((f) => f.ruleId), ['missing-max-tokens']);
      const file = lintText('# claude-request-lint-disable missing-max-tokens\n' + HEAD + MISSING, { fileName: 'a.py' });
      assert.deepStrictEqual(file.findings, []);
    });

    it('offsets are string offsets also after non-ASCII text', () => {
      const text = HEAD + 'GREETING = "héllo 😀"\n' + MISSING;
      const r = lintText(text, { fileName: 'a.py' });
      assert.strictEqual(r.findings.length, 1);
      assert.strictEqual(text.slice(r.findings[0].start, r.findings[0].end), 'client.messages.create');
    });

    it('the calls summary lists each Claude call with its method', () => {
      const text = HEAD + MISSING + 'with client.messages.stream(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}]) as s:\n    pass\nclient.beta.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}])\n';
      const r = lintText(text, { fileName: 'a.py' });
      assert.deepStrictEqual(r.calls.map((c) => c.method), ['messages.create', 'messages.stream', 'beta.messages.create']);
    });

    it('the retry rules read Python: an endless catch-all loop with a fixed sleep around a default client', () => {
      const text = HEAD + 'import time\n\ndef ask():\n    while True:\n        try:\n            return client.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}])\n        except Exception:\n            time.sleep(1)\n';
      const r = lintText(text, { fileName: 'a.py' });
      assert.deepStrictEqual(r.internalErrors ?? [], []);
      assert.deepStrictEqual(
        r.findings.map((f) => `${f.ruleId} ${text.slice(f.start, f.end)}`),
        ['retry-ignores-retry-after while', 'retry-no-backoff while', 'retry-non-retryable while', 'retry-unbounded while', 'retry-amplification client.messages.create'],
      );
      assert.strictEqual(r.calls.length, 1);
      assert.strictEqual(r.calls[0].retryStack?.text, 'SDK 2 retries (default) inside an unbounded while loop: no cap on requests');
      // no fix written in JS syntax reaches a Python file; the Python ones do
      const fixes = r.findings.flatMap((f) => (f.fixes ?? []).map((x) => `${f.ruleId}: ${x.edits.map((e) => e.text).join(' ')}`));
      const loopFix = 'return with_retry(lambda: client.with_options(max_retries=0).messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}]))';
      assert.deepStrictEqual(
        fixes,
        [...['retry-ignores-retry-after', 'retry-no-backoff', 'retry-non-retryable', 'retry-unbounded'].map((id) => `${id}: ${loopFix}`), 'retry-amplification: .with_options(max_retries=0)'],
        'a JS-only fix was offered for Python',
      );
    });

    it('the hover names max_retries=0 and the with_options setting of one call', () => {
      const text = HEAD + 'client.with_options(max_retries=0).messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}])\n';
      const r = lintText(text, { fileName: 'a.py' });
      assert.strictEqual(r.calls[0].retryStack?.text, 'SDK retries off (max_retries=0), nothing else retries this call: 1 request, transient errors fail at once');
      assert.strictEqual(r.calls[0].retryStack?.sdkSource, 'request');
      assert.deepStrictEqual(r.findings.map((f) => f.ruleId), ['unguarded-retry']);
    });

    it('clients: AnthropicBedrock, and an untraced receiver whose name says anthropic', () => {
      const text =
        'import anthropic\nfrom anthropic import AnthropicBedrock\n\n' +
        'bedrock = AnthropicBedrock()\n' +
        'bedrock.messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n' +
        'def get():\n    return anthropic_client.messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n';
      const r = lintText(text, { fileName: 'a.py' });
      assert.deepStrictEqual(r.findings.map((f) => text.slice(f.start, f.end)), ['bedrock.messages.create', 'anthropic_client.messages.create']);
    });

    it('a lazily built module client (None, then `global` and a client) and a class attribute client', () => {
      const text =
        'import anthropic\n\n_client = None\n\n\ndef get_client():\n    global _client\n    if _client is None:\n        _client = anthropic.Anthropic()\n    return _client\n\n\n' +
        'def ask():\n    return get_client().messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n\n\n' +
        'class Bot:\n    client = anthropic.AsyncAnthropic()\n\n    async def run(self):\n        return await self.client.messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n';
      const r = lintText(text, { fileName: 'a.py' });
      assert.deepStrictEqual(r.findings.map((f) => text.slice(f.start, f.end)), ['get_client().messages.create', 'self.client.messages.create']);
    });

    it('a name bound to a client and to something else is not traced', () => {
      const text = 'import anthropic\nfrom openai import OpenAI\n\nclient = anthropic.Anthropic()\nif USE_OPENAI:\n    client = OpenAI()\nclient.messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n';
      const r = lintText(text, { fileName: 'a.py' });
      assert.deepStrictEqual(r.calls, []);
    });

    it('a chained or reassigned request is unknown, not a finding', () => {
      const text = HEAD + 'params = {"model": "m", "messages": []}\nparams = load()\nclient.messages.create(**params)\n';
      assert.deepStrictEqual(lintText(text, { fileName: 'a.py' }).findings, []);
    });
  });

  describe('prefilter', () => {
    const cases: Array<[string, string, boolean]> = [
      ['a call and an import', 'import anthropic\nc = anthropic.Anthropic()\nc.messages.create(model="m")\n', true],
      ['from anthropic import', 'from anthropic import Anthropic\nAnthropic().messages.stream(model="m")\n', true],
      ['an import inside try', 'try:\n    import anthropic\nexcept ImportError:\n    anthropic = None\nx.messages.create()\n', true],
      ['no import of anthropic', 'from twilio.rest import Client\nClient().messages.create(body="x")\n', false],
      ['the call only in a comment', 'import anthropic\n# client.messages.create(model="m")\n', false],
      ['the call only in a docstring', 'import anthropic\n"""\nclient.messages.create(model="m")\n"""\n', false],
      ['the call only in strings', 'import anthropic\nA = "client.messages.create()"\nB = r\'x.messages.stream()\'\n', false],
      ['the import only in a string', 'S = "import anthropic"\nclient.messages.create(model="m")\n', false],
      ['an f-string that may hold a call', 'import anthropic\nA = f"{client.messages.create(model=m)}"\n', true],
      ['a key anywhere', 'KEY = "sk-ant-api03-0123456789abcdefghijklmnop"\n', true],
      ['nothing', 'print("hello")\n', false],
    ];
    for (const [name, text, want] of cases) {
      it(`${name}: ${want ? 'parsed' : 'skipped'}`, () => assert.strictEqual(needsParse(text, 'a.py'), want));
    }
    it('prefilter() for a .py file looks for the call only', () => {
      assert.strictEqual(prefilter('x.messages.create(model="m")\n', 'a.py'), true);
      assert.strictEqual(prefilter('# x.messages.create(model="m")\n', 'a.py'), false);
    });
  });
});
