// The request playground inside a real VS Code: its commands, the panel and its page (the webview's script
// really runs: it says "ready" and the host answers), a send to the built-in simulated endpoint driven through
// the panel's own message handling, Send Test Request from a call, the CodeLens, the key commands, and the
// restore after a window reload through the registered serializer (a sound saved draft comes back, a broken
// or hostile one is dropped).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { defaultDraft } from '../../src/core/playground/draft';
import { MAX_TEXT_LENGTH, PLAYGROUND_VIEW_TYPE, type HostToWebview, type RequestDraft } from '../../src/extension/protocol';
import { api, waitFor } from './util';

const HOOK = '_claudeRequestLint.playgroundTestHook';

interface HookState {
  posted: HostToWebview[];
  /** What the page sent to the host. */
  received: unknown[];
  html: string;
  visible: boolean;
}

const state = (): Thenable<HookState | undefined> => vscode.commands.executeCommand<HookState | undefined>(HOOK, 'state');
const postToHost = (message: unknown): Thenable<HookState | undefined> => vscode.commands.executeCommand<HookState | undefined>(HOOK, 'post', message);

function draft(over: Partial<RequestDraft> = {}): RequestDraft {
  return {
    endpoint: 'simulated',
    scenario: 'rate-limited',
    scenarioOptionsJson: '{"failures": 2, "retryAfter": 0.05}',
    baseURL: '',
    model: 'claude-haiku-4-5',
    maxTokens: 256,
    system: '',
    messagesJson: JSON.stringify([{ role: 'user', content: 'Hello from the real editor' }]),
    stream: true,
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50, maxElapsedMs: 30000 },
    ...over,
  };
}

const CALL_FILE = `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
export const reply = client.messages.create({
  model: 'claude-haiku-4-5',
  max_tokens: 300,
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'Write a haiku about retries' }],
});
`;

describe('request playground', () => {
  before(() => api());
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('contributes its commands (and keeps the test hook out of the palette)', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['openPlayground', 'sendTestRequest', 'setApiKey', 'clearApiKey']) assert.ok(all.includes(`claudeRequestLint.${c}`), c);
    const ext = vscode.extensions.getExtension('claude-request-lint.claude-request-lint');
    const contributed = (ext?.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.includes('claudeRequestLint.openPlayground'));
    assert.ok(!contributed.includes(HOOK));
    assert.ok((ext?.packageJSON.activationEvents as string[]).includes('onWebviewPanel:claudeRequestLint.playground'));
  });

  it('opens the panel with a strict CSP, and its page starts and talks to the host', async () => {
    await vscode.commands.executeCommand('claudeRequestLint.openPlayground');
    const s = await waitFor(async () => {
      const st = await state();
      return st && st.posted.some((m) => m.type === 'init') ? st : undefined;
    }, 'the webview to send "ready" and get "init"');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(s.html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; style-src [^;]+; script-src 'nonce-([A-Za-z0-9]{32})'; font-src [^;]+; img-src [^;]+ data:$/);
    assert.match(s.html, /<link rel="stylesheet" href="[^"]+\/dist\/codicons\/codicon\.css">/);
    assert.ok(!/style="/.test(s.html), 'no inline style attribute');
    // the page reports that the codicon font loaded under that CSP (the stylesheet and the font file both came)
    const font = await waitFor(async () => (await state())?.received.find((m) => (m as { type?: unknown }).type === 'fontStatus'), 'the page to report the codicon font');
    assert.deepStrictEqual(font, { type: 'fontStatus', codicons: 'loaded' });
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(csp)?.[1];
    assert.ok(s.html.includes(`<script nonce="${nonce}" src=`));
    assert.ok(!/unsafe-(inline|eval)/.test(s.html));
    const init = s.posted.find((m) => m.type === 'init');
    if (init?.type !== 'init') return assert.fail('no init');
    assert.ok(init.scenarios.some((x) => x.name === 'mid-stream-error'));
    // the page lints its draft as soon as it has one
    await waitFor(async () => (await state())?.posted.some((m) => m.type === 'lintResult'), 'a lint result for the page draft');
  });

  it('sends to the simulated endpoint through the panel: retried 429s, then the streamed answer', async () => {
    const s = await postToHost({ type: 'send', draft: draft() });
    assert.ok(s);
    const fin = [...s.posted].reverse().find((m) => m.type === 'runFinished');
    if (fin?.type !== 'runFinished') return assert.fail('no runFinished');
    const r = fin.result;
    assert.strictEqual(r.outcome, 'success', JSON.stringify(r.error));
    assert.deepStrictEqual(r.attempts.map((a) => a.status), [429, 429, 200]);
    assert.deepStrictEqual(r.attempts.map((a) => a.wait?.reason), ['retry-after', 'retry-after', undefined]);
    assert.ok(r.text.startsWith('Simulated reply to: "Hello from the real editor".'), r.text);
    const streamed = s.posted.filter((m) => m.type === 'text' && m.runId === r.runId).map((m) => (m.type === 'text' ? m.delta : '')).join('');
    assert.strictEqual(streamed, r.text);
  });

  it('answers a malformed message with an error shown in the panel', async () => {
    const s = await postToHost({ type: 'send', draft: { ...draft(), retry: 'forever' } });
    const last = s?.posted[s.posted.length - 1];
    assert.strictEqual(last?.type, 'notice');
    if (last?.type === 'notice') {
      assert.strictEqual(last.level, 'error');
      assert.match(last.message, /rejected a message: .*retry must be an object/);
    }
  });

  it('Send Test Request fills the playground from the call under the cursor, and a CodeLens offers it', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: CALL_FILE });
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const at = doc.positionAt(CALL_FILE.indexOf('max_tokens: 300'));
    editor.selection = new vscode.Selection(at, at);
    const ok = await vscode.commands.executeCommand<boolean>('claudeRequestLint.sendTestRequest');
    assert.strictEqual(ok, true);
    const s = await state();
    const load = [...(s?.posted ?? [])].reverse().find((m) => m.type === 'loadDraft');
    if (load?.type !== 'loadDraft') return assert.fail('no loadDraft');
    assert.strictEqual(load.draft.model, 'claude-haiku-4-5');
    assert.strictEqual(load.draft.maxTokens, 300);
    assert.strictEqual(load.draft.system, 'Be brief.');
    assert.deepStrictEqual(JSON.parse(load.draft.messagesJson), [{ role: 'user', content: 'Write a haiku about retries' }]);
    assert.strictEqual(load.draft.endpoint, 'simulated');

    const lens = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return lenses.find((l) => l.command?.command === 'claudeRequestLint.sendTestRequest');
    }, 'a "Send test request" CodeLens');
    assert.strictEqual(lens.range.start.line, 2);
    assert.ok(lens.command?.title.includes('Send test request'));
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(lens.command!.command, ...(lens.command!.arguments ?? [])), true);
  });

  it('Set API Key asks with a password box (cancelled here) and Clear API Key reports the key status to the panel', async () => {
    let answered: boolean | undefined;
    const asked = vscode.commands.executeCommand<boolean>('claudeRequestLint.setApiKey').then((v) => (answered = v));
    // dismiss the input box as soon as it shows (Escape), however long it takes to appear
    await waitFor(async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await new Promise((r) => setTimeout(r, 100));
      return answered !== undefined;
    }, 'the API key box to be dismissed');
    assert.strictEqual(await asked, false);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('claudeRequestLint.clearApiKey'), true);
    const s = await state();
    const ks = [...(s?.posted ?? [])].reverse().find((m) => m.type === 'keyStatus');
    if (ks?.type !== 'keyStatus') return assert.fail('no keyStatus');
    assert.strictEqual(ks.keyStatus.source === 'secret-storage', false);
  });
  describe('restore after a window reload', () => {
    const KEY = 'sk-ant-api03-SAVED-STATE-MUST-NOT-LEAK-0123456789';
    const saved = draft({
      scenario: 'server-error',
      scenarioOptionsJson: '{"failures": 1}',
      model: 'claude-haiku-4-5',
      maxTokens: 777,
      system: 'Restored after a reload',
      messagesJson: JSON.stringify([{ role: 'user', content: 'Still here after the reload?' }], null, 2),
      stream: false,
      retry: { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 4000, maxElapsedMs: 45000 },
    });

    /** What VS Code does after a reload: a panel of the playground's view type handed to its serializer with the saved state. */
    async function restore(saved: unknown): Promise<{ st: HookState; init: Extract<HostToWebview, { type: 'init' }>; pageDraft: RequestDraft }> {
      const serializer = await vscode.commands.executeCommand<vscode.WebviewPanelSerializer | undefined>(HOOK, 'serializer');
      assert.ok(serializer && typeof serializer.deserializeWebviewPanel === 'function', 'the hook gives the registered serializer');
      const panel = vscode.window.createWebviewPanel(PLAYGROUND_VIEW_TYPE, 'Claude Request Playground', vscode.ViewColumn.Beside, {});
      await serializer.deserializeWebviewPanel(panel, saved);
      // the page of the restored panel loads, says "ready", gets "init", and lints the draft it then shows
      const st = await waitFor(async () => {
        const s = await state();
        return s && s.html === panel.webview.html && s.posted.some((m) => m.type === 'init') && s.received.some((m) => (m as { type?: unknown }).type === 'draftChanged') ? s : undefined;
      }, 'the restored page to get "init" and report its draft');
      assert.ok(panel.webview.options.enableScripts, 'the restored panel runs its script');
      const init = st.posted.find((m) => m.type === 'init');
      if (init?.type !== 'init') return assert.fail('no init');
      const changed = st.received.filter((m) => (m as { type?: unknown }).type === 'draftChanged') as Array<{ draft: RequestDraft }>;
      return { st, init, pageDraft: changed[changed.length - 1].draft };
    }

    it('gives back the saved draft: the host checks it and the restored page shows it', async () => {
      const { st, init, pageDraft } = await restore({ draft: saved });
      assert.deepStrictEqual(init.draft, saved);
      assert.deepStrictEqual(pageDraft, saved);
      assert.ok(!st.posted.some((m) => m.type === 'loadDraft' || (m.type === 'notice' && m.level === 'error')), JSON.stringify(st.posted.map((m) => m.type)));
    });

    it('drops a malformed or hostile saved state: the page opens with the default draft and the key is in no message', async () => {
      const hostile: Array<[string, unknown]> = [
        ['a key field in the draft', { draft: { ...saved, apiKey: KEY } }],
        ['wrong types', { draft: { ...saved, maxTokens: '777', stream: 'yes', retry: 'forever' }, apiKey: KEY }],
        ['a huge string', { draft: { ...saved, system: KEY + 'x'.repeat(MAX_TEXT_LENGTH) } }],
        ['an unknown endpoint', { draft: { ...saved, endpoint: `https://attacker.example/?k=${KEY}` } }],
        ['not an object', `{"draft": {"apiKey": "${KEY}"}}`],
      ];
      for (const [what, savedState] of hostile) {
        const { st, init, pageDraft } = await restore(savedState);
        assert.strictEqual(init.draft, null, what);
        assert.deepStrictEqual(pageDraft, defaultDraft(), what);
        assert.ok(!JSON.stringify(st.posted).includes(KEY), `${what}: the key reached the page`);
        assert.ok(!JSON.stringify(st.received).includes(KEY), `${what}: the page sent the key back`);
      }
    });

    it('keeps a sound draft and ignores anything beside it in the saved state (a key included)', async () => {
      const { st, init, pageDraft } = await restore({ draft: saved, apiKey: KEY, run: { runId: 'x' } });
      assert.deepStrictEqual(init.draft, saved);
      assert.deepStrictEqual(pageDraft, saved);
      assert.ok(!JSON.stringify(st.posted).includes(KEY));
      assert.ok(!JSON.stringify(st.received).includes(KEY));
    });
  });
});
