// The packages a source file's project declares: the nearest package.json walking up from the file, its
// `dependencies`, `optionalDependencies` and `peerDependencies` (what runs in production; devDependencies do
// not count). Fixes read it to decide whether a library they would use is already there. Cached per directory;
// invalidateDependenciesCache() forgets it when a package.json changes.

import * as fs from 'fs';
import * as path from 'path';

const cache = new Map<string, string[] | null>();

function declared(dir: string): string[] | null {
  const hit = cache.get(dir);
  if (hit !== undefined) return hit;
  let out: string[] | null = null;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    out = [];
    for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      const deps = pkg[key];
      if (deps && typeof deps === 'object') out.push(...Object.keys(deps as object));
    }
  } catch {
    out = null; // no package.json here (or not readable): look further up
  }
  cache.set(dir, out);
  return out;
}

/** The runtime dependencies of the nearest package.json above `filePath`, or null when there is none. */
export function resolveDependencies(filePath: string): string[] | null {
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    const d = declared(dir);
    if (d) return d;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function invalidateDependenciesCache(): void {
  cache.clear();
}
