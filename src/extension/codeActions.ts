// Fix (plain text edits from the engine) → WorkspaceEdit. Quick fixes per diagnostic (found by its code and
// range in the cached result, without parsing again), "disable for this line", "show rule documentation",
// and `source.fixAll.claudeRequestLint` which applies every safe fix.
import * as vscode from 'vscode';
import type { Fix, TextEdit } from '../core/lint/rule';
import { DiagnosticsController, ruleIdOf } from './diagnostics';
import { engine } from './engine';
import { toRange } from './positions';
import { HelperSource, planHelper } from './retryHelper';
import { otherFileEditsCurrent, addOtherFileEdits } from './otherFileEdits';
import { isPythonDocument, planPythonHelper } from './pyRetryHelper';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('claudeRequestLint');
export const SHOW_DOCS_COMMAND = 'claudeRequestLint.showRuleDocs';
/**
 * Internal command behind the fixes that need the retry helper. The helper file, the import and the wrap
 * are computed when the fix is chosen and applied as one edit from the extension host (a WorkspaceEdit that
 * creates a file with contents cannot travel back and forth through the code action API).
 */
export const APPLY_RETRY_FIX_COMMAND = '_claudeRequestLint.applyRetryFix';
const MAX_FIX_PASSES = 10;

/**
 * Adds the engine's text edits for `fixes` (non-overlapping, offsets into the document's current text; an
 * edit that names another file goes to that file, as part of the same WorkspaceEdit: one undo).
 */
export function addFixEdits(edit: vscode.WorkspaceEdit, doc: vscode.TextDocument, fixes: Fix[]): void {
  for (const f of fixes) for (const e of f.edits) if (e.file === undefined) edit.replace(doc.uri, toRange(doc, e.start, e.end), e.text);
  addOtherFileEdits(edit, fixes.flatMap((f) => f.edits.filter((e) => e.file !== undefined)));
}

/**
 * The edit for a fix that needs the retry helper: the helper file (only if none exists), the import of the
 * names the fix uses (only those not imported yet) and the fix's own edits (the wrap).
 */
export function retryFixEdit(doc: vscode.TextDocument, fix: Fix, source: HelperSource): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  if (isPythonDocument(doc)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { pythonHelperNamesOf } = require('../core/lint/python/retryFixes') as typeof import('../core/lint/python/retryFixes');
    const py = planPythonHelper(doc, source, pythonHelperNamesOf(fix));
    if (py.create) edit.createFile(py.create.uri, { ignoreIfExists: true, contents: py.create.contents });
    if (py.importEdit) edit.replace(doc.uri, toRange(doc, py.importEdit.offset, py.importEdit.end), py.importEdit.text);
    addFixEdits(edit, doc, [fix]);
    return edit;
  }
  const plan = planHelper(doc, source, doc.getText(), fix.helperNames ?? ['withRetry']);
  if (plan.create) edit.createFile(plan.create.uri, { ignoreIfExists: true, contents: plan.create.contents });
  if (plan.importEdit) edit.insert(doc.uri, doc.positionAt(plan.importEdit.offset), plan.importEdit.text);
  addFixEdits(edit, doc, [fix]);
  return edit;
}

/**
 * Applies a retry-helper fix of the finding behind a diagnostic (rule id, range and message), as the document
 * is now. Returns false when that finding or fix is gone (e.g. it was applied already): nothing is changed twice.
 */
export async function applyRetryFix(
  diagnostics: DiagnosticsController,
  source: HelperSource,
  uri: vscode.Uri,
  ruleId: string,
  range: vscode.Range,
  message: string,
  title: string,
): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const state = diagnostics.current(doc);
  if (!state) return false;
  const i = state.diagnostics.findIndex((x) => ruleIdOf(x) === ruleId && x.range.isEqual(range) && x.message === message);
  const fix = i >= 0 ? state.result.findings[i].fixes?.find((f) => f.title === title && f.needsRetryHelper) : undefined;
  if (!fix) return false;
  return vscode.workspace.applyEdit(retryFixEdit(doc, fix, source));
}

/** The line comment (`#` in Python, `//` else) that silences `ruleId` on the diagnostic's line. */
/** The actions every finding gets after its fixes: disable the rule for the line, and show the rule's page. */
export function ruleActions(doc: vscode.TextDocument, d: vscode.Diagnostic, ruleId: string): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  if (ruleId !== 'parse-error') {
    const disable = new vscode.CodeAction(`Disable ${ruleId} for this line`, vscode.CodeActionKind.QuickFix);
    disable.diagnostics = [d];
    disable.edit = disableLineEdit(doc, d.range.start.line, ruleId);
    out.push(disable);
  }
  const docs = new vscode.CodeAction(`Show documentation for ${ruleId}`, vscode.CodeActionKind.QuickFix);
  docs.diagnostics = [d];
  docs.command = { command: SHOW_DOCS_COMMAND, title: docs.title, arguments: [ruleId] };
  out.push(docs);
  return out;
}

export function disableLineEdit(doc: vscode.TextDocument, line: number, ruleId: string): vscode.WorkspaceEdit {
  const target = doc.lineAt(line);
  const indent = target.text.slice(0, target.firstNonWhitespaceCharacterIndex);
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const comment = isPythonDocument(doc) ? '#' : '//';
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, new vscode.Position(line, 0), `${indent}${comment} claude-request-lint-disable-next-line ${ruleId}${eol}`);
  return edit;
}

export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(
    private readonly diagnostics: DiagnosticsController,
    private readonly helperSource: HelperSource,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const only = context.only;
    const actions: vscode.CodeAction[] = [];
    if (!only || only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(only)) {
      for (const d of context.diagnostics) actions.push(...this.quickFixes(doc, d));
    }
    if (!only || only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(only)) {
      const fixAll = this.fixAll(doc);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  private quickFixes(doc: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction[] {
    const ruleId = ruleIdOf(d);
    if (!ruleId) return [];
    const out: vscode.CodeAction[] = [];
    const finding = this.diagnostics.findingFor(doc, d);
    let preferred = false;
    for (const fix of finding?.fixes ?? []) {
      // a fix made for another file's text that has changed since is not offered (the next lint remakes it)
      if (!otherFileEditsCurrent(fix.edits)) continue;
      const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      if (fix.needsRetryHelper) {
        a.command = { command: APPLY_RETRY_FIX_COMMAND, title: fix.title, arguments: [doc.uri, ruleId, d.range, d.message, fix.title] };
      } else {
        a.edit = new vscode.WorkspaceEdit();
        addFixEdits(a.edit, doc, [fix]);
      }
      if (fix.safe && !preferred) preferred = a.isPreferred = true;
      out.push(a);
    }
    out.push(...ruleActions(doc, d, ruleId));
    return out;
  }

  /** One action applying every safe fix (repeatedly, as fixes can uncover others); none when nothing changes. */
  private fixAll(doc: vscode.TextDocument): vscode.CodeAction | undefined {
    const state = this.diagnostics.current(doc);
    if (!state || !state.result.findings.some((f) => f.fixes?.some(isAutoFix))) return undefined;
    const original = doc.getText();
    // edits in other files (where an imported client is made): each once, however many passes offer it
    const others = new OtherFileEditSet();
    const autoFixes = (findings: { fixes?: Fix[] }[]): Fix[] => {
      const fixes = findings.map((f) => f.fixes?.find((x) => isAutoFix(x) && otherFileEditsCurrent(x.edits))).filter((f): f is Fix => !!f);
      for (const f of fixes) others.add(f.edits);
      return fixes;
    };
    const fixed = fixAllText(original, autoFixes(state.result.findings), (text) => autoFixes(this.diagnostics.lintOnly(doc.uri, text, doc.fileName).findings));
    if (fixed === original && !others.size) return undefined;
    const a = new vscode.CodeAction('Fix all safe Claude Request Lint problems', FIX_ALL_KIND);
    a.edit = new vscode.WorkspaceEdit();
    if (fixed !== original) {
      const { start, end, text } = minimalChange(original, fixed);
      a.edit.replace(doc.uri, toRange(doc, start, end), text);
    }
    addOtherFileEdits(a.edit, others.edits());
    return a;
  }
}

/** The edits in other files of the fixes fix-all applies: the same edit once, overlapping ones left out. */
export class OtherFileEditSet {
  private readonly byKey = new Map<string, TextEdit>();

  add(edits: readonly TextEdit[]): void {
    for (const e of edits) {
      if (e.file === undefined) continue;
      const key = `${e.file}\0${e.start}\0${e.end}\0${e.text}`;
      if (this.byKey.has(key)) continue;
      const clash = [...this.byKey.values()].some((a) => a.file === e.file && (a.start === a.end && e.start === e.end ? a.start === e.start : a.start < e.end && e.start < a.end));
      if (!clash) this.byKey.set(key, e);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  edits(): TextEdit[] {
    return [...this.byKey.values()];
  }
}

/** Fixes that fix-all applies: safe, and not needing a file to be written. */
export function isAutoFix(f: Fix): boolean {
  return f.safe && !f.needsRetryHelper;
}

/** Applies safe fixes until none is left (bounded). `relint` gives the findings' fixes for a text. */
export function fixAllText(text: string, first: Fix[], relint: (text: string) => Fix[]): string {
  let fixes = first;
  for (let pass = 0; pass < MAX_FIX_PASSES && fixes.length; pass++) {
    const r = engine().applyFixes(text, fixes);
    if (!r.applied.length) break;
    text = r.text;
    fixes = relint(text);
  }
  return text;
}

/** The smallest single replacement that turns `a` into `b`. */
export function minimalChange(a: string, b: string): { start: number; end: number; text: string } {
  let s = 0;
  const max = Math.min(a.length, b.length);
  while (s < max && a.charCodeAt(s) === b.charCodeAt(s)) s++;
  let ea = a.length;
  let eb = b.length;
  while (ea > s && eb > s && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) {
    ea--;
    eb--;
  }
  return { start: s, end: ea, text: b.slice(s, eb) };
}
