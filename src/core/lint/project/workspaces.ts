// Workspace packages of a monorepo, by package name. The workspace root is the nearest folder above a file
// whose package.json lists `workspaces` (npm, yarn, bun: an array, or `{ packages: [...] }`), or that holds
// a pnpm-workspace.yaml (its `packages:` list) or a lerna.json (`packages`). Its globs (`packages/*`,
// `apps/**`, `tools/cli`, exclusions with `!`) are expanded to the folders holding a package.json with a
// `name`; node_modules and dot-folders are never entered. The first folder found for a name wins.

import * as path from 'path';
import type { FsCache } from './fsCache';
import { isObject } from './jsonc';

export interface Workspace {
  root: string;
  /** Package name → its folder (absolute). */
  packages: Map<string, string>;
}

const MAX_GLOBSTAR_DEPTH = 6;

export class WorkspaceReader {
  private readonly roots = new Map<string, Workspace | null>();
  private readonly byRoot = new Map<string, Workspace | null>();

  constructor(private readonly fs: FsCache) {}

  clear(): void {
    this.roots.clear();
    this.byRoot.clear();
  }

  /** The workspace the folder `dir` lies in, or null. */
  forDirectory(dir: string): Workspace | null {
    const cached = this.roots.get(dir);
    if (cached !== undefined) return cached;
    let ws: Workspace | null = null;
    const patterns = path.basename(dir) === 'node_modules' ? undefined : this.patternsAt(dir);
    if (patterns) ws = this.workspaceAt(dir, patterns);
    else {
      const parent = path.dirname(dir);
      if (parent !== dir && path.basename(dir) !== 'node_modules') ws = this.forDirectory(parent);
    }
    this.roots.set(dir, ws);
    return ws;
  }

  private workspaceAt(root: string, patterns: string[]): Workspace {
    let ws = this.byRoot.get(root);
    if (!ws) {
      ws = { root, packages: this.expand(root, patterns) };
      this.byRoot.set(root, ws);
    }
    return ws;
  }

  /** The workspace globs declared in `dir`, or undefined when `dir` is not a workspace root. */
  private patternsAt(dir: string): string[] | undefined {
    const pkg = this.fs.readJson(path.join(dir, 'package.json'));
    if (isObject(pkg)) {
      const w = pkg.workspaces;
      const list = Array.isArray(w) ? w : isObject(w) && Array.isArray(w.packages) ? w.packages : undefined;
      if (list) return list.filter((p): p is string => typeof p === 'string');
    }
    const yaml = this.fs.readText(path.join(dir, 'pnpm-workspace.yaml'));
    if (yaml !== undefined) return readYamlList(yaml, 'packages');
    const lerna = this.fs.readJson(path.join(dir, 'lerna.json'));
    if (isObject(lerna) && Array.isArray(lerna.packages)) {
      return lerna.packages.filter((p): p is string => typeof p === 'string');
    }
    return undefined;
  }

  private expand(root: string, patterns: string[]): Map<string, string> {
    const include = patterns.filter((p) => !p.startsWith('!'));
    const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globRegex(clean(p.slice(1))));
    const out = new Map<string, string>();
    const consider = (dir: string) => {
      const rel = path.relative(root, dir).split(path.sep).join('/');
      if (exclude.some((re) => re.test(rel))) return;
      const pkg = this.fs.readJson(path.join(dir, 'package.json'));
      if (isObject(pkg) && typeof pkg.name === 'string' && pkg.name && !out.has(pkg.name)) out.set(pkg.name, dir);
    };
    for (const p of include) {
      const segs = clean(p).split('/').filter((s) => s !== '' && s !== '.');
      if (segs.includes('..')) continue;
      for (const dir of this.glob(root, segs, 0, 0)) consider(dir);
    }
    // the root package itself can be imported by name too (last, so a workspace package of the same name wins)
    consider(root);
    return out;
  }

  private *glob(dir: string, segs: string[], i: number, depth: number): Generator<string> {
    if (i === segs.length) {
      yield dir;
      return;
    }
    const seg = segs[i];
    if (seg === '**') {
      yield* this.glob(dir, segs, i + 1, depth);
      if (depth >= MAX_GLOBSTAR_DEPTH) return;
      for (const child of this.childDirs(dir)) yield* this.glob(child, segs, i, depth + 1);
    } else if (/[*?[]/.test(seg)) {
      const re = globRegex(seg);
      for (const child of this.childDirs(dir)) if (re.test(path.basename(child))) yield* this.glob(child, segs, i + 1, depth);
    } else {
      const child = path.join(dir, seg);
      if (this.fs.isDirectory(child)) yield* this.glob(child, segs, i + 1, depth);
    }
  }

  private childDirs(dir: string): string[] {
    const names = this.fs.readDirectory(dir) ?? [];
    return names
      .filter((n) => n !== 'node_modules' && !n.startsWith('.'))
      .map((n) => path.join(dir, n))
      .filter((p) => this.fs.isDirectory(p));
  }
}

function clean(p: string): string {
  return p.trim().replace(/^\.\//, '').replace(/\/+$/, '');
}

/** A glob over '/'-separated relative paths: `*` and `?` stay within a segment, `**` crosses them. */
export function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '(?:/.*)?$');
}

/**
 * The items of a top-level YAML list, block (`key:` then `- item` lines) or flow (`key: [a, 'b']`) style,
 * quotes and comments removed. Enough for pnpm-workspace.yaml; anything else yields what could be read.
 */
export function readYamlList(text: string, key: string): string[] {
  const lines = text.split(/\r?\n/);
  const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');
  const stripComment = (s: string) => s.replace(/(^|\s)#.*$/, '');
  for (let i = 0; i < lines.length; i++) {
    const m = new RegExp(`^${key}\\s*:\\s*(.*)$`).exec(lines[i]);
    if (!m) continue;
    const rest = stripComment(m[1]).trim();
    if (rest.startsWith('[')) {
      const inner = rest.slice(1, rest.lastIndexOf(']') < 0 ? undefined : rest.lastIndexOf(']'));
      return inner.split(',').map(unquote).filter(Boolean);
    }
    const items: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j];
      if (/^\s*(#.*)?$/.test(line)) continue;
      const item = /^\s*-\s*(.*)$/.exec(line);
      if (item) {
        const v = unquote(stripComment(item[1]));
        if (v) items.push(v);
      } else if (/^\S/.test(line)) break;
    }
    return items;
  }
  return [];
}
