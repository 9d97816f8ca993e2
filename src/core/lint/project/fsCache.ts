// Memoised file-system questions for module resolution: whether a path is a file or a directory, a
// directory's entries, and parsed JSON-with-comments files. Resolving thousands of imports asks the same
// questions again and again (every import from one folder probes the same neighbours and configs), so
// each is answered once until `invalidate` says something under a path changed.

import * as fs from 'fs';
import * as path from 'path';
import type { ProjectHost } from './host';
import { parseJsonc } from './jsonc';

export class FsCache {
  private readonly files = new Map<string, boolean>();
  private readonly dirs = new Map<string, boolean>();
  private readonly listings = new Map<string, string[] | undefined>();
  private readonly json = new Map<string, unknown>();
  private readonly texts = new Map<string, string | undefined>();
  private readonly nameSets = new Map<string, Set<string> | null>();

  constructor(readonly host: ProjectHost) {}

  isFile(p: string): boolean {
    let v = this.files.get(p);
    if (v === undefined) {
      v = this.listed(p) && safe(() => this.host.isFile(p), false);
      this.files.set(p, v);
    }
    return v;
  }

  isDirectory(p: string): boolean {
    let v = this.dirs.get(p);
    if (v === undefined) {
      v = this.listed(p) && safe(() => this.host.isDirectory(p), false);
      this.dirs.set(p, v);
    }
    return v;
  }

  /**
   * False when the host lists directories and `p` is not in its parent's listing: most probes (`x.tsx`,
   * `x.js` after `x.ts`, anything under a missing `dist/`) are answered by one listing per folder instead
   * of one stat each. True (ask the host) when the host cannot list.
   */
  private listed(p: string): boolean {
    if (!this.host.readDirectory) return true;
    const parent = path.dirname(p);
    if (parent === p) return true;
    let names = this.nameSets.get(parent);
    if (names === undefined) {
      const list = this.readDirectory(parent);
      names = list ? new Set(list) : null;
      this.nameSets.set(parent, names);
    }
    return names !== null && names.has(path.basename(p));
  }

  /** Entry names of a directory, sorted; undefined when it cannot be listed. */
  readDirectory(p: string): string[] | undefined {
    if (this.listings.has(p)) return this.listings.get(p);
    const host = this.host;
    const names = safe(
      () =>
        host.readDirectory
          ? host.readDirectory(p)
          : fs.existsSync(p)
            ? fs.readdirSync(p)
            : undefined,
      undefined,
    );
    const sorted = names ? [...names].sort() : undefined;
    this.listings.set(p, sorted);
    return sorted;
  }

  readText(p: string): string | undefined {
    if (this.texts.has(p)) return this.texts.get(p);
    const t = this.isFile(p) ? safe(() => this.host.readFile(p), undefined) : undefined;
    this.texts.set(p, t);
    return t;
  }

  /** The parsed JSON (comments and trailing commas allowed) of a file, or undefined when absent/malformed. */
  readJson(p: string): unknown {
    if (this.json.has(p)) return this.json.get(p);
    const v = parseJsonc(this.readText(p));
    this.json.set(p, v);
    return v;
  }

  /**
   * Forgets what is known about `p`, everything under it and its ancestors (a file created in a new
   * folder changes whether that folder exists); no argument forgets everything.
   */
  invalidate(p?: string): void {
    if (p === undefined) {
      for (const m of this.maps()) m.clear();
      return;
    }
    const target = path.resolve(p);
    const affected = (key: string) =>
      key === target || isUnder(key, target) || isUnder(target, key);
    for (const m of this.maps()) {
      for (const key of [...m.keys()]) if (affected(key)) m.delete(key);
    }
  }

  private maps(): Map<string, unknown>[] {
    return [this.files, this.dirs, this.listings, this.json, this.texts, this.nameSets];
  }
}

/** Whether `child` lies strictly inside the directory `parent`. */
export function isUnder(child: string, parent: string): boolean {
  if (child.length <= parent.length || !child.startsWith(parent)) return false;
  const sepAt = parent.endsWith(path.sep) ? parent.length - 1 : parent.length;
  return child[sepAt] === path.sep || child[sepAt] === '/';
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
