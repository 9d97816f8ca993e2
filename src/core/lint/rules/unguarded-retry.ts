// unguarded-retry: the SDK's retries are off for a call (`maxRetries: 0` on the client or the request) and
// nothing else in the file retries it, so one 429, 529 or dropped connection fails the call at once.

import type { Rule } from '../ruleContext';
import type { Fix } from '../rule';
import { retryStackOf } from '../retry';
import { wrapInWithRetryFix } from '../retryFixes';

export const unguardedRetry: Rule = {
  meta: {
    id: 'unguarded-retry',
    defaultSeverity: 'warning',
    description: 'maxRetries: 0 with nothing else retrying the call: transient errors (429, 529, 5xx, dropped connections) fail at once.',
    messages: {
      unguarded:
        'Retries are off for this call (maxRetries: 0 on the {{where}}) and nothing else retries it: a single 429, 529, 5xx or dropped connection fails the call at once. Wrap it in withRetry from the retry helper, or remove maxRetries: 0 to keep the SDK\'s own retries.',
    },
    fixable: true,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    if (stack.sdk.maxRetries !== 0) return;
    if (stack.layers.length || stack.unknownWrapper) return;
    const fixes: Fix[] = [];
    const wrap = wrapInWithRetryFix(ctx);
    if (wrap) fixes.push(wrap);
    const related = stack.sdk.start !== undefined && stack.sdk.end !== undefined ? [{ start: stack.sdk.start, end: stack.sdk.end, message: 'retries turned off here' }] : [];
    ctx.report({
      messageId: 'unguarded',
      data: { where: stack.sdk.source === 'request' ? 'request' : 'client' },
      node: ctx.call.callee,
      fixes,
      related,
    });
  },
};
