// Module resolution for the project index: which of the project's own source files an import refers to,
// found as the user's own tools find it. Pure (no editor API); the file system comes through a ProjectHost.
//
// JavaScript / TypeScript, in the order TypeScript tries them:
// 1. Relative and absolute paths: the file as written; `./x.js` written for `x.ts` / `x.tsx` (`.mjs` →
//    `.mts`, `.cjs` → `.cts`), TS sources first; no extension: .ts .tsx .js .jsx .mts .cts .mjs .cjs; a
//    folder: its package.json `main`, then `index.*`.
// 2. tsconfig.json / jsconfig.json `paths` (see tsconfig.ts), each target in order.
// 3. `#name`: the nearest package.json `imports` (wildcards, conditions).
// 4. `baseUrl`: the specifier under it.
// 5. A package by name: the file's own package (self-reference) or a workspace package (see
//    workspaces.ts); a subpath goes through its `exports`, else straight into the folder.
// Package targets prefer source: `dist/client.js` or `dist/client.d.ts` lead to `src/client.ts` when it
// exists (also `lib/`, `build/`, `out/`, `esm/`, `cjs/`), then the target itself; a package's `src/index.*`
// is the last resort for its main entry. Anything else (npm dependencies in node_modules, Node built-ins,
// declaration-only files, non-source files such as .json or .css) resolves to null: unknown.
//
// Python (a specifier written in a .py file): the module with its level as leading dots, `from ..lib import
// x` → `..lib`; see python.ts.
//
// Everything is cached per folder; call invalidate(path) when a file is created, deleted or renamed, or a
// tsconfig / package.json / workspace file changes.

import * as path from 'path';
import { FsCache, isUnder } from './fsCache';
import type { ProjectHost } from './host';
import { isObject } from './jsonc';
import { exportTargets, importTargets, splitPackageSpecifier } from './packageMaps';
import { PythonResolver } from './python';
import { TsconfigReader, pathCandidates } from './tsconfig';
import { WorkspaceReader } from './workspaces';

export { nodeProjectHost } from './host';
export type { ProjectHost } from './host';

/** Extensions tried for an extensionless path, in TypeScript's order (sources before JavaScript). */
export const PROBE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs'];
const SOURCE_FOR: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const CODE_EXT = /\.(?:[mc]?[jt]s|[jt]sx)$/i;
const DECLARATION = /\.d\.[mc]?ts$/i;
/** Build-output folders whose files are mirrored by sources under `src/` (or the package root). */
const OUT_DIRS = new Set(['dist', 'lib', 'build', 'out', 'esm', 'cjs', 'es', 'types', 'typings']);

export class ModuleResolver {
  private readonly fs: FsCache;
  private readonly tsconfig: TsconfigReader;
  private readonly workspaces: WorkspaceReader;
  private readonly python: PythonResolver;
  private readonly cache = new Map<string, string | null>();
  private readonly packageJsonDirs = new Map<string, string | null>();

  constructor(host: ProjectHost) {
    this.fs = new FsCache(host);
    this.workspaces = new WorkspaceReader(this.fs);
    this.tsconfig = new TsconfigReader(this.fs, (name, dir) => this.workspaces.forDirectory(dir)?.packages.get(name));
    this.python = new PythonResolver(this.fs);
  }

  /** Absolute path of the source file `specifier` refers to from `fromFile`, or null (unknown). */
  resolve(specifier: string, fromFile: string): string | null {
    if (typeof specifier !== 'string' || specifier === '') return null;
    // Python: the module as written, the level as leading dots (`..lib.client`, `.`, `pkg.mod`)
    if (/\.py$/i.test(fromFile)) {
      const m = /^(\.*)(.*)$/.exec(specifier) as RegExpExecArray;
      return this.resolvePython(m[2], m[1].length, fromFile);
    }
    const dir = path.dirname(path.resolve(fromFile));
    const key = dir + '\0' + specifier;
    let r = this.cache.get(key);
    if (r === undefined) {
      try {
        r = this.resolveUncached(specifier, dir);
        // a `paths` or `imports` target inside node_modules is a dependency: never analysed
        if (r !== null && inNodeModules(r) && !inNodeModules(dir + path.sep)) r = null;
      } catch {
        r = null;
      }
      this.cache.set(key, r);
    }
    return r;
  }

  /**
   * Python: `from pkg.mod import x` → ('pkg.mod', 0), `import a.b` → ('a.b', 0), `from ..lib.client import c`
   * → ('lib.client', 2). `from . import y` may name a submodule or a name in the package: ask ('y', 1) for
   * the submodule `y.py` / `y/__init__.py`, and ('', 1) for the package's own `__init__.py`.
   */
  resolvePython(module: string, level: number, fromFile: string): string | null {
    try {
      return this.python.resolve(module, level, fromFile);
    } catch {
      return null;
    }
  }

  /**
   * Forget cached file facts and config at, under and above `changedPath` (everything when omitted). Call it
   * when a file or folder is created, deleted or renamed, and when a file changes for which
   * `changeAffectsResolution` says so (configs); an edit of a source file needs no call.
   */
  invalidate(changedPath?: string): void {
    this.fs.invalidate(changedPath);
    this.cache.clear();
    this.packageJsonDirs.clear();
    this.tsconfig.clear();
    this.workspaces.clear();
    this.python.clear();
  }

  private resolveUncached(spec: string, dir: string): string | null {
    if (spec.startsWith('node:') || spec.includes('\0')) return null;
    if (isPathLike(spec)) return this.fileOrDirectory(path.resolve(dir, spec));
    const cfg = this.tsconfig.forDirectory(dir);
    if (cfg) {
      for (const candidate of pathCandidates(cfg.paths, spec)) {
        const r = this.fileOrDirectory(candidate);
        if (r) return r;
      }
    }
    if (spec.startsWith('#')) {
      const r = this.packageImport(spec, dir);
      if (r) return r;
    }
    if (cfg?.baseUrl) {
      const r = this.fileOrDirectory(path.join(cfg.baseUrl, spec));
      if (r) return r;
    }
    return this.bare(spec, dir);
  }

  /** A package by name: the importing file's own package, then the workspace's packages. */
  private bare(spec: string, dir: string): string | null {
    const parts = splitPackageSpecifier(spec);
    if (!parts) return null;
    const own = this.nearestPackageDir(dir);
    if (own) {
      const pkg = this.fs.readJson(path.join(own, 'package.json'));
      if (isObject(pkg) && pkg.name === parts.name) return this.packageEntry(own, parts.subpath);
    }
    const folder = this.workspaces.forDirectory(dir)?.packages.get(parts.name);
    return folder ? this.packageEntry(folder, parts.subpath) : null;
  }

  private packageImport(spec: string, dir: string): string | null {
    const own = this.nearestPackageDir(dir);
    if (!own) return null;
    const pkg = this.fs.readJson(path.join(own, 'package.json'));
    if (!isObject(pkg)) return null;
    for (const t of importTargets(pkg.imports, spec)) {
      const r = t.startsWith('./') ? this.packageTarget(own, t) : t.startsWith('#') ? null : this.bare(t, dir);
      if (r) return r;
    }
    return null;
  }

  /** The file a package's entry (`.` or `./sub/path`) leads to. */
  private packageEntry(pkgDir: string, subpath: string): string | null {
    const pkg = this.fs.readJson(path.join(pkgDir, 'package.json'));
    if (isObject(pkg) && pkg.exports !== undefined && pkg.exports !== null) {
      for (const t of exportTargets(pkg.exports, subpath)) {
        if (!t.startsWith('./')) continue;
        const r = this.packageTarget(pkgDir, t);
        if (r) return r;
      }
    }
    if (subpath === '.') {
      if (isObject(pkg)) {
        for (const field of ['source', 'main', 'module', 'types', 'typings']) {
          const v = pkg[field];
          if (typeof v !== 'string') continue;
          const r = this.packageTarget(pkgDir, v.startsWith('.') ? v : './' + v);
          if (r) return r;
        }
      }
      return this.index(pkgDir) ?? this.index(path.join(pkgDir, 'src'));
    }
    return this.packageTarget(pkgDir, subpath) ?? this.fileOrDirectory(path.join(pkgDir, 'src', subpath));
  }

  /** A target inside a package: its source when built output mirrors `src/`, else the target itself. */
  private packageTarget(pkgDir: string, target: string): string | null {
    const abs = path.resolve(pkgDir, target);
    if (abs !== pkgDir && !isUnder(abs, pkgDir)) return null;
    const stem = stripExtension(abs);
    if (stem !== abs) {
      const own = this.withExtensions(stem, ['.ts', '.tsx', '.mts', '.cts']);
      if (own) return own;
    }
    const rel = path.relative(pkgDir, stem).split(path.sep);
    if (rel.length > 1 && OUT_DIRS.has(rel[0])) {
      let rest = rel.slice(1);
      while (rest.length > 1 && OUT_DIRS.has(rest[0])) rest = rest.slice(1);
      for (const base of [path.join(pkgDir, 'src'), pkgDir]) {
        const r = this.fileOrDirectory(path.join(base, ...rest), true);
        if (r) return r;
      }
    }
    return this.fileOrDirectory(abs);
  }

  /** `p` as a file (with extension rules), else as a folder (package.json main, then index). */
  private fileOrDirectory(p: string, noPackageJson = false): string | null {
    return this.file(p) ?? this.directory(p, noPackageJson);
  }

  private file(p: string): string | null {
    const ext = path.extname(p).toLowerCase();
    const sources = SOURCE_FOR[ext];
    if (sources) {
      const r = this.withExtensions(p.slice(0, -ext.length), sources);
      if (r) return r;
    }
    if (CODE_EXT.test(p) && !DECLARATION.test(p) && this.fs.isFile(p)) return p;
    return this.withExtensions(p, PROBE_EXTENSIONS);
  }

  private directory(p: string, noPackageJson: boolean): string | null {
    if (!this.fs.isDirectory(p)) return null;
    if (!noPackageJson) {
      const pkg = this.fs.readJson(path.join(p, 'package.json'));
      if (isObject(pkg) && typeof pkg.main === 'string') {
        const r = this.packageTarget(p, pkg.main.startsWith('.') ? pkg.main : './' + pkg.main);
        if (r) return r;
      }
    }
    return this.index(p);
  }

  private index(dir: string): string | null {
    return this.withExtensions(path.join(dir, 'index'), PROBE_EXTENSIONS);
  }

  private withExtensions(stem: string, exts: readonly string[]): string | null {
    for (const e of exts) {
      const p = stem + e;
      if (this.fs.isFile(p)) return p;
    }
    return null;
  }

  private nearestPackageDir(dir: string): string | null {
    const cached = this.packageJsonDirs.get(dir);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    if (this.fs.isFile(path.join(dir, 'package.json'))) found = dir;
    else {
      const parent = path.dirname(dir);
      if (parent !== dir && path.basename(dir) !== 'node_modules') found = this.nearestPackageDir(parent);
    }
    this.packageJsonDirs.set(dir, found);
    return found;
  }
}

/**
 * Whether a change to the file at `changedPath` can change what imports resolve to: always for a file
 * created or deleted (or either side of a rename); for an edit, only when it is not a source file (an
 * edited tsconfig, extended base, package.json, pnpm-workspace.yaml or lerna.json can; an edited .ts or .py
 * file cannot, since only its existence matters).
 */
export function changeAffectsResolution(changedPath: string, change: 'changed' | 'created' | 'deleted'): boolean {
  if (change !== 'changed') return true;
  return !(CODE_EXT.test(changedPath) || /\.pyi?$/i.test(changedPath) || /(^|[\\/])(pyproject\.toml|setup\.cfg)$/i.test(changedPath));
}

function inNodeModules(p: string): boolean {
  return /[\\/]node_modules[\\/]/.test(p);
}

function isPathLike(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || path.isAbsolute(spec);
}

/** `/a/index.d.ts` → `/a/index`; `/a/x.js` → `/a/x`; a path without a code extension is returned as is. */
function stripExtension(p: string): string {
  const d = /\.d\.[mc]?ts$/i.exec(p);
  if (d) return p.slice(0, d.index);
  const m = CODE_EXT.exec(p);
  return m ? p.slice(0, m.index) : p;
}
