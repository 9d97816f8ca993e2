// The Python retry fixes on text: `max_retries=0` for one call (through `with_options`), and the wrap in
// `with_retry(lambda: …)` / `await async_with_retry(lambda: …)`. Each fixed text must compile.
import * as assert from 'assert';
import { applyFixes, loadPythonParser } from '../../../../src/core/lint/index';
import { pythonHelperNamesOf, pythonMaxRetriesZeroEdit, pythonWrapInWithRetryFix } from '../../../../src/core/lint/python/retryFixes';
import { assertCompiles, onlyCall } from './pyKit';

const HEAD = 'import asyncio\nimport anthropic\n\nclient = anthropic.Anthropic(max_retries=3)\naclient = anthropic.AsyncAnthropic(max_retries=0)\n';
const REQ = 'model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": "Hi"}]';

const zeroCases: Array<{ name: string; before: string; after: string | null }> = [
  { name: 'a plain call', before: `msg = client.messages.create(${REQ})\n`, after: `msg = client.with_options(max_retries=0).messages.create(${REQ})\n` },
  {
    name: 'a beta call on self.client',
    before: `class Bot:\n    def __init__(self):\n        self.client = anthropic.Anthropic()\n\n    def ask(self):\n        return self.client.beta.messages.create(${REQ})\n`,
    after: `class Bot:\n    def __init__(self):\n        self.client = anthropic.Anthropic()\n\n    def ask(self):\n        return self.client.with_options(max_retries=0).beta.messages.create(${REQ})\n`,
  },
  { name: 'with_options(timeout=…) gains the keyword', before: `client.with_options(timeout=30).messages.create(${REQ})\n`, after: `client.with_options(timeout=30, max_retries=0).messages.create(${REQ})\n` },
  { name: 'with_options(max_retries=3) is set to 0', before: `client.with_options(max_retries=3, timeout=9).messages.create(${REQ})\n`, after: `client.with_options(max_retries=0, timeout=9).messages.create(${REQ})\n` },
  { name: 'an empty with_options()', before: `client.with_options().messages.create(${REQ})\n`, after: `client.with_options(max_retries=0).messages.create(${REQ})\n` },
  {
    name: 'with_options(**opts) gets a second copy, so no keyword is given twice',
    before: `def ask(opts):\n    return client.with_options(**opts).messages.create(${REQ})\n`,
    after: `def ask(opts):\n    return client.with_options(**opts).with_options(max_retries=0).messages.create(${REQ})\n`,
  },
  { name: 'a client made inline takes the keyword itself', before: `anthropic.Anthropic(max_retries=5).messages.create(${REQ})\n`, after: `anthropic.Anthropic(max_retries=0).messages.create(${REQ})\n` },
  { name: 'a client made inline without options', before: `anthropic.Anthropic().messages.create(${REQ})\n`, after: `anthropic.Anthropic(max_retries=0).messages.create(${REQ})\n` },
  { name: 'a parenthesised client', before: `(client).messages.create(${REQ})\n`, after: `(client).with_options(max_retries=0).messages.create(${REQ})\n` },
  {
    name: 'a chain written over several lines',
    before: `msg = (\n    client\n    .messages\n    .create(${REQ})\n)\n`,
    after: `msg = (\n    client\n    .with_options(max_retries=0).messages\n    .create(${REQ})\n)\n`,
  },
  {
    name: 'an awaited async call',
    before: `async def ask():\n    return await aclient.messages.create(${REQ})\n`,
    after: `async def ask():\n    return await aclient.with_options(max_retries=0).messages.create(${REQ})\n`,
  },
];

const wrapCases: Array<{ name: string; before: string; after: string | null; title?: string }> = [
  {
    name: 'a sync call',
    before: `msg = client.messages.create(${REQ})\n`,
    after: `msg = with_retry(lambda: client.messages.create(${REQ}))\n`,
    title: 'Wrap in with_retry (retries 429, 5xx and connection errors with backoff)',
  },
  {
    name: 'an awaited AsyncAnthropic call: the await stays in front and awaits the helper',
    before: `async def ask():\n    msg = await aclient.messages.create(${REQ})\n    return msg\n`,
    after: `async def ask():\n    msg = await async_with_retry(lambda: aclient.messages.create(${REQ}))\n    return msg\n`,
    title: 'Wrap in async_with_retry (retries 429, 5xx and connection errors with backoff)',
  },
  {
    name: 'an async call handed to create_task (not awaited here)',
    before: `async def ask():\n    task = asyncio.create_task(aclient.messages.create(${REQ}))\n    return await task\n`,
    after: `async def ask():\n    task = asyncio.create_task(async_with_retry(lambda: aclient.messages.create(${REQ})))\n    return await task\n`,
  },
  {
    name: 'a call over several lines',
    before: 'def ask(q):\n    return client.messages.create(\n        model="claude-sonnet-4-6",\n        max_tokens=64,\n        messages=[{"role": "user", "content": q}],\n    )\n',
    after: 'def ask(q):\n    return with_retry(lambda: client.messages.create(\n        model="claude-sonnet-4-6",\n        max_tokens=64,\n        messages=[{"role": "user", "content": q}],\n    ))\n',
  },
  { name: 'stream=False is not a stream', before: `msg = client.messages.create(${REQ}, stream=False)\n`, after: `msg = with_retry(lambda: client.messages.create(${REQ}, stream=False))\n` },
  { name: 'not for messages.stream', before: `with client.messages.stream(${REQ}) as s:\n    pass\n`, after: null },
  { name: 'not for create(stream=True)', before: `events = client.messages.create(${REQ}, stream=True)\n`, after: null },
  { name: 'not for create(stream=flag): it may stream', before: `def ask(flag):\n    return client.messages.create(${REQ}, stream=flag)\n`, after: null },
  {
    name: 'not when an argument awaits (await is not allowed in a lambda)',
    before: `async def ask(build):\n    return await aclient.messages.create(model="m", max_tokens=5, messages=await build())\n`,
    after: null,
  },
  { name: 'not when an argument binds a name with :=', before: `msg = client.messages.create(model=(m := "claude-sonnet-4-6"), max_tokens=5, messages=[])\n`, after: null },
  { name: 'not in a class body (a lambda there does not see the class names)', before: `class Cfg:\n    MODEL = "m"\n    first = client.messages.create(model=MODEL, max_tokens=5, messages=[])\n`, after: null },
];

describe('Python retry fixes', () => {
  before(() => loadPythonParser());

  describe('max_retries=0 for one call', () => {
    const fixed: Record<string, string> = {};
    for (const c of zeroCases) {
      it(c.name, () => {
        const text = HEAD + c.before;
        const edit = pythonMaxRetriesZeroEdit(text, onlyCall(text).call);
        if (c.after === null) return assert.strictEqual(edit, null);
        assert.ok(edit, 'expected an edit');
        const out = applyFixes(text, [{ title: 't', edits: [edit], safe: true }]).text;
        assert.strictEqual(out, HEAD + c.after);
        fixed[c.name] = out;
      });
    }
    it('every fixed text compiles', () => {
      assert.strictEqual(Object.keys(fixed).length, zeroCases.filter((c) => c.after !== null).length);
      assertCompiles(fixed);
    });
  });

  describe('wrap in with_retry', () => {
    const fixed: Record<string, string> = {};
    for (const c of wrapCases) {
      it(c.name, () => {
        const text = HEAD + c.before;
        const fix = pythonWrapInWithRetryFix(onlyCall(text));
        if (c.after === null) return assert.strictEqual(fix, null);
        assert.ok(fix, 'expected a fix');
        assert.strictEqual(fix.needsRetryHelper, true);
        assert.strictEqual(fix.safe, false);
        if (c.title) assert.strictEqual(fix.title, c.title);
        const out = applyFixes(text, [fix]).text;
        assert.strictEqual(out, HEAD + c.after);
        // the import the editor adds for it, so that the text compiles as a whole
        fixed[c.name] = `from claude_retry import ${pythonHelperNamesOf(fix).join(', ')}\n${out}`;
      });
    }
    it('every wrapped text compiles', () => {
      assert.strictEqual(Object.keys(fixed).length, wrapCases.filter((c) => c.after !== null).length);
      assertCompiles(fixed);
    });
  });

  it('names the helper functions a fix calls', () => {
    assert.deepStrictEqual(pythonHelperNamesOf({ title: '', safe: false, edits: [{ start: 0, end: 0, text: 'async_with_retry(lambda: ' }] }), ['async_with_retry']);
    assert.deepStrictEqual(pythonHelperNamesOf({ title: '', safe: false, edits: [{ start: 0, end: 0, text: 'with_retry(lambda: ' }, { start: 1, end: 1, text: ')' }] }), ['with_retry']);
    assert.deepStrictEqual(pythonHelperNamesOf({ title: '', safe: false, edits: [{ start: 0, end: 0, text: 'for e in with_stream_retry(lambda: ' }] }), ['with_stream_retry']);
  });
});
