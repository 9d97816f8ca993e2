// Building the generic (ESTree-shaped) nodes the Python front end lowers to. Every node has `range`
// (offsets into the Python text) and `parent` (set when its parent is built). Python-only details ride along
// in `py*` properties that the generic walkers never visit.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, Node } from '../ruleContext';

export type Range = [number, number];

/** A lowered node with the Python extras the front end may attach. */
export type PyNode = Node & {
  /** On a synthetic ObjectExpression: the keyword arguments of a call (printed `key=value`). */
  pyKwargs?: true;
  /** On Program and functions: the names bound in that Python scope. */
  pyScope?: Map<string, Binding>;
  /** On functions: the decorators, lowered (tenacity's `@retry(...)`, `@backoff.on_exception(...)`). */
  pyDecorators?: Node[];
  /** On a BlockStatement lowered from `with` / `async with`. */
  pyWith?: 'sync' | 'async';
  /** On the IfStatement chain of an `except` clause: the exception classes it matches (null: bare except). */
  pyExceptTypes?: Node | null;
  /** On the IfStatement that stands for a try's `else:` block (its test is opaque: "the body raised nothing"). */
  pyTryElse?: true;
  /** On Program: every import statement of the file, wherever it is. */
  pyImports?: Node[];
  /** A node that stands for Python code the front end does not model: it evaluates to unknown. */
  pyOpaque?: string;
};

function linkChild(child: unknown, parent: Node): void {
  if (!child || typeof child !== 'object') return;
  if (Array.isArray(child)) {
    for (const c of child) linkChild(c, parent);
    return;
  }
  const n = child as { type?: unknown; parent?: Node };
  if (typeof n.type === 'string' && n.parent === undefined) n.parent = parent;
}

/** Makes a node of `type` over `range` with `props`, and sets `parent` on the child nodes in `props`. */
export function mk<T extends Node = Node>(type: string, range: Range, props: Record<string, unknown> = {}): T {
  const n = { type, range, ...props } as unknown as T;
  for (const k in props) {
    if (k === 'parent' || k === 'range') continue;
    linkChild(props[k], n);
  }
  return n;
}

export function identifier(name: string, range: Range): TSESTree.Identifier {
  return mk<TSESTree.Identifier>('Identifier', range, { name, optional: false, decorators: [] });
}

export function literal(value: string | number | boolean | null, raw: string, range: Range): TSESTree.Literal {
  return mk<TSESTree.Literal>('Literal', range, { value, raw });
}

/** Python code the front end does not model, with its lowered parts as children (so calls inside count). */
export function opaque(kind: string, range: Range, parts: Node[]): Node {
  const n = mk('SequenceExpression', range, { expressions: parts });
  (n as PyNode).pyOpaque = kind;
  return n;
}

export function isKwargsObject(n: Node): boolean {
  return n.type === 'ObjectExpression' && (n as PyNode).pyKwargs === true;
}
