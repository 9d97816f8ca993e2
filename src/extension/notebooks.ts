// Jupyter notebooks in the editor: the Python code cells of each open notebook are linted together (a
// client made in one cell is known in the next), and each finding is shown on its own cell. Quick fixes,
// hovers and CodeLens are for files; a notebook gets diagnostics only.
import * as vscode from 'vscode';
import type { PlacedFinding } from '../core/lint/notebook';
import { Debouncer } from './debounce';
import { toDiagnostic } from './diagnostics';
import { engine, sdkVersionModule } from './engine';
import { ConfigSource } from './settings';

const PYTHON = 'python';

export class NotebookDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('claude-request-lint-notebooks');
  private readonly debounce = new Debouncer();
  /** The cells that have diagnostics, per notebook, so a cell whose findings went away is cleared. */
  private readonly shown = new Map<string, vscode.Uri[]>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(
    private readonly configs: ConfigSource,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  start(): void {
    const w = vscode.workspace;
    this.disposables.push(
      w.onDidOpenNotebookDocument((nb) => this.lintNow(nb)),
      w.onDidChangeNotebookDocument((e) => this.schedule(e.notebook)),
      w.onDidSaveNotebookDocument((nb) => this.lintNow(nb)),
      w.onDidCloseNotebookDocument((nb) => this.clear(nb)),
    );
    for (const nb of w.notebookDocuments) this.lintNow(nb);
  }

  /** Lints every open notebook again (settings or project files changed). */
  relintOpen(): void {
    for (const nb of vscode.workspace.notebookDocuments) this.lintNow(nb);
  }

  private schedule(nb: vscode.NotebookDocument): void {
    this.debounce.schedule(nb.uri.toString(), () => {
      if (!nb.isClosed) this.lintNow(nb);
    });
  }

  lintNow(nb: vscode.NotebookDocument): void {
    const cells = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === PYTHON);
    const byIndex = new Map(cells.map((c) => [c.index, c]));
    const input = cells.map((c) => ({ index: c.index, code: c.document.getText() }));
    let findings: PlacedFinding[] = [];
    if (input.some((c) => c.code.includes('anthropic'))) {
      const lint = engine();
      let sdkVersion: string | null = null;
      if (nb.uri.scheme === 'file') {
        try {
          sdkVersion = sdkVersionModule().resolveSdkVersion(nb.uri.fsPath);
        } catch (e) {
          this.log.warn(`SDK version lookup failed for ${vscode.workspace.asRelativePath(nb.uri)}: ${String(e)}`);
        }
      }
      const result = lint.lintCells(input, { fileName: nb.uri.fsPath || nb.uri.path, config: this.configs.forDocument(nb.uri).config, sdkVersion });
      if (result.pending) {
        void lint.loadPythonParser().then(() => {
          if (!nb.isClosed && lint.pythonParserReady()) this.lintNow(nb);
        });
        return;
      }
      for (const err of result.internalErrors ?? []) this.log.error(`Internal error while linting ${vscode.workspace.asRelativePath(nb.uri)}: ${err}`);
      findings = result.findings;
    }
    const perCell = new Map<vscode.NotebookCell, vscode.Diagnostic[]>();
    for (const f of findings) {
      const cell = byIndex.get(f.cell.number - 1);
      if (!cell) continue;
      const list = perCell.get(cell) ?? [];
      list.push(toDiagnostic(cell.document.uri, cell.document, f));
      perCell.set(cell, list);
    }
    const key = nb.uri.toString();
    for (const uri of this.shown.get(key) ?? []) this.collection.delete(uri);
    for (const [cell, diags] of perCell) this.collection.set(cell.document.uri, diags);
    this.shown.set(
      key,
      [...perCell.keys()].map((c) => c.document.uri),
    );
  }

  private clear(nb: vscode.NotebookDocument): void {
    const key = nb.uri.toString();
    this.debounce.cancel(key);
    for (const uri of this.shown.get(key) ?? []) this.collection.delete(uri);
    this.shown.delete(key);
  }

  dispose(): void {
    this.debounce.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
