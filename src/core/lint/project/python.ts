// Python module resolution over the project's own files, as the interpreter and Pyright find them:
//
// - Relative imports (`from . import x`, `from ..lib.client import c`): level 1 is the importing file's
//   folder, each further level one folder up. An empty module names the package itself (`__init__.py`).
// - Absolute imports (`import a.b`, `from pkg.mod import x`) are looked up in the roots, in order:
//   1. the folder above the file's top-level package (walk up while `__init__.py` exists);
//   2. each project root above the file (a folder with pyproject.toml, setup.py or setup.cfg), then its
//      `src/` (src layout), nearest first; then the repository root (the folder with `.git`);
//   3. the file's own folder (a script run directly has it on sys.path).
// - In a root, `a/b.py` or `a/b/__init__.py`; folders without `__init__.py` count as namespace packages.
// - Installed packages (site-packages, virtual environments) are never searched: such imports give null.
//   Stubs (`.pyi`) are not returned: they hold no code to analyse.

import * as path from 'path';
import type { FsCache } from './fsCache';

const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg'];
const IDENTIFIER = /^[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*$/;

export class PythonResolver {
  private readonly roots = new Map<string, string[]>();

  constructor(private readonly fs: FsCache) {}

  clear(): void {
    this.roots.clear();
  }

  resolve(module: string, level: number, fromFile: string): string | null {
    if (!Number.isInteger(level) || level < 0) return null;
    const dir = path.dirname(path.resolve(fromFile));
    if (level > 0) {
      let base = dir;
      for (let i = 1; i < level; i++) {
        const parent = path.dirname(base);
        if (parent === base) return null;
        base = parent;
      }
      if (module === '') {
        const init = path.join(base, '__init__.py');
        return this.fs.isFile(init) ? init : null;
      }
      return this.moduleIn(base, module);
    }
    if (module === '') return null;
    for (const root of this.rootsFor(dir)) {
      const r = this.moduleIn(root, module);
      if (r) return r;
    }
    return null;
  }

  /** The import roots for files in `dir`, in search order. */
  rootsFor(dir: string): string[] {
    const cached = this.roots.get(dir);
    if (cached) return cached;
    const out: string[] = [];
    const add = (p: string) => {
      if (!out.includes(p)) out.push(p);
    };
    let top = dir;
    while (this.fs.isFile(path.join(top, '__init__.py'))) {
      const parent = path.dirname(top);
      if (parent === top) break;
      top = parent;
    }
    add(top);
    let gitRoot: string | undefined;
    for (let d = dir; ; ) {
      if (PROJECT_MARKERS.some((m) => this.fs.isFile(path.join(d, m)))) {
        add(d);
        const src = path.join(d, 'src');
        if (this.fs.isDirectory(src)) add(src);
      }
      if (!gitRoot && (this.fs.isDirectory(path.join(d, '.git')) || this.fs.isFile(path.join(d, '.git')))) gitRoot = d;
      const parent = path.dirname(d);
      if (parent === d) break;
      d = parent;
    }
    if (gitRoot) add(gitRoot);
    add(dir);
    this.roots.set(dir, out);
    return out;
  }

  private moduleIn(root: string, module: string): string | null {
    const parts = module.split('.');
    if (!parts.every((p) => IDENTIFIER.test(p))) return null;
    const p = path.join(root, ...parts);
    if (this.fs.isFile(p + '.py')) return p + '.py';
    const init = path.join(p, '__init__.py');
    return this.fs.isFile(init) ? init : null;
  }
}
