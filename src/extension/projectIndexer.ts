// The project index in the editor: built in the background after activation (progress in the status bar,
// cancellable), kept current as files are edited, saved, created, deleted and renamed, and the open
// documents linted again when the facts they depend on change. The index reads open documents from their
// buffers and every other file from disk; nothing in the workspace is run.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ProjectIndex } from '../core/lint/project/projectIndex';
import type { ModuleResolver } from '../core/lint/project/resolve';
import { PYTHON_SKIPPED_DIRS, insideVirtualEnv } from '../core/lint/walk';
import { projectModules } from './engine';

export const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py}';
const EXCLUDE_GLOB = `{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/build/**,**/.next/**,**/coverage/**,**/*.d.ts,${PYTHON_SKIPPED_DIRS.map((d) => `**/${d}/**`).join(',')}}`;
/** Files summarised per slice of background work before yielding to the editor. */
const SLICE = 25;
/** An edit to a file is reflected in the other open documents after this quiet time. */
const EDIT_DEBOUNCE_MS = 300;

export const CANCEL_INDEXING_COMMAND = 'claudeRequestLint.cancelIndexing';

export class ProjectIndexer implements vscode.Disposable {
  private indexValue: ProjectIndex | undefined;
  private resolver: ModuleResolver | undefined;
  private readonly item = vscode.window.createStatusBarItem('claudeRequestLint.index', vscode.StatusBarAlignment.Left, 9);
  private cancelled = false;
  private building = false;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [this.item];
  /** Resolves when the background build has finished (or was cancelled); for tests and the command. */
  ready: Promise<void> = Promise.resolve();

  constructor(
    /** Lints the open documents again (all, or all but one). */
    private readonly relintOpen: (except?: vscode.Uri) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item.name = 'Claude Request Lint: project index';
    this.item.command = CANCEL_INDEXING_COMMAND;
  }

  /** The index (created on first use; it loads the engine, so never during activation). */
  get index(): ProjectIndex {
    if (!this.indexValue) {
      const { ProjectIndex, ModuleResolver, nodeProjectHost } = projectModules();
      this.resolver = new ModuleResolver(nodeProjectHost());
      this.indexValue = new ProjectIndex(this.resolver, (file) => this.read(file));
    }
    return this.indexValue;
  }

  /** Whether an index exists yet (the editor lints file by file until the first document needs it). */
  get started(): boolean {
    return this.indexValue !== undefined;
  }

  /** Subscribes to file events and starts the background build. */
  start(): void {
    const watcher = vscode.workspace.createFileSystemWatcher(SOURCE_GLOB);
    const configs = vscode.workspace.createFileSystemWatcher('**/{tsconfig*.json,jsconfig*.json,package.json,pnpm-workspace.yaml,pyproject.toml,setup.cfg}');
    this.disposables.push(
      watcher,
      configs,
      watcher.onDidCreate((u) => this.changed(u, 'created')),
      watcher.onDidDelete((u) => this.changed(u, 'deleted')),
      watcher.onDidChange((u) => this.changed(u, 'changed')),
      configs.onDidCreate((u) => this.configChanged(u)),
      configs.onDidChange((u) => this.configChanged(u)),
      configs.onDidDelete((u) => this.configChanged(u)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && e.document.uri.scheme === 'file') this.edited(e.document.uri);
      }),
      vscode.workspace.onDidRenameFiles((e) => {
        for (const f of e.files) {
          this.changed(f.oldUri, 'deleted');
          this.changed(f.newUri, 'created');
        }
      }),
      vscode.commands.registerCommand(CANCEL_INDEXING_COMMAND, () => {
        if (this.building) this.cancelled = true;
      }),
    );
    this.ready = this.build();
  }

  /** The index's view of a file: an open document's buffer, else the disk. */
  private read(file: string): string | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (open) return open.getText();
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private async build(): Promise<void> {
    if (!vscode.workspace.workspaceFolders?.length) return;
    this.building = true;
    this.cancelled = false;
    const started = Date.now();
    try {
      this.item.text = '$(sync~spin) Claude: indexing';
      this.item.tooltip = 'Claude Request Lint is reading the project for cross-file analysis. Click to cancel.';
      this.item.show();
      const uris = await vscode.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB);
      // Python modules inside a virtual environment are installed packages, never the project's code
      const venvs = new Map<string, boolean>();
      const files = uris
        .filter((u) => u.scheme === 'file')
        .map((u) => u.fsPath)
        .filter((f) => !f.endsWith('.py') || !insideVirtualEnv(f, vscode.workspace.getWorkspaceFolder(vscode.Uri.file(f))?.uri.fsPath, venvs));
      const index = this.index;
      index.add(files);
      for (let i = 0; i < files.length; i += SLICE) {
        if (this.cancelled) {
          this.log.info(`Project index: cancelled after ${i} of ${files.length} files; the rest is read when needed`);
          return;
        }
        for (const f of files.slice(i, i + SLICE)) index.summaryOf(f);
        this.item.text = `$(sync~spin) Claude: indexing ${Math.round(((i + SLICE) / Math.max(1, files.length)) * 100)}%`;
        await new Promise((r) => setTimeout(r, 0));
      }
      this.log.info(`Project index: ${files.length} files in ${Date.now() - started} ms`);
      this.relintOpen();
    } catch (e) {
      this.log.error(`Project index: ${String((e as Error)?.stack ?? e)}`);
    } finally {
      this.building = false;
      this.item.hide();
    }
  }

  /** An open document was edited: after a quiet moment, re-lint the others if what it offers changed. */
  private edited(uri: vscode.Uri): void {
    if (!this.indexValue) return;
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        // an edited buffer: the others are re-linted against its current text even when its summary looks the
        // same, since a lint of another document may already have summarised it mid-edit
        this.changed(uri, 'changed', true);
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private changed(uri: vscode.Uri, change: 'changed' | 'created' | 'deleted', edited = false): void {
    if (!this.indexValue || uri.scheme !== 'file') return;
    const index = this.indexValue;
    const before = JSON.stringify(index.cachedSummary(uri.fsPath)?.exports ?? null);
    if (change !== 'changed') this.resolver?.invalidate(uri.fsPath);
    index.invalidate(uri.fsPath);
    const after = JSON.stringify(index.summaryOf(uri.fsPath)?.exports ?? null);
    if (before !== after || change !== 'changed' || edited) this.relintOpen(uri);
  }

  private configChanged(uri: vscode.Uri): void {
    if (!this.indexValue || uri.path.includes('/node_modules/')) return;
    this.resolver?.invalidate(uri.fsPath);
    this.indexValue.resetImports();
    this.relintOpen();
  }

  dispose(): void {
    this.cancelled = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
