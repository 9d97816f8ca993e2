// The status bar item: how many findings are in the Problems panel (files and notebooks); a click opens it.
import * as vscode from 'vscode';

/** What the item counts: the findings of files (DiagnosticsController) and of notebooks (NotebookDiagnostics). */
export interface FindingsSource {
  count(): { total: number; files: number };
  readonly onDidChange: vscode.Event<unknown>;
}

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('claudeRequestLint.findings', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];
  private readonly sources: FindingsSource[];

  constructor(...sources: FindingsSource[]) {
    this.sources = sources;
    this.item.name = 'Claude Request Lint';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions = sources.map((s) => s.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    let total = 0;
    let files = 0;
    for (const s of this.sources) {
      const c = s.count();
      total += c.total;
      files += c.files;
    }
    this.item.text = `$(${total ? 'warning' : 'check'}) Claude ${total}`;
    this.item.tooltip = total
      ? `Claude Request Lint: ${total} finding${total === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}. Click to open the Problems panel.`
      : 'Claude Request Lint: no findings. Click to open the Problems panel.';
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
