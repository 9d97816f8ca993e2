// Making the Python retry helper importable from a module: the module path a `from … import with_retry` needs
// (relative inside a package, plain beside a script), and the import edit itself, placed after the module
// docstring, the `from __future__` imports and the leading imports, or merged into an existing import of the
// helper. Pure: the file system is asked through a callback, the text is parsed with the Python front end
// (whose parser must be loaded).

import * as path from 'path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TextEdit } from '../rule';
import { parsePython } from './frontEnd';
import type { PyNode } from './nodes';

/** The file name of the Python retry helper as shipped. */
export const PY_HELPER_FILE = 'claude_retry.py';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The module path under which `docFile` imports `helperFile`, or null when it cannot:
 * - a module of a package (its folder has `__init__.py`) imports a helper inside the same top-level package
 *   relatively: `.claude_retry` beside it, `..util.claude_retry` elsewhere in the package;
 * - a script (no `__init__.py` beside it) imports a helper beside it, or in a folder below it, by its plain
 *   name (`claude_retry`, `lib.claude_retry`), which works when the script is run, as its folder is on sys.path.
 */
export function pythonHelperModule(docFile: string, helperFile: string, isFile: (p: string) => boolean, p: typeof path = path): string | null {
  const base = p.basename(helperFile).replace(/\.py$/i, '');
  if (!IDENTIFIER.test(base)) return null;
  const docDir = p.dirname(p.resolve(docFile));
  const helperDir = p.dirname(p.resolve(helperFile));
  const isPackage = (dir: string): boolean => isFile(p.join(dir, '__init__.py'));
  const within = (dir: string, root: string): string[] | null => {
    const rel = p.relative(root, dir);
    if (rel === '') return [];
    if (rel.startsWith('..') || p.isAbsolute(rel)) return null;
    const parts = rel.split(/[\\/]+/);
    return parts.every((s) => IDENTIFIER.test(s)) ? parts : null;
  };
  if (!isPackage(docDir)) {
    const down = within(helperDir, docDir);
    return down ? [...down, base].join('.') : null;
  }
  let top = docDir;
  for (let up = p.dirname(top); up !== top && isPackage(up); up = p.dirname(up)) top = up;
  if (!within(helperDir, top)) return null;
  // the deepest folder holding both, then up from the module's folder and down to the helper's
  let common = docDir;
  while (within(helperDir, common) === null) common = p.dirname(common);
  const ups = p.relative(common, docDir) === '' ? 0 : p.relative(common, docDir).split(/[\\/]+/).length;
  const down = within(helperDir, common) as string[];
  return '.'.repeat(ups + 1) + [...down, base].join('.');
}

function lineStart(text: string, at: number): number {
  const i = text.lastIndexOf('\n', at - 1);
  return i < 0 ? 0 : i + 1;
}

function lineEnd(text: string, at: number): number {
  const i = text.indexOf('\n', at);
  if (i < 0) return text.length;
  return text[i - 1] === '\r' ? i - 1 : i;
}

function isDocstring(s: TSESTree.Node): boolean {
  return s.type === 'ExpressionStatement' && s.expression.type === 'Literal' && typeof s.expression.value === 'string';
}

/**
 * The edit that makes `names` (e.g. ['with_retry']) importable in a Python module from `module`, or null when
 * they are all there already (imported or defined at module level, or a `from module import *`). A missing name
 * joins an existing `from module import …`; otherwise a new import goes after the docstring, the
 * `from __future__` imports and the imports that open the module. Throws when the text does not parse.
 */
export function pythonHelperImportEdit(text: string, module: string, names: readonly string[]): TextEdit | null {
  const parsed = parsePython(text);
  if ('error' in parsed) throw new Error(`the file does not parse: ${parsed.error.message}`);
  const ast = parsed.ast;
  const bound = (ast as PyNode).pyScope ?? new Map();
  const body = ast.body as TSESTree.Node[];
  const ours = body.filter((s): s is TSESTree.ImportDeclaration => s.type === 'ImportDeclaration' && s.source.value === module);
  if (ours.some((s) => s.specifiers.length === 0)) return null; // from module import *
  const missing = names.filter((n) => !bound.has(n));
  if (!missing.length) return null;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  // a `from module import a, b` (not `import module`, which binds the module's own name)
  const existing = ours.find((s) => s.specifiers.length > 0 && s.specifiers.every((sp) => sp.type === 'ImportSpecifier'));
  if (existing) {
    const last = existing.specifiers[existing.specifiers.length - 1];
    return { start: last.range[1], end: last.range[1], text: missing.map((n) => `, ${n}`).join('') };
  }
  const statement = `from ${module} import ${missing.join(', ')}`;
  let anchor: TSESTree.Node | null = null;
  for (let i = 0; i < body.length; i++) {
    const s = body[i];
    if ((i === 0 && isDocstring(s)) || s.type === 'ImportDeclaration') anchor = s;
    else break;
  }
  if (anchor) {
    const end = lineEnd(text, anchor.range[1]);
    return { start: end, end, text: `${nl}${statement}` };
  }
  // no docstring and no import first: before the first statement (after a shebang and leading comments)
  if (!body.length) {
    const atEnd = text.length && !text.endsWith('\n') ? nl : '';
    return { start: text.length, end: text.length, text: `${atEnd}${statement}${nl}` };
  }
  const at = lineStart(text, body[0].range[0]);
  return { start: at, end: at, text: `${statement}${nl}${nl}` };
}
