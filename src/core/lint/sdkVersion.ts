// Which @anthropic-ai/sdk version a source file runs against.
//
// Walking up from the file, the nearest directory that says anything decides: its installed
// `node_modules/@anthropic-ai/sdk/package.json` (the version that actually runs), else its package.json's
// declared range (dependencies, devDependencies, peerDependencies), whose lowest version is used
// (`^0.37.0` → 0.37.0, `1.x` → 1.0.0). Ranges with no lower bound (`*`, `latest`, `workspace:*`, git or
// file specs) say nothing and the walk goes on; with no answer at all the result is null, which
// callers treat as "the newest known rules". Lookups are cached per directory; call
// invalidateSdkVersionCache() when a package.json or node_modules changes.

import * as fs from 'fs';
import * as path from 'path';
import { invalidatePythonSdkVersionCache, resolvePythonSdkVersion } from './python/sdkVersion';

export const SDK_PACKAGE = '@anthropic-ai/sdk';

export interface SdkVersion {
  major: number;
  minor: number;
  patch: number;
}

/** Parses "1.12.0", "1.12", "1", "v0.37.2", "1.0.0-beta.3" (and tolerates a leading ^, ~ or =). */
export function parseSdkVersion(str: string | null | undefined): SdkVersion | null {
  if (typeof str !== 'string') return null;
  const m = /^\s*[\^~=]?\s*v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][0-9A-Za-z.+-]*)?\s*$/.exec(str);
  if (!m) return null;
  const num = (s: string | undefined) => (s === undefined || /^[xX*]$/.test(s) ? 0 : Number(s));
  return { major: Number(m[1]), minor: num(m[2]), patch: num(m[3]) };
}

export function formatSdkVersion(v: SdkVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function compareSdkVersions(a: SdkVersion, b: SdkVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The lowest version one comparator set (space-separated comparators, or a hyphen range) admits, or null. */
function minOfComparatorSet(set: string): SdkVersion | null {
  const s = set.trim();
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(s);
  if (hyphen) return parsePartial(hyphen[1]);
  let lower: SdkVersion | null = null;
  // "1.2.3", ">=1.2.3", "^1.2", "~1.2.3", ">1.2.3", "<2", "1.x"; operators may be followed by spaces
  const tokens = s.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return null;
  for (const tok of tokens) {
    const m = /^(>=|<=|>|<|=|\^|~>?)?(.*)$/.exec(tok)!;
    const op = m[1] ?? '';
    const rest = m[2];
    if (op === '<' || op === '<=') continue; // upper bounds do not raise the lower bound
    if (/^[xX*]$/.test(rest)) continue;
    const v = parsePartial(rest);
    if (!v) return null;
    let candidate = v;
    if (op === '>') {
      // the lowest version strictly above: bump the last given component
      const parts = rest.replace(/^v/, '').split('.').filter((p) => /^\d+$/.test(p)).length;
      candidate =
        parts >= 3
          ? { ...v, patch: v.patch + 1 }
          : parts === 2
            ? { major: v.major, minor: v.minor + 1, patch: 0 }
            : { major: v.major + 1, minor: 0, patch: 0 };
    }
    if (!lower || compareSdkVersions(candidate, lower) > 0) lower = candidate;
  }
  return lower;
}

function parsePartial(s: string): SdkVersion | null {
  return parseSdkVersion(s.replace(/^v/, ''));
}

/**
 * The lowest version a package.json dependency spec admits, as "x.y.z", or null when it has no lower bound
 * or is not a version range (`*`, `latest`, `workspace:*`, `file:`, git URLs, ...).
 * Handles `npm:@anthropic-ai/sdk@^1.2.0` aliases, `workspace:^1.2.0`, `||` alternatives (their minimum).
 */
export function minVersionOfRange(spec: string | null | undefined): string | null {
  if (typeof spec !== 'string') return null;
  let s = spec.trim();
  const alias = /^npm:(?:@[^/]+\/)?[^@]+@(.+)$/.exec(s);
  if (alias) s = alias[1];
  if (s.startsWith('workspace:')) s = s.slice('workspace:'.length);
  if (s === '' || s === '*' || /^[xX]$/.test(s)) return null;
  if (/^[a-z][a-z+.-]*:/i.test(s) || s.includes('/')) return null; // file:, git+https:, github shorthand, URLs
  let best: SdkVersion | null = null;
  for (const alt of s.split('||')) {
    const v = minOfComparatorSet(alt);
    if (!v) {
      if (/^\s*(\*|[xX])?\s*$/.test(alt)) return null; // an alternative that admits everything
      continue;
    }
    if (!best || compareSdkVersions(v, best) < 0) best = v;
  }
  return best ? formatSdkVersion(best) : null;
}

interface DirInfo {
  /** Version of the installed SDK visible from this directory (Node resolution), or null. */
  installed: string | null;
  /** The dependency spec in the nearest package.json (at or above) that declares the SDK, or null. */
  range: string | null;
}

const dirCache = new Map<string, DirInfo>();

function readJson(file: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function declaredRange(pkg: Record<string, unknown> | null): string | null {
  if (!pkg) return null;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = pkg[field];
    if (deps && typeof deps === 'object' && typeof (deps as Record<string, unknown>)[SDK_PACKAGE] === 'string') {
      return (deps as Record<string, string>)[SDK_PACKAGE];
    }
  }
  return null;
}

function infoFor(dir: string): DirInfo {
  const cached = dirCache.get(dir);
  if (cached) return cached;
  const parentDir = path.dirname(dir);
  const parent = parentDir === dir ? { installed: null, range: null } : undefined;

  let installed: string | null = null;
  // a directory named node_modules does not hold node_modules of its own that Node would look in
  if (path.basename(dir) !== 'node_modules') {
    const pkg = readJson(path.join(dir, 'node_modules', SDK_PACKAGE, 'package.json'));
    if (pkg && typeof pkg.version === 'string' && parseSdkVersion(pkg.version)) installed = pkg.version;
  }
  const declared = declaredRange(readJson(path.join(dir, 'package.json')));
  // a range with no lower bound (workspace:*, latest) says nothing: keep looking further up
  const range = declared !== null && minVersionOfRange(declared) !== null ? declared : null;

  // The nearest directory that says anything decides: a package that declares the SDK but has no
  // node_modules of its own (an example or sub-project not yet installed) is not overruled by an SDK
  // installed further up for another package. npm installs a version that differs from a hoisted one in
  // the package's own node_modules, so in an installed tree the nearest answer is also the true one.
  let info: DirInfo;
  if (installed !== null || range !== null) info = { installed, range };
  else info = parent ?? infoFor(parentDir);
  dirCache.set(dir, info);
  return info;
}

/**
 * The SDK version for a source file (or directory): the installed version if there is one, else the lowest
 * version of the nearest declared range, else null.
 */
export function resolveSdkVersion(filePath: string): string | null {
  const abs = path.resolve(filePath);
  // a Python file or notebook: the `anthropic` package of its project (virtual environment, lock, requirements)
  if (/\.(py|ipynb)$/i.test(abs)) return resolvePythonSdkVersion(abs)?.raw ?? null;
  let dir = abs;
  try {
    if (!fs.statSync(abs).isDirectory()) dir = path.dirname(abs);
  } catch {
    dir = path.dirname(abs);
  }
  const info = infoFor(dir);
  if (info.installed) return info.installed;
  return minVersionOfRange(info.range);
}

/**
 * Forgets cached lookups: all of them, or those for `dir` and the directories below it (whose answers
 * depend on it).
 */
export function invalidateSdkVersionCache(dir?: string): void {
  invalidatePythonSdkVersionCache(dir);
  if (dir === undefined) {
    dirCache.clear();
    return;
  }
  const root = path.resolve(dir);
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  for (const key of [...dirCache.keys()]) {
    if (key === root || key.startsWith(prefix)) dirCache.delete(key);
  }
}
