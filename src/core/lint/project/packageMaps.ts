// package.json `exports` and `imports` maps, read as Node and TypeScript read them, but generous: every
// target a condition could select is returned, best first, so the resolver can take the first that leads
// to a source file (a `types` entry pointing at `dist/index.d.ts` still leads to `src/index.ts`).
//
// - Keys: an exact key wins; otherwise the pattern key (one `*`) with the longest prefix before the `*`,
//   then the longer key; legacy folder keys ending in `/` map by prefix.
// - Values: a string; an array (each tried in turn); an object of conditions, taken in the object's own
//   order except that `source` and `typescript` (source-first conventions) come first; null excludes.

import { isObject } from './jsonc';

const PREFERRED_CONDITIONS = ['source', 'typescript'];

/** Candidate targets (as written, `*` replaced) for `subpath` ('.', './client') of an `exports` field. */
export function exportTargets(exportsField: unknown, subpath: string): string[] {
  let map: Record<string, unknown>;
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) map = { '.': exportsField };
  else if (isObject(exportsField)) {
    const keys = Object.keys(exportsField);
    map = keys.length > 0 && keys.every((k) => k.startsWith('.')) ? exportsField : { '.': exportsField };
  } else return [];
  return mapTargets(map, subpath);
}

/** Candidate targets for a `#name` specifier of an `imports` field. */
export function importTargets(importsField: unknown, specifier: string): string[] {
  if (!isObject(importsField)) return [];
  return mapTargets(importsField, specifier);
}

function mapTargets(map: Record<string, unknown>, key: string): string[] {
  if (Object.prototype.hasOwnProperty.call(map, key)) return flatten(map[key], undefined);
  let best: { key: string; star: string } | undefined;
  for (const k of Object.keys(map)) {
    const star = k.indexOf('*');
    if (star < 0 || k.indexOf('*', star + 1) >= 0) continue;
    const prefix = k.slice(0, star);
    const suffix = k.slice(star + 1);
    if (key.length < k.length || !key.startsWith(prefix) || !key.endsWith(suffix)) continue;
    if (
      !best ||
      prefix.length > best.key.indexOf('*') ||
      (prefix.length === best.key.indexOf('*') && k.length > best.key.length)
    ) {
      best = { key: k, star: key.slice(prefix.length, key.length - suffix.length) };
    }
  }
  if (best) return flatten(map[best.key], best.star);
  // legacy folder mappings: "./lib/": "./src/lib/"
  let folder: string | undefined;
  for (const k of Object.keys(map)) {
    if (k.endsWith('/') && key.startsWith(k) && (!folder || k.length > folder.length)) folder = k;
  }
  if (folder) {
    const rest = key.slice(folder.length);
    return flatten(map[folder], undefined)
      .filter((t) => t.endsWith('/'))
      .map((t) => t + rest);
  }
  return [];
}

function flatten(value: unknown, star: string | undefined, depth = 0): string[] {
  if (depth > 20) return [];
  if (typeof value === 'string') return [star === undefined ? value : value.split('*').join(star)];
  if (Array.isArray(value)) return value.flatMap((v) => flatten(v, star, depth + 1));
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => !k.startsWith('.'));
    const ordered = [
      ...PREFERRED_CONDITIONS.filter((k) => keys.includes(k)),
      ...keys.filter((k) => !PREFERRED_CONDITIONS.includes(k)),
    ];
    return ordered.flatMap((k) => flatten(value[k], star, depth + 1));
  }
  return [];
}

/** '@scope/name/sub/path' → { name: '@scope/name', subpath: './sub/path' }; null when not a package name. */
export function splitPackageSpecifier(spec: string): { name: string; subpath: string } | null {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  if (parts.length < n || parts.slice(0, n).some((p) => p === '' || p === '.' || p === '..')) return null;
  if (n === 2 && parts[0].length < 2) return null;
  const name = parts.slice(0, n).join('/');
  if (/[\s\\]/.test(name) || name.startsWith('.')) return null;
  const rest = parts.slice(n);
  if (rest.some((p) => p === '' || p === '.' || p === '..')) return null;
  return { name, subpath: rest.length ? './' + rest.join('/') : '.' };
}
