// Which `anthropic` (the Python SDK) version a Python source file runs against.
//
// Walking up from the file, the nearest directory that says anything decides. In one directory:
//   1. an `anthropic` installed in a virtual environment `.venv/` or `venv/` beside a project file
//      (`<venv>/lib/python3.*/site-packages` or Windows' `<venv>/Lib/site-packages`: the
//      `anthropic-*.dist-info/METADATA` Version, else `anthropic/_version.py`'s `__version__`);
//   2. else a lock file: `uv.lock`, `poetry.lock`, `pdm.lock` (`[[package]] name = "anthropic"`) or
//      `Pipfile.lock`;
//   3. else a declared requirement, whose lowest admitted version is used: `requirements*.txt` (and
//      `requirements/*.txt`; `-r` / `-c` includes followed one level), `pyproject.toml` (PEP 621
//      dependencies and optional dependencies, PEP 735 dependency groups, uv and PDM dev dependencies, Poetry
//      dependencies and groups) and `Pipfile`. An exact pin (`==1.13.0`) wins over ranges; among ranges the
//      highest lower bound counts, since every one of them holds.
// A requirement with no lower bound (`anthropic`, `"*"`, `<2`, a URL) says nothing and the walk goes on. An
// installed version found in the walk wins; otherwise an `anthropic` installed for the selected interpreter
// (when one is given) wins over locks and ranges. With no answer the result is null, which callers treat as
// "the newest known rules". Lookups are cached per directory; call invalidatePythonSdkVersionCache() when a
// project file or a virtual environment changes. Malformed files are read as far as they can be; nothing
// here throws.

import * as fs from 'fs';
import * as path from 'path';
import type { SdkVersion } from '../ruleContext';
import { PYTHON_SDK_PACKAGE, compareVersions, lowestVersionOf, normalizePackageName, parsePythonVersion, sdkRequirement } from './pep440';
import { parseToml, tomlString, tomlTable, type TomlTable, type TomlValue } from './toml';

export type PythonSdkVersionSource = 'installed' | 'lock' | 'declared';

export interface PythonSdkVersion extends SdkVersion {
  /**
   * The installed or locked version as written ("1.13.0"), or, for a declared range, its lowest version as
   * "x.y.z" (so it can be handed on as a version string).
   */
  raw: string;
  source: PythonSdkVersionSource;
  /** The file the version was read from (a METADATA, `_version.py`, lock or project file). */
  file: string;
  /** For a declared requirement: the specifier as written (`>=0.40,<2`, `^1.2`). */
  spec?: string;
}

export interface ResolvePythonSdkVersionOptions {
  /** The selected interpreter: its executable (`<prefix>/bin/python`, `<prefix>\Scripts\python.exe`) or prefix. */
  interpreter?: string;
}

const VENV_NAMES = ['.venv', 'venv'];
const LOCK_FILES = ['uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock'];
const PROJECT_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg', 'Pipfile', ...LOCK_FILES];
const REQUIREMENTS_RE = /^requirements.*\.txt$/i;
const MAX_READ_BYTES = 4 * 1024 * 1024;

function readText(file: string): string | null {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_READ_BYTES) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// installed: site-packages

/** The site-packages directories of an environment prefix (POSIX and Windows layouts). */
export function sitePackagesDirs(prefix: string): string[] {
  const out: string[] = [];
  for (const lib of ['lib', 'Lib']) {
    const libDir = path.join(prefix, lib);
    const entries = listDir(libDir);
    if (!entries.length) continue;
    if (entries.includes('site-packages')) out.push(path.join(libDir, 'site-packages'));
    for (const e of entries.sort()) {
      if (!/^(?:python|pypy)3(?:\.\d+)?t?$/.test(e)) continue;
      for (const sp of ['site-packages', 'dist-packages']) {
        const d = path.join(libDir, e, sp);
        if (isDir(d)) out.push(d);
      }
    }
  }
  // on a case-insensitive file system lib and Lib are the same directory
  return out.filter((d, i) => out.findIndex((o) => o.toLowerCase() === d.toLowerCase()) === i);
}

/** The `anthropic` installed in a site-packages directory, or null. */
export function installedIn(sitePackages: string): PythonSdkVersion | null {
  const entries = listDir(sitePackages);
  const found: PythonSdkVersion[] = [];
  for (const e of entries) {
    const m = /^(.+?)-([^-]+)\.(dist-info|egg-info)$/i.exec(e);
    if (!m || normalizePackageName(m[1]) !== PYTHON_SDK_PACKAGE) continue;
    const metaFile = path.join(sitePackages, e, m[3].toLowerCase() === 'dist-info' ? 'METADATA' : 'PKG-INFO');
    const meta = readText(metaFile);
    const declared = meta ? /^Version:[ \t]*(\S+)/m.exec(meta)?.[1] : undefined;
    const fromMeta = parsePythonVersion(declared);
    const v = fromMeta ?? parsePythonVersion(m[2]);
    if (v) found.push({ ...v, source: 'installed', file: fromMeta ? metaFile : path.join(sitePackages, e) });
  }
  const versionFile = path.join(sitePackages, PYTHON_SDK_PACKAGE, '_version.py');
  const code = entries.includes(PYTHON_SDK_PACKAGE) ? readText(versionFile) : null;
  const fromCode = code ? parsePythonVersion(/^__version__\s*(?::\s*\w+\s*)?=\s*["']([^"']+)["']/m.exec(code)?.[1]) : null;
  if (found.length === 1) return found[0];
  if (fromCode) {
    // no metadata, or several (a stale one left behind): the code that is imported decides
    const same = found.find((f) => compareVersions(f, fromCode) === 0);
    return same ?? { ...fromCode, source: 'installed', file: versionFile };
  }
  if (!found.length) return null;
  return found.sort((a, b) => compareVersions(b, a))[0];
}

function installedInPrefix(prefix: string): PythonSdkVersion | null {
  for (const sp of sitePackagesDirs(prefix)) {
    const v = installedIn(sp);
    if (v) return v;
  }
  return null;
}

/** The environment prefix of an interpreter path (`<prefix>/bin/python3`, `<prefix>\Scripts\python.exe`, conda's `<prefix>\python.exe`). */
export function interpreterPrefix(interpreter: string): string {
  const abs = path.resolve(interpreter);
  if (isDir(abs)) return abs;
  const dir = path.dirname(abs);
  return /^(bin|scripts)$/i.test(path.basename(dir)) ? path.dirname(dir) : dir;
}

// ---------------------------------------------------------------------------------------------------
// locks

function lockedIn(file: string, text: string): PythonSdkVersion | null {
  if (path.basename(file) === 'Pipfile.lock') {
    try {
      const lock = JSON.parse(text) as Record<string, Record<string, { version?: unknown }> | undefined>;
      for (const section of ['default', 'develop']) {
        const spec = lock?.[section]?.[PYTHON_SDK_PACKAGE]?.version;
        const b = typeof spec === 'string' ? lowestVersionOf(spec) : null;
        if (b) return { ...b.version, source: 'lock', file };
      }
    } catch {
      // unreadable: says nothing
    }
    return null;
  }
  const pkgs = parseToml(text).package;
  if (!Array.isArray(pkgs)) return null;
  let best: PythonSdkVersion | null = null;
  for (const p of pkgs) {
    if (!p || typeof p !== 'object' || Array.isArray(p)) continue;
    const name = tomlString(p.name);
    if (!name || normalizePackageName(name) !== PYTHON_SDK_PACKAGE) continue;
    const v = parsePythonVersion(tomlString(p.version));
    // a lock resolved for several environments may hold more than one: the lowest is the safe answer
    if (v && (!best || compareVersions(v, best) < 0)) best = { ...v, source: 'lock', file };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------
// declared requirements

interface Declared {
  spec: string;
  file: string;
}

/** The SDK requirements in a requirements file, and the files its `-r` / `-c` lines include. */
function readRequirements(file: string): { specs: Declared[]; includes: string[] } {
  const text = readText(file);
  const specs: Declared[] = [];
  const includes: string[] = [];
  if (text === null) return { specs, includes };
  for (let line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    line = line.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const inc = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)/.exec(line);
    if (inc) {
      includes.push(path.resolve(path.dirname(file), inc[1]));
      continue;
    }
    if (line.startsWith('-')) continue; // -e, --index-url, ...
    const req = sdkRequirement(line.replace(/\s--\S+.*$/, ''));
    if (req?.spec != null) specs.push({ spec: req.spec, file });
  }
  return { specs, includes };
}

function requirementsFiles(dir: string, entries: string[]): Declared[] {
  const files = entries.filter((e) => REQUIREMENTS_RE.test(e)).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const paths = files.map((f) => path.join(dir, f));
  if (entries.includes('requirements')) {
    for (const f of listDir(path.join(dir, 'requirements')).sort()) if (/\.txt$/i.test(f)) paths.push(path.join(dir, 'requirements', f));
  }
  const seen = new Set<string>();
  const specs: Declared[] = [];
  for (const p of paths) {
    if (seen.has(p)) continue;
    seen.add(p);
    const r = readRequirements(p);
    specs.push(...r.specs);
    for (const inc of r.includes) {
      if (seen.has(inc)) continue;
      seen.add(inc);
      specs.push(...readRequirements(inc).specs); // one level: the included file's own includes are not followed
    }
  }
  return specs;
}

function rank(name: string): number {
  return name.toLowerCase() === 'requirements.txt' ? 0 : 1;
}

/** A Poetry or Pipfile dependency value: `"^1.2"` or `{ version = "^1.2", extras = [...] }`. */
function tableSpec(v: TomlValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) return tomlString(v.version) ?? null;
  return null;
}

/** The SDK entry of a `name = spec` dependency table (PEP 503 names: `Anthropic`, `"anthropic"`). */
function fromDependencyTable(t: TomlTable | undefined, file: string, out: Declared[]): void {
  if (!t) return;
  for (const [name, value] of Object.entries(t)) {
    if (normalizePackageName(name) !== PYTHON_SDK_PACKAGE) continue;
    const spec = tableSpec(value);
    if (spec !== null) out.push({ spec, file });
  }
}

/** The SDK requirements in an array of PEP 508 strings. */
function fromRequirementArray(v: TomlValue | undefined, file: string, out: Declared[]): void {
  if (!Array.isArray(v)) return;
  for (const item of v) {
    if (typeof item !== 'string') continue;
    const req = sdkRequirement(item);
    if (req?.spec != null) out.push({ spec: req.spec, file });
  }
}

/** Each value of a table of arrays (optional dependencies, dependency groups). */
function fromGroups(t: TomlTable | undefined, file: string, out: Declared[]): void {
  if (!t) return;
  for (const v of Object.values(t)) fromRequirementArray(v, file, out);
}

function pyprojectSpecs(file: string): Declared[] {
  const text = readText(file);
  if (text === null) return [];
  const doc = parseToml(text);
  const out: Declared[] = [];
  const project = tomlTable(doc, 'project');
  fromRequirementArray(project?.dependencies, file, out);
  fromGroups(tomlTable(project, 'optional-dependencies'), file, out);
  fromGroups(tomlTable(doc, 'dependency-groups'), file, out);
  fromRequirementArray(tomlTable(doc, 'tool', 'uv')?.['dev-dependencies'], file, out);
  fromGroups(tomlTable(doc, 'tool', 'pdm', 'dev-dependencies'), file, out);
  const poetry = tomlTable(doc, 'tool', 'poetry');
  fromDependencyTable(tomlTable(poetry, 'dependencies'), file, out);
  fromDependencyTable(tomlTable(poetry, 'dev-dependencies'), file, out);
  const groups = tomlTable(poetry, 'group');
  for (const g of Object.values(groups ?? {})) {
    if (g && typeof g === 'object' && !Array.isArray(g)) fromDependencyTable(tomlTable(g, 'dependencies'), file, out);
  }
  return out;
}

function pipfileSpecs(file: string): Declared[] {
  const text = readText(file);
  if (text === null) return [];
  const doc = parseToml(text);
  const out: Declared[] = [];
  fromDependencyTable(tomlTable(doc, 'packages'), file, out);
  fromDependencyTable(tomlTable(doc, 'dev-packages'), file, out);
  return out;
}

/** An exact pin if any (the first), else the highest lower bound; null when none has a lower bound. */
function fromDeclared(specs: Declared[]): PythonSdkVersion | null {
  let pin: PythonSdkVersion | null = null;
  let best: PythonSdkVersion | null = null;
  for (const d of specs) {
    const b = lowestVersionOf(d.spec);
    if (!b) continue;
    const v: PythonSdkVersion = { ...b.version, source: 'declared', file: d.file, spec: d.spec.trim() };
    if (b.exact && !pin) pin = v;
    if (!best || compareVersions(v, best) > 0) best = v;
  }
  return pin ?? best;
}

// ---------------------------------------------------------------------------------------------------
// the walk

/** The answer a directory gives by itself (null: it says nothing). */
function ownAnswer(dir: string): PythonSdkVersion | null {
  const entries = listDir(dir);
  if (!entries.length) return null;
  const isProject = entries.some((e) => PROJECT_FILES.includes(e) || REQUIREMENTS_RE.test(e)) || entries.includes('requirements');
  if (!isProject) return null;
  for (const venv of VENV_NAMES) {
    if (!entries.includes(venv)) continue;
    const v = installedInPrefix(path.join(dir, venv));
    if (v) return v;
  }
  for (const lock of LOCK_FILES) {
    if (!entries.includes(lock)) continue;
    const file = path.join(dir, lock);
    const text = readText(file);
    const v = text === null ? null : lockedIn(file, text);
    if (v) return v;
  }
  const declared: Declared[] = requirementsFiles(dir, entries);
  if (entries.includes('pyproject.toml')) declared.push(...pyprojectSpecs(path.join(dir, 'pyproject.toml')));
  if (entries.includes('Pipfile')) declared.push(...pipfileSpecs(path.join(dir, 'Pipfile')));
  return fromDeclared(declared);
}

const dirCache = new Map<string, PythonSdkVersion | null>();
const interpreterCache = new Map<string, PythonSdkVersion | null>();

function answerFor(dir: string): PythonSdkVersion | null {
  if (dirCache.has(dir)) return dirCache.get(dir)!;
  let answer: PythonSdkVersion | null;
  try {
    answer = ownAnswer(dir);
  } catch {
    answer = null;
  }
  if (answer === null) {
    const parent = path.dirname(dir);
    answer = parent === dir ? null : answerFor(parent);
  }
  dirCache.set(dir, answer);
  return answer;
}

function interpreterAnswer(interpreter: string): PythonSdkVersion | null {
  const prefix = interpreterPrefix(interpreter);
  if (interpreterCache.has(prefix)) return interpreterCache.get(prefix)!;
  let v: PythonSdkVersion | null;
  try {
    v = installedInPrefix(prefix);
  } catch {
    v = null;
  }
  interpreterCache.set(prefix, v);
  return v;
}

/**
 * The Python SDK version for a source file (or directory), or null when nothing says (callers then use the
 * newest rules). `opts.interpreter`: the interpreter selected for the workspace, if any.
 */
export function resolvePythonSdkVersion(filePath: string, opts?: ResolvePythonSdkVersionOptions): PythonSdkVersion | null {
  const abs = path.resolve(filePath);
  const dir = isDir(abs) ? abs : path.dirname(abs);
  const walked = answerFor(dir);
  if (walked?.source === 'installed' || !opts?.interpreter) return walked;
  return interpreterAnswer(opts.interpreter) ?? walked;
}

/**
 * Forgets cached lookups: all of them, or those for `dir` and the directories below it (whose answers
 * depend on it), and any interpreter whose environment lies in it.
 */
export function invalidatePythonSdkVersionCache(dir?: string): void {
  if (dir === undefined) {
    dirCache.clear();
    interpreterCache.clear();
    return;
  }
  let root = path.resolve(dir);
  // a change inside a project's virtual environment changes the project directory's answer
  const parts = root.split(path.sep);
  const venvAt = parts.findIndex((p, i) => i > 0 && VENV_NAMES.includes(p));
  if (venvAt > 0) root = parts.slice(0, venvAt).join(path.sep) || path.sep;
  const under = (key: string, base: string) => key === base || key.startsWith(base.endsWith(path.sep) ? base : base + path.sep);
  for (const key of [...dirCache.keys()]) if (under(key, root)) dirCache.delete(key);
  // an interpreter's answer changes with anything inside its environment
  for (const key of [...interpreterCache.keys()]) if (under(key, root) || under(root, key)) interpreterCache.delete(key);
}
