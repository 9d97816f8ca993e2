// Editor settings (claudeRequestLint.*) and the project file `.claude-request-lint.json`, merged into the
// engine's LintConfig for one document. The project file is the base; a setting overrides it only where the
// user actually set a value (defaults never hide the project file).
import * as path from 'path';
import * as vscode from 'vscode';
import type { LintConfig } from '../core/lint';
import type { SeveritySetting } from '../core/lint/rule';
import { configModule } from './engine';

export const SECTION = 'claudeRequestLint';
export const DEFAULT_HELPER_PATH = 'src/claudeRetry.ts';
const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'off'];

/** The value set by the user at the most specific level, or undefined when only the default applies. */
function explicit<T>(cfg: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const i = cfg.inspect<T>(key);
  if (!i) return undefined;
  return i.workspaceFolderLanguageValue ?? i.workspaceLanguageValue ?? i.globalLanguageValue ?? i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue;
}

/** The settings part of the configuration (only what the user set). */
export function settingsConfig(scope: vscode.Uri | undefined): LintConfig {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const out: LintConfig = {};
  const rules = explicit<Record<string, unknown>>(cfg, 'rules');
  if (rules && typeof rules === 'object') {
    const r: Record<string, SeveritySetting> = {};
    for (const [id, sev] of Object.entries(rules)) if (typeof sev === 'string' && SEVERITIES.includes(sev)) r[id] = sev as SeveritySetting;
    out.rules = r;
  }
  const sdkVersion = explicit<string>(cfg, 'sdkVersion');
  if (typeof sdkVersion === 'string' && sdkVersion.trim()) out.sdkVersion = sdkVersion.trim();
  const maxTokens = explicit<number>(cfg, 'maxTokensDefault');
  if (typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens > 0) out.maxTokensDefault = maxTokens;
  const wrappers = explicit<string[]>(cfg, 'retryWrappers');
  if (Array.isArray(wrappers)) out.retryWrappers = wrappers.filter((w) => typeof w === 'string' && w.trim() !== '');
  return out;
}

export function codeLensEnabled(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SECTION, scope).get<boolean>('codeLens', true);
}

/** Workspace-relative path of the retry helper for TypeScript files (setting `retryHelperPath`). */
export function helperPathSetting(scope?: vscode.Uri): string {
  const v = vscode.workspace.getConfiguration(SECTION, scope).get<string>('retryHelperPath', DEFAULT_HELPER_PATH);
  return typeof v === 'string' && v.trim() ? v.trim() : DEFAULT_HELPER_PATH;
}

export interface ResolvedConfig {
  config: LintConfig;
  /** The project file that applied, if any. */
  projectFile: string | null;
  /** A message when the project file is invalid (its contents are then ignored). */
  problem?: string;
}

/** Loads project files lazily and caches them until one changes. */
export class ConfigSource {
  private resolver: InstanceType<ReturnType<typeof configModule>['ConfigResolver']> | undefined;

  /** Forget cached project files (a `.claude-request-lint.json` was created, changed or deleted). */
  reset(): void {
    this.resolver = undefined;
  }

  forDocument(uri: vscode.Uri): ResolvedConfig {
    const settings = settingsConfig(uri);
    const helperModule = path.basename(helperPathSetting(uri)).replace(/\.[cm]?[jt]sx?$/, '');
    const withHelper = (c: LintConfig): LintConfig => ({ ...c, retryHelperModule: c.retryHelperModule ?? helperModule });
    if (uri.scheme !== 'file') return { config: withHelper(settings), projectFile: null };
    const mod = configModule();
    this.resolver ??= new mod.ConfigResolver();
    try {
      const { file, config } = this.resolver.configFor(uri.fsPath);
      return { config: withHelper(mod.mergeConfig<LintConfig>(config, settings)), projectFile: file };
    } catch (e) {
      return { config: withHelper(settings), projectFile: null, problem: (e as Error).message };
    }
  }
}
