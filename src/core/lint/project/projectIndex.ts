// The project index: one summary per source file (kept per content version), the module resolution that
// connects them, and the look-ups the analysis makes across files: what an imported name is (following
// re-exports), and who calls an exported function from other files. Pure: files are read through a callback,
// so the editor can serve unsaved documents and the CLI reads the disk.

import * as path from 'path';
import type { ExportedEntity, FileSummary, ImportedCall } from './model';
import { JsFile, contentVersion, summarizeJs } from './jsSummary';

/** Resolves a module specifier written in `fromFile` to a source file of the project, or null (unknown). */
export interface SpecifierResolver {
  resolve(specifier: string, fromFile: string): string | null;
}

/** What a look-up found: the entity and the file that defines it. */
export interface Located<T = ExportedEntity> {
  entity: T;
  file: string;
}

/** A call in another file to an exported function. */
export interface CrossFileCaller {
  file: string;
  call: ImportedCall;
}

const MAX_REEXPORT_DEPTH = 8;
const JS_FILE = /\.(?:[cm]?[jt]sx?)$/i;
/** Parsed files kept for on-demand analysis of callers. */
const PARSED_CACHE_SIZE = 64;

export class ProjectIndex {
  private readonly summaries = new Map<string, FileSummary>();
  private readonly files = new Set<string>();
  private callers: Map<string, CrossFileCaller[]> | null = null;
  private readonly parsed = new Map<string, JsFile>();

  constructor(
    private readonly resolver: SpecifierResolver,
    /** The current text of a file (an open document or the disk), undefined when it does not exist. */
    private readonly read: (file: string) => string | undefined,
  ) {}

  /** The files the index covers (absolute paths). */
  get size(): number {
    return this.files.size;
  }

  /** Adds (or refreshes) files; their summaries are built lazily or by `build`. */
  add(files: Iterable<string>): void {
    for (const f of files) if (JS_FILE.test(f)) this.files.add(path.resolve(f));
    this.callers = null;
  }

  /** A file changed, was created or deleted: its summary is rebuilt on the next look-up. */
  invalidate(file: string): void {
    const f = path.resolve(file);
    this.summaries.delete(f);
    this.parsed.delete(f);
    if (this.read(f) === undefined) this.files.delete(f);
    else if (JS_FILE.test(f)) this.files.add(f);
    this.callers = null;
  }

  /** Builds every summary now (the CLI and the editor's background pass); `onProgress` after each file. */
  build(onProgress?: (done: number, total: number) => boolean | void): void {
    let done = 0;
    const all = [...this.files];
    for (const f of all) {
      this.summaryOf(f);
      done++;
      if (onProgress && onProgress(done, all.length) === false) return;
    }
  }

  /** "lib/retry.ts:13": a place in another file, relative to the folder of `fromFile`. */
  describe(fromFile: string, at: { file: string; start: number }): string {
    let rel = path.relative(path.dirname(fromFile), at.file).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const text = this.read(at.file);
    if (text === undefined) return rel;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < at.start; i = text.indexOf('\n', i + 1)) line++;
    return `${rel}:${line}`;
  }

  /** Whether a bare specifier names a module of the project (a path alias or a workspace package). */
  resolvesInProject(specifier: string, fromFile: string): boolean {
    return this.resolver.resolve(specifier, fromFile) !== null;
  }

  /** The summary last built for a file, whatever its text is now (null when none was built). */
  cachedSummary(file: string): FileSummary | null {
    return this.summaries.get(path.resolve(file)) ?? null;
  }

  /** The summary of a file for its current text, or null when it cannot be read. */
  summaryOf(file: string): FileSummary | null {
    const f = path.resolve(file);
    const text = this.read(f);
    if (text === undefined) return null;
    const cached = this.summaries.get(f);
    const version = contentVersion(text);
    if (cached && cached.version === version) return cached;
    // A file that exports nothing that can matter is not parsed: it offers no client, wrapper or API
    // function (its calls of imported functions are read when the caller map needs them).
    const s = mayDefine(text) ? summarizeJs(f, text) : emptySummary(f, version);
    this.summaries.set(f, s);
    this.parsed.delete(f);
    if (cached) this.callers = null;
    return s;
  }

  /** What `imported` of module `specifier`, written in `fromFile`, is; follows re-exports. Null: unknown. */
  entity(fromFile: string, specifier: string, imported: string, depth = 0): Located | null {
    if (depth > MAX_REEXPORT_DEPTH) return null;
    const target = this.resolver.resolve(specifier, fromFile);
    if (!target) return null;
    return this.exported(target, imported, depth);
  }

  /** What the exported name `name` of `file` is. */
  exported(file: string, name: string, depth = 0): Located | null {
    const s = this.summaryOf(file);
    if (!s || s.parseError) return null;
    const e = s.exports[name];
    if (e) {
      if (e.kind === 're-export') return e.imported === '*' ? null : this.entity(s.file, e.specifier, e.imported, depth + 1);
      return { entity: e, file: s.file };
    }
    if (name === 'default') return null;
    for (const spec of s.starExports) {
      const r = this.entity(s.file, spec, name, depth + 1);
      if (r) return r;
    }
    return null;
  }

  /** What a name imported in `fromFile` is (by its local name). */
  importedEntity(fromFile: string, local: string, member: string | null = null): Located | null {
    const s = this.summaryOf(fromFile);
    if (!s) return null;
    const imp = s.imports.find((i) => i.local === local);
    if (!imp) return null;
    if (imp.imported === '*') return member ? this.entity(s.file, imp.specifier, member) : null;
    if (member) return null;
    return this.entity(s.file, imp.specifier, imp.imported);
  }

  /** The calls in other files to the exported function `name` of `file`. */
  callersOf(file: string, name: string): CrossFileCaller[] {
    return this.callerMap().get(`${path.resolve(file)}#${name}`) ?? [];
  }

  /** A parsed file for on-demand analysis (a small cache of recent ones). */
  jsFile(file: string): JsFile | null {
    const f = path.resolve(file);
    const hit = this.parsed.get(f);
    const text = this.read(f);
    if (text === undefined) return null;
    if (hit && hit.text === text) return hit;
    const p = JsFile.parse(f, text);
    if ('error' in p) return null;
    if (this.parsed.size >= PARSED_CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(f, p);
    return p;
  }

  /** Exported-function key → its callers in other files, built once per change of the file set. */
  private callerMap(): Map<string, CrossFileCaller[]> {
    if (this.callers) return this.callers;
    const map = new Map<string, CrossFileCaller[]>();
    // Files that define API functions; then only the files that import one of them are read for calls.
    const apiFiles = new Set<string>();
    for (const f of this.files) {
      const s = this.summaryOf(f);
      if (s && (s.starExports.length || Object.values(s.exports).some((e) => e.kind === 'api-function' || e.kind === 're-export'))) apiFiles.add(s.file);
    }
    if (!apiFiles.size) return (this.callers = map);
    for (const f of this.files) {
      const text = this.read(f);
      if (text === undefined || !importSpecifiers(text).some((spec) => this.importsApiFile(spec, f, apiFiles))) continue;
      let s = this.summaryOf(f);
      if (s && !s.parseError && !mayDefine(text)) {
        s = summarizeJs(f, text);
        this.summaries.set(f, s);
      }
      if (!s || !s.importedCalls.length) continue;
      for (const call of s.importedCalls) {
        const found = this.importedEntity(s.file, call.local, call.member);
        if (!found || found.entity.kind !== 'api-function') continue;
        const name = this.exportNameOf(found.file, found.entity);
        if (!name) continue;
        const key = `${found.file}#${name}`;
        let list = map.get(key);
        if (!list) map.set(key, (list = []));
        list.push({ file: s.file, call });
      }
    }
    this.callers = map;
    return map;
  }

  private importsApiFile(specifier: string, from: string, apiFiles: Set<string>): boolean {
    const target = this.resolver.resolve(specifier, from);
    return target !== null && apiFiles.has(target);
  }

  private exportNameOf(file: string, entity: ExportedEntity): string | null {
    const s = this.summaryOf(file);
    if (!s) return null;
    for (const [k, v] of Object.entries(s.exports)) if (v === entity) return k;
    return null;
  }
}

/** Text that may export a client, a factory, a retry wrapper or an API function. */
const EXPORTS = /\bexport\b|module\.exports|\bexports\./;
const MATTERS = /anthropic|claude|retr|backoff|attempt|messages\s*\??\.\s*(?:create|stream)/i;

const REEXPORT = /\bexport\s*(?:\*|\{[^}]*\})\s*from\b/;

export function mayDefine(text: string): boolean {
  return EXPORTS.test(text) && (MATTERS.test(text) || REEXPORT.test(text));
}

function emptySummary(file: string, version: string): FileSummary {
  return { file, version, language: 'js', imports: [], starExports: [], exports: {}, importedCalls: [] };
}

const IMPORT_SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1/gm;

/** The module specifiers a file imports (a text scan; comments may add a few, which only costs a parse). */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  IMPORT_SPEC.lastIndex = 0;
  for (let m = IMPORT_SPEC.exec(text); m; m = IMPORT_SPEC.exec(text)) out.push(m[2]);
  return out;
}
