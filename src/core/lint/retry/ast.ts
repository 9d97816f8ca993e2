// Small tree helpers over loosely read nodes (field access by name): walking, names of callees, keys and
// functions, and how a statement can complete.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node } from '../ruleContext';
import { keyName, unwrap } from '../requestModel';
import { forEachNode, propName as memberName } from '../scan';
import type { N } from './model';

/** Visits a subtree (the engine's walker); return false from fn to skip a node's children. */
export function visit(node: N, fn: (n: N) => boolean | void): void {
  forEachNode(node as unknown as Node, fn as unknown as (n: Node) => boolean | void);
}

/** Visits a subtree without entering nested functions (the root itself may be a function). */
export function visitSameFunction(root: N, fn: (n: N) => boolean | void): void {
  visit(root, (n) => {
    if (n !== root && isFn(n)) return false;
    return fn(n);
  });
}

export function isFn(n: N | null | undefined): boolean {
  return !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression');
}

export function isLoop(n: N): boolean {
  return (
    n.type === 'ForStatement' ||
    n.type === 'WhileStatement' ||
    n.type === 'DoWhileStatement' ||
    n.type === 'ForOfStatement' ||
    n.type === 'ForInStatement'
  );
}

export function contains(outer: N, inner: N): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** Strips type assertions, `!` and the ChainExpression of an optional chain. */
export function unwrapExpr(e: N): N {
  return unwrap(e as unknown as Node, true) as unknown as N;
}

export function propName(m: N): string | null {
  return memberName(m as unknown as TSESTree.MemberExpression);
}

export function isIdent(n: N | null | undefined, name?: string): boolean {
  return !!n && n.type === 'Identifier' && (name === undefined || n.name === name);
}

/** `Math.random` style: object identifier + property name. */
export function isMemberCall(call: N, obj: string, prop: string): boolean {
  const c = call.callee;
  return c && c.type === 'MemberExpression' && isIdent(c.object, obj) && propName(c) === prop;
}

/** The simple name of a callee: `f` for `f()`, `m` for `a.b.m()`. */
export function calleeName(call: N): string | null {
  const c = unwrapExpr(call.callee);
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression') return propName(c);
  return null;
}

export function keyOf(p: N): string | null {
  return p && p.key ? keyName(p as unknown as TSESTree.Property) : null;
}

/** The name a function is known by in this file, and whether callers call it as `name()` or `x.name()`. */
export function functionName(fn: N): { name: string; member: boolean } | null {
  if (fn.type === 'FunctionDeclaration' && fn.id) return { name: fn.id.name, member: false };
  const p = fn.parent;
  if (!p) return null;
  if (p.type === 'VariableDeclarator' && p.init === fn && p.id.type === 'Identifier') return { name: p.id.name, member: false };
  if (p.type === 'AssignmentExpression' && p.right === fn) {
    if (p.left.type === 'Identifier') return { name: p.left.name, member: false };
    if (p.left.type === 'MemberExpression') {
      const n = propName(p.left);
      return n ? { name: n, member: true } : null;
    }
  }
  if ((p.type === 'MethodDefinition' || p.type === 'Property' || p.type === 'PropertyDefinition') && p.value === fn) {
    const n = keyOf(p);
    return n ? { name: n, member: true } : null;
  }
  if (fn.type === 'FunctionExpression' && fn.id) return { name: fn.id.name, member: false };
  return null;
}

/** [A-Za-z0-9_$#] */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 35;
}

/** An identifier used as a value (not a property name or an object key). */
export function isValueRef(id: N): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'MemberExpression' && p.property === id && !p.computed) return false;
  if ((p.type === 'Property' || p.type === 'PropertyDefinition' || p.type === 'MethodDefinition') && p.key === id && !p.computed && !p.shorthand) return false;
  return true;
}

export function isMessagesReceiver(obj: N): boolean {
  const x = unwrapExpr(obj);
  return x.type === 'MemberExpression' && propName(x) === 'messages';
}

export function isTrueLiteral(e: N): boolean {
  const x = unwrapExpr(e);
  return x.type === 'Literal' && (x.value === true || x.value === 1);
}

export function refersTo(e: N | null | undefined, names: Set<string>): boolean {
  if (!e) return false;
  let hit = false;
  visit(e, (n) => {
    if (n.type === 'Identifier' && names.has(n.name)) hit = true;
    return !hit;
  });
  return hit;
}

/** How a statement can complete: normally (falls through), by `continue`, or neither (throw/return/break). */
function completion(s: N | null | undefined): { normal: boolean; cont: boolean } {
  if (!s) return { normal: true, cont: false };
  switch (s.type) {
    case 'ThrowStatement':
    case 'ReturnStatement':
    case 'BreakStatement':
      return { normal: false, cont: false };
    case 'ContinueStatement':
      return { normal: false, cont: true };
    case 'BlockStatement': {
      let cont = false;
      for (const x of s.body) {
        const c = completion(x);
        cont ||= c.cont;
        if (!c.normal) return { normal: false, cont };
      }
      return { normal: true, cont };
    }
    case 'IfStatement': {
      const a = completion(s.consequent);
      const b = completion(s.alternate);
      return { normal: a.normal || b.normal, cont: a.cont || b.cont };
    }
    case 'TryStatement': {
      const f = s.finalizer ? completion(s.finalizer) : null;
      if (f && !f.normal) return f;
      const a = completion(s.block);
      const b = s.handler ? completion(s.handler.body) : { normal: false, cont: false };
      return { normal: a.normal || b.normal, cont: a.cont || b.cont };
    }
    case 'ExpressionStatement': {
      const e = unwrapExpr(s.expression);
      return { normal: !(e.type === 'CallExpression' && isMemberCall(e, 'process', 'exit')), cont: false };
    }
    default:
      return { normal: true, cont: false };
  }
}

/** true when every path through a statement leaves the enclosing loop (throw, return, break). */
export function alwaysLeaves(s: N | null | undefined): boolean {
  if (!s) return false;
  const c = completion(s);
  return !c.normal && !c.cont;
}

/** true when the handler always leaves before reaching `target` (a throw/return earlier in the same block). */
export function alwaysLeavesBefore(handler: N, target: N): boolean {
  if (handler.type !== 'BlockStatement') return false;
  for (const s of handler.body) {
    if (contains(s, target)) return false;
    if (alwaysLeaves(s)) return true;
  }
  return false;
}
