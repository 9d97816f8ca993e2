// Errors of streaming calls: whether what consumes the stream (for await, finalMessage(), listeners) has
// its errors caught.

import type { RetryShapeAnalyzer } from './analyzer';
import { calleeName, contains, functionName, isFn, isValueRef, propName } from './ast';
import type { N, StreamHandling } from './model';
import { callbackUse } from './paths';
import { bool, objectProps } from './values';
import { PY_STREAM_FINALS, PY_STREAM_ITERABLES, PY_STREAM_PASSIVE, isGenerator } from './pythonFacts';

export function analyzeStream(cx: RetryShapeAnalyzer, call: N): StreamHandling {
  const method = propName(call.callee) ?? '';
  let streaming = method === 'stream';
  if (method === 'create') {
    const req = objectProps(cx, call.arguments[0]);
    streaming = bool(req.get('stream')) === true;
  }
  if (!streaming) return { streaming: false, status: 'unknown' };

  // where the stream object goes
  let expr: N = call;
  while (expr.parent && ['AwaitExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'ChainExpression'].includes(expr.parent.type)) expr = expr.parent;
  const consumers: Array<{ node: N; what: string }> = [];
  let handled = false;
  let escapes = false;

  const useOf = (e: N): void => {
    // e is an expression whose value is the stream
    const p = e.parent as N;
    if (!p) return;
    if (p.type === 'MemberExpression' && p.object === e) {
      const name = propName(p) ?? '';
      const c = p.parent as N;
      if (c?.type === 'CallExpression' && c.callee === p) {
        if (name === 'on' || name === 'once' || name === 'addListener') {
          const ev = c.arguments[0];
          if (ev?.type === 'Literal' && ev.value === 'error') handled = true;
          else consumers.push({ node: c, what: `.${name}(${ev?.type === 'Literal' ? `'${ev.value}'` : '…'})` });
          useOf(c); // chained: .on('text', …).on('error', …)
        } else if (name === 'finalMessage' || name === 'finalText' || name === 'done' || (cx.python && PY_STREAM_FINALS.has(name))) {
          promiseUse(c, consumers, `.${name}()`, () => (handled = true));
        } else if (name === 'toReadableStream' || name === 'tee' || name === 'pipe') escapes = true;
        else if (name === 'withResponse' || name === 'asResponse') escapes = true;
      } else if (name === 'controller' || name === 'response' || name === 'messages' || name === 'receivedMessages') {
        // properties that do not consume
      } else if (name === 'textStream' || (cx.python && PY_STREAM_ITERABLES.has(name))) consumersOfIterable(p);
      else if (cx.python && !PY_STREAM_PASSIVE.has(name)) escapes = true; // another attribute: not followed
      return;
    }
    if (p.type === 'ForOfStatement' && p.right === e) {
      consumers.push({ node: p, what: forWhat(p) });
      return;
    }
    if (p.type === 'VariableDeclarator' && p.init === e && p.id.type === 'Identifier') {
      for (const ref of cx.references(p.id.name)) {
        if (ref === p.id || !isValueRef(ref) || !sameBinding(cx, ref, p.id)) continue;
        useOf(ref);
      }
      return;
    }
    if (['AwaitExpression', 'TSAsExpression', 'TSNonNullExpression', 'ChainExpression'].includes(p.type)) return useOf(p);
    if (p.type === 'ExpressionStatement') return;
    // returned, passed on, stored, yielded
    escapes = true;
  };
  const consumersOfIterable = (e: N) => {
    const p = e.parent as N;
    if (p?.type === 'ForOfStatement' && p.right === e) consumers.push({ node: p, what: forWhat(p) });
    else escapes = true;
  };
  /** "for await" in JS; Python's loop as written: "for text in stream.text_stream". */
  const forWhat = (loop: N): string => {
    if (!cx.python) return 'for await';
    const head = cx.text.slice(loop.range[0], loop.body.range[0]).replace(/\s+/g, ' ').trim().replace(/:$/, '');
    return head.length <= 60 ? head : `${loop.await ? 'async for' : 'for'} loop`;
  };
  useOf(expr);
  if (handled) return { streaming, status: 'handled' };
  if (escapes) return { streaming, status: 'unknown' };
  if (!consumers.length) return { streaming, status: 'unknown' };

  for (const c of consumers) {
    if (c.what.startsWith('.on') || c.what.startsWith('.once') || c.what.startsWith('.addListener')) continue;
    const s = errorsCaughtAround(cx, c.node, 0);
    if (s === 'unhandled') return { streaming, status: 'unhandled', consumption: { start: c.node.range[0], end: c.node.range[1], what: c.what } };
    if (s === 'unknown') return { streaming, status: 'unknown' };
  }
  // only event listeners (no awaited promise, no for-await, no 'error' listener): errors are unhandled rejections
  const awaited = consumers.some((c) => !/^\.(on|once|addListener)\(/.test(c.what));
  if (!awaited) {
    const c = consumers[0];
    return { streaming, status: 'unhandled', consumption: { start: c.node.range[0], end: c.node.range[1], what: c.what } };
  }
  return { streaming, status: 'handled' };
}

function sameBinding(cx: RetryShapeAnalyzer, ref: N, id: N): boolean {
  const b = cx.resolveName(ref.name, ref);
  return !!b && (b.id as unknown as N) === id;
}

/** `.finalMessage()` and friends: handled by `.catch`, `.then(_, onRejected)`, or a try around the await. */
function promiseUse(c: N, consumers: Array<{ node: N; what: string }>, what: string, onHandled: () => void): void {
  const p = c.parent as N;
  if (p?.type === 'MemberExpression' && p.object === c) {
    const m = propName(p);
    const call = p.parent as N;
    if (m === 'catch' || (m === 'then' && call?.type === 'CallExpression' && call.arguments.length > 1)) {
      onHandled();
      return;
    }
  }
  consumers.push({ node: c, what });
}

/**
 * Whether a rejection at `node` is caught: a try/catch around it in its function, a `.catch` on it, or
 * (when it escapes the function) every same-file caller catching.
 */
function errorsCaughtAround(cx: RetryShapeAnalyzer, node: N, depth: number): 'handled' | 'unhandled' | 'unknown' {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (p.type === 'TryStatement' && p.block === child && p.handler) return 'handled';
    if (p.type === 'MemberExpression' && p.object === child && propName(p) === 'catch') return 'handled';
    if (isFn(p)) {
      const parent = p.parent as N;
      // a generator hands its items (and the stream's errors) to whoever iterates it, later
      if (cx.python && isGenerator(p)) return 'unknown';
      if (parent?.type === 'CallExpression' && parent.callee === p) continue; // IIFE
      if ((parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.arguments.includes(p)) {
        const name = calleeName(parent) ?? '';
        // a callback run by a known retry/handling wrapper: the wrapper sees the rejection
        const use = callbackUse(cx, parent, parent.arguments.indexOf(p), 0);
        if (use.layers.length || use.unknown) return 'handled';
        if (name === 'then' || name === 'map' || name === 'all') return errorsCaughtAround(cx, parent, depth + 1);
        return depth < 3 ? errorsCaughtAround(cx, parent, depth + 1) : 'unknown';
      }
      const named = functionName(p);
      if (!named || depth >= 3) return 'unhandled';
      const sites: N[] = [];
      for (const ref of cx.references(named.name)) {
        if (contains(p, ref)) continue;
        const rp = ref.parent as N;
        if (rp.type === 'CallExpression' && rp.callee === ref && !named.member) sites.push(rp);
        else if (rp.type === 'MemberExpression' && rp.property === ref && named.member && rp.parent?.type === 'CallExpression' && rp.parent.callee === rp) sites.push(rp.parent);
        else if (rp.type === 'CallExpression' && rp.arguments.includes(ref)) return 'unknown';
      }
      if (!sites.length) return 'unhandled';
      for (const s of sites) {
        const r = errorsCaughtAround(cx, s, depth + 1);
        if (r !== 'handled') return r;
      }
      return 'handled';
    }
  }
  return 'unhandled';
}
