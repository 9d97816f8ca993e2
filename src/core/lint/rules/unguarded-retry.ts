// unguarded-retry: the SDK's retries are off for a call (`maxRetries: 0` on the client or the request) and
// nothing else in the file retries it, so one 429, 529 or dropped connection fails the call at once.

import type { Rule } from '../ruleContext';
import type { Fix } from '../rule';
import { analyzerOf, retryStackOf } from '../retry';
import { retryWords, sdkRelated, wrapInWithRetryFix } from '../retryFixes';
import { clientRemoveMaxRetriesZeroFix } from '../clientFixes';
import { wrapInWithStreamRetryFix } from '../fixes/streamRetryFix';
import { pythonWrapInWithStreamRetryFix } from '../python/streamRetryFix';

export const unguardedRetry: Rule = {
  meta: {
    id: 'unguarded-retry',
    defaultSeverity: 'warning',
    description: 'maxRetries: 0 with nothing else retrying the call: transient errors (429, 529, 5xx, dropped connections) fail at once.',
    messages: {
      unguarded:
        'Retries are off for this call ({{off}} on the {{where}}) and nothing else retries it{{path}}: a single 429, 529, 5xx or dropped connection fails the call at once. Wrap it in {{helper}} from the retry helper, or remove {{off}} to keep the SDK\'s own retries.',
    },
    fixable: true,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    if (stack.sdk.maxRetries !== 0) return;
    // Judged per path: a caller (here or in another file) that reaches the call without any retry.
    const bare = stack.paths.find((p) => !p.layers.length && !p.unknownWrapper);
    if (!bare) return;
    const path = bare.entry && stack.paths.length > 1 ? ` when reached through ${bare.entry}` : bare.entry ? ` (reached through ${bare.entry})` : stack.paths.length > 1 ? ' on one of its paths' : '';
    const fixes: Fix[] = [];
    // a stream is retried until its first event (withStreamRetry) where the code around it allows; a
    // create({ stream: true }) left as it is can still have its opening retried by withRetry
    const streaming = analyzerOf(ctx).streamHandling(ctx.call.node).streaming;
    const wrap = (ctx.language.id === 'python' ? pythonWrapInWithStreamRetryFix(ctx) : streaming ? wrapInWithStreamRetryFix(ctx) : null) ?? wrapInWithRetryFix(ctx);
    if (wrap) fixes.push(wrap);
    const removeThere = clientRemoveMaxRetriesZeroFix(ctx, stack);
    if (removeThere) fixes.push(removeThere);
    const related = sdkRelated(stack.sdk, 'retries turned off here');
    ctx.report({
      messageId: 'unguarded',
      data: { where: stack.sdk.source === 'request' ? 'request' : 'client', path, ...retryWords(ctx) },
      node: ctx.call.callee,
      fixes,
      related,
    });
  },
};
