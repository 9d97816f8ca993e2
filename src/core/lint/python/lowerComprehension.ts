// Lowering of list, set and generator comprehensions to what they mean in the generic tree, so the rules that
// read `xs.map((x) => …)` read them too:
//   [E for x in xs]                    → xs.map((x) => E)
//   [E for x in xs if C]               → xs.filter((x) => C).map((x) => E)
//   [E for a in A for b in B]          → A.flatMap((a) => B.map((b) => E))
// Each arrow is the comprehension's own scope (Python 3): it binds the loop targets; the first iterable is
// read in the enclosing scope, as Python does. The arrows are never async: an `await` in E waits for each
// element in turn. Dict comprehensions stay opaque.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, Node } from '../ruleContext';
import type { CNode } from './cst';
import { field, named } from './cst';
import type { ExprLowerer } from './lowerExpr';
import { identifier, mk } from './nodes';
import type { PyNode, Range } from './nodes';

const r = (n: CNode): Range => [n.start, n.end];

/** The generic form of a list / set / generator comprehension, or null when its shape is not the usual one. */
export function lowerComprehension(lw: ExprLowerer, n: CNode): Node | null {
  const body = field(n, 'body');
  const clauses = named(n).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
  if (!body || !clauses.length || clauses[0].type !== 'for_in_clause') return null;
  // group each `for` with the `if`s that follow it
  const groups: Array<{ loop: CNode; ifs: CNode[] }> = [];
  for (const c of clauses) {
    if (c.type === 'for_in_clause') groups.push({ loop: c, ifs: [] });
    else groups[groups.length - 1].ifs.push(c);
  }
  for (const g of groups) if (!field(g.loop, 'left') || !field(g.loop, 'right')) return null;
  const build = (i: number): Node => {
    const { loop, ifs } = groups[i];
    const leftC = field(loop, 'left') as CNode;
    let source = lw.expr(field(loop, 'right') as CNode);
    if (ifs.length) {
      const tests = ifs.map((c) => lw.expr(named(c)[0] ?? c));
      const test = tests.reduce((a, b) => mk('LogicalExpression', [a.range[0], b.range[1]], { operator: '&&', left: a, right: b }));
      const span: Range = [loop.start, ifs[ifs.length - 1].end];
      source = method(source, 'filter', arrow(lw, leftC, test, span), span, r(loop));
    }
    const last = i === groups.length - 1;
    const inner = last ? lw.expr(body) : build(i + 1);
    return method(source, last ? 'map' : 'flatMap', arrow(lw, leftC, inner, r(n)), r(n), r(loop));
  };
  return build(0);
}

/**
 * `object.name(fn)` over `range`. The callee and the method name cover the `for` clause they come from (and the
 * iterable), never the element expression, so a search by offset descends into the arrow for the element.
 */
function method(object: Node, name: string, fn: Node, range: Range, clause: Range): Node {
  const calleeRange: Range = [Math.min(clause[0], object.range[0]), Math.max(clause[1], object.range[1])];
  const callee = mk('MemberExpression', calleeRange, { object, property: identifier(name, clause), computed: false, optional: false });
  return mk('CallExpression', range, { callee, arguments: [fn], optional: false, typeArguments: undefined });
}

/** `(target) => body`, binding the target's names in the arrow's own scope. */
function arrow(lw: ExprLowerer, targetC: CNode, body: Node, range: Range): Node {
  const scope = new Map<string, Binding>();
  const param = pattern(lw, targetC, scope);
  const fn = mk('ArrowFunctionExpression', range, { id: null, params: [param], body, async: false, generator: false, expression: true }) as PyNode;
  fn.pyScope = scope;
  return fn;
}

function pattern(lw: ExprLowerer, t: CNode, scope: Map<string, Binding>): Node {
  if (t.type === 'identifier') {
    const id = identifier(lw.text.slice(t.start, t.end), r(t));
    scope.set(id.name, { kind: 'param', id, declaration: id, init: null });
    return id;
  }
  if (t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern' || t.type === 'tuple' || t.type === 'list') {
    return mk<TSESTree.ArrayPattern>('ArrayPattern', r(t), { elements: named(t).map((c) => pattern(lw, c, scope)), decorators: [] });
  }
  if (t.type === 'parenthesized_expression' && named(t)[0]) return pattern(lw, named(t)[0], scope);
  return lw.expr(t);
}
