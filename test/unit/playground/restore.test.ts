// Restore after a reload, without VS Code: the check of the state the page saved (what the serializer is given)
// and the controller handing a restored draft back to the page with `init`.
import * as assert from 'assert';
import { defaultDraft } from '../../../src/core/playground/draft';
import { PlaygroundSession } from '../../../src/core/playground/session';
import type { RequestDraft } from '../../../src/core/playground/types';
import { PlaygroundController } from '../../../src/extension/playgroundController';
import { MAX_TEXT_LENGTH, validateWebviewState, type HostToWebview } from '../../../src/extension/protocol';

const KEY = 'sk-ant-api03-SAVED-STATE-MUST-NOT-LEAK-0123456789';

function saved(over: Record<string, unknown> = {}): RequestDraft {
  return {
    ...defaultDraft(),
    model: 'claude-haiku-4-5',
    maxTokens: null,
    system: 'Restored after a reload',
    stream: false,
    retry: { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 4000, maxElapsedMs: 45000 },
    ...over,
  } as RequestDraft;
}

describe('playground restore: validateWebviewState', () => {
  it('keeps a sound saved draft, as a clean copy with exactly the draft fields', () => {
    const d = saved();
    const r = validateWebviewState({ draft: d, run: { runId: 3, running: true } });
    assert.deepStrictEqual(Object.keys(r), ['draft']);
    assert.deepStrictEqual(r.draft, d);
    assert.notStrictEqual(r.draft, d);
    assert.notStrictEqual(r.draft?.retry, d.retry);
  });

  it('ignores a key saved beside the draft and never copies it', () => {
    const r = validateWebviewState({ draft: saved(), apiKey: KEY });
    assert.deepStrictEqual(r.draft, saved());
    assert.ok(!JSON.stringify(r).includes(KEY));
  });

  it('drops a draft with a key-like or any unknown field, in the draft or in its retry policy', () => {
    assert.strictEqual(validateWebviewState({ draft: { ...saved(), apiKey: KEY } }).draft, null);
    assert.strictEqual(validateWebviewState({ draft: { ...saved(), headers: { 'x-api-key': KEY } } }).draft, null);
    assert.strictEqual(validateWebviewState({ draft: { ...saved(), retry: { ...saved().retry, key: KEY } } }).draft, null);
  });

  it('drops a draft with a wrong type or a value out of range in any field', () => {
    const bad: Array<Record<string, unknown>> = [
      { endpoint: 'https://attacker.example/' },
      { endpoint: 1 },
      { scenario: null },
      { model: ['claude-haiku-4-5'] },
      { maxTokens: '1024' },
      { maxTokens: 1.5 },
      { maxTokens: Number.NaN },
      { maxTokens: 2_000_000_000 },
      { system: { text: 'x' } },
      { messagesJson: [] },
      { stream: 'true' },
      { retry: 'forever' },
      { retry: null },
      { retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 1 } },
      { retry: { maxAttempts: 3, baseDelayMs: -1, maxDelayMs: 1, maxElapsedMs: 1 } },
      { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } },
    ];
    for (const over of bad) assert.strictEqual(validateWebviewState({ draft: saved(over) }).draft, null, JSON.stringify(over));
    const { stream: _dropped, ...missing } = saved();
    assert.strictEqual(validateWebviewState({ draft: missing }).draft, null);
  });

  it('drops huge strings (at the limit is kept, one more character is not)', () => {
    assert.deepStrictEqual(validateWebviewState({ draft: saved({ system: 'x'.repeat(MAX_TEXT_LENGTH) }) }).draft?.system.length, MAX_TEXT_LENGTH);
    assert.strictEqual(validateWebviewState({ draft: saved({ system: 'x'.repeat(MAX_TEXT_LENGTH + 1) }) }).draft, null);
    assert.strictEqual(validateWebviewState({ draft: saved({ messagesJson: KEY + 'x'.repeat(MAX_TEXT_LENGTH) }) }).draft, null);
    assert.strictEqual(validateWebviewState({ draft: saved({ model: 'm'.repeat(201) }) }).draft, null);
    assert.strictEqual(validateWebviewState({ draft: saved({ baseURL: 'https://a.example/' + 'p'.repeat(2000) }) }).draft, null);
  });

  it('drops a state that is not a plain object, or a draft that is not one', () => {
    class Saved {
      draft = saved();
    }
    const draftWithProto = Object.assign(Object.create({ apiKey: KEY }) as object, saved());
    for (const s of [undefined, null, 'state', 42, [saved()], [{ draft: saved() }], new Saved(), { draft: draftWithProto }, { draft: JSON.stringify(saved()) }, { draft: null }, {}]) {
      assert.deepStrictEqual(validateWebviewState(s), { draft: null }, String(s));
    }
  });
});

describe('playground restore: the controller', function () {
  const session = new PlaygroundSession();
  after(() => session.dispose());

  function harness(): { controller: PlaygroundController; posted: HostToWebview[] } {
    const posted: HostToWebview[] = [];
    const controller = new PlaygroundController(
      {
        post: (m) => posted.push(JSON.parse(JSON.stringify(m)) as HostToWebview),
        getApiKey: async () => ({ key: KEY, source: 'secret-storage' }),
        copy: async () => undefined,
        setApiKey: async () => undefined,
        log: () => undefined,
      },
      session,
    );
    return { controller, posted };
  }

  it('hands a restored draft to the page with init, once, and posts nothing before the page is ready', async () => {
    const { controller, posted } = harness();
    const d = saved();
    controller.restoreDraft(d);
    assert.strictEqual(posted.length, 0);
    await controller.handle({ type: 'ready' });
    assert.deepStrictEqual(posted.map((m) => m.type), ['init']);
    const init = posted[0];
    assert.ok(init.type === 'init');
    assert.deepStrictEqual(init.draft, d);
    assert.deepStrictEqual(init.keyStatus, { available: true, source: 'secret-storage' });
    assert.ok(!JSON.stringify(posted).includes(KEY));
    // a later "ready" (the page reloaded again while visible) keeps the page's own saved draft
    await controller.handle({ type: 'ready' });
    const second = posted[1];
    assert.ok(second.type === 'init');
    assert.strictEqual(second.draft, null);
  });
});
