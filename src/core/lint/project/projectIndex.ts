// The project index: one summary per source file (kept per content version), the module resolution that
// connects them, and the look-ups the analysis makes across files: what an imported name is (following
// re-exports), and who calls an exported function from other files. Pure: files are read through a callback,
// so the editor can serve unsaved documents and the CLI reads the disk. JS/TS and Python files share it
// (each summarised by its own front end into the same FileSummary); an import only ever resolves to a file
// of its own language.

import * as path from 'path';
import type { ExportedEntity, FileSummary, ImportedCall } from './model';
import { JsFile, contentVersion, summarizeJs } from './jsSummary';
import { PY_FILE, PyFile, mayDefinePy, mayReexportPy, pyImportSpecifiers, summarizePy } from './pySummary';
import type { SourceFile } from './sourceFile';
import { prefilter } from '../prefilter';
import { pythonPrefilter } from '../python/prefilter';

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
/** The files the index covers: JS/TS sources and Python modules. */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|py)$/i;
/** Parsed files kept for on-demand analysis of callers (each holds a whole AST: keep few). */
const PARSED_CACHE_SIZE = 16;

export class ProjectIndex {
  private readonly summaries = new Map<string, FileSummary>();
  /** Files whose summary was not parsed (nothing relevant exported): summaries.get(f) is a placeholder. */
  private readonly light = new Set<string>();
  private readonly files = new Set<string>();
  private readonly parsed = new Map<string, SourceFile>();
  /**
   * The module specifiers each file imports (a text scan, no parse), kept until the file changes; the
   * strings are interned copies, so no file text stays alive through them.
   */
  private readonly specifiers = new Map<string, readonly string[]>();
  private readonly interned = new Map<string, string>();
  /** Resolutions made for the reverse look-ups: folder + specifier → file (null: unknown). */
  private readonly resolved = new Map<string, string | null>();
  /** target → the files that import it directly (computed per target when first asked). */
  private readonly directImporters = new Map<string, string[]>();

  constructor(
    private readonly resolver: SpecifierResolver,
    /** The current text of a file (an open document or the disk), undefined when it does not exist. */
    private readonly read: (file: string) => string | undefined,
  ) {}

  /**
   * Inside `session`: each file's text (and content version) as first read, so that one lint reads and
   * hashes another file once however many look-ups it makes; null outside. Only the files whose summary,
   * parse or lines a lint asks for are kept (the import scans of all files read without keeping).
   */
  private pinned: Map<string, { text: string | undefined; version?: string }> | null = null;

  /**
   * Runs `fn` (one lint) with every file read at most once: the look-ups it makes see each file as it was
   * when first read. Nested calls join the outer session.
   */
  session<T>(fn: () => T): T {
    if (this.pinned) return fn();
    this.pinned = new Map();
    try {
      return fn();
    } finally {
      this.pinned = null;
    }
  }

  /** The current text of a file (once per session). */
  private textOf(f: string): string | undefined {
    const pinned = this.pinned;
    if (!pinned) return this.read(f);
    let e = pinned.get(f);
    if (!e) {
      e = { text: this.read(f) };
      pinned.set(f, e);
    }
    return e.text;
  }

  /** contentVersion of a file's text as textOf returned it (hashed once per session). */
  private versionOf(f: string, text: string): string {
    const e = this.pinned?.get(f);
    if (!e || e.text !== text) return contentVersion(text);
    return (e.version ??= contentVersion(text));
  }

  /** The files the index covers (absolute paths). */
  get size(): number {
    return this.files.size;
  }

  /** Adds (or refreshes) files; their summaries are built lazily or by `build`. */
  add(files: Iterable<string>): void {
    for (const f of files) if (SOURCE_FILE.test(f)) this.files.add(path.resolve(f));
    this.directImporters.clear();
  }

  /** A file changed, was created or deleted: its summary is rebuilt on the next look-up. */
  invalidate(file: string): void {
    const f = path.resolve(file);
    this.summaries.delete(f);
    this.light.delete(f);
    // what other files analysed through this one may have changed: drop the parsed cache
    this.parsed.clear();
    const exists = this.read(f) !== undefined;
    const known = this.files.has(f);
    if (!exists) this.files.delete(f);
    else if (SOURCE_FILE.test(f)) this.files.add(f);
    this.specifiers.delete(f);
    this.directImporters.clear();
    // a file that appears or disappears can change what other imports resolve to
    if (exists !== known) this.resolved.clear();
  }

  /** Module resolution changed (a tsconfig, package.json or workspace file): every import is resolved again. */
  resetImports(): void {
    this.resolved.clear();
    this.directImporters.clear();
    this.parsed.clear();
  }

  /**
   * Warms the index ahead of the lints (the editor's background pass): the summaries of the files that call
   * the API, and the map of who imports whom. Everything else is summarised when a lint first needs it.
   * `onProgress` after each file; returning false stops the pass.
   */
  build(onProgress?: (done: number, total: number) => boolean | void): void {
    let done = 0;
    const all = [...this.files];
    for (const f of all) {
      // each file is read once here: its specifiers are noted, and a file with a call in its code (the
      // prefilter's lexer, so calls in comments and strings do not count) is summarised
      const text = this.read(f);
      if (text !== undefined) {
        if (!this.specifiers.has(f)) this.specifiers.set(f, this.internAll(specifiersIn(f, text)));
        if (CALLS.test(text) && (PY_FILE.test(f) ? pythonPrefilter(text) : prefilter(text, f))) this.summaryFromText(f, text, true);
      }
      done++;
      if (onProgress && onProgress(done, all.length) === false) return;
    }
  }

  /** "lib/retry.ts:13": a place in another file, relative to the folder of `fromFile`. */
  describe(fromFile: string, at: { file: string; start: number }): string {
    let rel = path.relative(path.dirname(fromFile), at.file).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const text = this.textOf(at.file);
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

  /**
   * The summary of a file for its current text, or null when it cannot be read. A file that exports nothing
   * that can matter is not parsed here (see `fullSummaryOf`).
   */
  summaryOf(file: string): FileSummary | null {
    return this.summary(file, false);
  }

  /** The summary with the file parsed whatever it exports (for targeted look-ups). */
  fullSummaryOf(file: string): FileSummary | null {
    return this.summary(file, true);
  }

  private summary(file: string, full: boolean): FileSummary | null {
    const f = path.resolve(file);
    const text = this.textOf(f);
    if (text === undefined) return null;
    return this.summaryFromText(f, text, full);
  }

  /** Null only for a Python file while the Python parser loads (nothing is kept: asked again later). */
  private summaryFromText(f: string, text: string, full: boolean): FileSummary | null {
    const cached = this.summaries.get(f);
    const version = this.versionOf(f, text);
    if (cached && cached.version === version && !(full && this.light.has(f))) return cached;
    const py = PY_FILE.test(f);
    let s: FileSummary;
    if (full || (py ? mayDefinePy(f, text) : mayDefine(text))) {
      const built = py ? summarizePy(f, text) : summarizeJs(f, text);
      if (!built) return null;
      s = this.compact(built);
      this.light.delete(f);
    } else {
      s = emptySummary(f, version, py ? 'python' : 'js');
      this.light.add(f);
    }
    this.summaries.set(f, s);
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
    const s = this.fullSummaryOf(file);
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
    const s = this.fullSummaryOf(fromFile);
    if (!s) return null;
    const imp = s.imports.find((i) => i.local === local);
    if (!imp) return null;
    if (imp.imported === '*') return member ? this.entity(s.file, imp.specifier, member) : null;
    // Python: `from pkg import mod` then `mod.ask()`: the submodule pkg.mod
    if (member) return s.language === 'python' ? this.entity(s.file, pySubmodule(imp.specifier, imp.imported), member) : null;
    return this.entity(s.file, imp.specifier, imp.imported);
  }

  /** The name under which `file` exports the function at [start, end), if it does. */
  exportNameAt(file: string, start: number, end: number): string | null {
    const s = this.fullSummaryOf(file);
    if (!s) return null;
    let byRange = apiFunctionNames.get(s);
    if (!byRange) {
      byRange = new Map();
      for (const [k, e] of Object.entries(s.exports)) {
        const at = e.kind === 'api-function' ? `${e.at.start}:${e.at.end}` : null;
        if (at !== null && !byRange.has(at)) byRange.set(at, k);
      }
      apiFunctionNames.set(s, byRange);
    }
    return byRange.get(`${start}:${end}`) ?? null;
  }

  /** The calls in other files to the exported function `name` of `file` (through re-exports too). */
  callersOf(file: string, name: string): CrossFileCaller[] {
    const target = path.resolve(file);
    const out: CrossFileCaller[] = [];
    for (const importer of this.importersOf(target)) {
      const s = this.fullSummaryOf(importer);
      if (!s || s.parseError) continue;
      for (const call of s.importedCalls) {
        const found = this.importedEntity(s.file, call.local, call.member);
        if (!found || found.file !== target || found.entity.kind !== 'api-function') continue;
        if (this.exportNameAt(target, found.entity.at.start, found.entity.at.end) === name) out.push({ file: s.file, call });
      }
    }
    return out;
  }

  /** A parsed JS/TS file for on-demand analysis (null for a file of another language). */
  jsFile(file: string): JsFile | null {
    const p = JS_FILE.test(file) ? this.sourceFile(file) : null;
    return p instanceof JsFile ? p : null;
  }

  /** A parsed file of either language for on-demand analysis (a small cache of recent ones). */
  sourceFile(file: string): SourceFile | null {
    const f = path.resolve(file);
    const hit = this.parsed.get(f);
    const text = this.textOf(f);
    if (text === undefined) return null;
    if (hit && hit.text === text) return hit;
    const p = PY_FILE.test(f) ? PyFile.parse(f, text) : JsFile.parse(f, text);
    if ('error' in p) return null;
    if (this.parsed.size >= PARSED_CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(f, p);
    return p;
  }

  /**
   * The files that import `target`, directly or through files that re-export it (barrels). Import
   * specifiers are read from the text (no parse), once per file until it changes.
   */
  importersOf(target: string): string[] {
    const out = new Set<string>();
    const queue = [path.resolve(target)];
    const seen = new Set<string>(queue);
    while (queue.length && seen.size <= MAX_REEXPORT_DEPTH * 64) {
      const t = queue.shift() as string;
      for (const imp of this.importersOfFile(t)) {
        out.add(imp);
        // a barrel that re-exports the target: its importers may call the function too
        if (!seen.has(imp) && reexports(imp, this.read(imp) ?? '')) {
          seen.add(imp);
          queue.push(imp);
        }
      }
    }
    out.delete(path.resolve(target));
    return [...out];
  }

  /**
   * The files whose imports resolve to `target`. Only specifiers that can name it are resolved: a relative
   * (or absolute) one must point at the target's path, with or without an extension, or at a folder that
   * holds it (index files, a package's `main`), which is a string test; a bare one (a path alias, `#name`,
   * a workspace package) is resolved once per folder and kept.
   */
  private importersOfFile(target: string): string[] {
    const hit = this.directImporters.get(target);
    if (hit) return hit;
    const stem = stripExtension(target);
    const pyTarget = PY_FILE.test(target);
    const out: string[] = [];
    for (const f of this.files) {
      if (f === target) continue;
      // an import resolves only to a file of its own language
      if (PY_FILE.test(f) !== pyTarget) continue;
      const specs = this.specifiersOf(f);
      if (!specs.length) continue;
      const dir = path.dirname(f);
      for (const spec of specs) {
        if (!pyTarget && isPathSpecifier(spec)) {
          const abs = path.resolve(dir, spec);
          if (stripExtension(abs) !== stem && abs !== target && !target.startsWith(abs.endsWith(path.sep) ? abs : abs + path.sep)) continue;
        }
        if (this.resolveFrom(spec, f, dir) === target) {
          out.push(f);
          break;
        }
      }
    }
    this.directImporters.set(target, out);
    return out;
  }

  private specifiersOf(file: string): readonly string[] {
    let specs = this.specifiers.get(file);
    if (!specs) {
      const text = this.read(file);
      specs = text === undefined ? [] : this.internAll(specifiersIn(file, text));
      this.specifiers.set(file, specs);
    }
    return specs;
  }

  /** Resolves a specifier for the reverse look-ups; relative ones by file, bare ones by folder. */
  private resolveFrom(spec: string, file: string, dir: string): string | null {
    const key = PY_FILE.test(file) ? `${dir}\0py\0${spec}` : `${dir}\0${spec}`;
    let r = this.resolved.get(key);
    if (r === undefined) {
      r = this.resolver.resolve(spec, file);
      this.resolved.set(key, r);
    }
    return r;
  }

  /** A summary whose names and specifiers are interned copies (names cut from the parse keep its text alive). */
  private compact(s: FileSummary): FileSummary {
    const i = (x: string) => this.internAll([x])[0];
    const exports: Record<string, ExportedEntity> = {};
    for (const [k, e] of Object.entries(s.exports)) exports[i(k)] = e.kind === 're-export' ? { ...e, specifier: i(e.specifier), imported: i(e.imported) } : e;
    return {
      ...s,
      imports: s.imports.map((m) => ({ local: i(m.local), imported: i(m.imported), specifier: i(m.specifier) })),
      starExports: s.starExports.map(i),
      exports,
      importedCalls: s.importedCalls.map((c) => ({ ...c, local: i(c.local), member: c.member === null ? null : i(c.member) })),
    };
  }

  /** Flat, shared copies of specifier strings (a regex match would keep its whole file text alive). */
  private internAll(specs: string[]): readonly string[] {
    if (!specs.length) return EMPTY;
    return specs.map((s) => {
      let v = this.interned.get(s);
      if (v === undefined) {
        v = flat(s);
        this.interned.set(v, v);
      }
      return v;
    });
  }
}

const EMPTY: readonly string[] = [];

/** exportNameAt's look-up table per summary: "start:end" of an exported API function → its first export name. */
const apiFunctionNames = new WeakMap<FileSummary, Map<string, string>>();

/** A copy of a string that shares no memory with the text it was cut from. */
function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/');
}

/** The path without a source extension (`x.ts`, `x.js`, `x.d.ts` → `x`). */
function stripExtension(p: string): string {
  return p.replace(/\.(?:d\.)?[cm]?[jt]sx?$/i, '');
}

/**
 * Text that may export what other files look up: a client or factory (it names an SDK module), a retry
 * wrapper (it speaks of retries or backoff), a function that calls the API (the prefilter's pattern), or
 * names from other modules (a re-export).
 */
const EXPORTS = /\bexport\b|module\.exports|\bexports\./;
const MATTERS = /@anthropic-ai\/|['"]anthropic['"]|retr(?:y|ies|ied|ying)|backoff|messages\s*\??\.\s*(?:create|stream)/i;
const REEXPORT = /\bexport\s*(?:\*|\{[^}]*\})\s*from\b/;
const CALLS = /messages\s*\??\.\s*(?:create|stream)\b/;

export function mayDefine(text: string): boolean {
  return EXPORTS.test(text) && (MATTERS.test(text) || REEXPORT.test(text));
}

function emptySummary(file: string, version: string, language: 'js' | 'python'): FileSummary {
  return { file, version, language, imports: [], starExports: [], exports: {}, importedCalls: [] };
}

/** Whether a file may re-export what it imports (a barrel; in Python a package's `__init__.py` or `__all__`). */
function reexports(file: string, text: string): boolean {
  return PY_FILE.test(file) ? mayReexportPy(file, text) : REEXPORT.test(text);
}

function specifiersIn(file: string, text: string): string[] {
  return PY_FILE.test(file) ? pyImportSpecifiers(text) : importSpecifiers(text);
}

/** The Python module `name` of the package `specifier` (`.` + `mod` → `.mod`, `pkg` + `mod` → `pkg.mod`). */
function pySubmodule(specifier: string, name: string): string {
  return specifier.endsWith('.') ? specifier + name : `${specifier}.${name}`;
}

const IMPORT_SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1/gm;

/** The module specifiers a file imports (a text scan; comments may add a few, which only costs a parse). */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  IMPORT_SPEC.lastIndex = 0;
  for (let m = IMPORT_SPEC.exec(text); m; m = IMPORT_SPEC.exec(text)) out.push(m[2]);
  return out;
}
