// Text edits that only Python fixes need: adding an `import` at the right place of a module.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TextEdit } from '../rule';

/**
 * An edit that adds `import <module>` to a Python module, or null when the module is already imported under
 * its own name. It goes before the first top-level import, else after the module docstring, else after
 * a shebang and an encoding line.
 */
export function pythonImportEdit(text: string, ast: TSESTree.Program, module: string): TextEdit | null {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  for (const s of ast.body) {
    if (s.type !== 'ImportDeclaration' || s.source.value !== module) continue;
    if (s.specifiers.some((sp) => sp.type === 'ImportNamespaceSpecifier' && sp.local.name === module)) return null;
  }
  const firstImport = ast.body.find((s) => s.type === 'ImportDeclaration' && s.source.value !== '__future__');
  const lastFuture = [...ast.body].reverse().find((s) => s.type === 'ImportDeclaration' && s.source.value === '__future__');
  if (firstImport && (!lastFuture || firstImport.range[0] > lastFuture.range[0])) {
    const at = lineStart(text, firstImport.range[0]);
    return { start: at, end: at, text: `import ${module}${nl}` };
  }
  const after = lastFuture ?? docstring(ast);
  if (after) {
    const end = lineEnd(text, after.range[1]);
    return { start: end, end, text: `${nl}import ${module}` };
  }
  let at = 0;
  for (;;) {
    const line = text.slice(at, lineEnd(text, at));
    if (!/^#!|^#.*coding[:=]/.test(line) || at >= text.length) break;
    at = lineEnd(text, at) + nl.length;
    if (at > text.length) return { start: text.length, end: text.length, text: `${nl}import ${module}${nl}` };
  }
  return { start: at, end: at, text: `import ${module}${nl}` };
}

function docstring(ast: TSESTree.Program): TSESTree.Node | null {
  const first = ast.body[0];
  if (first && first.type === 'ExpressionStatement' && first.expression.type === 'Literal' && typeof first.expression.value === 'string') return first;
  return null;
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
