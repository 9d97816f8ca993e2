// The lint engine's public API (used by the CLI and the editor layer). Pure TypeScript: no `vscode`.
//
//   prefilter (prefilter.ts: a regex, then a lexer over the files the regex lets through) → parse once
//   → walk once → call sites → request models → rules
//   → suppression comments → findings (offsets), plus a summary of every call for hovers.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Finding, Fix, RuleMeta, Severity, SeveritySetting } from './rule';
import type {
  Binding,
  CallSite,
  FileContext,
  Node,
  ReportDescriptor,
  ResolvedLintConfig,
  Rule,
  RuleContext,
  SdkVersion,
  Value,
} from './ruleContext';
import { CLIENT_CLASSES, CallSiteFinder, collectSdkImports } from './callSites';
import { applyFixes, applyFixesAcrossFiles } from './fixes';
import { Evaluator } from './requestModel';
import { callAnalyzers, parseErrorMeta, rules } from './rules';
import { needsParse as jsNeedsParse, prefilter as jsPrefilter } from './prefilter';
import { parse, walkProgram } from './scan';
import type { ScanResult } from './scan';
import { ScopeResolver, isFunction } from './scope';
import { applySuppressions } from './suppress';
import type { ProjectIndex } from './project/projectIndex';
import { JS_FACTS } from './languageFacts';
import { PYTHON_FACTS } from './python/facts';
import { joinCells, placeFindings, readNotebook } from './notebook';
import type { Notebook, PlacedFinding } from './notebook';
import { callsInCells, placeInCells } from './notebookCells';
import type { CellCall, CellFinding } from './notebookCells';
import { PythonCallSiteFinder, PythonScopeResolver, collectPythonSdkImports, isPythonFile, parsePython } from './python/frontEnd';
import { loadPythonParser, pythonParserError, pythonParserReady } from './python/parser';
import { pythonNeedsParse, pythonPrefilter } from './python/prefilter';

export { applyFixes, applyFixesAcrossFiles, isPythonFile, loadPythonParser, pythonParserReady };

/** The prefilter for the file's language (see prefilter.ts, python/prefilter.ts). */
export function prefilter(text: string, fileName?: string): boolean {
  return isPythonFile(fileName) ? pythonPrefilter(text) : jsPrefilter(text, fileName);
}

/** Whether the engine parses this file (the prefilter, plus an SDK import for calls). */
export function needsParse(text: string, fileName?: string): boolean {
  return isPythonFile(fileName) ? pythonNeedsParse(text) : jsNeedsParse(text, fileName);
}

/** Rules that do not read Python yet: off for Python files (none left: every rule reads both languages). */
const NOT_YET_FOR_PYTHON = new Set<string>([]);
export type { Finding, Fix, RuleMeta, Severity, SeveritySetting };

export interface LintConfig {
  /** Per-rule severity or 'off'. */
  rules?: Record<string, SeveritySetting>;
  /** Override, e.g. "0.137.0" or "1.12". */
  sdkVersion?: string;
  /** Value the add-max_tokens fix inserts (default 1024). */
  maxTokensDefault?: number;
  /** Extra function names that count as a retry wrapper. */
  retryWrappers?: string[];
  /** Module specifier/path fragment of the inserted helper (default 'claudeRetry'). */
  retryHelperModule?: string;
}

export interface LintOptions {
  fileName: string;
  config?: LintConfig;
  /** Resolved from the project; config.sdkVersion wins. */
  sdkVersion?: string | null;
  /** The runtime dependencies of the file's package.json (see dependencies.ts); absent or null: unknown. */
  dependencies?: readonly string[] | null;
  /**
   * The project index (cross-file analysis): imported clients, factories and retry wrappers, and callers in
   * other files. Absent: the file is judged on its own.
   */
  project?: ProjectIndex;
}

/**
 * The retry-stack summary of a call (defined by the retry-safety analysis, which sets `CallSite.retryStack`
 * through a call analyzer registered in rules/index.ts).
 */
export type { RetryStackSummary } from './retry';
import type { RetryStackSummary } from './retry';

export interface CallSummary {
  start: number;
  end: number;
  /** e.g. "messages.create", "beta.messages.stream". */
  method: string;
  retryStack?: RetryStackSummary;
}

export interface LintResult {
  findings: Finding[];
  calls: CallSummary[];
  /** false when the prefilter skipped the file (true also when parsing was attempted and failed). */
  parsed: boolean;
  /**
   * true when the file needs a parser that is still loading (Python: `loadPythonParser()`); lint again once
   * it has loaded. Nothing was checked.
   */
  pending?: boolean;
  /** Internal errors caught while linting (a rule that threw); for logs, never shown as findings. */
  internalErrors?: string[];
}

/** Every rule, in a stable order: the request-shape rules, the retry-safety rules, then parse-error. */
export const ruleMetas: RuleMeta[] = [...rules.map((r) => r.meta), parseErrorMeta];

export const DEFAULT_MAX_TOKENS = 1024;

/** "^0.137.0", "~1.12", "1.12.0-beta.1", ">=0.30.0 <1" → the first version in it; null when none. */
export function parseSdkVersion(raw: string | null | undefined): SdkVersion | null {
  if (!raw) return null;
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(raw);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), raw };
}

function resolveConfig(c: LintConfig | undefined): ResolvedLintConfig {
  const mt = c?.maxTokensDefault;
  return {
    rules: { ...(c?.rules ?? {}) },
    maxTokensDefault: typeof mt === 'number' && Number.isInteger(mt) && mt >= 1 ? mt : DEFAULT_MAX_TOKENS,
    retryWrappers: Array.isArray(c?.retryWrappers) ? [...c!.retryWrappers] : [],
    retryHelperModule: c?.retryHelperModule || 'claudeRetry',
  };
}

function format(template: string, data: Record<string, string | number> | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/** Lints one file's text. Never throws. Parses only what the prefilter (needsParse) lets through. */
export function lintText(text: string, options: LintOptions): LintResult {
  // With the project in view, a call whose client comes from another file counts even where this file
  // names no SDK module (a declaration file holds no calls).
  if (!needsParse(text, options.fileName) && !(options.project && !DECLARATION_FILE.test(options.fileName) && prefilter(text, options.fileName))) {
    return { findings: [], calls: [], parsed: false };
  }
  return lintUnfiltered(text, options);
}

/**
 * Lints without the prefilter: always parses. The same as lintText for every file the prefilter lets
 * through; for tests and benchmarks that check the prefilter loses nothing.
 */
export function lintUnfiltered(text: string, options: LintOptions): LintResult {
  // with the project in view, each other file is read (and hashed) once per lint
  const project = options.project;
  return project ? project.session(() => lintOne(text, options)) : lintOne(text, options);
}

function lintOne(text: string, options: LintOptions): LintResult {
  const config = resolveConfig(options.config);
  const internalErrors: string[] = [];
  const severityOf = (meta: RuleMeta): SeveritySetting => config.rules[meta.id] ?? meta.defaultSeverity;

  const python = isPythonFile(options.fileName);
  if (python && !pythonParserReady()) {
    const err = pythonParserError();
    return { findings: [], calls: [], parsed: false, pending: !err, ...(err ? { internalErrors: [`the Python parser did not load: ${err}`] } : {}) };
  }
  let parsed: ReturnType<typeof parse> | ReturnType<typeof parsePython>;
  try {
    parsed = python ? parsePython(text) : parse(text, options.fileName);
  } catch (e) {
    return { findings: [], calls: [], parsed: true, internalErrors: [String((e as Error)?.stack ?? e)] };
  }
  if ('error' in parsed) {
    const sev = severityOf(parseErrorMeta);
    if (sev === 'off') return { findings: [], calls: [], parsed: true };
    const start = parsed.error.index;
    return {
      findings: [
        {
          ruleId: parseErrorMeta.id,
          severity: sev,
          message: format(parseErrorMeta.messages.parseError, { message: parsed.error.message.split('\n')[0] }),
          start,
          end: Math.min(text.length, start + 1),
        },
      ],
      calls: [],
      parsed: true,
    };
  }

  const findings: Finding[] = [];
  const calls: CallSite[] = [];
  try {
    const ast = parsed.ast;
    const scan: ScanResult = 'scan' in parsed ? (parsed as { scan: ScanResult }).scan : walkProgram(ast, text);
    const sdkImports = python ? collectPythonSdkImports(ast) : collectSdkImports(ast, scan.sdkRequires);
    const scopes = python ? new PythonScopeResolver() : new ScopeResolver();
    const readOnly = new Set<Node>(scan.messageCalls);
    const evaluator = new Evaluator(scopes, readOnly);
    const project = options.project ? { index: options.project, file: options.fileName } : null;
    const finder = python ? new PythonCallSiteFinder(scopes, evaluator, sdkImports, project) : new CallSiteFinder(scopes, evaluator, sdkImports, CLIENT_CLASSES, project);
    for (const c of scan.messageCalls) {
      try {
        const site = finder.callSite(c);
        if (site) calls.push(site);
      } catch (e) {
        internalErrors.push(String((e as Error)?.stack ?? e));
      }
    }
    const clientConstructions: TSESTree.NewExpression[] = [];
    if (sdkImports.length) {
      for (const n of scan.newExpressions) if (finder.clientClassOf(n.callee)) clientConstructions.push(n);
    }

    const sdk = parseSdkVersion(options.config?.sdkVersion ?? options.sdkVersion ?? null);
    let current: { meta: RuleMeta; severity: Severity } | null = null;

    const base: Omit<FileContext, 'report'> = {
      fileName: options.fileName,
      language: python ? PYTHON_FACTS : JS_FACTS,
      sourceText: text,
      ast,
      comments: ast.comments ?? [],
      sdk,
      dependencies: options.dependencies ? new Set(options.dependencies) : null,
      sdkAtLeast: (major: number, minor = 0) => !sdk || sdk.major > major || (sdk.major === major && sdk.minor >= minor),
      config,
      project,
      calls,
      sdkImports,
      clientConstructions,
      keyLiterals: scan.keyLiterals,
      clientClassOf: (callee: Node) => finder.clientClassOf(callee),
      constructorOptions: (n: TSESTree.NewExpression) => finder.constructorOptions(n),
      parent: (n: Node) => (n.parent as Node | undefined) ?? null,
      ancestors: (n: Node) => {
        const out: Node[] = [];
        for (let p = n.parent as Node | undefined; p; p = p.parent as Node | undefined) out.push(p);
        return out;
      },
      enclosingFunction: (n: Node) => {
        for (let p = n.parent as Node | undefined; p; p = p.parent as Node | undefined) if (isFunction(p)) return p;
        return null;
      },
      resolve: (id: TSESTree.Identifier): Binding | null => scopes.resolve(id),
      valueOf: (e: Node | null | undefined): Value => evaluator.valueOf(e),
    };
    const report = (d: ReportDescriptor): void => {
      if (!current) return;
      const { meta, severity } = current;
      const template = meta.messages[d.messageId];
      if (template === undefined) throw new Error(`${meta.id}: unknown messageId ${d.messageId}`);
      const start = d.node ? d.node.range[0] : (d.start ?? 0);
      const end = d.node ? d.node.range[1] : (d.end ?? start);
      const f: Finding = {
        ruleId: meta.id,
        severity: config.rules[meta.id] !== undefined ? severity : (d.severity ?? severity),
        message: format(template, d.data),
        start,
        end,
      };
      if (d.fixes && d.fixes.length) f.fixes = d.fixes;
      if (d.related && d.related.length) f.related = d.related;
      findings.push(f);
    };
    const fileCtx: FileContext = { ...base, report };

    // One context per call, sharing the file context through its prototype (no copying per rule).
    const callCtxs: RuleContext[] = calls.map((call) => {
      const ctx = Object.create(fileCtx) as RuleContext & { call: CallSite };
      ctx.call = call;
      return ctx;
    });
    for (const ctx of callCtxs) {
      for (const a of callAnalyzers) {
        try {
          a(ctx);
        } catch (e) {
          internalErrors.push(String((e as Error)?.stack ?? e));
        }
      }
    }

    const enabled: Array<{ rule: Rule; severity: Severity }> = [];
    for (const rule of rules) {
      const s = severityOf(rule.meta);
      if (python && NOT_YET_FOR_PYTHON.has(rule.meta.id)) continue;
      if (s !== 'off') enabled.push({ rule, severity: s });
    }
    for (const { rule, severity } of enabled) {
      current = { meta: rule.meta, severity };
      try {
        if (rule.checkFile) rule.checkFile(fileCtx);
        if (rule.check) for (const ctx of callCtxs) rule.check(ctx);
      } catch (e) {
        internalErrors.push(`${rule.meta.id}: ${String((e as Error)?.stack ?? e)}`);
      }
    }
    current = null;

    const kept = applySuppressions(text, fileCtx.comments, findings);
    kept.sort((a, b) => a.start - b.start || a.end - b.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    const result: LintResult = {
      findings: kept,
      calls: calls.map((c) => {
        const s: CallSummary = { start: c.node.range[0], end: c.node.range[1], method: c.method };
        if (c.retryStack !== undefined) s.retryStack = c.retryStack as RetryStackSummary;
        return s;
      }),
      parsed: true,
    };
    if (internalErrors.length) result.internalErrors = internalErrors;
    return result;
  } catch (e) {
    internalErrors.push(String((e as Error)?.stack ?? e));
    return { findings: [], calls: [], parsed: true, internalErrors };
  }
}

export interface NotebookLintResult {
  /** Offsets into the .ipynb text (or, for lintCells, into the cell's own text); `cell` names the cell. */
  findings: PlacedFinding[];
  /** Set when the file is not a notebook the linter can read (said once, never a finding). */
  error?: string;
  /** A Python parser still loading: lint again once it has loaded (see LintResult.pending). */
  pending?: boolean;
  internalErrors?: string[];
}

/**
 * Lints the Python code cells of a notebook file (.ipynb text) as one Python file; a notebook of another
 * kernel language gives nothing. `options.fileName` is the notebook's path.
 */
export function lintNotebook(raw: string, options: LintOptions): NotebookLintResult {
  if (!/anthropic/.test(raw)) return { findings: [] };
  const nb = readNotebook(raw);
  if ('error' in nb) return { findings: [], error: nb.error };
  if (nb.language !== 'python' || !nb.cells.length) return { findings: [] };
  return lintJoined(nb, options);
}

export interface CellsLintResult extends Omit<NotebookLintResult, 'findings' | 'error'> {
  /** Offsets into the cell's own text; the fixes whose edits all lie inside cells (see notebookCells.ts). */
  findings: CellFinding[];
  /** The calls inside one cell, for the hover. */
  calls: CellCall[];
}

/**
 * Lints the code cells of a notebook open in an editor (Python cells only, in order), as lintNotebook; unlike
 * a notebook file, findings keep the fixes that map into cells, and the calls are listed.
 */
export function lintCells(cells: ReadonlyArray<{ index: number; code: string }>, options: LintOptions): CellsLintResult {
  if (!cells.some((c) => /anthropic/.test(c.code))) return { findings: [], calls: [] };
  const nb = joinCells(cells);
  const result = lintText(nb.text, { ...options, fileName: `${options.fileName}.py` });
  return {
    findings: placeInCells(nb, result.findings),
    calls: callsInCells(nb, result.calls),
    ...(result.pending ? { pending: true } : {}),
    ...(result.internalErrors?.length ? { internalErrors: result.internalErrors } : {}),
  };
}

function lintJoined(nb: Notebook, options: LintOptions): NotebookLintResult {
  const result = lintText(nb.text, { ...options, fileName: `${options.fileName}.py` });
  return {
    findings: placeFindings(nb, result.findings),
    ...(result.pending ? { pending: true } : {}),
    ...(result.internalErrors?.length ? { internalErrors: result.internalErrors } : {}),
  };
}
