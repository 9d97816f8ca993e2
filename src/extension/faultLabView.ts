// The fault simulator's live view: a webview that draws the requests as they arrive on a timeline, the
// attempts of one call on one row, the waits between them to scale, the retry-after each answer gave, and
// the verdicts. Strict CSP (the script by nonce only); the page may send only `ready` and its font status,
// which the host checks.
import * as vscode from 'vscode';
import type { Timeline } from '../core/api/faultLab/timeline';
import type { FaultLabHost } from './faultLab';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const FAULT_LAB_VIEW_COMMAND = 'claudeRequestLint.showFaultSimulatorTimeline';
const TEST_HOOK = '_claudeRequestLint.faultLabViewTestHook';

/** Host → page: the whole timeline (sent on `ready` and after each request, at most every 100 ms). */
export interface TimelineMessage {
  type: 'timeline';
  running: boolean;
  url?: string;
  timeline: Timeline;
}

/** Page → host: the page's script has started. */
export function isReadyMessage(m: unknown): boolean {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && Object.keys(m).length === 1 && (m as { type?: unknown }).type === 'ready';
}

/** Page → host: `{ type: 'fontStatus', codicons: 'loaded' | 'failed' }`, whether the icon font loaded under the CSP. */
export function fontStatusOf(m: unknown): 'loaded' | 'failed' | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m) || Object.keys(m).length !== 2) return undefined;
  const { type, codicons } = m as { type?: unknown; codicons?: unknown };
  return type === 'fontStatus' && (codicons === 'loaded' || codicons === 'failed') ? codicons : undefined;
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewHtml(webview, extensionUri, {
    title: 'Claude Fault Simulator',
    script: ['media', 'faultLabView.js'],
    style: ['media', 'faultLabView.css'],
    body: '<main id="app"><p>Waiting for requests…</p></main>',
  });
}

class FaultLabView implements vscode.Disposable {
  static current: FaultLabView | undefined;
  readonly posted: TimelineMessage[] = [];
  readonly received: unknown[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private pending: NodeJS.Timeout | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly host: FaultLabHost,
    extensionUri: vscode.Uri,
    private readonly log: (m: string) => void,
  ) {
    FaultLabView.current = this;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = html(panel.webview, extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        this.received.push(m);
        if (this.received.length > 100) this.received.shift();
        const font = fontStatusOf(m);
        if (isReadyMessage(m)) void this.send();
        else if (font === 'failed') this.log('Fault simulator view: the codicon font did not load; icons show as blank squares.');
        else if (font === undefined) this.log('Fault simulator view: ignored a message that is neither { type: "ready" } nor a font status.');
      }),
      host.onDidChange(() => this.schedule()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.send();
    }, 100);
  }

  private async send(): Promise<void> {
    const message = await this.host.timeline();
    this.posted.push(message);
    if (this.posted.length > 200) this.posted.shift();
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (FaultLabView.current === this) FaultLabView.current = undefined;
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

export function registerFaultLabView(context: vscode.ExtensionContext, host: FaultLabHost, log: (m: string) => void): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(FAULT_LAB_VIEW_COMMAND, () => {
      if (FaultLabView.current) {
        FaultLabView.current.panel.reveal();
        return;
      }
      const panel = vscode.window.createWebviewPanel('claudeRequestLint.faultLabView', 'Claude Fault Simulator', vscode.ViewColumn.Beside, {
        ...webviewOptions(context.extensionUri),
        retainContextWhenHidden: true,
      });
      new FaultLabView(panel, host, context.extensionUri, log);
    }),
    // for the tests in a real VS Code: what the view posted and received, and its page
    vscode.commands.registerCommand(TEST_HOOK, () => {
      const v = FaultLabView.current;
      return v ? { posted: [...v.posted], received: [...v.received], html: v.panel.webview.html } : undefined;
    }),
    { dispose: () => FaultLabView.current?.dispose() },
  ];
}
