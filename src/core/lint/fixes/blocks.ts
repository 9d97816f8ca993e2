// Small helpers the statement-level fixes share: find a node by its range, the statement list a node sits
// in, the names a range of statements declares and whether later code reads them, and re-indenting lines
// (never inside a multi-line template literal, whose text would change).

import { childKeys } from '../scan';
import { eol, indentAt } from '../fixes';
import type { N } from '../retry/model';
import { visit } from '../retry/ast';

/** The node of `type` whose range is exactly [start, end), descending from `root`. */
export function nodeAtRange(root: N, start: number, end: number, type?: string): N | null {
  let cur: N | null = root;
  while (cur) {
    if (cur.range[0] === start && cur.range[1] === end && (!type || cur.type === type)) return cur;
    let next: N | null = null;
    for (const k of childKeys(cur.type)) {
      const c = cur[k];
      if (!c) continue;
      const list: N[] = Array.isArray(c) ? c.filter((x: N | null) => x && typeof x.type === 'string') : typeof c.type === 'string' ? [c] : [];
      next = list.find((x) => x.range[0] <= start && end <= x.range[1]) ?? null;
      if (next) break;
    }
    cur = next;
  }
  return null;
}

/** The statement list (a block's or the program's body) holding `node`, and the statement of it around `node`. */
export function statementIn(node: N): { list: N[]; index: number; owner: N } | null {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if ((p.type === 'BlockStatement' || p.type === 'Program') && Array.isArray(p.body)) {
      const index = p.body.indexOf(child);
      return index >= 0 ? { list: p.body, index, owner: p } : null;
    }
    if (p.type === 'StaticBlock' || p.type === 'SwitchCase') return null;
    if (isFunctionLike(p) || p.type === 'ClassBody') return null;
  }
  return null;
}

export function isFunctionLike(n: N): boolean {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
}

/** Names declared directly by statements (let/const/var, functions and classes; not inside nested blocks). */
export function declaredNames(statements: N[]): Set<string> {
  const out = new Set<string>();
  const addPattern = (p: N | null | undefined): void => {
    if (!p) return;
    if (p.type === 'Identifier') out.add(p.name);
    else if (p.type === 'ObjectPattern') for (const x of p.properties) addPattern(x.type === 'RestElement' ? x.argument : x.value);
    else if (p.type === 'ArrayPattern') for (const x of p.elements) addPattern(x);
    else if (p.type === 'RestElement') addPattern(p.argument);
    else if (p.type === 'AssignmentPattern') addPattern(p.left);
  };
  for (const s of statements) {
    const d = s.type === 'ExportNamedDeclaration' && s.declaration ? s.declaration : s;
    if (d.type === 'VariableDeclaration') for (const x of d.declarations) addPattern(x.id);
    else if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) out.add(d.id.name);
  }
  return out;
}

/** Whether any identifier in `nodes` (as a value, not a property name) is one of `names`. */
export function readsAny(nodes: N[], names: Set<string>): boolean {
  if (!names.size) return false;
  let hit = false;
  for (const s of nodes) {
    visit(s, (n) => {
      if (hit) return false;
      if (n.type === 'Identifier' && names.has(n.name)) {
        const p = n.parent;
        const isKey = p && ((p.type === 'MemberExpression' && p.property === n && !p.computed) || (p.type === 'Property' && p.key === n && !p.computed && !p.shorthand));
        if (!isKey) hit = true;
      }
    });
    if (hit) return true;
  }
  return false;
}

/** One level of indentation as the file writes it: a tab, or the step between `inner` and `outer`, else two spaces. */
export function indentUnit(text: string, inner: string, outer: string): string {
  if (inner.startsWith('\t')) return '\t';
  if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  const m = /\n( +)\S/.exec(text);
  return m ? m[1] : '  ';
}

/** Ranges of multi-line template literals in `root`: lines starting inside them keep their text. */
function templateRanges(root: N): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  visit(root, (n) => {
    if (n.type === 'TemplateLiteral') out.push([n.range[0], n.range[1]]);
  });
  return out;
}

/**
 * The text of [start, end) with `extra` added at the start of every line after the first (the first line's
 * indentation comes from the caller), except lines that begin inside a template literal.
 */
export function reindent(text: string, start: number, end: number, extra: string, roots: N[]): string {
  const templates = roots.flatMap(templateRanges);
  let out = '';
  let from = start;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    const lineStart = i + 1;
    out += text.slice(from, lineStart);
    const inTemplate = templates.some(([a, b]) => a < lineStart && lineStart < b);
    const blank = /^[ \t]*(\r?\n|$)/.test(text.slice(lineStart, Math.min(end, text.indexOf('\n', lineStart) + 1 || end)));
    if (!inTemplate && !blank && lineStart < end) out += extra;
    from = lineStart;
  }
  return out + text.slice(from, end);
}

export { eol, indentAt };

/** Whether `n` is (inside) the test of an `if` or a conditional, within its statement. */
export function inTest(n: N): boolean {
  for (let c = n, p = n.parent; p; c = p, p = p.parent) {
    if ((p.type === 'IfStatement' || p.type === 'ConditionalExpression') && p.test === c) return true;
    if (p.type.endsWith('Statement')) return false;
  }
  return false;
}

/** Whether `inner`'s range lies within `outer`'s. */
export function contains(outer: N, inner: N): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}
