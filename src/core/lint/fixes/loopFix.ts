// "Replace this loop with withRetry": a hand-written retry loop whose body is only the API call, its try/catch
// and its backoff becomes one `withRetry(() => call)` with the same result (the same return, or the same
// variable) and the same error when it gives up (the last error the call threw). Conservative by design: the
// fix is offered only when everything else in the loop is a wait, a read, a counter, a status check that
// rethrows the caught error, or console.* logging in the catch; any other effect, a different error at the
// end, a break to a label or a request that changes between attempts means no fix.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from '../rule';
import type { RuleContext } from '../ruleContext';
import type { RetryLayer, RetryStack } from '../retry';
import type { N } from '../retry/model';
import { isFn, isLoop, propName, visit } from '../retry/ast';
import { maxRetriesZeroEdit } from '../retryFixes';
import { contains, declaredNames, inTest, readsAny, statementIn } from './blocks';
import { pythonReplaceLoopFix } from '../python/loopFix';

/** withRetry's default `maxAttempts` (RETRY_DEFAULTS in the helper; a test keeps them equal). */
export const HELPER_DEFAULT_ATTEMPTS = 6;

const WAIT_CALLEE = /^(sleep|delay|wait|pause|backoff|setTimeout|timeout)/i;
const READ_CALLS = new Set(['Number', 'parseInt', 'parseFloat', 'String', 'Boolean', 'isNaN', 'isFinite']);
const READ_METHODS = new Set(['get', 'has', 'includes', 'test', 'startsWith', 'endsWith', 'toLowerCase', 'isArray', 'now', 'min', 'max', 'floor', 'ceil', 'round', 'random', 'pow', 'abs', 'getTime', 'parse']);

interface Shape {
  loop: N;
  list: N[];
  index: number;
  /** `return await call` / `x = await call` (x declared before the loop) / `const r = await call; return r`. */
  result: { kind: 'return' } | { kind: 'assign'; name: string };
  catchParam: string;
}

export function replaceLoopFix(ctx: RuleContext, layer: RetryLayer, stack: RetryStack): Fix | null {
  // JavaScript and TypeScript only: a Python loop needs a Python rewrite
  if (ctx.language.id !== 'javascript' || layer.kind !== 'loop' || layer.file || layer.via || layer.failover) return null;
  if (ctx.call.kind !== 'create') return null;
  const call = ctx.call.node as unknown as N;
  const shape = loopShape(call, layer);
  if (!shape) return null;
  const { loop, list, index } = shape;
  const text = ctx.sourceText;

  // names that live only for the loop: its own declarations, and declarations right before it that nothing
  // else reads (counters, delays, the last error); `let x;` of an assigned result becomes `const x = …`
  const trailing = after(list, index, shape);
  const local = declaredIn(loop);
  const kept = (s: N) => s !== loop && !(trailing && s === list[index + 1]);
  const removed: N[] = [];
  let resultDecl: N | null = null;
  for (let k = index - 1; k >= 0 && list[k].type === 'VariableDeclaration'; k--) {
    const names = declaredNames([list[k]]);
    const d = list[k];
    if (shape.result.kind === 'assign' && names.has(shape.result.name)) {
      const x = d.declarations[0];
      if (d.declarations.length === 1 && !x.init && !x.id.typeAnnotation && !writtenOutside(list, loop, shape.result.name)) resultDecl = d;
      break;
    }
    if (readsAny(list.filter((s) => s !== d && kept(s)), names)) break;
    for (const n of names) local.add(n);
    removed.push(d);
  }
  if (refersToAny(call, local)) return null; // the request changes between attempts
  if (!bodyIsOnlyRetry(loop, call, shape.catchParam, local)) return null;

  // how the original gives up, and whether withRetry's (rethrowing the last error) is the same
  // no test, `true`, or a test on the result only (`while (!result)`): it ends on success or a throw in the catch
  const test = loop.test as N | null;
  const unboundedByTest = !test || (test.type === 'Literal' && test.value === true) || (shape.result.kind === 'assign' && onlyReads(test, shape.result.name));
  if (!trailing && !unboundedByTest && !rethrowsOnCounter(loop, shape.catchParam)) return null;

  const zero = stack.layers.length === 1 && stack.sdk.maxRetries !== 0 ? maxRetriesZeroEdit(text, ctx.call.node as TSESTree.CallExpression) : null;
  const callText = zero ? text.slice(call.range[0], zero.start) + zero.text + text.slice(zero.end, call.range[1]) : text.slice(call.range[0], call.range[1]);
  const attempts = layer.attempts !== null && layer.attempts !== HELPER_DEFAULT_ATTEMPTS ? `, { maxAttempts: ${layer.attempts} }` : '';
  const wrapped = `await withRetry(() => ${callText}${attempts})`;
  let replacement: string;
  if (shape.result.kind === 'return') replacement = `return ${wrapped};`;
  else replacement = resultDecl ? `const ${shape.result.name} = ${wrapped};` : `${shape.result.name} = ${wrapped};`;

  // each removed statement goes with the space up to the next one, so the next takes its place and indent
  const edits: TextEdit[] = [...removed, ...(resultDecl ? [resultDecl] : [])].map((s) => ({ start: s.range[0], end: list[list.indexOf(s) + 1].range[0], text: '' }));
  edits.push({ start: loop.range[0], end: trailing ? list[index + 1].range[1] : loop.range[1], text: replacement });
  return { title: 'Replace this loop with withRetry (same result, rethrows the last error)', edits: merge(edits), safe: false, needsRetryHelper: true };
}

/** The loop fix as a list (empty when the loop does not qualify), for reportLayerOnce. */
export function loopFixes(ctx: RuleContext, layer: RetryLayer, stack: RetryStack): Fix[] {
  const f = ctx.language.id === 'python' ? pythonReplaceLoopFix(ctx, layer, stack) : replaceLoopFix(ctx, layer, stack);
  return f ? [f] : [];
}

/** Adjacent removals and the replacement as one edit each, without overlaps. */
function merge(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start <= last.end) {
      last.end = Math.max(last.end, e.end);
      last.text += e.text;
    } else out.push({ ...e });
  }
  return out;
}

/** The loop around the call, with the call's try/catch directly in its body, and the result's form. */
function loopShape(call: N, layer: RetryLayer): Shape | null {
  const awaited = call.parent;
  if (awaited?.type !== 'AwaitExpression') return null;
  let loop: N | undefined = awaited;
  while (loop && !(isLoop(loop) && loop.range[0] === layer.start)) {
    if (isFn(loop)) return null;
    loop = loop.parent;
  }
  if (!loop || loop.type === 'ForOfStatement' || loop.type === 'ForInStatement' || loop.body.type !== 'BlockStatement') return null;
  const at = statementIn(loop);
  if (!at) return null;
  const tries = loop.body.body.filter((s: N) => s.type === 'TryStatement');
  if (tries.length !== 1) return null;
  const t = tries[0];
  if (t.finalizer || !t.handler || t.handler.param?.type !== 'Identifier') return null;
  const block: N[] = t.block.body;
  const p = awaited.parent as N;
  let result: Shape['result'] | null = null;
  if (p.type === 'ReturnStatement' && block.length === 1 && block[0] === p) result = { kind: 'return' };
  else if (p.type === 'AssignmentExpression' && p.operator === '=' && p.left.type === 'Identifier' && p.right === awaited && block[0] === p.parent) {
    const rest = block.slice(1);
    if (rest.length === 0 ? !!loop.test && refersToName(loop.test, p.left.name) : rest.length === 1 && rest[0].type === 'BreakStatement' && !rest[0].label) result = { kind: 'assign', name: p.left.name };
  } else if (p.type === 'VariableDeclarator' && p.id.type === 'Identifier' && block.length === 2 && block[0] === p.parent && p.parent.declarations.length === 1) {
    const r = block[1];
    if (r.type === 'ReturnStatement' && r.argument?.type === 'Identifier' && r.argument.name === p.id.name) result = { kind: 'return' };
  }
  if (!result) return null;
  return { loop, list: at.list, index: at.index, result, catchParam: t.handler.param.name };
}

/** `throw lastError` right after the loop, where the catch stores the caught error in `lastError`. */
function after(list: N[], index: number, shape: Shape): boolean {
  const next = list[index + 1];
  if (!next || next.type !== 'ThrowStatement' || next.argument.type !== 'Identifier') return false;
  const name = next.argument.name;
  let stored = false;
  visit(shape.loop, (n) => {
    if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === name && n.right.type === 'Identifier' && n.right.name === shape.catchParam) stored = true;
  });
  return stored;
}

/** An `if` in the catch that tests a loop counter and rethrows the caught error: the last attempt's error. */
function rethrowsOnCounter(loop: N, param: string): boolean {
  const counters = new Set<string>();
  visit(loop, (n) => {
    if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier') counters.add(n.argument.name);
    if (n.type === 'AssignmentExpression' && n.operator !== '=' && n.left.type === 'Identifier') counters.add(n.left.name);
  });
  let found = false;
  visit(loop.body, (n) => {
    if (n.type === 'IfStatement' && refersToAnyName(n.test, counters)) {
      const c = n.consequent.type === 'BlockStatement' ? n.consequent.body[n.consequent.body.length - 1] : n.consequent;
      if (c?.type === 'ThrowStatement' && c.argument.type === 'Identifier' && c.argument.name === param) found = true;
    }
  });
  return found;
}

function declaredIn(loop: N): Set<string> {
  const out = new Set<string>();
  visit(loop, (n) => {
    if (n.type === 'VariableDeclaration') for (const x of declaredNames([n])) out.add(x);
  });
  return out;
}

/**
 * Everything in the loop other than the try's guarded call is a wait, a read, a counter or local update, a
 * check that rethrows the caught error (or continues), or console.* in the catch.
 */
function bodyIsOnlyRetry(loop: N, call: N, param: string, local: Set<string>): boolean {
  const t = loop.body.body.find((s: N) => s.type === 'TryStatement');
  const handler = t.handler.body;
  const writable = new Set([...local, param]);
  let ok = true;
  visit(loop, (n) => {
    if (!ok) return false;
    if (n === call) return false; // the request itself
    if (isFn(n)) {
      // only `new Promise((r) => setTimeout(r, ms))`
      const p = n.parent;
      ok = p?.type === 'NewExpression' && p.callee.type === 'Identifier' && p.callee.name === 'Promise';
      return ok;
    }
    switch (n.type) {
      case 'ThrowStatement':
        ok = n.argument.type === 'Identifier' && n.argument.name === param;
        break;
      case 'BreakStatement':
        ok = !n.label && contains(t.block, n);
        break;
      case 'ContinueStatement':
        ok = !n.label;
        break;
      case 'ReturnStatement':
        ok = contains(t.block, n);
        break;
      case 'LabeledStatement':
      case 'YieldExpression':
      case 'DeleteExpression':
        ok = false;
        break;
      case 'UpdateExpression':
        ok = n.argument.type === 'Identifier' && writable.has(n.argument.name);
        break;
      case 'AssignmentExpression':
        ok = n.left.type === 'Identifier' && (writable.has(n.left.name) || isResultAssign(n, call));
        break;
      case 'CallExpression':
        ok = allowedCall(n, handler);
        break;
      case 'AwaitExpression':
        ok = n.argument === call || isWait(n.argument);
        break;
    }
    return ok;
  });
  return ok;
}

function isResultAssign(n: N, call: N): boolean {
  return n.right.type === 'AwaitExpression' && n.right.argument === call;
}

function isWait(e: N): boolean {
  if (e.type === 'CallExpression') {
    const name = e.callee.type === 'Identifier' ? e.callee.name : e.callee.type === 'MemberExpression' ? propName(e.callee) : null;
    return !!name && WAIT_CALLEE.test(name);
  }
  return e.type === 'NewExpression' && e.callee.type === 'Identifier' && e.callee.name === 'Promise';
}

function allowedCall(n: N, handler: N): boolean {
  const c = n.callee;
  if (c.type === 'Identifier') {
    if (READ_CALLS.has(c.name) || WAIT_CALLEE.test(c.name)) return true;
    // a predicate in a condition: if (!isRetryable(err)) throw err
    return inTest(n);
  }
  if (c.type !== 'MemberExpression') return false;
  const obj = c.object;
  if (obj.type === 'Identifier' && obj.name === 'console') return contains(handler, n);
  const m = propName(c) ?? '';
  return READ_METHODS.has(m) || WAIT_CALLEE.test(m);
}

/** Whether every identifier in `e` is `name`. */
function onlyReads(e: N, name: string): boolean {
  let only = true;
  visit(e, (n) => {
    if (n.type === 'Identifier' && n.name !== name) only = false;
    if (n.type === 'CallExpression' || n.type === 'MemberExpression') only = false;
    return only;
  });
  return only;
}

function refersToName(e: N, name: string): boolean {
  return refersToAnyName(e, new Set([name]));
}

function refersToAnyName(e: N, names: Set<string>): boolean {
  return readsAny([e], names);
}

function refersToAny(e: N, names: Set<string>): boolean {
  return readsAny([e], names);
}

/** Whether `name` is assigned anywhere in the list other than inside the loop. */
function writtenOutside(list: N[], loop: N, name: string): boolean {
  let hit = false;
  for (const s of list) {
    if (s === loop) continue;
    visit(s, (n) => {
      if ((n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === name) || (n.type === 'UpdateExpression' && n.argument.type === 'Identifier' && n.argument.name === name)) hit = true;
      return !hit;
    });
  }
  return hit;
}
