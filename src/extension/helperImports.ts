// The import of the retry helper's names into a document, as text (no editor API here, so it is unit-tested):
// which names are already there, and the one insertion that adds the missing ones, either into an existing
// import (or require) of the helper or as a new statement. Applying it twice changes nothing the second time.

export type ImportStyle = 'esm' | 'cjs';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `name` is already imported (from any module), required, or defined in the text. */
export function hasHelperName(text: string, name: string): boolean {
  const n = escape(name);
  return (
    new RegExp(`import\\s*(?:type\\s+)?\\{[^}]*\\b${n}\\b[^}]*\\}\\s*from\\s*['"][^'"]+['"]`).test(text) ||
    new RegExp(`\\{[^}]*\\b${n}\\b[^}]*\\}\\s*=\\s*require\\(\\s*['"][^'"]+['"]\\s*\\)`).test(text) ||
    new RegExp(`\\b(?:function\\s+${n}\\b|(?:const|let|var)\\s+${n}\\s*=)`).test(text)
  );
}

export function importStatement(style: ImportStyle, specifier: string, names: readonly string[] = ['withRetry']): string {
  const list = names.join(', ');
  return style === 'esm' ? `import { ${list} } from '${specifier}';` : `const { ${list} } = require('${specifier}');`;
}

const stripExt = (s: string) => s.replace(/\.[cm]?[jt]sx?$/i, '');

/**
 * Where to add `names` to an import (or destructuring require) of `specifier` already in the text (the same
 * path with or without its extension): the offset just after the last name in its braces, and the text
 * (`, withStreamRetry`). Null when the text has no such import.
 */
export function extendExistingImport(text: string, specifier: string, names: readonly string[]): { offset: number; text: string } | null {
  if (!names.length) return null;
  const re = /(?:import\s*\{([^}]*)\}\s*from\s*|(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*)(['"])([^'"]+)\3/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (stripExt(m[4]) !== stripExt(specifier)) continue;
    const inner = m[1] ?? m[2];
    const braceOpen = text.indexOf('{', m.index);
    let end = braceOpen + 1 + inner.length; // the closing brace
    while (end > braceOpen + 1 && /\s/.test(text[end - 1])) end--;
    const trailingComma = text[end - 1] === ',';
    const list = names.join(', ');
    return { offset: end, text: trailingComma ? ` ${list},` : `, ${list}` };
  }
  return null;
}
