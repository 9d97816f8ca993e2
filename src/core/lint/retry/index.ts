// The retry analysis for the engine and the rules: the SDK setting of a call site, the memoized stack, the
// file's analyzer, and the call analyzer that fills the hover's retry stack.

import type { CallAnalyzer, CallSite, FileContext, RuleContext, Value } from '../ruleContext';
import type { ProjectLink } from '../callSites';
import { getEntry, getProp } from '../requestModel';
import { RetryShapeAnalyzer, retryShapeFor } from './analyzer';
import type { RetryStack, SdkRetrySetting } from './model';
import { SDK_DEFAULT_MAX_RETRIES } from './sdkFacts';
import { toRetryStackSummary } from './summary';

/**
 * The SDK retries of a call: per-request `maxRetries`, else the client's, else the default 2. `key` is the
 * option's name in the file's language (`max_retries` in Python, where `client.with_options(max_retries=…)`
 * on the call's receiver is the per-request setting).
 */
export function sdkRetriesOf(call: CallSite, project: ProjectLink | null = null, key = 'maxRetries'): SdkRetrySetting {
  const fromObject = (obj: Value, source: 'request' | 'client'): SdkRetrySetting | undefined => {
    const v = getProp(obj, key);
    if (v === undefined || v.kind === 'undefined') return undefined;
    if (v.kind === 'number') {
      const e = obj.kind === 'object' ? getEntry(obj, key) : undefined;
      const start = e ? e.start : v.start;
      // set on the receiver itself (`client.with_options(max_retries=0).messages.create`): for this request only
      const made = call.client.newExpression;
      const inMade = !!made && start >= made.range[0] && start < made.range[1];
      const onReceiver = source === 'client' && !inMade && start >= call.receiver.range[0] && start < call.receiver.range[1];
      return { maxRetries: v.value, source: onReceiver ? 'request' : source, start, end: e ? e.end : v.end };
    }
    return { maxRetries: null, source: 'unknown' };
  };
  const req = fromObject(call.options, 'request');
  if (req) return req;
  const ext = call.client.external;
  if (ext) {
    // a client made in another file of the project
    if (ext.source === 'unknown') return { maxRetries: null, source: 'unknown' };
    const where = project ? project.index.describe(project.file, ext.at) : undefined;
    if (ext.source === 'default') return { maxRetries: SDK_DEFAULT_MAX_RETRIES, source: 'default', start: ext.at.start, end: ext.at.end, file: ext.at.file, where };
    return { maxRetries: ext.maxRetries, source: 'client', start: ext.at.start, end: ext.at.end, file: ext.at.file, where };
  }
  const client = fromObject(call.client.options, 'client');
  if (client) return client;
  // the default: where the client is made, when it was traced there
  const made = call.client.newExpression;
  return made ? { maxRetries: SDK_DEFAULT_MAX_RETRIES, source: 'default', start: made.range[0], end: made.range[1] } : { maxRetries: SDK_DEFAULT_MAX_RETRIES, source: 'default' };
}

const STACK_KEY = 'retryShape.stack';

/** The retry stack of the call being checked (computed once per call, shared by the rules). */
export function retryStackOf(ctx: RuleContext): RetryStack {
  const cached = ctx.call.shared.get(STACK_KEY) as RetryStack | undefined;
  if (cached) return cached;
  const sdk = sdkRetriesOf(ctx.call, ctx.project, ctx.language.options.maxRetries);
  if (!sdk.file && sdk.start !== undefined) sdk.where = `line ${lineAt(ctx.sourceText, sdk.start)}`;
  if (ctx.language.id === 'python') sdk.offText = `${ctx.language.options.maxRetries}=0`;
  const stack = analyzerOf(ctx).analyze(ctx.call.node, sdk);
  ctx.call.shared.set(STACK_KEY, stack);
  return stack;
}

/** The file's analyzer, configured from the lint config. */
export function analyzerOf(ctx: FileContext): RetryShapeAnalyzer {
  return retryShapeFor(ctx.ast, ctx.sourceText, { retryHelperModule: ctx.config.retryHelperModule, retryWrappers: ctx.config.retryWrappers, project: ctx.project, language: ctx.language.id });
}

/** Runs before the rules: fills `call.retryStack` (the hover's retry stack) for every call. */
export const retryStackAnalyzer: CallAnalyzer = (ctx) => {
  ctx.call.retryStack = toRetryStackSummary(retryStackOf(ctx));
};

export { RetryShapeAnalyzer, retryShapeFor } from './analyzer';
export type { RetryLayer, RetryLayerKind, RetryPath, RetryShapeOptions, RetryStack, RetryStackSummary, SdkRetrySetting, StreamHandling } from './model';
export { SDK_DEFAULT_MAX_RETRIES, sdkBackoffMs, sdkTotalWaitMs } from './sdkFacts';
export { describeLayer, formatSeconds, summarizeRetryStack, toRetryStackSummary } from './summary';
export { FINAL_STATUSES, statusList } from './statusSets';

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
