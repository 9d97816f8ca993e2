// The `baseUrl` and `paths` that apply to a file, read from the nearest tsconfig.json (or jsconfig.json
// when a folder has no tsconfig.json) above it, as TypeScript reads them:
//
// - `extends`: a relative or absolute file (".json" may be left off), or a package in node_modules
//   (its package.json `tsconfig` field, its `exports`, or its tsconfig.json; "pkg/path" names a file
//   inside it); an array extends each in turn, later ones winning. Cycles and missing bases are ignored.
// - A config's own compilerOptions override the bases'. `baseUrl` is relative to the config that sets it;
//   `paths` targets are relative to the effective `baseUrl`, else to the config that sets `paths`.
//   `${configDir}` stands for the folder of the config the file belongs to (TypeScript 5.5).
// - A "solution" config (no baseUrl or paths of its own, only `references`, as Vite's templates write
//   them) takes the settings of the first referenced config that has any.
// - Malformed JSON (comments and trailing commas are fine) counts as absent: nothing throws.

import * as path from 'path';
import type { FsCache } from './fsCache';
import { isObject } from './jsonc';
import { exportTargets } from './packageMaps';

export interface PathMapping {
  /** As written: `@/*`, `~lib/*`, `exact-name`. */
  pattern: string;
  /** Absolute paths, with the `*` still in them. */
  targets: string[];
}

export interface CompilerPaths {
  configFile: string;
  baseUrl?: string;
  paths: PathMapping[];
}

interface Located {
  value: string;
  /** Folder of the config that wrote it. */
  dir: string;
}

interface RawChain {
  baseUrl?: Located;
  paths?: { map: Record<string, unknown>; dir: string };
  references: string[];
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
const CONFIG_DIR = '${configDir}';

export class TsconfigReader {
  private readonly nearest = new Map<string, string | null>();
  private readonly chains = new Map<string, RawChain | null>();
  private readonly effective = new Map<string, CompilerPaths | null>();

  constructor(
    private readonly fs: FsCache,
    /** Folder of a workspace package by name, for `extends` of a package that is not installed. */
    private readonly workspacePackage: (name: string, fromDir: string) => string | undefined = () => undefined,
  ) {}

  clear(): void {
    this.nearest.clear();
    this.chains.clear();
    this.effective.clear();
  }

  /** The settings for files in `dir`, or null when no config applies or it sets neither baseUrl nor paths. */
  forDirectory(dir: string): CompilerPaths | null {
    const file = this.nearestConfig(dir);
    if (!file) return null;
    let v = this.effective.get(file);
    if (v === undefined) {
      v = this.compute(file);
      this.effective.set(file, v);
    }
    return v;
  }

  private nearestConfig(dir: string): string | null {
    const cached = this.nearest.get(dir);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    for (const name of CONFIG_NAMES) {
      const p = path.join(dir, name);
      if (this.fs.isFile(p)) {
        found = p;
        break;
      }
    }
    if (!found && path.basename(dir) !== 'node_modules') {
      const parent = path.dirname(dir);
      if (parent !== dir) found = this.nearestConfig(parent);
    }
    this.nearest.set(dir, found);
    return found;
  }

  private compute(file: string): CompilerPaths | null {
    const chain = this.chain(file, new Set());
    if (!chain) return null;
    let result = finalise(file, chain);
    if (!result.baseUrl && result.paths.length === 0) {
      for (const ref of chain.references) {
        const refChain = this.chain(ref, new Set());
        if (!refChain) continue;
        const r = finalise(ref, refChain);
        if (r.baseUrl || r.paths.length > 0) {
          result = r;
          break;
        }
      }
    }
    return result.baseUrl || result.paths.length > 0 ? result : null;
  }

  private chain(file: string, seen: Set<string>): RawChain | null {
    const cached = this.chains.get(file);
    if (cached !== undefined) return cached;
    if (seen.has(file)) return null; // a cycle: ignore this base
    seen.add(file);
    const raw = this.fs.readJson(file);
    let result: RawChain | null = null;
    if (isObject(raw)) {
      const dir = path.dirname(file);
      result = { references: [] };
      const ext = raw.extends;
      const bases = typeof ext === 'string' ? [ext] : Array.isArray(ext) ? ext.filter((e) => typeof e === 'string') : [];
      for (const b of bases as string[]) {
        const baseFile = this.resolveExtends(b, dir);
        const base = baseFile ? this.chain(baseFile, seen) : null;
        if (!base) continue;
        if (base.baseUrl) result.baseUrl = base.baseUrl;
        if (base.paths) result.paths = base.paths;
      }
      const co = raw.compilerOptions;
      if (isObject(co)) {
        if (typeof co.baseUrl === 'string') result.baseUrl = { value: co.baseUrl, dir };
        if (isObject(co.paths)) result.paths = { map: co.paths, dir };
      }
      if (Array.isArray(raw.references)) {
        for (const r of raw.references) {
          if (!isObject(r) || typeof r.path !== 'string') continue;
          const p = path.resolve(dir, r.path);
          result.references.push(this.fs.isDirectory(p) ? path.join(p, 'tsconfig.json') : p);
        }
      }
    }
    seen.delete(file);
    this.chains.set(file, result);
    return result;
  }

  private resolveExtends(spec: string, dir: string): string | undefined {
    const asFile = (p: string) =>
      this.fs.isFile(p) ? p : !p.endsWith('.json') && this.fs.isFile(p + '.json') ? p + '.json' : undefined;
    if (spec.startsWith('./') || spec.startsWith('../') || path.isAbsolute(spec)) {
      return asFile(path.resolve(dir, spec));
    }
    if (spec.startsWith(CONFIG_DIR)) return undefined;
    const parts = spec.split('/');
    const nameLen = spec.startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLen).join('/');
    const sub = parts.slice(nameLen).join('/');
    const fromPackage = (pkgDir: string): string | undefined => {
      const pkg = this.fs.readJson(path.join(pkgDir, 'package.json'));
      if (sub) {
        if (isObject(pkg) && pkg.exports !== undefined) {
          for (const t of exportTargets(pkg.exports, './' + sub)) {
            const f = asFile(path.resolve(pkgDir, t));
            if (f) return f;
          }
        }
        return asFile(path.join(pkgDir, sub));
      }
      if (isObject(pkg)) {
        if (typeof pkg.tsconfig === 'string') {
          const f = asFile(path.resolve(pkgDir, pkg.tsconfig));
          if (f) return f;
        }
        if (pkg.exports !== undefined) {
          for (const t of exportTargets(pkg.exports, '.')) {
            if (!t.endsWith('.json')) continue;
            const f = asFile(path.resolve(pkgDir, t));
            if (f) return f;
          }
        }
      }
      return asFile(path.join(pkgDir, 'tsconfig.json'));
    };
    for (let d = dir; ; ) {
      const pkgDir = path.join(d, 'node_modules', name);
      if (this.fs.isDirectory(pkgDir)) {
        const f = fromPackage(pkgDir);
        if (f) return f;
      }
      const parent = path.dirname(d);
      if (parent === d) break;
      d = parent;
    }
    const ws = this.workspacePackage(name, dir);
    return ws ? fromPackage(ws) : undefined;
  }
}

function located(v: Located, leafDir: string): string {
  return v.value.startsWith(CONFIG_DIR)
    ? path.join(leafDir, v.value.slice(CONFIG_DIR.length) || '.')
    : path.resolve(v.dir, v.value);
}

function finalise(file: string, chain: RawChain): CompilerPaths {
  const leafDir = path.dirname(file);
  const baseUrl = chain.baseUrl ? located(chain.baseUrl, leafDir) : undefined;
  const paths: PathMapping[] = [];
  if (chain.paths) {
    const base = baseUrl ?? chain.paths.dir;
    for (const [pattern, targets] of Object.entries(chain.paths.map)) {
      if (!Array.isArray(targets)) continue;
      if (pattern.split('*').length > 2) continue; // at most one wildcard, as in TypeScript
      const abs = targets
        .filter((t): t is string => typeof t === 'string')
        .map((t) => (t.startsWith(CONFIG_DIR) ? located({ value: t, dir: base }, leafDir) : path.resolve(base, t)));
      paths.push({ pattern, targets: abs });
    }
  }
  return { configFile: file, baseUrl, paths };
}

/**
 * The substitutions `paths` offers for `specifier`, best mapping first as TypeScript picks it: an exact
 * pattern, else the wildcard pattern with the longest prefix; its targets in the order written.
 */
export function pathCandidates(paths: readonly PathMapping[], specifier: string): string[] {
  const exact = paths.find((m) => !m.pattern.includes('*') && m.pattern === specifier);
  if (exact) return exact.targets;
  let best: { m: PathMapping; star: string; prefixLen: number } | undefined;
  for (const m of paths) {
    const i = m.pattern.indexOf('*');
    if (i < 0) continue;
    const prefix = m.pattern.slice(0, i);
    const suffix = m.pattern.slice(i + 1);
    if (specifier.length < prefix.length + suffix.length) continue;
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
    if (!best || prefix.length > best.prefixLen) {
      best = { m, star: specifier.slice(prefix.length, specifier.length - suffix.length), prefixLen: prefix.length };
    }
  }
  if (!best) return [];
  const star = best.star;
  return best.m.targets.map((t) => t.split('*').join(star));
}
