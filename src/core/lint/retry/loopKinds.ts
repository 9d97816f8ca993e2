// Loops that send something other than the same request again: agent and tool-use loops (each turn sends a
// new request built from the previous answer) and pagination. A retry sends the same request again after an
// error caught in the loop; reading the answer (`stop_reason`, tool_use blocks) to build what it returns
// does not make a retry loop an agent loop.

import type { RetryShapeAnalyzer } from './analyzer';
import { isFn, keyOf, propName, unwrapExpr, visit, visitSameFunction } from './ast';
import type { N, TryFrame } from './model';

/** Methods that change the array, map or set they are called on. */
const MUTATORS = new Set(['push', 'unshift', 'splice', 'set', 'add']);
/** Names of the conversation an agent loop grows. */
const CONVERSATION = /messages|history|conversation|turns|transcript/i;

/** The variable at the root of `a`, `a.b.c`, `a[0].b`. */
function rootName(e: N): string | null {
  let x = unwrapExpr(e);
  while (x.type === 'MemberExpression') x = unwrapExpr(x.object);
  return x.type === 'Identifier' ? x.name : null;
}

/** A message or a tool result being built: `{ role: … }`, `{ type: 'tool_result', … }`. */
function isMessageObject(e: N): boolean {
  const x = unwrapExpr(e);
  if (x.type !== 'ObjectExpression') return false;
  return x.properties.some((p: N) => {
    const k = keyOf(p);
    if (k === 'role') return true;
    return k === 'type' && p.value?.type === 'Literal' && p.value.value === 'tool_result';
  });
}

/**
 * The variables the request sent in the guarded blocks is built from: identifiers in the arguments of the
 * calls there (the API call, or the same-file function that makes it), and those in the initializers of
 * the local variables they name (`const params = { model, messages }`).
 */
function requestInputs(cx: RetryShapeAnalyzer, blocks: N[]): Set<string> {
  const names = new Set<string>();
  const add = (e: N, depth: number): void => {
    visit(e, (n) => {
      if (n.type !== 'Identifier' || names.has(n.name)) return;
      const p = n.parent;
      if (p && p.type === 'MemberExpression' && p.property === n && !p.computed) return;
      if (p && p.type === 'Property' && p.key === n && !p.computed && !p.shorthand) return;
      names.add(n.name);
      if (depth > 0) {
        const b = cx.resolveName(n.name, n);
        const init = b && b.init ? (b.init as unknown as N) : null;
        if (init && !isFn(unwrapExpr(init))) add(init, depth - 1);
      }
    });
  };
  for (const block of blocks) {
    visitSameFunction(block, (n) => {
      if (n.type !== 'CallExpression' && n.type !== 'NewExpression') return;
      const c = n.callee;
      if (c.type === 'MemberExpression' && MUTATORS.has(propName(c) ?? '')) return;
      for (const a of n.arguments) add(a, 2);
    });
  }
  return names;
}

/**
 * An agent or tool-use loop: on success it sends a new request built from the previous answer. Outside the
 * catch handlers the loop appends messages or tool results, or changes a variable the request is built
 * from (counters aside). Changes made in a catch handler belong to the retry (a fallback, a note).
 */
export function isAgentLoop(cx: RetryShapeAnalyzer, loop: N, retrying: TryFrame[], counters: Set<string>): boolean {
  const handlers = retrying.map((t) => t.handler);
  const inputs = requestInputs(cx, retrying.map((t) => t.block));
  for (const c of counters) inputs.delete(c);
  const changesInput = (target: N): boolean => {
    const name = rootName(target);
    return name !== null && inputs.has(name);
  };
  let agent = false;
  visitSameFunction(loop.body, (n) => {
    if (agent || handlers.includes(n)) return false;
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && MUTATORS.has(propName(n.callee) ?? '')) {
      const target = n.callee.object;
      const tname = rootName(target) ?? (target.type === 'MemberExpression' ? propName(target) ?? '' : '');
      if (changesInput(target) || CONVERSATION.test(tname) || n.arguments.some(isMessageObject)) agent = true;
    } else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propName(n.callee) === 'assign' && rootName(n.callee.object) === 'Object' && n.arguments[0]) {
      if (changesInput(n.arguments[0])) agent = true;
    } else if (n.type === 'AssignmentExpression' && changesInput(n.left)) agent = true;
    else if (n.type === 'UpdateExpression' && changesInput(n.argument)) agent = true;
    else if (n.type === 'Literal' && n.value === 'tool_result') agent = true;
    return !agent;
  });
  return agent;
}

/** Pagination: the loop's condition or update reads a cursor, a page or a has-more flag. */
export function isPagination(loop: N): boolean {
  const head = [loop.test, loop.update].filter(Boolean) as N[];
  let paging = false;
  for (const h of head) {
    visit(h, (n) => {
      const name = n.type === 'Identifier' ? n.name : n.type === 'MemberExpression' ? propName(n) ?? '' : '';
      if (/^(cursor|page|pageToken|nextPage|next_page|nextCursor|hasMore|has_more|hasNext|offset|after_id|last_id|next)$/i.test(name)) paging = true;
      return !paging;
    });
  }
  return paging;
}
