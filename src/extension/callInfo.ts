// Hover and CodeLens on Claude API calls, from the cached lint result (no parsing of their own).
import * as vscode from 'vscode';
import type { CallSummary } from '../core/lint';
import type { RetryStackSummary } from '../core/lint/retry';
import { DiagnosticsController } from './diagnostics';
import { codeLensEnabled } from './settings';
import { toRange } from './positions';

/** A readable rendering of a call's retry stack (RetryStackSummary from the retry-safety analysis). */
export function describeRetryStack(stack: unknown): string[] {
  if (stack === undefined || stack === null) return [];
  if (typeof stack === 'string') return [stack];
  if (typeof stack !== 'object') return [String(stack)];
  const s = stack as Partial<RetryStackSummary> & Record<string, unknown>;
  const lines: string[] = [];
  if (typeof s.text === 'string') lines.push(s.text);
  if (typeof s.sdkMaxRetries === 'number') {
    const from = s.sdkSource === 'default' ? 'SDK default' : s.sdkSource === 'client' ? 'set on the client' : s.sdkSource === 'request' ? 'set on the request' : '';
    const where = typeof s.sdkWhere === 'string' ? ` at ${s.sdkWhere}` : '';
    lines.push(`- SDK retries: ${s.sdkMaxRetries}${from ? ` (${from})` : ''}${where}`);
  }
  if (Array.isArray(s.layers)) {
    for (const l of s.layers) {
      if (!l || typeof l !== 'object') continue;
      const attempts = typeof l.attempts === 'number' ? `, ${l.attempts} attempt${l.attempts === 1 ? '' : 's'}` : ', attempts not bounded or not known';
      lines.push(`- ${l.label ?? l.kind}${l.via ? ` (through \`${l.via}()\`)` : ''}${typeof l.where === 'string' ? ` in ${l.where}` : ''}${attempts}`);
    }
  }
  if (typeof s.entry === 'string') lines.push(`- Worst path: ${s.entry}`);
  if (typeof s.totalRequests === 'number') lines.push(`- At most ${s.totalRequests} request${s.totalRequests === 1 ? '' : 's'} for one call`);
  if (!lines.length) lines.push('```json', JSON.stringify(stack, null, 2), '```');
  return lines;
}

function innermostCall(calls: CallSummary[], offset: number): CallSummary | undefined {
  let best: CallSummary | undefined;
  for (const c of calls) if (c.start <= offset && offset <= c.end && (!best || c.end - c.start < best.end - best.start)) best = c;
  return best;
}

export class CallHoverProvider implements vscode.HoverProvider {
  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const state = this.diagnostics.current(doc);
    return state ? callHover(state.result.calls, doc, position) : undefined;
  }
}

/** The retry stack hover of the innermost call at a position (calls: offsets into the document's text). */
export function callHover(calls: CallSummary[], doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  if (!calls.length) return undefined;
  const call = innermostCall(calls, doc.offsetAt(position));
  if (!call || call.retryStack === undefined) return undefined;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Claude API call** \`${call.method}\`\n\n**Retry stack**\n\n`);
  md.appendMarkdown(describeRetryStack(call.retryStack).join('\n'));
  return new vscode.Hover(md, toRange(doc, call.start, call.end));
}

export class CallCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly diagnostics: DiagnosticsController) {
    this.subscription = diagnostics.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled(doc.uri)) return [];
    const state = this.diagnostics.current(doc);
    if (!state) return [];
    return state.result.calls.map((call) => {
      const inside = state.result.findings.filter((f) => f.start >= call.start && f.end <= call.end).length;
      const retry = describeRetryStack(call.retryStack)[0];
      const title = `Claude ${call.method}: ${inside ? `${inside} finding${inside === 1 ? '' : 's'}` : 'no findings'}${retry && !retry.startsWith('```') ? ` · ${retry}` : ''}`;
      const range = toRange(doc, call.start, call.start);
      return new vscode.CodeLens(range, inside ? { title, command: 'workbench.actions.view.problems' } : { title, command: '' });
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
