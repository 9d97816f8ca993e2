// Jupyter notebooks in the editor: the Python code cells of each open notebook are linted together (a
// client made in one cell is known in the next), and each finding is shown on its own cell. The latest result
// per notebook is kept (by the cells' versions) so the quick fixes and the hover of notebookActions.ts reuse
// it. "Lint Workspace" lints notebooks that are not open from their file, as the CLI does: their findings sit
// on the .ipynb file (line and column of the file, cell named in the message) until the notebook is opened.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { CellsLintResult, LintConfig } from '../core/lint';
import type { CellCall, CellFinding } from '../core/lint/notebookCells';
import { Debouncer } from './debounce';
import { toDiagnostic } from './diagnostics';
import { engine, sdkVersionModule } from './engine';
import { TextMapper } from './positions';
import { ConfigSource } from './settings';

const PYTHON = 'python';

interface NotebookState {
  /** The version of each linted cell's document, by cell index: the result is current while they match. */
  versions: Map<number, number>;
  result: CellsLintResult;
  /** Per cell document (URI string): its diagnostics and the findings behind them, in the same order. */
  cells: Map<string, { diagnostics: vscode.Diagnostic[]; findings: CellFinding[] }>;
}

/** The Python code cells of a notebook, in order. */
export function pythonCells(nb: vscode.NotebookDocument): vscode.NotebookCell[] {
  return nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === PYTHON);
}

/** The open notebook a cell document belongs to. */
export function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const key = doc.uri.toString();
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
}

export class NotebookDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('claude-request-lint-notebooks');
  private readonly debounce = new Debouncer();
  /** The cells that have diagnostics, per notebook, so a cell whose findings went away is cleared. */
  private readonly shown = new Map<string, vscode.Uri[]>();
  private readonly states = new Map<string, NotebookState>();
  /** Notebook files linted by a workspace scan (their findings stay on the file while the notebook is closed). */
  private readonly scanned = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the findings of a notebook changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.changed];

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

  /** The current result for a notebook: kept while no linted cell has changed, else linted now. */
  current(nb: vscode.NotebookDocument): NotebookState | undefined {
    const s = this.states.get(nb.uri.toString());
    const cells = pythonCells(nb);
    if (s && cells.length === s.versions.size && cells.every((c) => s.versions.get(c.index) === c.document.version)) return s;
    this.lintNow(nb);
    return this.states.get(nb.uri.toString());
  }

  /** The finding behind one of our diagnostics on a cell, matched by rule id, range and message (no parsing). */
  findingFor(nb: vscode.NotebookDocument, cell: vscode.TextDocument, d: vscode.Diagnostic): CellFinding | undefined {
    const shown = this.current(nb)?.cells.get(cell.uri.toString());
    if (!shown) return undefined;
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    const i = shown.diagnostics.findIndex((x) => (typeof x.code === 'object' ? x.code.value : x.code) === code && x.range.isEqual(d.range) && x.message === d.message);
    return i >= 0 ? shown.findings[i] : undefined;
  }

  /** The calls inside one cell (offsets into its text), for the hover. */
  callsIn(nb: vscode.NotebookDocument, cell: vscode.TextDocument): CellCall[] {
    const index = nb.getCells().find((c) => c.document.uri.toString() === cell.uri.toString())?.index;
    return this.current(nb)?.result.calls.filter((c) => c.cell === index) ?? [];
  }

  /** Findings shown for notebooks, and in how many notebooks (open ones per cell, scanned files as a whole). */
  count(): { total: number; files: number } {
    const perNotebook = new Map<string, number>();
    this.collection.forEach((uri, diags) => {
      if (!diags.length) return;
      const key = uri.scheme === 'vscode-notebook-cell' ? uri.with({ scheme: 'file', fragment: '' }).toString() : uri.toString();
      perNotebook.set(key, (perNotebook.get(key) ?? 0) + diags.length);
    });
    let total = 0;
    for (const n of perNotebook.values()) total += n;
    return { total, files: perNotebook.size };
  }

  /** Lints cell texts with the notebook's configuration without publishing anything (fix-all passes). */
  lintOnly(nb: vscode.NotebookDocument, cells: ReadonlyArray<{ index: number; code: string }>): CellsLintResult {
    return engine().lintCells(cells, this.options(nb.uri));
  }

  private options(uri: vscode.Uri): { fileName: string; config: LintConfig; sdkVersion: string | null } {
    return { fileName: uri.fsPath || uri.path, config: this.configs.forDocument(uri).config, sdkVersion: this.sdkVersion(uri) };
  }

  lintNow(nb: vscode.NotebookDocument): void {
    const key = nb.uri.toString();
    this.debounce.cancel(key);
    const cells = pythonCells(nb);
    const byIndex = new Map(cells.map((c) => [c.index, c]));
    const input = cells.map((c) => ({ index: c.index, code: c.document.getText() }));
    const versions = new Map(cells.map((c) => [c.index, c.document.version]));
    let result: CellsLintResult = { findings: [], calls: [] };
    if (input.some((c) => c.code.includes('anthropic'))) {
      const lint = engine();
      result = lint.lintCells(input, this.options(nb.uri));
      if (result.pending) {
        void lint.loadPythonParser().then(() => {
          if (!nb.isClosed && lint.pythonParserReady()) this.lintNow(nb);
        });
        return;
      }
      for (const err of result.internalErrors ?? []) this.log.error(`Internal error while linting ${vscode.workspace.asRelativePath(nb.uri)}: ${err}`);
    }
    const perCell = new Map<string, { cell: vscode.NotebookCell; diagnostics: vscode.Diagnostic[]; findings: CellFinding[] }>();
    for (const f of result.findings) {
      const cell = byIndex.get(f.cell.number - 1);
      if (!cell) continue;
      const k = cell.document.uri.toString();
      const entry = perCell.get(k) ?? { cell, diagnostics: [], findings: [] };
      entry.diagnostics.push(toDiagnostic(cell.document.uri, cell.document, f));
      entry.findings.push(f);
      perCell.set(k, entry);
    }
    for (const uri of this.shown.get(key) ?? []) this.collection.delete(uri);
    // the notebook is open: its cells show the findings, not the file a workspace scan linted
    this.collection.delete(nb.uri);
    for (const { cell, diagnostics } of perCell.values()) this.collection.set(cell.document.uri, diagnostics);
    this.shown.set(
      key,
      [...perCell.values()].map((e) => e.cell.document.uri),
    );
    this.states.set(key, { versions, result, cells: new Map([...perCell].map(([k, e]) => [k, { diagnostics: e.diagnostics, findings: e.findings }])) });
    this.changed.fire();
  }

  /**
   * Lints a notebook file for a workspace scan: from its cells when it is open, else from the file's text (as the
   * CLI does; the findings are shown on the file). Returns the number of findings.
   */
  lintFileText(uri: vscode.Uri, raw: string): number {
    const open = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri.toString());
    this.scanned.add(uri.toString());
    if (open) {
      this.lintNow(open);
      return this.states.get(uri.toString())?.result.findings.length ?? 0;
    }
    this.publishFile(uri, raw);
    return this.collection.get(uri)?.length ?? 0;
  }

  /** A closed notebook's findings on its file: the file's line and column, the cell named in the message. */
  private publishFile(uri: vscode.Uri, raw: string): void {
    const r = engine().lintNotebook(raw, this.options(uri));
    if (r.pending) {
      void engine()
        .loadPythonParser()
        .then(() => {
          if (engine().pythonParserReady() && !vscode.workspace.notebookDocuments.some((nb) => nb.uri.toString() === uri.toString())) this.publishFile(uri, raw);
        });
      return;
    }
    if (r.error) this.log.warn(`Not linted: ${vscode.workspace.asRelativePath(uri)} is ${r.error}`);
    for (const err of r.internalErrors ?? []) this.log.error(`Internal error while linting ${vscode.workspace.asRelativePath(uri)}: ${err}`);
    const mapper = new TextMapper(raw);
    const diagnostics = r.findings.map((f) => {
      const d = toDiagnostic(uri, mapper, f);
      d.message = `${d.message} (cell ${f.cell.number}, line ${f.cell.line})`;
      return d;
    });
    this.collection.set(uri, diagnostics);
    this.changed.fire();
  }

  private sdkVersion(uri: vscode.Uri): string | null {
    if (uri.scheme !== 'file') return null;
    try {
      return sdkVersionModule().resolveSdkVersion(uri.fsPath);
    } catch (e) {
      this.log.warn(`SDK version lookup failed for ${vscode.workspace.asRelativePath(uri)}: ${String(e)}`);
      return null;
    }
  }

  private clear(nb: vscode.NotebookDocument): void {
    const key = nb.uri.toString();
    this.debounce.cancel(key);
    for (const uri of this.shown.get(key) ?? []) this.collection.delete(uri);
    this.shown.delete(key);
    this.states.delete(key);
    // a scanned notebook keeps its findings while closed, as scanned files do: lint the saved file again
    if (this.scanned.has(key) && nb.uri.scheme === 'file') {
      try {
        this.publishFile(nb.uri, fs.readFileSync(nb.uri.fsPath, 'utf8'));
        return;
      } catch {
        this.scanned.delete(key);
      }
    }
    this.changed.fire();
  }

  dispose(): void {
    this.debounce.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
