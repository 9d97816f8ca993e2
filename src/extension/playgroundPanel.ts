// The request playground's webview host: the panel (one at a time, revealed when it exists), its strict CSP
// with a per-load nonce, local resources limited to dist/ and media/, restore after a reload through a
// WebviewPanelSerializer (the webview keeps its draft with setState; never the key), and the commands:
// Open Request Playground, Send Test Request (also a CodeLens above each call), Set / Clear API Key.
// The send logic, the lint and the simulated server load lazily, when the panel first needs them.
import * as vscode from 'vscode';
import type { CallSummary } from '../core/lint';
import type { CallRequestDraft } from '../core/playground/fromCall';
import type { SimulatedServer } from '../core/api/simulatedServer';
import type * as ControllerModule from './playgroundController';
import { PLAYGROUND_VIEW_TYPE, validateWebviewState, type HostToWebview, type RequestDraft } from './protocol';
import { codeLensEnabled, settingsConfig } from './settings';
import { webviewHtml, webviewNonce, webviewOptions } from './webviewHtml';
import { engine } from './engine';

export const PLAYGROUND_COMMANDS = {
  open: 'claudeRequestLint.openPlayground',
  sendTestRequest: 'claudeRequestLint.sendTestRequest',
  setApiKey: 'claudeRequestLint.setApiKey',
  clearApiKey: 'claudeRequestLint.clearApiKey',
} as const;

/**
 * Not contributed to the palette: lets the real-VS Code tests drive the open panel exactly as its webview
 * would (the message goes through the same validation) and read what the host posted back.
 */
export const PLAYGROUND_TEST_COMMAND = '_claudeRequestLint.playgroundTestHook';

export const SECRET_KEY = 'claudeRequestLint.anthropicApiKey';

const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'python'];

/** Optional: the calls of a document as the diagnostics already know them, so the CodeLens parses nothing. */
export interface PlaygroundCallSource {
  callsOf(doc: vscode.TextDocument): CallSummary[] | undefined;
  onDidChange?: vscode.Event<unknown>;
}

function controllerModule(): typeof ControllerModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./playgroundController') as typeof ControllerModule;
}

/** The page: the shared webview shell with the playground's stylesheet and bundled script. */
export function playgroundHtml(webview: vscode.Webview, extensionUri: vscode.Uri, scriptNonce = webviewNonce()): string {
  return webviewHtml(
    webview,
    extensionUri,
    {
      title: 'Claude Request Playground',
      script: ['dist', 'webview.js'],
      style: ['media', 'playground.css'],
      body: '<main id="app" aria-busy="true"><p>Loading the playground…</p></main>',
    },
    scriptNonce,
  );
}

interface Services {
  context: vscode.ExtensionContext;
  log: (msg: string) => void;
  /** The fault lab's server, which is also the built-in simulated endpoint. */
  simulatedServer?: () => Promise<SimulatedServer>;
}

async function getApiKey(context: vscode.ExtensionContext): Promise<ControllerModule.ApiKey | undefined> {
  const stored = await context.secrets.get(SECRET_KEY);
  if (stored) return { key: stored, source: 'secret-storage' };
  const env = process.env.ANTHROPIC_API_KEY;
  if (env) return { key: env, source: 'environment' };
  return undefined;
}

export class PlaygroundPanel implements vscode.Disposable {
  static current: PlaygroundPanel | undefined;
  readonly controller: ControllerModule.PlaygroundController;
  /** Every message posted to the webview (kept for the test hook; bounded). */
  readonly posted: HostToWebview[] = [];
  /** Every message received from the webview, as received (kept for the test hook; bounded). */
  readonly received: unknown[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens the playground, or reveals it; `draft` replaces what it shows. */
  static show(services: Services, draft?: RequestDraft, note?: string): PlaygroundPanel {
    let p = PlaygroundPanel.current;
    if (p) {
      p.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(PLAYGROUND_VIEW_TYPE, 'Claude Request Playground', vscode.ViewColumn.Beside, PlaygroundPanel.options(services.context.extensionUri));
      p = new PlaygroundPanel(panel, services);
    }
    if (draft) p.controller.loadDraft(draft, note);
    return p;
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return webviewOptions(extensionUri);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: Services,
  ) {
    PlaygroundPanel.current = this;
    const { context, log } = services;
    const webview = panel.webview;
    webview.options = PlaygroundPanel.options(context.extensionUri);
    const { PlaygroundController } = controllerModule();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PlaygroundSession } = require('../core/playground/session') as typeof import('../core/playground/session');
    this.controller = new PlaygroundController(
      {
        post: (m) => {
          this.posted.push(m);
          if (this.posted.length > 2000) this.posted.splice(0, this.posted.length - 2000);
          void webview.postMessage(m);
        },
        getApiKey: () => getApiKey(context),
        copy: async (text) => vscode.env.clipboard.writeText(text),
        setApiKey: async () => {
          await vscode.commands.executeCommand(PLAYGROUND_COMMANDS.setApiKey);
        },
        lintConfig: () => settingsConfig(undefined),
        log,
      },
      new PlaygroundSession({ server: services.simulatedServer }),
    );
    webview.html = playgroundHtml(webview, context.extensionUri);
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => {
        this.received.push(m);
        if (this.received.length > 2000) this.received.splice(0, this.received.length - 2000);
        void this.controller.handle(m);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    if (PlaygroundPanel.current === this) PlaygroundPanel.current = undefined;
    this.controller.dispose();
    void this.controller.session.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** Turns the literal request of a call into a draft (in core/playground/fromCall.ts, loaded on first use). */
export function draftFromCall(found: CallRequestDraft, base: RequestDraft): { draft: RequestDraft; note?: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../core/playground/fromCall') as typeof import('../core/playground/fromCall')).draftFromCall(found, base);
}

/** Send Test Request: the call at the cursor (or at `uri`/`offset`, from the CodeLens) into the playground. */
async function sendTestRequest(services: Services, uri?: unknown, offset?: unknown): Promise<boolean> {
  let doc: vscode.TextDocument | undefined;
  let at: number | undefined;
  if (uri instanceof vscode.Uri && typeof offset === 'number') {
    doc = await vscode.workspace.openTextDocument(uri);
    at = offset;
  } else {
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      doc = editor.document;
      at = doc.offsetAt(editor.selection.active);
    }
  }
  if (!doc || at === undefined) {
    void vscode.window.showInformationMessage('Put the cursor on a Claude messages.create or messages.stream call to send it as a test request.');
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { requestDraftFromCall } = require('../core/playground/fromCall') as typeof import('../core/playground/fromCall');
  // a Python call is read with the Python parser, loaded on first use
  if (/\.py$/i.test(doc.fileName) || doc.languageId === 'python') await engine().loadPythonParser();
  const found = requestDraftFromCall(doc.getText(), at, doc.fileName);
  if (!found) {
    void vscode.window.showInformationMessage('No Claude messages.create or messages.stream call at the cursor.');
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultDraft } = require('../core/playground/draft') as typeof import('../core/playground/draft');
  const { draft, note } = draftFromCall(found, defaultDraft());
  PlaygroundPanel.show(services, draft, note);
  return true;
}

/** "$(play) Send test request" above each call (a codicon in the CodeLens title). */
class SendRequestCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(private readonly calls: PlaygroundCallSource | undefined) {
    if (calls?.onDidChange) this.subscriptions.push(calls.onDidChange(() => this.changed.fire()));
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('claudeRequestLint.codeLens')) this.changed.fire();
      }),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled(doc.uri) || !this.calls) return [];
    const calls = this.calls.callsOf(doc) ?? [];
    return calls.map((c) => {
      const pos = doc.positionAt(c.start);
      return new vscode.CodeLens(new vscode.Range(pos, pos), {
        title: '$(play) Send test request',
        tooltip: 'Open the request playground with this call’s request',
        command: PLAYGROUND_COMMANDS.sendTestRequest,
        arguments: [doc.uri, c.start],
      });
    });
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/**
 * Registers the playground: its commands, the serializer that restores the panel after a reload, and the
 * "Send test request" CodeLens (fed by `calls`, when given). Returns the disposables to add to the context.
 */
export function registerPlayground(
  context: vscode.ExtensionContext,
  log: (msg: string) => void,
  calls?: PlaygroundCallSource,
  simulatedServer?: () => Promise<SimulatedServer>,
): vscode.Disposable[] {
  const services: Services = { context, log, simulatedServer };
  const selector: vscode.DocumentSelector = LANGUAGES.flatMap((language) => [
    { language, scheme: 'file' },
    { language, scheme: 'untitled' },
  ]);
  const codeLens = new SendRequestCodeLens(calls);
  const serializer: vscode.WebviewPanelSerializer = {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      // the webview also keeps its draft with setState; the host checks the saved draft and hands back only
      // a sound one with `init` (a broken one is dropped, and the page falls back on its own defaults)
      const restored = validateWebviewState(state);
      log(`Playground: restored after a reload${restored.draft ? ' with its draft' : ''}.`);
      PlaygroundPanel.current?.dispose();
      const p = new PlaygroundPanel(panel, services);
      if (restored.draft) p.controller.restoreDraft(restored.draft);
    },
  };
  return [
    codeLens,
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.commands.registerCommand(PLAYGROUND_COMMANDS.open, () => {
      PlaygroundPanel.show(services);
    }),
    vscode.commands.registerCommand(PLAYGROUND_COMMANDS.sendTestRequest, (uri?: unknown, offset?: unknown) => sendTestRequest(services, uri, offset)),
    vscode.commands.registerCommand(PLAYGROUND_COMMANDS.setApiKey, async () => {
      const key = await vscode.window.showInputBox({
        title: 'Claude: Set API Key',
        prompt: 'Your Anthropic API key, kept in VS Code’s secret storage and used only by the request playground',
        password: true,
        ignoreFocusOut: true,
        placeHolder: 'sk-ant-…',
        validateInput: (v) => (v.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
      });
      if (key === undefined) return false;
      await context.secrets.store(SECRET_KEY, key.trim());
      log('Playground: API key stored in secret storage.');
      await PlaygroundPanel.current?.controller.refreshKeyStatus();
      void vscode.window.showInformationMessage('Claude API key stored in VS Code’s secret storage.');
      return true;
    }),
    vscode.commands.registerCommand(PLAYGROUND_COMMANDS.clearApiKey, async () => {
      await context.secrets.delete(SECRET_KEY);
      log('Playground: API key removed from secret storage.');
      await PlaygroundPanel.current?.controller.refreshKeyStatus();
      void vscode.window.showInformationMessage(
        process.env.ANTHROPIC_API_KEY ? 'Claude API key removed from secret storage (ANTHROPIC_API_KEY is still set).' : 'Claude API key removed from secret storage.',
      );
      return true;
    }),
    vscode.commands.registerCommand(PLAYGROUND_TEST_COMMAND, async (action: unknown, message?: unknown) => {
      // the registered serializer itself, so a test can restore a panel the way VS Code does after a reload
      if (action === 'serializer') return serializer;
      const p = PlaygroundPanel.current;
      if (!p) return undefined;
      if (action === 'post') {
        await p.controller.handle(message);
        if (p.controller.running) await p.controller.running;
      }
      return {
        posted: p.posted.map((m) => JSON.parse(JSON.stringify(m)) as HostToWebview),
        received: p.received.map((m) => JSON.parse(JSON.stringify(m) ?? 'null') as unknown),
        html: p.panel.webview.html,
        visible: p.panel.visible,
      };
    }),
    vscode.window.registerWebviewPanelSerializer(PLAYGROUND_VIEW_TYPE, serializer),
  ];
}
