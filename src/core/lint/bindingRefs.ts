// Where a name is used: the identifiers of the file that refer to one binding (text search for the name, then
// scope resolution), and the small tree helpers the data-flow rules share (unchecked-truncation, unbounded-fan-out).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, FileContext, Node } from './ruleContext';
import { unwrap } from './requestModel';
import { analyzerOf } from './retry';
import { isFunction } from './scope';

/** referencesTo's results, per binding (bindings belong to one lint's scope resolver, so to one tree). */
const refsMemo = new WeakMap<Binding, { ast: Node; refs: TSESTree.Identifier[] }>();

/** The identifiers (other than the declaring one) that refer to `b`, in source order. */
export function referencesTo(ctx: FileContext, b: Binding): TSESTree.Identifier[] {
  const memo = refsMemo.get(b);
  if (memo && memo.ast === ctx.ast) return memo.refs;
  const out: TSESTree.Identifier[] = [];
  // JS scopes are lexical: every reference lies inside the function (or program) around the declaration, so
  // the names outside it are not resolved (Python's `global` can bind a name from inside a function: all)
  const within = ctx.language.id === 'javascript' ? functionOf(b.kind === 'function' || b.kind === 'class' ? b.declaration : b.id) : null;
  const analyzer = analyzerOf(ctx);
  const candidates = within ? analyzer.referencesWithin(b.id.name, within.range[0], within.range[1]) : analyzer.references(b.id.name);
  for (const n of candidates as unknown as Node[]) {
    if (n.type !== 'Identifier' || n === b.id) continue;
    const p = n.parent as Node | undefined;
    // a property name (`x.name`) or an object key is not a reference
    if (p && p.type === 'MemberExpression' && p.property === n && !p.computed) continue;
    if (p && p.type === 'Property' && p.key === n && !p.computed && !p.shorthand) continue;
    if (ctx.resolve(n) === b) out.push(n);
  }
  refsMemo.set(b, { ast: ctx.ast as unknown as Node, refs: out });
  return out;
}

/** Climbs from an expression through `await`, `as`, `!`, optional chains and the like to the node that uses it. */
export function climb(e: Node): { node: Node; parent: Node | null } {
  let n = e;
  for (let p = n.parent as Node | undefined; p; n = p, p = p.parent as Node | undefined) {
    if (p.type === 'AwaitExpression' || p.type === 'ChainExpression' || p.type === 'TSNonNullExpression' || p.type === 'TSAsExpression' || p.type === 'TSSatisfiesExpression') continue;
    return { node: n, parent: p };
  }
  return { node: n, parent: null };
}

/** The binding an expression's value is stored in (`const x = <e>`, `x = <e>`), or null. */
export function storedIn(ctx: FileContext, e: Node): Binding | null {
  const { node, parent } = climb(e);
  if (!parent) return null;
  if (parent.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier') return ctx.resolve(parent.id);
  if (parent.type === 'AssignmentExpression' && parent.operator === '=' && parent.right === node && parent.left.type === 'Identifier') return ctx.resolve(parent.left);
  return null;
}

/** The static name of a callee (`f` for `f()`, `m` for `a.b.m()`), or null. */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | null {
  const c = unwrap(call.callee as Node, true);
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') return c.property.name;
  return null;
}

/** The dotted text of a callee made of names only (`JSON.parse`, `asyncio.gather`), or null. */
export function dottedName(e: Node): string | null {
  const c = unwrap(e, true);
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') {
    const o = dottedName(c.object as Node);
    return o === null ? null : `${o}.${c.property.name}`;
  }
  return null;
}

/** The innermost function containing a node (the node itself excluded), or null at top level. */
export function functionOf(n: Node): Node | null {
  for (let p = n.parent as Node | undefined; p; p = p.parent as Node | undefined) if (isFunction(p)) return p;
  return null;
}

/** The statement of a block (or program) that contains `n`, and that block's list; null when none. */
export function statementOf(n: Node): Node | null {
  for (let c: Node = n, p = n.parent as Node | undefined; p; c = p, p = p.parent as Node | undefined) {
    if (isFunction(p)) return null;
    if (p.type === 'BlockStatement' || p.type === 'Program' || p.type === 'StaticBlock') return c;
  }
  return null;
}

/** The whitespace before `offset` on its line, or null when something else precedes it there. */
export function indentAt(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}
