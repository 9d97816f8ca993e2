// The tree-sitter tree copied once into plain objects (one walk with a cursor), so the lowering reads
// ordinary JavaScript data and the WebAssembly tree can be freed at once.

import type { Tree } from 'web-tree-sitter';

export interface CNode {
  type: string;
  start: number;
  end: number;
  named: boolean;
  /** The field name this node has in its parent (`left`, `right`, `name`, `value`…), if any. */
  field: string | null;
  children: CNode[];
  /** ERROR or MISSING node. */
  error: boolean;
}

export function toPlain(tree: Tree): CNode {
  const cursor = tree.walk();
  const language = tree.language;
  // Type and field names by id, looked up once each (fewer strings cross from WebAssembly).
  const types: Array<string | undefined> = [];
  const fields: Array<string | null | undefined> = [];
  const typeName = (id: number): string => (types[id] ??= cursor.nodeType);
  const fieldName = (id: number): string | null => (id === 0 ? null : (fields[id] ??= language.fieldNameForId(id)));
  const checkMissing = tree.rootNode.hasError;
  const build = (field: string | null): CNode => {
    const type = typeName(cursor.nodeTypeId);
    const n: CNode = {
      type,
      start: cursor.startIndex,
      end: cursor.endIndex,
      named: cursor.nodeIsNamed,
      field,
      children: [],
      error: type === 'ERROR' || (checkMissing && cursor.nodeIsMissing),
    };
    if (cursor.gotoFirstChild()) {
      do n.children.push(build(fieldName(cursor.currentFieldId)));
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return n;
  };
  try {
    return build(null);
  } finally {
    cursor.delete();
  }
}

/** The first child with this field name. */
export function field(n: CNode, name: string): CNode | null {
  for (const c of n.children) if (c.field === name) return c;
  return null;
}

export function fieldAll(n: CNode, name: string): CNode[] {
  return n.children.filter((c) => c.field === name);
}

/** Named children, comments left out. */
export function named(n: CNode): CNode[] {
  return n.children.filter((c) => c.named && c.type !== 'comment');
}

export function hasToken(n: CNode, token: string): boolean {
  return n.children.some((c) => !c.named && c.type === token);
}

/** The first ERROR or MISSING node, depth first. */
export function firstError(n: CNode): CNode | null {
  if (n.error) return n;
  for (const c of n.children) {
    const e = firstError(c);
    if (e) return e;
  }
  return null;
}
