// "Wrap in with_stream_retry" for a Python stream whose retries are off. with_stream_retry(open_stream) is a
// generator of the stream's events that opens the stream when iterated and retries only until the first event
// has arrived; async_with_stream_retry awaits the coroutine of `create(…, stream=True)` and enters an
// AsyncMessageStreamManager itself. So the rewrite is offered only where the code keeps working with that:
//   - `for event in client.messages.create(…, stream=True):` (`async for event in await …` on AsyncAnthropic),
//     or a variable holding that stream whose one use is such a loop: the call moves into the helper's lambda;
//   - `with client.messages.stream(…) as stream:` whose body is one loop over `stream` and nothing else reads
//     `stream`: the loop iterates the helper, which enters the manager, and the `with` goes.
// Anything else (the stream returned, passed on, read for text_stream or get_final_message) gets no fix.

import type { Fix, TextEdit } from '../rule';
import type { RuleContext } from '../ruleContext';
import type { N } from '../retry/model';
import { analyzerOf } from '../retry';
import { getProp } from '../requestModel';
import { lambdaObstacle } from './retryFixes';
import { usesOf } from '../fixes/streamRetryFix';
import type { PyNode } from './nodes';

export const PY_WITH_STREAM_RETRY = 'with_stream_retry';
export const PY_ASYNC_WITH_STREAM_RETRY = 'async_with_stream_retry';

const TITLE = (name: string) => `Wrap in ${name} (retries 429, 5xx and connection errors until the first event)`;

export function pythonWrapInWithStreamRetryFix(ctx: RuleContext): Fix | null {
  if (ctx.language.id !== 'python') return null;
  const site = ctx.call;
  const call = site.node as unknown as N;
  if (lambdaObstacle(site.node)) return null;
  const text = ctx.sourceText;
  const callText = text.slice(call.range[0], call.range[1]);
  if (site.kind === 'create') {
    const s = getProp(site.request, 'stream');
    if (!s || s.kind !== 'boolean' || s.value !== true) return null;
    const awaited = call.parent?.type === 'AwaitExpression' && call.parent.argument === call;
    const expr: N = awaited ? (call.parent as N) : call;
    const name = awaited ? PY_ASYNC_WITH_STREAM_RETRY : PY_WITH_STREAM_RETRY;
    let loop: N | null = null;
    const p = expr.parent;
    if (p?.type === 'ForOfStatement' && p.right === expr) loop = p;
    else if (p?.type === 'VariableDeclarator' && p.init === expr) loop = onlyLoopOver(ctx, p);
    if (!loop || loop.await !== awaited) return null;
    return fix(name, [{ start: expr.range[0], end: expr.range[1], text: `${name}(lambda: ${callText})` }]);
  }
  if (site.kind === 'stream') return withBlockFix(ctx, call, callText);
  return null;
}

function fix(name: string, edits: TextEdit[]): Fix {
  return { title: TITLE(name), edits, safe: false, needsRetryHelper: true, helperNames: [name] };
}

/** The loop whose iterable is the one use of the declared name, or null. */
function onlyLoopOver(ctx: RuleContext, d: N): N | null {
  const decl = d.parent;
  if (decl?.type !== 'VariableDeclaration' || decl.declarations.length !== 1) return null;
  const uses = usesOf(ctx, d);
  if (uses.length !== 1) return null;
  const p = uses[0].parent;
  return p?.type === 'ForOfStatement' && p.right === uses[0] ? p : null;
}

function indentOf(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  return text.slice(start, at);
}

/** `with client.messages.stream(…) as s:` holding only `for e in s:` → the loop over the helper, a level up. */
function withBlockFix(ctx: RuleContext, call: N, callText: string): Fix | null {
  const text = ctx.sourceText;
  const d = call.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== call) return null;
  const decl = d.parent;
  const block = decl?.parent as (N & PyNode) | undefined;
  if (!block || block.type !== 'BlockStatement' || !block.pyWith || block.body.length !== 2 || block.body[0] !== decl) return null;
  const loop: N = block.body[1];
  if (loop.type !== 'ForOfStatement' || loop.right?.type !== 'Identifier' || loop.right.name !== d.id.name) return null;
  if (loop.await !== (block.pyWith === 'async')) return null;
  if (onlyLoopOver(ctx, d) !== loop) return null;
  // only the header's `:` between the item and the loop (no comment lost), and the loop ends the block
  if (!/^[\s)]*:[ \t]*\r?\n\s*$/.test(text.slice(decl.range[1], loop.range[0]))) return null;
  if (text.slice(loop.range[1], block.range[1]).trim() !== '') return null;
  const outer = indentOf(text, block.range[0]);
  const inner = indentOf(text, loop.range[0]);
  if (outer.trim() !== '' || inner.trim() !== '' || !inner.startsWith(outer) || inner.length === outer.length) return null;
  const body = text.slice(loop.range[0], loop.range[1]);
  if (/'''|"""/.test(body)) return null; // dedenting would change a multi-line string
  const name = block.pyWith === 'async' ? PY_ASYNC_WITH_STREAM_RETRY : PY_WITH_STREAM_RETRY;
  const header = text.slice(loop.range[0], loop.right.range[0]) + `${name}(lambda: ${callText})` + text.slice(loop.right.range[1], loop.range[1]);
  const cut = inner.slice(outer.length);
  const lines = header.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    if (!lines[i].startsWith(inner)) return null;
    lines[i] = lines[i].slice(cut.length);
  }
  return fix(name, [{ start: block.range[0], end: block.range[1], text: lines.join('\n') }]);
}
