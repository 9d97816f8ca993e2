// Text edits shared by the retry-safety rules: turn the SDK's own retries off for one call, wrap a call in
// the retry helper, replace a library retry wrapper by the helper. The editor (or the CLI) writes the helper
// file and its import when a fix says `needsRetryHelper`; these edits only touch the call.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, RelatedLocation, TextEdit } from './rule';
import type { RuleContext } from './ruleContext';
import type { RetryLayer, RetryStack, SdkRetrySetting } from './retry';
import { insertPropertyEdit, literalProperty } from './fixes';
import { unwrap } from './requestModel';

/** Sets `maxRetries: 0` in the call's per-request options (adding or merging a second argument). */
export function maxRetriesZeroEdit(text: string, call: TSESTree.CallExpression): TextEdit | null {
  const args = call.arguments;
  if (!args.length || args[0].type === 'SpreadElement') return null;
  if (args.length === 1) return { start: args[0].range[1], end: args[0].range[1], text: ', { maxRetries: 0 }' };
  const second = args[1];
  if (second.type === 'SpreadElement') return null;
  const o = unwrap(second);
  if (o.type === 'ObjectExpression') {
    const existing = literalProperty(o, 'maxRetries');
    if (existing) {
      if (existing.shorthand) return { start: existing.range[0], end: existing.range[1], text: 'maxRetries: 0' };
      return { start: existing.value.range[0], end: existing.value.range[1], text: '0' };
    }
    // after the last property, so that it wins over any spread
    const last = o.properties[o.properties.length - 1];
    const lastKey = last && last.type === 'Property' && !last.computed && last.key.type === 'Identifier' ? last.key.name : undefined;
    return insertPropertyEdit(text, o, 'maxRetries: 0', lastKey);
  }
  // an options object from elsewhere: merge
  return { start: second.range[0], end: second.range[1], text: `{ ...${text.slice(second.range[0], second.range[1])}, maxRetries: 0 }` };
}

/**
 * Whether the fixes below (written in JS syntax: `{ maxRetries: 0 }`, `withRetry(() => …)`) may edit this
 * file; Python files get their own versions of them.
 */
function jsSyntax(ctx: RuleContext): boolean {
  return ctx.language.id === 'javascript';
}

/** How the messages of the retry rules name the SDK setting and the helper in the file's language. */
export function retryWords(ctx: RuleContext): Record<'off' | 'helper' | 'status' | 'stopFinal' | 'readHeader', string> {
  return jsSyntax(ctx)
    ? { off: 'maxRetries: 0', helper: 'withRetry', status: 'err.status', stopFinal: 'if (!RETRYABLE.has(err.status)) throw err', readHeader: "err.headers?.get?.('retry-after')" }
    : { off: 'max_retries=0', helper: 'with_retry', status: 'e.status_code', stopFinal: 'if e.status_code not in RETRYABLE: raise', readHeader: 'e.response.headers.get("retry-after")' };
}

/** The "set maxRetries: 0" fix; safe only when every way to the call goes through a retry. */
export function maxRetriesZeroFix(ctx: RuleContext, stack: RetryStack): Fix | null {
  if (!jsSyntax(ctx)) return null;
  const edit = maxRetriesZeroEdit(ctx.sourceText, ctx.call.node);
  if (!edit) return null;
  const everyPathRetries = stack.paths.every((p) => p.layers.length > 0);
  return { title: 'Set maxRetries: 0 on this call (the outer retry decides)', edits: [edit], safe: everyPathRetries };
}

/** Wraps the call in `withRetry(() => …)`; the helper file and import come with `needsRetryHelper`. */
export function wrapInWithRetryFix(ctx: RuleContext): Fix | null {
  const call = ctx.call.node;
  if (!jsSyntax(ctx)) return null;
  if (ctx.call.kind !== 'create') return null; // a stream is not a promise: retrying it needs withStreamRetry by hand
  const edits: TextEdit[] = [
    { start: call.range[0], end: call.range[0], text: 'withRetry(() => ' },
    { start: call.range[1], end: call.range[1], text: ')' },
  ];
  return { title: 'Wrap in withRetry (retries 429, 5xx and connection errors with backoff)', edits, safe: false, needsRetryHelper: true };
}

/**
 * Replaces a library wrapper (`pRetry(fn, opts)`, `backOff(fn, opts)`, `policy.execute(fn)`…) with
 * `withRetry(fn)` and turns the SDK's retries off for the call.
 */
export function replaceWrapperFix(ctx: RuleContext, layer: RetryLayer): Fix | null {
  const w = layer.wrapper;
  if (!jsSyntax(ctx)) return null;
  if (!w || layer.file || layer.kind === 'helper' || layer.kind === 'configured-wrapper' || layer.kind === 'project-wrapper') return null;
  if (layer.kind === 'async-retry' && !w.fnTakesNoArgs) return null; // its function uses bail/attempt
  const text = ctx.sourceText;
  const call = ctx.call.node;
  const fnText = text.slice(w.fnStart, w.fnEnd);
  const edits: TextEdit[] = [{ start: w.callStart, end: w.callEnd, text: `withRetry(${fnText})` }];
  const zero = maxRetriesZeroEdit(text, call);
  if (zero) {
    // the call sits inside the replaced wrapper: rebuild the wrapper text with the options edit applied
    if (zero.start >= w.fnStart && zero.end <= w.fnEnd) {
      const inner = text.slice(w.fnStart, zero.start) + zero.text + text.slice(zero.end, w.fnEnd);
      edits[0] = { start: w.callStart, end: w.callEnd, text: `withRetry(${inner})` };
    } else if (zero.end <= w.callStart || zero.start >= w.callEnd) edits.push(zero);
  }
  return { title: `Replace ${layer.label} with withRetry from the retry helper`, edits, safe: false, needsRetryHelper: true };
}

/** A finding about retry layers is reported once per file, whichever call led to them. */
const reportedLayers = new WeakMap<object, Set<string>>();
export function firstReport(ctx: RuleContext, ruleId: string, layers: RetryLayer[]): boolean {
  let set = reportedLayers.get(ctx.ast);
  if (!set) {
    set = new Set();
    reportedLayers.set(ctx.ast, set);
  }
  const key = `${ruleId}:${layers.map((l) => `${l.file ?? ''}:${l.start}:${l.end}`).join('|')}`;
  if (set.has(key)) return false;
  set.add(key);
  return true;
}

/**
 * Reports a finding on a retry layer (the layer's keyword or wrapper, with the retried call as the related
 * place), once per file and rule however many calls lead to the layer.
 */
export function reportLayerOnce(ctx: RuleContext, ruleId: string, layer: RetryLayer, messageId: string, data: Record<string, string | number>): void {
  if (!firstReport(ctx, ruleId, [layer])) return;
  if (layer.file) {
    // the retry is in another file (a caller there): the finding stays at the call, the loop is related
    ctx.report({ messageId, data, node: ctx.call.callee, related: layerRelated(layer, 'the retry') });
    return;
  }
  ctx.report({ messageId, data, start: layer.start, end: layer.end, related: [retriedCall(ctx), ...(layer.definedAt ? layerRelated(layer, 'the retry') : [])] });
}

/** Related locations for a layer: where it is, and for a project wrapper where its retry is written. */
export function layerRelated(layer: RetryLayer, message: string): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  if (layer.definedAt) out.push({ file: layer.definedAt.file, start: layer.definedAt.start, end: layer.definedAt.end, message: `${message} in ${layer.label}` });
  if (!layer.definedAt || layer.file) out.push(layer.file ? { file: layer.file, start: layer.start, end: layer.end, message } : { start: layer.start, end: layer.end, message });
  return out;
}

/** Where the SDK setting was written, when known (possibly in another file). */
export function sdkRelated(sdk: SdkRetrySetting, message: string): RelatedLocation[] {
  if (sdk.start === undefined || sdk.end === undefined) return [];
  return [sdk.file ? { file: sdk.file, start: sdk.start, end: sdk.end, message } : { start: sdk.start, end: sdk.end, message }];
}

/** The API call as a related location of a layer finding. */
function retriedCall(ctx: RuleContext): { start: number; end: number; message: string } {
  return { start: ctx.call.callee.range[0], end: ctx.call.callee.range[1], message: `the ${ctx.call.method} call it retries` };
}

/** "for loop", "pRetry"… with where it is, for messages. */
export function layerName(layer: RetryLayer): string {
  const where = layer.via && layer.kind !== 'recursion' ? ` (around ${layer.via}())` : '';
  return `${layer.label}${where}`;
}

/** Library wrappers vs. hand-written retries (loops and recursion). */
export function isHandWritten(layer: RetryLayer): boolean {
  return layer.kind === 'loop' || layer.kind === 'recursion';
}

/** The advice for a library layer's statuses. */
export function libraryAbortHint(layer: RetryLayer): string {
  switch (layer.kind) {
    case 'p-retry':
      return 'throw new AbortError(err) for final errors, or pass shouldRetry';
    case 'async-retry':
      return 'call bail(err) for final errors';
    case 'exponential-backoff':
      return 'pass a retry: (err) => … option that returns false for final errors';
    case 'cockatiel':
      return 'handle only retryable errors, e.g. handleWhen((err) => err.status === 429 || err.status >= 500)';
    default:
      return 'stop on final errors';
  }
}
