// Python scoping for the lowering: which names a scope (the module, a function, a lambda) binds and how often.
// A name bound exactly once by a plain `name = value` becomes a `const` binding (followed to its value);
// any other name bound in the scope is a `let` (its value unknown, its assignments traced for clients).
// `global` and `nonlocal` names are never `const` anywhere in the file (another scope assigns them).

import type { CNode as SyntaxNode } from './cst';
import { field, fieldAll, named } from './cst';

/** Nodes that open a new scope: their insides bind nothing in the enclosing scope (only their name does). */
const NESTED_SCOPES = new Set(['function_definition', 'class_definition', 'lambda', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension', 'generator_expression']);

export interface ScopeCounts {
  /** How many binding occurrences each name has in the scope. */
  counts: Map<string, number>;
}

function addTarget(t: SyntaxNode | null, counts: Map<string, number>, text: string): void {
  if (!t) return;
  switch (t.type) {
    case 'identifier':
      counts.set(text.slice(t.start, t.end), (counts.get(text.slice(t.start, t.end)) ?? 0) + 1);
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list':
    case 'parenthesized_expression':
    case 'as_pattern_target':
    case 'list_splat_pattern':
    case 'list_splat':
      for (const c of named(t)) addTarget(c, counts, text);
      return;
    default:
      return; // attributes and subscripts bind no name
  }
}

/** Counts the bindings of one scope whose statements (or, for a lambda, expression) are `root`'s children. */
export function countBindings(root: SyntaxNode, text: string, forcedLet: ReadonlySet<string>): ScopeCounts {
  const counts = new Map<string, number>();
  const visit = (n: SyntaxNode): void => {
    switch (n.type) {
      case 'function_definition':
      case 'class_definition': {
        addTarget(field(n, 'name'), counts, text);
        return;
      }
      case 'assignment': {
        addTarget(field(n, 'left'), counts, text);
        const right = field(n, 'right');
        if (right) visit(right);
        return;
      }
      case 'augmented_assignment':
        addTarget(field(n, 'left'), counts, text);
        addTarget(field(n, 'left'), counts, text);
        break;
      case 'for_statement':
      case 'for_in_clause':
        addTarget(field(n, 'left'), counts, text);
        break;
      case 'named_expression':
        addTarget(field(n, 'name'), counts, text);
        break;
      case 'as_pattern':
        addTarget(field(n, 'alias'), counts, text);
        break;
      case 'import_statement':
        for (const c of named(n)) {
          if (c.type === 'aliased_import') addTarget(field(c, 'alias'), counts, text);
          else if (c.type === 'dotted_name' && named(c)[0]) addTarget(named(c)[0], counts, text);
        }
        return;
      case 'import_from_statement':
        for (const c of fieldAll(n, 'name')) {
          if (c.type === 'aliased_import') addTarget(field(c, 'alias'), counts, text);
          else if (c.type === 'dotted_name') addTarget(named(c)[named(c).length - 1] ?? null, counts, text);
        }
        return;
      case 'delete_statement':
        for (const c of named(n)) addTarget(c, counts, text);
        return;
    }
    if (NESTED_SCOPES.has(n.type) && n !== root) return;
    for (const c of named(n)) visit(c);
  };
  for (const c of named(root)) visit(c);
  for (const name of forcedLet) if (counts.has(name)) counts.set(name, Math.max(2, counts.get(name) ?? 0));
  return { counts };
}

/** Every name named in a `global` or `nonlocal` statement anywhere in the tree. */
export function globalNames(root: SyntaxNode, text: string): Set<string> {
  const out = new Set<string>();
  const visit = (n: SyntaxNode): void => {
    if (n.type === 'global_statement' || n.type === 'nonlocal_statement') {
      for (const id of named(n)) if (id.type === 'identifier') out.add(text.slice(id.start, id.end));
      return;
    }
    for (const c of n.children) if (c.named) visit(c);
  };
  visit(root);
  return out;
}

/** The names a scope declares `global` or `nonlocal` (its own statements, not nested scopes'). */
export function declaredOutside(root: SyntaxNode, text: string): Set<string> {
  const out = new Set<string>();
  const visit = (n: SyntaxNode): void => {
    if (n.type === 'global_statement' || n.type === 'nonlocal_statement') {
      for (const id of named(n)) if (id.type === 'identifier') out.add(text.slice(id.start, id.end));
      return;
    }
    if (NESTED_SCOPES.has(n.type) && n !== root) return;
    for (const c of n.children) if (c.named) visit(c);
  };
  visit(root);
  return out;
}
