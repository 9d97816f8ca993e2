// Activation: wiring only. Every disposable is registered here, in one place. The lint engine (and its
// parser) loads on the first lint, after activation has returned.
import * as vscode from 'vscode';
import { CallCodeLensProvider, CallHoverProvider } from './callInfo';
import { APPLY_RETRY_FIX_COMMAND, LintCodeActionProvider, applyRetryFix } from './codeActions';
import { addRetryThrottle, COMMANDS, insertRetryHelper, lintWorkspace, showRuleDocs } from './commands';
import { DiagnosticsController, LANGUAGES } from './diagnostics';
import { NotebookDiagnostics } from './notebooks';
import { APPLY_NOTEBOOK_RETRY_FIX_COMMAND, NOTEBOOK_CELL_SELECTOR, NotebookCellActionProvider, applyNotebookRetryFix } from './notebookActions';
import { engineLoaded, sdkVersionModule } from './engine';
import type { LabReport } from '../core/api/faultLab/requestLog';
import { FaultLabHost, registerFaultLab } from './faultLab';
import { registerFaultLabView } from './faultLabView';
import { registerPlayground } from './playgroundPanel';
import { HelperSource } from './retryHelper';
import { ConfigSource, SECTION } from './settings';
import { FindingsStatusBar } from './statusBar';
import { ProjectIndexer } from './projectIndexer';

/** What the extension returns from activate() (read by its tests). */
export interface ClaudeRequestLintApi {
  activationMs: number;
  engineLoadedAtActivation: boolean;
  statusBarText(): string;
  findingsCount(): number;
  /** Problems with `.claude-request-lint.json` files that were shown to the user (each once). */
  configProblems(): string[];
  /** Resolves when the background project index build has finished. */
  projectIndexReady(): Promise<void>;
  /** The running fault simulator's requests and verdicts so far (undefined when it is not running). */
  faultLabReport(): Promise<LabReport | undefined>;
}

export function activate(context: vscode.ExtensionContext): ClaudeRequestLintApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Claude Request Lint', { log: true });
  const configs = new ConfigSource();
  const diagnostics = new DiagnosticsController(configs, log);
  const notebooks = new NotebookDiagnostics(configs, log);
  const helperSource = new HelperSource(context.extensionPath);
  const statusBar = new FindingsStatusBar(diagnostics, notebooks);
  const notebookActions = new NotebookCellActionProvider(notebooks);
  const codeLens = new CallCodeLensProvider(diagnostics);
  const indexer = new ProjectIndexer((except) => {
    diagnostics.relintOpen(except);
    codeLens.refresh();
  }, log);
  const crossFile = (): boolean => vscode.workspace.getConfiguration(SECTION).get<boolean>('crossFileAnalysis', true);
  diagnostics.setProject(() => (crossFile() ? indexer.index : undefined));
  const faultLab = new FaultLabHost((m) => log.info(m));
  const selector: vscode.DocumentSelector = LANGUAGES.flatMap((language) => [
    { language, scheme: 'file' },
    { language, scheme: 'untitled' },
  ]);
  const relint = (why: string): void => {
    log.info(`Linting open files again: ${why}`);
    diagnostics.relintOpen();
    notebooks.relintOpen();
    codeLens.refresh();
  };
  const projectFiles = vscode.workspace.createFileSystemWatcher('**/.claude-request-lint.json');
  const packageFiles = vscode.workspace.createFileSystemWatcher('**/{package.json,requirements*.txt,pyproject.toml,Pipfile,Pipfile.lock,uv.lock,poetry.lock,pdm.lock}');
  const onProjectFile = (): void => {
    configs.reset();
    relint('.claude-request-lint.json changed');
  };
  const onPackageFile = (uri: vscode.Uri): void => {
    if (!engineLoaded() || uri.path.includes('/node_modules/')) return;
    sdkVersionModule().invalidateSdkVersionCache();
    relint(`${uri.path.split('/').pop()} changed`);
  };

  context.subscriptions.push(
    log,
    diagnostics,
    notebooks,
    indexer,
    statusBar,
    codeLens,
    projectFiles,
    packageFiles,
    vscode.languages.registerCodeActionsProvider(selector, new LintCodeActionProvider(diagnostics, helperSource), LintCodeActionProvider.metadata),
    vscode.languages.registerHoverProvider(selector, new CallHoverProvider(diagnostics)),
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.languages.registerCodeActionsProvider(NOTEBOOK_CELL_SELECTOR, notebookActions, NotebookCellActionProvider.metadata),
    vscode.languages.registerHoverProvider(NOTEBOOK_CELL_SELECTOR, notebookActions),
    vscode.commands.registerCommand(COMMANDS.lintWorkspace, () => lintWorkspace(diagnostics, log, notebooks)),
    vscode.commands.registerCommand(COMMANDS.insertRetryHelper, (uri?: vscode.Uri) => insertRetryHelper(helperSource, log, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand(COMMANDS.addRetryThrottle, (uri?: vscode.Uri) => addRetryThrottle(helperSource, log, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand(APPLY_RETRY_FIX_COMMAND, (uri: vscode.Uri, ruleId: string, range: vscode.Range, message: string, title: string) =>
      applyRetryFix(diagnostics, helperSource, uri, ruleId, range, message, title),
    ),
    vscode.commands.registerCommand(APPLY_NOTEBOOK_RETRY_FIX_COMMAND, (cellUri: vscode.Uri, ruleId: string, range: vscode.Range, message: string, title: string) =>
      applyNotebookRetryFix(notebooks, helperSource, cellUri, ruleId, range, message, title),
    ),
    vscode.commands.registerCommand(COMMANDS.showRuleDocs, (id?: unknown) => showRuleDocs(context.extensionUri, id)),
    ...registerPlayground(context, (m) => log.info(m), {
      callsOf: (doc) => diagnostics.current(doc)?.result.calls,
      onDidChange: diagnostics.onDidChange,
    }, () => faultLab.server()),
    ...registerFaultLab(faultLab),
    ...registerFaultLabView(context, faultLab, (m) => log.info(m)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) relint('settings changed');
    }),
    projectFiles.onDidCreate(onProjectFile),
    projectFiles.onDidChange(onProjectFile),
    projectFiles.onDidDelete(onProjectFile),
    packageFiles.onDidCreate(onPackageFile),
    packageFiles.onDidChange(onPackageFile),
    packageFiles.onDidDelete(onPackageFile),
  );

  const activationMs = performance.now() - started;
  const engineLoadedAtActivation = engineLoaded();
  log.info(`Activated in ${activationMs.toFixed(1)} ms (lint engine loaded: ${engineLoadedAtActivation ? 'yes' : 'not yet'})`);
  // the documents already open are linted right after activation, not during it
  const initial = setTimeout(() => {
    diagnostics.start();
    notebooks.start();
    if (crossFile()) indexer.start();
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(initial) });

  return {
    activationMs,
    engineLoadedAtActivation,
    statusBarText: () => statusBar.text,
    findingsCount: () => diagnostics.count().total + notebooks.count().total,
    projectIndexReady: () => indexer.ready,
    configProblems: () => diagnostics.configProblems(),
    faultLabReport: () => faultLab.report(),
  };
}

export function deactivate(): void {}
