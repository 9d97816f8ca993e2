// The file system as module resolution sees it. Injectable, so the editor can serve unsaved or in-memory
// files and tests can use real temporary folders; `nodeProjectHost()` reads the disk.

import * as fs from 'fs';

export interface ProjectHost {
  /** The file's text, or undefined when it is missing or unreadable. */
  readFile(path: string): string | undefined;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /**
   * The names of a directory's entries (files and folders), or undefined when it is not a readable
   * directory. Optional: it expands workspace globs such as `packages/*` (without it the disk is read),
   * and when given it answers most probes (a name missing from its folder's listing is not asked for), so
   * it must list every entry that isFile / isDirectory accept.
   */
  readDirectory?(path: string): string[] | undefined;
}

function stat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Reads the disk; follows symbolic links as Node's own resolution does. Never throws. */
export function nodeProjectHost(): ProjectHost {
  return {
    readFile(p) {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    isFile: (p) => stat(p)?.isFile() ?? false,
    isDirectory: (p) => stat(p)?.isDirectory() ?? false,
    readDirectory(p) {
      try {
        return fs.readdirSync(p);
      } catch {
        return undefined;
      }
    },
  };
}
