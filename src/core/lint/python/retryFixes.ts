// The retry-safety fixes written in Python: turn the SDK's retries off for one call with
// `client.with_options(max_retries=0)`, and wrap a call in the Python retry helper (`with_retry(lambda: …)`,
// `async_with_retry(lambda: …)` for an AsyncAnthropic call). The editor writes claude_retry.py and its import
// when a fix says `needsRetryHelper`; these edits only touch the call.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from '../rule';
import type { CallSite, Node, RuleContext } from '../ruleContext';
import type { RetryStack } from '../retry';
import { getProp, unwrap } from '../requestModel';
import { forEachNode, propName } from '../scan';
import { PY_CLIENT_COPY_METHODS } from './facts';
import { isKwargsObject } from './nodes';

export const PY_WITH_RETRY = 'with_retry';
export const PY_ASYNC_WITH_RETRY = 'async_with_retry';

/** The client expression's end inside the callee: the `.` that starts `.messages` (or `.beta`). */
function dotAfterReceiver(text: string, call: CallSite): number {
  const messages = call.callee.object as TSESTree.MemberExpression;
  const afterReceiver = call.beta ? (unwrap(messages.object) as TSESTree.MemberExpression) : messages;
  return text.lastIndexOf('.', afterReceiver.property.range[0] - 1);
}

/** The keyword arguments of a call, when they are all written out (`f(a=1, b=2)`, no `**spread`). */
function literalKwargs(call: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.ObjectExpression | null | 'none' {
  const args = call.arguments;
  if (args.length === 0) return 'none';
  const kw = args[args.length - 1];
  if (!isKwargsObject(kw)) return null;
  const o = kw as TSESTree.ObjectExpression;
  return o.properties.every((p) => p.type === 'Property') ? o : null;
}

/**
 * `max_retries=0` set in a call that makes or copies a client (`with_options(…)`, `Anthropic(…)`): the value
 * replaced when the keyword is written, else the keyword added. Null when its arguments are not all written out.
 */
function setKeywordEdit(text: string, call: TSESTree.CallExpression | TSESTree.NewExpression): TextEdit | null {
  const kw = literalKwargs(call);
  if (kw === null) return null;
  const close = call.range[1] - 1;
  if (text[close] !== ')') return null;
  if (kw === 'none') return { start: close, end: close, text: 'max_retries=0' };
  for (const p of kw.properties as TSESTree.Property[]) {
    if (p.key.type === 'Identifier' && p.key.name === 'max_retries') return { start: p.value.range[0], end: p.value.range[1], text: '0' };
  }
  const last = call.arguments[call.arguments.length - 1];
  const lastEnd = (last as TSESTree.ObjectExpression).properties.length
    ? (last as TSESTree.ObjectExpression).properties[(last as TSESTree.ObjectExpression).properties.length - 1].range[1]
    : last.range[1];
  return { start: lastEnd, end: lastEnd, text: ', max_retries=0' };
}

/**
 * Turns the SDK's retries off for one Python call: `max_retries=0` in the `with_options(…)` copy or the inline
 * `Anthropic(…)` the call is made on, else `.with_options(max_retries=0)` inserted after the client expression.
 */
export function pythonMaxRetriesZeroEdit(text: string, call: CallSite): TextEdit | null {
  const r = unwrap(call.receiver);
  if (r.type === 'CallExpression' && r.callee.type === 'MemberExpression' && PY_CLIENT_COPY_METHODS.has(propName(r.callee) ?? '')) {
    const e = setKeywordEdit(text, r);
    if (e) return e;
  } else if (r.type === 'NewExpression' && call.client.newExpression === r) {
    const e = setKeywordEdit(text, r);
    if (e) return e;
  }
  const dot = dotAfterReceiver(text, call);
  if (dot < call.receiver.range[1]) return null;
  return { start: dot, end: dot, text: '.with_options(max_retries=0)' };
}

/** The "set max_retries=0" fix for Python; safe only when every way to the call goes through a retry. */
export function pythonMaxRetriesZeroFix(ctx: RuleContext, stack: RetryStack): Fix | null {
  const edit = pythonMaxRetriesZeroEdit(ctx.sourceText, ctx.call);
  if (!edit) return null;
  const everyPathRetries = stack.paths.every((p) => p.layers.length > 0);
  return { title: 'Set max_retries=0 on this call (the outer retry decides)', edits: [edit], safe: everyPathRetries };
}

/** Whether the call is awaited right where it is written (`await client.messages.create(…)`). */
function isAwaited(call: TSESTree.CallExpression): boolean {
  const p = call.parent as Node | undefined;
  return !!p && p.type === 'AwaitExpression' && p.argument === call;
}

/**
 * Why a call cannot move into a lambda unchanged: an `await`, `yield` or `:=` inside it (not allowed, or bound
 * elsewhere, in a lambda), or a class body around it (a lambda there does not see the class's names).
 */
export function lambdaObstacle(call: TSESTree.CallExpression): string | null {
  let found: string | null = null;
  forEachNode(call, (n) => {
    if (found) return false;
    if (n.type === 'AwaitExpression' || n.type === 'YieldExpression' || n.type === 'AssignmentExpression') found = n.type;
    // a lambda inside the call has its own scope: what it holds stays there
    return n.type === 'ArrowFunctionExpression' && n !== (call as Node) ? false : undefined;
  });
  if (found) return found;
  for (let p = call.parent as Node | undefined; p; p = p.parent as Node | undefined) {
    if (p.type === 'FunctionDeclaration' || p.type === 'FunctionExpression' || p.type === 'ArrowFunctionExpression') return null;
    if (p.type === 'ClassBody') return 'class body';
  }
  return null;
}

/** A `stream=` keyword that is not literally False: the call returns a stream, which with_retry does not wrap. */
function mayStream(call: CallSite): boolean {
  const v = getProp(call.request, 'stream');
  if (!v || v.kind === 'undefined') return false;
  return !(v.kind === 'boolean' && v.value === false) && !(v.kind === 'null');
}

/** Whether the call runs on an async client (awaited here, or made with an Async* class). */
export function isAsyncCall(call: CallSite): boolean {
  return isAwaited(call.node) || /^Async/.test(call.client.className ?? '');
}

/**
 * Wraps a Python call in the retry helper: `with_retry(lambda: client.messages.create(…))`, or
 * `async_with_retry(lambda: …)` for an async client (an `await` in front stays in front and now awaits the
 * helper). Not offered for streams, nor where the call cannot move into a lambda.
 */
export function pythonWrapInWithRetryFix(ctx: RuleContext): Fix | null {
  const call = ctx.call;
  if (call.kind !== 'create' || mayStream(call)) return null;
  if (lambdaObstacle(call.node)) return null;
  const name = isAsyncCall(call) ? PY_ASYNC_WITH_RETRY : PY_WITH_RETRY;
  const edits: TextEdit[] = [
    { start: call.node.range[0], end: call.node.range[0], text: `${name}(lambda: ` },
    { start: call.node.range[1], end: call.node.range[1], text: ')' },
  ];
  return { title: `Wrap in ${name} (retries 429, 5xx and connection errors with backoff)`, edits, safe: false, needsRetryHelper: true };
}

/** The helper functions a fix's edits call (`with_retry`, `async_with_retry`, the stream variants), in order. */
export function pythonHelperNamesOf(fix: Fix): string[] {
  const out = new Set<string>();
  for (const e of fix.edits) {
    for (const m of e.text.matchAll(/\b((?:async_)?with_(?:stream_)?retry)\s*\(/g)) out.add(m[1]);
  }
  return [...out];
}
