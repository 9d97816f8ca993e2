// The status bar item: how many findings are in the Problems panel; a click opens it.
import * as vscode from 'vscode';
import { DiagnosticsController } from './diagnostics';

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('claudeRequestLint.findings', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly diagnostics: DiagnosticsController) {
    this.item.name = 'Claude Request Lint';
    this.item.command = 'workbench.actions.view.problems';
    this.subscription = diagnostics.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    const { total, files } = this.diagnostics.count();
    this.item.text = `$(${total ? 'warning' : 'check'}) Claude ${total}`;
    this.item.tooltip = total
      ? `Claude Request Lint: ${total} finding${total === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}. Click to open the Problems panel.`
      : 'Claude Request Lint: no findings. Click to open the Problems panel.';
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
