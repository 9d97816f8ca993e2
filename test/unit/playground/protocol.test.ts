// The protocol's validator: every well-formed message passes, every malformed one is rejected with a reason
// that says what is wrong.
import * as assert from 'assert';
import { defaultDraft } from '../../../src/core/playground/draft';
import { validateDraft, validateWebviewMessage, validateWebviewState } from '../../../src/extension/protocol';

function rejects(raw: unknown, reason: RegExp): void {
  const v = validateWebviewMessage(raw);
  assert.strictEqual(v.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 200)}`);
  if (!v.ok) assert.match(v.reason, reason);
}

describe('playground protocol: validateWebviewMessage', () => {
  const draft = defaultDraft();

  it('accepts every well-formed message and returns a clean copy', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'cancel' },
      { type: 'setApiKey' },
      { type: 'fontStatus', codicons: 'loaded' },
      { type: 'fontStatus', codicons: 'failed' },
      { type: 'draftChanged', seq: 3, draft },
      { type: 'send', draft },
      { type: 'copy', format: 'code', draft },
      { type: 'copy', format: 'python', draft: { ...draft, stream: false, system: 'Be terse.' } },
      { type: 'copy', format: 'curl', draft: { ...draft, maxTokens: null, endpoint: 'custom', baseURL: 'https://gw.example' } },
    ];
    for (const m of good) {
      const v = validateWebviewMessage(m);
      assert.ok(v.ok, `${JSON.stringify(m).slice(0, 80)}: ${v.ok ? '' : v.reason}`);
      assert.deepStrictEqual(v.value, m);
    }
  });

  it('rejects what is not a message', () => {
    rejects(null, /must be an object, got null/);
    rejects('send', /must be an object, got a string/);
    rejects([{ type: 'ready' }], /must be an object, got an array/);
    rejects({}, /needs a string "type"/);
    rejects({ type: 42 }, /needs a string "type", got a number/);
  });

  it('rejects unknown types and unexpected or missing fields', () => {
    rejects({ type: 'deleteEverything' }, /Unknown message type "deleteEverything"/);
    rejects({ type: 'ready', extra: 1 }, /unexpected field "extra"/);
    rejects({ type: 'send' }, /missing "draft"/);
    rejects({ type: 'draftChanged', draft }, /missing "seq"/);
    rejects({ type: 'draftChanged', seq: -1, draft }, /seq must be between 0/);
    rejects({ type: 'draftChanged', seq: 1.5, draft }, /seq must be a whole number/);
    rejects({ type: 'copy', format: 'ruby', draft }, /format must be "code", "python" or "curl", got "ruby"/);
    rejects({ type: 'copy', format: 3, draft }, /format must be "code", "python" or "curl", got 3/);
    rejects({ type: 'send', draft, apiKey: 'sk-ant-x' }, /unexpected field "apiKey"/);
    rejects({ type: 'fontStatus', codicons: true }, /codicons must be "loaded" or "failed", got true/);
    rejects({ type: 'fontStatus' }, /missing "codicons"/);
  });

  it('checks every field of a draft', () => {
    const bad = (over: Record<string, unknown>, reason: RegExp): void => rejects({ type: 'send', draft: { ...draft, ...over } }, reason);
    bad({ endpoint: 'ftp' }, /endpoint must be one of simulated, anthropic, custom, got "ftp"/);
    bad({ model: 7 }, /draft\.model must be a string, got a number/);
    bad({ maxTokens: '1024' }, /draft\.maxTokens must be a whole number, got a string/);
    bad({ maxTokens: 1.5 }, /draft\.maxTokens must be a whole number, got 1\.5/);
    bad({ stream: 'yes' }, /draft\.stream must be true or false/);
    bad({ messagesJson: 'x'.repeat(1_000_001) }, /draft\.messagesJson is too long/);
    bad({ retry: { ...draft.retry, maxAttempts: 0 } }, /retry\.maxAttempts must be between 1 and 20, got 0/);
    bad({ retry: { ...draft.retry, baseDelayMs: -5 } }, /retry\.baseDelayMs must be between 0/);
    bad({ retry: { maxAttempts: 2 } }, /retry is missing "baseDelayMs"/);
    bad({ retry: [] }, /retry must be an object, got an array/);
    bad({ secret: 'x' }, /unexpected field "secret"/);
    const { model: _m, ...noModel } = draft;
    rejects({ type: 'send', draft: noModel }, /draft is missing "model"/);
  });

  it('rejects objects with a foreign prototype', () => {
    class Sneaky {
      type = 'ready';
    }
    rejects(new Sneaky(), /must be an object/);
  });

  it('validateDraft and validateWebviewState keep a sound draft and drop a broken one', () => {
    assert.ok(validateDraft(draft).ok);
    assert.deepStrictEqual(validateWebviewState({ draft }).draft, draft);
    assert.strictEqual(validateWebviewState({ draft: { ...draft, stream: 1 } }).draft, null);
    assert.strictEqual(validateWebviewState(undefined).draft, null);
  });
});
