// File discovery for the CLI: expands the paths given on the command line into the JavaScript,
// TypeScript and Python files to lint.
//
// - Directories are walked recursively, in name order, honouring `.gitignore` files: those from the
//   repository root (the nearest directory above with a `.git`) down to the walked directory, and every
//   nested one met on the way. Later and deeper patterns win, as in git.
// - node_modules, .git and build output (dist, out, build, .next, coverage) are always skipped below a
//   walked directory. Symbolic links to directories are not followed.
// - So are Python environments and caches: any directory holding a `pyvenv.cfg` (a virtual environment,
//   whatever its name: .venv, venv, env, ...), site-packages, __pycache__, .tox, .nox, .mypy_cache and
//   .pytest_cache.
// - Extensions: .js .jsx .ts .tsx .mjs .cjs .mts .cts; declaration files (.d.ts, .d.mts, .d.cts) are not.
//   Python: .py (stub files, .pyi, are not) and Jupyter notebooks (.ipynb); `python: false` leaves them out.
// - Files larger than 2 MB are skipped and reported through `onSkip`.
// - Paths named explicitly are used as given: an explicitly named file is linted even when a .gitignore
//   or the skip list would exclude it (the user asked for it), provided it has a source extension; an
//   explicitly named directory is walked even if its own name is on the skip list or it is a virtual
//   environment.

import * as fs from 'fs';
import * as path from 'path';

export const SOURCE_EXTENSIONS = ['.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.mts', '.cts'];
export const PYTHON_EXTENSIONS = ['.py'];
export const ALWAYS_SKIPPED_DIRS = ['node_modules', '.git', 'dist', 'out', 'build', '.next', 'coverage'];
/** Python installs and caches: never the project's own code. */
export const PYTHON_SKIPPED_DIRS = ['site-packages', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache'];
/** The file every virtual environment (venv, virtualenv 20+, uv, Poetry) has at its top. */
export const VIRTUAL_ENV_MARKER = 'pyvenv.cfg';
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** A JavaScript or TypeScript source file (not a declaration file). */
export function isSourceFile(name: string): boolean {
  const lower = name.toLowerCase();
  if (/\.d\.[mc]?ts$/.test(lower)) return false;
  const dot = lower.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSIONS.includes(lower.slice(dot));
}

/** A Python source file (not a stub file). */
export function isPythonFile(name: string): boolean {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot > 0 && PYTHON_EXTENSIONS.includes(lower.slice(dot));
}

/**
 * Whether a file lies in a virtual environment: some directory above it and below `root` (default: up to
 * the file system root) holds a pyvenv.cfg. `root` itself does not count, as an explicitly named directory
 * is walked even when it is one. `cache` (directory → answer) saves repeated checks.
 */
export function insideVirtualEnv(filePath: string, root?: string, cache: Map<string, boolean> = new Map()): boolean {
  const stop = root === undefined ? undefined : path.resolve(root);
  const seen: string[] = [];
  let dir = path.dirname(path.resolve(filePath));
  let answer = false;
  for (;;) {
    if (dir === stop) break;
    const known = cache.get(dir);
    if (known !== undefined) {
      answer = known;
      break;
    }
    seen.push(dir);
    if (fs.existsSync(path.join(dir, VIRTUAL_ENV_MARKER))) {
      answer = true;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of seen) cache.set(d, answer);
  return answer;
}

// ---------------------------------------------------------------------------------------------------
// .gitignore patterns

export interface IgnoreRule {
  /** The pattern as written (after trimming), for diagnostics. */
  pattern: string;
  negated: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

/** Translates one glob body (no leading `!`, no trailing `/`) into a regular expression source. */
function globToRegex(glob: string, anchored: boolean): string {
  let re = '';
  let i = 0;
  const n = glob.length;
  while (i < n) {
    const c = glob[i];
    if (c === '\\' && i + 1 < n) {
      re += escapeRe(glob[i + 1]);
      i += 2;
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0;
        const afterSlash = i > 0 && glob[i - 1] === '/';
        const beforeSlash = glob[i + 2] === '/';
        const atEnd = i + 2 === n;
        if ((atStart || afterSlash) && beforeSlash) {
          // "**/" : zero or more directories
          re += '(?:.*/)?';
          i += 3;
          continue;
        }
        if (afterSlash && atEnd) {
          // "/**" : everything inside
          re += '.*';
          i += 2;
          continue;
        }
        if (atStart && atEnd) {
          re += '.*';
          i += 2;
          continue;
        }
        // any other run of asterisks behaves like a single "*"
        while (glob[i] === '*') i++;
        re += '[^/]*';
        continue;
      }
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[') {
      const cls = parseClass(glob, i);
      if (cls) {
        re += cls.re;
        i = cls.next;
      } else {
        re += '\\[';
        i++;
      }
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  return anchored ? `^${re}$` : `^(?:.*/)?${re}$`;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? '\\' + c : c;
}

/** A bracket expression starting at glob[start] === '['; null if it is not closed. */
function parseClass(glob: string, start: number): { re: string; next: number } | null {
  let i = start + 1;
  let negate = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < glob.length) {
    const c = glob[i];
    if (c === ']' && !first) {
      if (body === '') return null;
      return { re: `(?!/)[${negate ? '^' : ''}${body}]`, next: i + 1 };
    }
    first = false;
    if (c === '[' && glob[i + 1] === ':') {
      const end = glob.indexOf(':]', i + 2);
      if (end > 0) {
        const name = glob.slice(i + 2, end);
        const posix: Record<string, string> = {
          alpha: 'A-Za-z',
          digit: '0-9',
          alnum: 'A-Za-z0-9',
          upper: 'A-Z',
          lower: 'a-z',
          space: '\\s',
          xdigit: '0-9A-Fa-f',
          punct: '!-\\/:-@\\[-`{-~',
        };
        if (posix[name]) {
          body += posix[name];
          i = end + 2;
          continue;
        }
      }
    }
    if (c === '\\' && i + 1 < glob.length) {
      body += '\\' + glob[i + 1];
      i += 2;
      continue;
    }
    if (c === '-' && body !== '' && glob[i + 1] !== ']' && i + 1 < glob.length) {
      body += '-';
      i++;
      continue;
    }
    body += /[\]\\^-]/.test(c) ? '\\' + c : c;
    i++;
  }
  return null;
}

/** Parses the text of a .gitignore file into rules (in file order). */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let raw of text.split(/\r?\n/)) {
    // trailing spaces are ignored unless escaped
    raw = raw.replace(/(^|[^\\])\s+$/, '$1');
    if (raw === '' || raw.startsWith('#')) continue;
    let p = raw;
    let negated = false;
    if (p.startsWith('!')) {
      negated = true;
      p = p.slice(1);
    } else if (p.startsWith('\\!') || p.startsWith('\\#')) {
      p = p.slice(1);
    }
    let dirOnly = false;
    if (p.endsWith('/') && !p.endsWith('\\/')) {
      dirOnly = true;
      p = p.replace(/\/+$/, '');
    }
    if (p === '') continue;
    // a slash at the start or in the middle anchors the pattern to the .gitignore's directory
    const anchored = p.includes('/');
    if (p.startsWith('/')) p = p.slice(1);
    if (p === '') continue;
    let regex: RegExp;
    try {
      regex = new RegExp(globToRegex(p, anchored));
    } catch {
      continue; // a pattern we cannot translate is ignored rather than breaking the walk
    }
    rules.push({ pattern: raw, negated, dirOnly, regex });
  }
  return rules;
}

/** The rules of one .gitignore file, with the directory its patterns are relative to. */
export interface IgnoreFile {
  dir: string;
  rules: IgnoreRule[];
}

/**
 * Whether a path is ignored by a stack of .gitignore files (outermost first). The last matching rule
 * wins; `undefined` when no rule matches.
 */
export function matchIgnoreStack(stack: readonly IgnoreFile[], absPath: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined;
  for (const file of stack) {
    const rel = path.relative(file.dir, absPath).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..') continue;
    for (const rule of file.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(rel)) result = !rule.negated;
    }
  }
  return result;
}

function readIgnoreFile(dir: string): IgnoreFile | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  const rules = parseGitignore(text);
  return rules.length ? { dir, rules } : null;
}

/** .gitignore files from the repository root (nearest ancestor with .git) down to, not including, `dir`. */
function ancestorIgnoreFiles(dir: string): IgnoreFile[] {
  const chain: string[] = [];
  let d = path.dirname(dir);
  let cur = dir;
  let gitRoot: string | null = fs.existsSync(path.join(dir, '.git')) ? dir : null;
  while (!gitRoot && d !== cur) {
    chain.push(d);
    if (fs.existsSync(path.join(d, '.git'))) gitRoot = d;
    cur = d;
    d = path.dirname(d);
  }
  if (!gitRoot || gitRoot === dir) return [];
  const out: IgnoreFile[] = [];
  for (const a of chain.reverse()) {
    const f = readIgnoreFile(a);
    if (f) out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// the walk

export interface SkippedFile {
  path: string;
  reason: 'too-large' | 'not-source' | 'not-found' | 'unreadable';
  detail: string;
}

export interface WalkOptions {
  /** Base for relative paths (default: process.cwd()). Results keep the form the paths were given in. */
  cwd?: string;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  maxFileBytes?: number;
  /** Collect Python (.py) files and notebooks (.ipynb) too (default true). */
  python?: boolean;
  /** Told about every file that is skipped for a reason the user should hear about. */
  onSkip?: (skipped: SkippedFile) => void;
}

export interface WalkResult {
  /** Files to lint, as paths in the form given (relative stays relative to cwd), without duplicates. */
  files: string[];
  skipped: SkippedFile[];
  /** Paths given that do not exist. */
  missing: string[];
}

/** Expands command-line paths into the source files to lint (synchronous; fast on large trees). */
export function collectFiles(paths: readonly string[], options: WalkOptions = {}): WalkResult {
  const cwd = options.cwd ?? process.cwd();
  const useGitignore = options.gitignore !== false;
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const python = options.python !== false;
  const wanted = (name: string) => isSourceFile(name) || (python && (isPythonFile(name) || name.toLowerCase().endsWith('.ipynb')));
  const files: string[] = [];
  const seen = new Set<string>();
  const skipped: SkippedFile[] = [];
  const missing: string[] = [];
  const skip = (s: SkippedFile) => {
    skipped.push(s);
    options.onSkip?.(s);
  };
  const add = (display: string, abs: string, size: number) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    if (size > maxBytes) {
      skip({ path: display, reason: 'too-large', detail: `${(size / (1024 * 1024)).toFixed(1)} MB is over the ${(maxBytes / (1024 * 1024)).toFixed(0)} MB limit` });
      return;
    }
    files.push(display);
  };

  const walkDir = (display: string, abs: string, stack: IgnoreFile[], named = false) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      skip({ path: display, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? String(e) });
      return;
    }
    // a virtual environment (unless named on the command line): installed packages, not the project's code
    if (!named && entries.some((e) => e.name === VIRTUAL_ENV_MARKER && !e.isDirectory())) return;
    const own = useGitignore ? readIgnoreFile(abs) : null;
    const here = own ? [...stack, own] : stack;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childAbs = path.join(abs, e.name);
      const childDisplay = display === '.' ? e.name : path.join(display, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        // follow links to files only; links to directories could loop
        try {
          const st = fs.statSync(childAbs);
          isFile = st.isFile();
          isDir = false;
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.includes(e.name) || PYTHON_SKIPPED_DIRS.includes(e.name)) continue;
        if (useGitignore && matchIgnoreStack(here, childAbs, true) === true) continue;
        walkDir(childDisplay, childAbs, here);
      } else if (isFile) {
        if (!wanted(e.name)) continue;
        if (useGitignore && matchIgnoreStack(here, childAbs, false) === true) continue;
        let size: number;
        try {
          size = fs.statSync(childAbs).size;
        } catch {
          continue;
        }
        add(childDisplay, childAbs, size);
      }
    }
  };

  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(given);
      continue;
    }
    if (st.isDirectory()) {
      const display = path.normalize(given) === '.' ? '.' : given.replace(/[\\/]+$/, '') || given;
      const stack = useGitignore ? ancestorIgnoreFiles(abs) : [];
      walkDir(display, abs, stack, true);
    } else if (st.isFile()) {
      if (!wanted(path.basename(abs))) {
        skip({ path: given, reason: 'not-source', detail: `not a JavaScript${python ? ', TypeScript or Python' : ' or TypeScript'} source file${python ? ' or notebook' : ''}` });
        continue;
      }
      add(given, abs, st.size);
    }
  }
  return { files, skipped, missing };
}
