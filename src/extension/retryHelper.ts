// The "Wrap in withRetry" support: puts the shared retry core into the user's project (exactly the file the
// extension ships in dist/retry/), imports `withRetry` into the document in its module style, and never
// adds a second helper file, import or wrapper.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extendExistingImport, hasHelperName, importStatement } from './helperImports';
import { helperPathSetting } from './settings';

export type ModuleStyle = 'esm' | 'cjs';
export type HelperVariant = 'ts' | 'mjs' | 'cjs';

const TS_HELPER_EXTENSIONS = ['.ts', '.mts', '.cts'];
const JS_HELPER_EXTENSIONS = ['.js', '.mjs', '.cjs'];
const TS_DOC = /\.[cm]?tsx?$/i;

/** The shipped retry files: the default helper, and the opt-in throttle file that sits beside it. */
export type HelperFile = 'claudeRetry' | 'claudeRetryThrottle';

/** Reads the retry core as shipped with the extension (dist/retry/claudeRetry{,Throttle}.{ts,mjs,cjs}). */
export class HelperSource {
  private readonly cache = new Map<string, string>();

  constructor(private readonly extensionPath: string) {}

  text(variant: HelperVariant, file: HelperFile = 'claudeRetry'): string {
    const name = `${file}.${variant}`;
    let t = this.cache.get(name);
    if (t === undefined) {
      t = fs.readFileSync(path.join(this.extensionPath, 'dist', 'retry', name), 'utf8');
      this.cache.set(name, t);
    }
    return t;
  }

  /** The Python helper as shipped (dist/retry/claude_retry.py), or its opt-in throttle file. */
  python(name: 'claude_retry.py' | 'claude_retry_throttle.py' = 'claude_retry.py'): string {
    let t = this.cache.get(name);
    if (t === undefined) {
      t = fs.readFileSync(path.join(this.extensionPath, 'dist', 'retry', name), 'utf8');
      this.cache.set(name, t);
    }
    return t;
  }
}

export function isTypeScript(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'typescript' || doc.languageId === 'typescriptreact' || TS_DOC.test(doc.fileName);
}

/** `"type": "module"` in the nearest package.json above `dir`. */
function packageIsModule(dir: string): boolean {
  for (let d = dir; ; ) {
    const pj = path.join(d, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(d);
    if (parent === d) return false;
    d = parent;
  }
}

/** How the document loads modules: ES imports (all TypeScript, .mjs, files with import/export) or require. */
export function moduleStyle(doc: vscode.TextDocument, text = doc.getText()): ModuleStyle {
  if (isTypeScript(doc) || /\.mjs$/i.test(doc.fileName)) return 'esm';
  if (/\.cjs$/i.test(doc.fileName)) return 'cjs';
  if (/^\s*(import\s+[\w*{]|import\s+['"]|export\s)/m.test(text)) return 'esm';
  if (/\brequire\s*\(/.test(text)) return 'cjs';
  return doc.uri.scheme === 'file' && packageIsModule(path.dirname(doc.uri.fsPath)) ? 'esm' : 'cjs';
}

export interface HelperLocation {
  uri: vscode.Uri;
  /** An existing helper (any extension) was found at the configured place: use it, write nothing. */
  exists: boolean;
  variant: HelperVariant;
}

/**
 * Where the helper lives for a document: the setting `retryHelperPath` (relative to the workspace folder;
 * `.ts` for TypeScript documents, `.js` for JavaScript), or beside the document outside a workspace.
 * An existing helper of the document's kind with the same base name is reused: never a second one.
 */
export function helperLocation(doc: vscode.TextDocument, text = doc.getText()): HelperLocation {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const setting = helperPathSetting(doc.uri);
  const base = path.basename(setting).replace(/\.[cm]?[jt]sx?$/i, '');
  const dirUri = folder
    ? vscode.Uri.joinPath(folder.uri, path.posix.dirname(setting.replace(/\\/g, '/')))
    : vscode.Uri.joinPath(doc.uri, '..');
  const ts = isTypeScript(doc);
  const style = moduleStyle(doc, text);
  // Reuse a helper of the document's kind (TypeScript or JavaScript) with the configured base name. For
  // JavaScript it must also load in the document's module style: an ES module imports either format, but
  // require() cannot load an ES module helper (then the CommonJS variant is written beside it).
  for (const ext of ts ? TS_HELPER_EXTENSIONS : JS_HELPER_EXTENSIONS) {
    const candidate = vscode.Uri.joinPath(dirUri, base + ext);
    if (candidate.scheme !== 'file' || !fs.existsSync(candidate.fsPath)) continue;
    if (ts) return { uri: candidate, exists: true, variant: 'ts' };
    const variant: HelperVariant = ext === '.cjs' ? 'cjs' : ext === '.mjs' ? 'mjs' : looksLikeEsm(candidate.fsPath) ? 'mjs' : 'cjs';
    if (style === 'esm' || variant === 'cjs') return { uri: candidate, exists: true, variant };
  }
  if (ts) {
    const ext = /\.[cm]?tsx?$/i.test(setting) ? path.extname(setting).replace(/x$/i, '') : '.ts';
    return { uri: vscode.Uri.joinPath(dirUri, base + ext), exists: false, variant: 'ts' };
  }
  // JavaScript: Node reads a .js file by the nearest package.json "type"; keep .js where it matches the
  // document's module style, else .mjs / .cjs so the helper loads the way the import expects
  const pkgModule = dirUri.scheme === 'file' && packageIsModule(dirUri.fsPath);
  const ext = style === 'esm' ? (pkgModule ? '.js' : '.mjs') : pkgModule ? '.cjs' : '.js';
  return { uri: vscode.Uri.joinPath(dirUri, base + ext), exists: false, variant: style === 'esm' ? 'mjs' : 'cjs' };
}

function looksLikeEsm(file: string): boolean {
  try {
    return /^\s*export\s/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** The module specifier the document uses for the helper (relative, in the project's own habit). */
export function helperSpecifier(doc: vscode.TextDocument, helper: vscode.Uri, style: ModuleStyle, text = doc.getText()): string {
  let rel = path.posix.relative(path.posix.dirname(doc.uri.path), helper.path);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const ext = path.posix.extname(rel);
  if (isTypeScript(doc)) {
    // TypeScript: no extension, unless the file already writes relative imports with ".js" (NodeNext style)
    const noExt = rel.slice(0, -ext.length);
    if (/from\s+['"]\.{1,2}\/[^'"]+\.js['"]/.test(text)) return `${noExt}${ext === '.ts' ? '.js' : ext === '.mts' ? '.mjs' : ext === '.cts' ? '.cjs' : ext}`;
    return /^\.[cm]?ts$/.test(ext) ? noExt : rel;
  }
  // ES modules need the file extension; require() resolves ".js" itself
  if (style === 'cjs' && ext === '.js') return rel.slice(0, -ext.length);
  return rel;
}

/** Whether `withRetry` is already imported or defined in the text. */
export function hasWithRetry(text: string): boolean {
  return hasHelperName(text, 'withRetry');
}

/** Offset where a new import goes: after the leading imports/requires, else after a shebang and directives. */
export function importInsertOffset(text: string): number {
  let offset = 0;
  let i = 0;
  const lines = text.split('\n');
  let pos = 0;
  let lastImportEnd = -1;
  let headerEnd = 0;
  let inImport = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const next = pos + line.length + 1;
    const t = line.trim();
    if (inImport) {
      if (/from\s*['"][^'"]+['"]\s*;?\s*$|^['"][^'"]+['"]\s*;?\s*$|\)\s*;?\s*$/.test(t)) {
        inImport = false;
        lastImportEnd = next;
      }
    } else if (i === 0 && t.startsWith('#!')) {
      headerEnd = next;
    } else if (/^['"]use strict['"];?$/.test(t)) {
      headerEnd = next;
    } else if (/^import\b/.test(t) || /^(?:const|let|var)\s+[^=]+=\s*require\(/.test(t)) {
      if (/from\s*['"][^'"]+['"]\s*;?\s*$|^import\s*['"][^'"]+['"]\s*;?\s*$|require\([^)]*\)[^;]*;?\s*$/.test(t)) lastImportEnd = next;
      else inImport = true;
    } else if (t === '' || t.startsWith('//') || t.startsWith('/*') || t.startsWith('*')) {
      // blank lines and comments between imports
    } else {
      break;
    }
    pos = next;
  }
  offset = lastImportEnd >= 0 ? lastImportEnd : headerEnd;
  return Math.min(offset, text.length);
}

export { importStatement };

export interface HelperEdit {
  helper: HelperLocation;
  /** The helper file to create (absent when it exists). */
  create?: { uri: vscode.Uri; contents: Uint8Array };
  /** The import to insert, or the names to add to the helper's import (absent when every name is there). */
  importEdit?: { offset: number; text: string };
}

/** What it takes to make the helper's `names` (default `withRetry`) available in the document. */
export function planHelper(doc: vscode.TextDocument, source: HelperSource, text = doc.getText(), names: readonly string[] = ['withRetry']): HelperEdit {
  const helper = helperLocation(doc, text);
  const out: HelperEdit = { helper };
  if (!helper.exists) out.create = { uri: helper.uri, contents: new TextEncoder().encode(source.text(helper.variant)) };
  const missing = names.filter((n) => !hasHelperName(text, n));
  if (missing.length) {
    const style = moduleStyle(doc, text);
    const specifier = helperSpecifier(doc, helper.uri, style, text);
    // the helper is imported already (for withRetry): add the names there
    const extend = extendExistingImport(text, specifier, missing);
    if (extend) {
      out.importEdit = extend;
      return out;
    }
    const offset = importInsertOffset(text);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    // a blank line separates the import from code that starts right at the insertion point
    const atCode = offset < text.length && text.slice(offset).trimStart() !== '' && !/^\s*\n/.test(text.slice(offset)) && offset === 0;
    let ins = importStatement(style, specifier, missing) + eol + (atCode ? eol : '');
    if (offset > 0 && text[offset - 1] !== '\n') ins = eol + ins;
    out.importEdit = { offset, text: ins };
  }
  return out;
}

export interface ThrottlePlan {
  /** The default helper, written too when the project does not have it yet (the throttle file needs it). */
  helper: HelperLocation;
  /** The throttle file: beside the helper, named after it (`claudeRetry.ts` → `claudeRetryThrottle.ts`). */
  throttle: { uri: vscode.Uri; exists: boolean };
  /** The files to create, in order (none when both are there). */
  create: Array<{ uri: vscode.Uri; contents: Uint8Array }>;
}

/**
 * What "Add Retry Throttle" writes for a document: the opt-in throttle file beside the retry helper, in the
 * helper's variant, and the helper itself when it is missing. The TypeScript throttle file imports its types from
 * './claudeRetry'; a helper with another configured name gets that specifier instead (the JavaScript copies have
 * no import). Idempotent: files that exist are left alone.
 */
export function planThrottle(doc: vscode.TextDocument, source: HelperSource, text = doc.getText()): ThrottlePlan {
  const helper = helperLocation(doc, text);
  const ext = path.posix.extname(helper.uri.path);
  const base = path.posix.basename(helper.uri.path, ext);
  const uri = vscode.Uri.joinPath(helper.uri, '..', `${base}Throttle${ext}`);
  const exists = uri.scheme === 'file' && fs.existsSync(uri.fsPath);
  const encode = (t: string) => new TextEncoder().encode(t);
  const create: ThrottlePlan['create'] = [];
  if (!helper.exists) create.push({ uri: helper.uri, contents: encode(source.text(helper.variant)) });
  if (!exists) {
    let t = source.text(helper.variant, 'claudeRetryThrottle');
    if (base !== 'claudeRetry') t = t.replace(/from '\.\/claudeRetry';/, `from './${base}';`);
    create.push({ uri, contents: encode(t) });
  }
  return { helper, throttle: { uri, exists }, create };
}
