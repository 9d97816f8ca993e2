// The contributed commands: lint the workspace, insert the retry helper, show a rule's documentation.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { ruleDocsUrl } from '../core/lint/rule';
import { PYTHON_SKIPPED_DIRS, insideVirtualEnv } from '../core/lint/walk';
import { DiagnosticsController, isLintable } from './diagnostics';
import { engine } from './engine';
import type { NotebookDiagnostics } from './notebooks';
import { HelperSource, planHelper, planThrottle } from './retryHelper';
import { addPythonRetryThrottle, insertPythonRetryHelper, isPythonDocument } from './pyRetryHelper';

export const COMMANDS = {
  lintWorkspace: 'claudeRequestLint.lintWorkspace',
  insertRetryHelper: 'claudeRequestLint.insertRetryHelper',
  addRetryThrottle: 'claudeRequestLint.addRetryThrottle',
  showRuleDocs: 'claudeRequestLint.showRuleDocs',
} as const;

export const SOURCE_GLOB = '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,py}';
/** What Lint Workspace reads: the source files and, as the CLI does, Jupyter notebooks. */
export const WORKSPACE_GLOB = '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,py,ipynb}';

/** `a/{b,c}/d` → [`a/b/d`, `a/c/d`] (every brace group, nested ones included). */
export function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob];
  const out: string[] = [];
  for (const alt of m[1].split(',')) out.push(...expandBraces(glob.slice(0, m.index) + alt + glob.slice(m.index + m[0].length)));
  return out;
}

/**
 * node_modules, Python installs and caches (site-packages, __pycache__, .tox, ...) plus every pattern switched
 * on in `files.exclude`, as one glob for findFiles. Virtual environments are told by their pyvenv.cfg, which
 * a glob cannot see: see notInVirtualEnv.
 */
export function excludeGlob(scope?: vscode.Uri): string {
  const patterns = new Set(['**/node_modules/**', ...PYTHON_SKIPPED_DIRS.map((d) => `**/${d}/**`)]);
  const excluded = vscode.workspace.getConfiguration('files', scope).get<Record<string, unknown>>('exclude') ?? {};
  for (const [pattern, on] of Object.entries(excluded)) if (on === true) for (const p of expandBraces(pattern)) patterns.add(p);
  return `{${[...patterns].join(',')}}`;
}

/** The files outside virtual environments (directories holding a pyvenv.cfg) within their workspace folder. */
export function notInVirtualEnv(uris: readonly vscode.Uri[]): vscode.Uri[] {
  const cache = new Map<string, boolean>();
  return uris.filter((uri) => {
    if (uri.scheme !== 'file') return true;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return !insideVirtualEnv(uri.fsPath, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, cache);
  });
}

export interface WorkspaceLintReport {
  files: number;
  linted: number;
  findings: number;
  filesWithFindings: number;
  cancelled: boolean;
}

/** Lints every source file and notebook (.ipynb) of the workspace; notebooks go through `notebooks`. */
export async function lintWorkspace(diagnostics: DiagnosticsController, log: vscode.LogOutputChannel, notebooks: NotebookDiagnostics): Promise<WorkspaceLintReport> {
  const started = Date.now();
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Claude Request Lint', cancellable: true },
    async (progress, token): Promise<WorkspaceLintReport> => {
      progress.report({ message: 'finding files…' });
      const uris = notInVirtualEnv(await vscode.workspace.findFiles(WORKSPACE_GLOB, excludeGlob(), undefined, token));
      // notebooks are Python: their parser first, so their findings count in this report
      if (uris.some((u) => /\.ipynb$/i.test(u.path))) await engine().loadPythonParser().catch(() => undefined);
      const r: WorkspaceLintReport = { files: uris.length, linted: 0, findings: 0, filesWithFindings: 0, cancelled: false };
      const decoder = new TextDecoder();
      for (const uri of uris) {
        if (token.isCancellationRequested) {
          r.cancelled = true;
          break;
        }
        let text: string;
        try {
          text = decoder.decode(await vscode.workspace.fs.readFile(uri));
        } catch (e) {
          log.warn(`Cannot read ${vscode.workspace.asRelativePath(uri)}: ${String(e)}`);
          continue;
        }
        const found = /\.ipynb$/i.test(uri.path) ? notebooks.lintFileText(uri, text) : diagnostics.lintFileText(uri, text).diagnostics.length;
        r.linted++;
        r.findings += found;
        if (found) r.filesWithFindings++;
        progress.report({ increment: 100 / uris.length, message: `${r.linted}/${uris.length} ${vscode.workspace.asRelativePath(uri)}` });
        if (r.linted % 25 === 0) await new Promise((resolve) => setImmediate(resolve)); // stay responsive
      }
      return r;
    },
  );
  log.info(
    `Workspace lint: ${report.findings} finding(s) in ${report.filesWithFindings} of ${report.linted} file(s) linted` +
      ` (${report.files} found)${report.cancelled ? ', cancelled' : ''} in ${Date.now() - started} ms`,
  );
  if (!report.cancelled && report.findings > 0) void vscode.commands.executeCommand('workbench.panel.markers.view.focus');
  return report;
}

/**
 * Writes the retry helper into the project (if it is not there yet) and imports `withRetry` into the
 * document (if it is not imported yet). Returns the helper's URI.
 */
export async function insertRetryHelper(source: HelperSource, log: vscode.LogOutputChannel, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const doc = target ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
  if (!doc || !isLintable(doc)) {
    void vscode.window.showWarningMessage('Claude Request Lint: open a JavaScript or TypeScript file to insert the retry helper for.');
    return undefined;
  }
  if (isPythonDocument(doc)) return insertPythonRetryHelper(doc, source, log);
  const plan = planHelper(doc, source);
  const edit = new vscode.WorkspaceEdit();
  if (plan.create) edit.createFile(plan.create.uri, { ignoreIfExists: true, contents: plan.create.contents });
  if (plan.importEdit) edit.insert(doc.uri, doc.positionAt(plan.importEdit.offset), plan.importEdit.text);
  if (plan.create || plan.importEdit) {
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit could not be applied');
  }
  const where = vscode.workspace.asRelativePath(plan.helper.uri);
  const msg = plan.create ? `Added the retry helper ${where}` : `The retry helper ${where} is already in the project`;
  log.info(`${msg}${plan.importEdit ? `; imported withRetry into ${vscode.workspace.asRelativePath(doc.uri)}` : ''}`);
  void vscode.window.showInformationMessage(`Claude Request Lint: ${msg}.`);
  return plan.helper.uri;
}

/**
 * Writes the opt-in throttle file (AdaptiveThrottle, CircuitBreaker) beside the retry helper, and the helper when
 * it is missing; nothing when both are there. Returns the throttle file's URI.
 */
export async function addRetryThrottle(source: HelperSource, log: vscode.LogOutputChannel, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const doc = target ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
  if (!doc || !isLintable(doc)) {
    void vscode.window.showWarningMessage('Claude Request Lint: open a JavaScript or TypeScript file to add the retry throttle for.');
    return undefined;
  }
  if (isPythonDocument(doc)) return addPythonRetryThrottle(doc, source, log);
  const plan = planThrottle(doc, source);
  if (plan.create.length) {
    const edit = new vscode.WorkspaceEdit();
    for (const f of plan.create) edit.createFile(f.uri, { ignoreIfExists: true, contents: f.contents });
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit could not be applied');
  }
  const where = vscode.workspace.asRelativePath(plan.throttle.uri);
  const msg = plan.throttle.exists
    ? `The retry throttle ${where} is already in the project`
    : `Added the retry throttle ${where}: pass one shared AdaptiveThrottle or CircuitBreaker to withRetry as { throttle } or { circuitBreaker }`;
  log.info(msg);
  void vscode.window.showInformationMessage(`Claude Request Lint: ${msg}.`);
  return plan.throttle.uri;
}

/**
 * Opens a rule's page: the copy shipped in the extension (docs/rules/<id>.md, as a preview) when present,
 * else the online page. Without an id, asks for the rule. Returns the URI opened.
 */
export async function showRuleDocs(extensionUri: vscode.Uri, id?: unknown): Promise<vscode.Uri | undefined> {
  let ruleId = typeof id === 'string' ? id : undefined;
  if (!ruleId) {
    const pick = await vscode.window.showQuickPick(
      engine().ruleMetas.map((m) => ({ label: m.id, description: m.description })),
      { placeHolder: 'Show the documentation of which rule?' },
    );
    ruleId = pick?.label;
  }
  if (!ruleId || !/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  const local = vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`);
  if (local.scheme === 'file' && fs.existsSync(local.fsPath)) {
    await vscode.commands.executeCommand('markdown.showPreview', local);
    return local;
  }
  const online = vscode.Uri.parse(ruleDocsUrl(ruleId));
  void vscode.env.openExternal(online); // the browser may ask first; do not wait for the answer
  return online;
}
