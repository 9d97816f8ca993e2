// Document events → lint engine → DiagnosticCollection. Keeps the latest LintResult per document (by
// version) so code actions, hovers and CodeLens reuse it instead of parsing again.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { LintConfig, LintResult } from '../core/lint';
import type { ProjectIndex } from '../core/lint/project/projectIndex';
import type { Finding, Severity } from '../core/lint/rule';
import { ruleDocsUrl } from '../core/lint/rule';
import { Debouncer } from './debounce';
import { engine, sdkVersionModule } from './engine';
import { OffsetMapper, TextMapper, toRange } from './positions';
import { ConfigSource } from './settings';

export const DIAGNOSTIC_SOURCE = 'claude-request-lint';
export const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'python'];
/** Files larger than this are not linted as you type (generated bundles and the like). */
const MAX_TEXT_LENGTH = 2_000_000;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export interface LintState {
  uri: vscode.Uri;
  /** Document version the result belongs to (-1 for a file linted from disk). */
  version: number;
  config: LintConfig;
  result: LintResult;
  diagnostics: vscode.Diagnostic[];
}

export function isLintable(doc: vscode.TextDocument): boolean {
  return LANGUAGES.includes(doc.languageId) && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

/** The rule id a diagnostic of ours carries, or undefined for other sources. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const c = d.code;
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object' && typeof c.value === 'string') return c.value;
  return undefined;
}

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly states = new Map<string, LintState>();
  /** Project-file problems already shown, so a broken file is reported once, not on every keystroke. */
  private readonly reportedProblems = new Set<string>();
  private readonly debounce = new Debouncer();
  /** Files found by a workspace scan: their diagnostics stay when their editor closes. */
  private readonly scanned = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires when the findings of a document (or, with undefined, of many) changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.changed];
  private project: () => ProjectIndex | undefined = () => undefined;

  constructor(
    private readonly configs: ConfigSource,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Subscribes to document events and lints the documents already open. */
  start(): void {
    const w = vscode.workspace;
    this.disposables.push(
      w.onDidOpenTextDocument((d) => this.lintNow(d)),
      w.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document);
      }),
      w.onDidSaveTextDocument((d) => this.lintNow(d)),
      w.onDidCloseTextDocument((d) => this.closed(d)),
    );
    for (const d of w.textDocuments) this.lintNow(d);
  }

  /** Lints on the next quiet moment (typing). */
  schedule(doc: vscode.TextDocument): void {
    if (!isLintable(doc)) return;
    this.debounce.schedule(doc.uri.toString(), () => {
      if (!doc.isClosed) this.lintNow(doc);
    });
  }

  /** Lints now and publishes the diagnostics; returns the state (undefined when not lintable). */
  lintNow(doc: vscode.TextDocument): LintState | undefined {
    if (!isLintable(doc)) return undefined;
    this.debounce.cancel(doc.uri.toString());
    const text = doc.getText();
    const state = this.lint(doc.uri, text, doc.version, doc, doc.fileName);
    this.publish(state);
    return state;
  }

  /** The current result for a document: cached when its version has not changed, else linted now. */
  current(doc: vscode.TextDocument): LintState | undefined {
    const s = this.states.get(doc.uri.toString());
    if (s && s.version === doc.version) return s;
    return this.lintNow(doc);
  }

  /** Lints a file's text read from disk (workspace scan). Open documents are linted from their buffer. */
  lintFileText(uri: vscode.Uri, text: string): LintState {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open && isLintable(open)) return this.lintNow(open)!;
    const state = this.lint(uri, text, -1, new TextMapper(text), uri.fsPath);
    this.scanned.add(uri.toString());
    this.publish(state);
    return state;
  }

  /** Lints a text with the document's configuration without publishing anything (fix-all passes). */
  lintOnly(uri: vscode.Uri, text: string, fileName: string): LintResult {
    return this.runEngine(uri, text, fileName, this.configs.forDocument(uri).config);
  }

  /** Lints every open document again (settings, project configuration or the project's files changed). */
  relintOpen(except?: vscode.Uri): void {
    for (const d of vscode.workspace.textDocuments) if (isLintable(d) && d.uri.toString() !== except?.toString()) this.lintNow(d);
  }

  /** The project index for cross-file analysis (absent: each file on its own). */
  setProject(project: () => ProjectIndex | undefined): void {
    this.project = project;
  }

  /** The finding behind one of our diagnostics, matched by rule id and range (no parsing). */
  findingFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Finding | undefined {
    const id = ruleIdOf(d);
    if (!id) return undefined;
    const state = this.current(doc);
    if (!state) return undefined;
    const i = state.diagnostics.findIndex((x) => ruleIdOf(x) === id && x.range.isEqual(d.range) && x.message === d.message);
    return i >= 0 ? state.result.findings[i] : undefined;
  }

  /** Total findings published, for the status bar. */
  count(): { total: number; files: number } {
    let total = 0;
    let files = 0;
    this.collection.forEach((_uri, diags) => {
      total += diags.length;
      if (diags.length) files++;
    });
    return { total, files };
  }

  state(uri: vscode.Uri): LintState | undefined {
    return this.states.get(uri.toString());
  }

  /** The project-file problems shown so far (each once). */
  configProblems(): string[] {
    return [...this.reportedProblems];
  }

  private reportConfigProblem(problem: string): void {
    if (this.reportedProblems.has(problem)) return;
    this.reportedProblems.add(problem);
    this.log.warn(`Ignoring the project configuration: ${problem}`);
    void vscode.window.showWarningMessage(`Claude Request Lint: the project configuration is ignored until it is fixed. ${problem}`);
  }

  private lint(uri: vscode.Uri, text: string, version: number, mapper: OffsetMapper, fileName: string): LintState {
    const { config, projectFile, problem } = this.configs.forDocument(uri);
    if (problem) this.reportConfigProblem(problem);
    let result: LintResult;
    if (text.length > MAX_TEXT_LENGTH) {
      result = { findings: [], calls: [], parsed: false };
    } else {
      const started = Date.now();
      result = this.runEngine(uri, text, fileName, config);
      // A Python file before its parser has loaded: load it (once), then lint this text again.
      if (result.pending) void engine().loadPythonParser().then(() => this.relintAfterLoad(uri, text, version, mapper, fileName));
      if (result.parsed) {
        this.log.debug(
          `${vscode.workspace.asRelativePath(uri)}: ${result.findings.length} finding(s), ${result.calls.length} call(s), ${Date.now() - started} ms` +
            (projectFile ? ` (config ${vscode.workspace.asRelativePath(projectFile)})` : ''),
        );
      }
      for (const err of result.internalErrors ?? []) this.log.error(`Internal error while linting ${vscode.workspace.asRelativePath(uri)}: ${err}`);
    }
    const diagnostics = result.findings.map((f) => toDiagnostic(uri, mapper, f));
    const state: LintState = { uri, version, config, result, diagnostics };
    this.states.set(uri.toString(), state);
    return state;
  }

  /**
   * The engine's prefilter decides first (once: lintText would run it again), so a file with no call is
   * neither parsed nor looked up for its SDK version.
   */
  private runEngine(uri: vscode.Uri, text: string, fileName: string, config: LintConfig): LintResult {
    const lint = engine();
    const project = uri.scheme === 'file' ? this.project() : undefined;
    if (!lint.needsParse(text, fileName) && !(project && lint.prefilter(text, fileName))) return { findings: [], calls: [], parsed: false };
    let sdkVersion: string | null = null;
    let dependencies: string[] | null = null;
    if (uri.scheme === 'file') {
      try {
        sdkVersion = sdkVersionModule().resolveSdkVersion(uri.fsPath);
        dependencies = sdkVersionModule().resolveDependencies(uri.fsPath);
      } catch (e) {
        this.log.warn(`SDK version lookup failed for ${vscode.workspace.asRelativePath(uri)}: ${String(e)}`);
      }
    }
    return lint.lintUnfiltered(text, { fileName, config, sdkVersion, dependencies, project });
  }

  private relintAfterLoad(uri: vscode.Uri, text: string, version: number, mapper: OffsetMapper, fileName: string): void {
    if (!engine().pythonParserReady()) return; // the load failed: logged as an internal error on the next lint
    const current = this.states.get(uri.toString());
    if (current && current.version !== version) return; // linted again meanwhile
    this.publish(this.lint(uri, text, version, mapper, fileName));
  }

  private publish(state: LintState): void {
    this.collection.set(state.uri, state.diagnostics);
    this.changed.fire(state.uri);
  }

  private closed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.debounce.cancel(key);
    if (this.scanned.has(key)) return;
    this.states.delete(key);
    if (this.collection.has(doc.uri)) {
      this.collection.delete(doc.uri);
      this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    this.debounce.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function toDiagnostic(uri: vscode.Uri, mapper: OffsetMapper, f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(mapper, f.start, f.end), f.message, SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Warning);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.ruleId, target: vscode.Uri.parse(ruleDocsUrl(f.ruleId)) };
  if (f.related?.length) {
    d.relatedInformation = f.related.flatMap((r) => {
      if (!r.file) return [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(mapper, r.start, r.end)), r.message)];
      const other = otherFileMapper(r.file);
      return other ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(other, r.start, r.end)), r.message)] : [];
    });
  }
  return d;
}

/** Positions in another file named by a related location: its open buffer, else the disk. */
function otherFileMapper(file: string): OffsetMapper | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return open;
  try {
    return new TextMapper(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
