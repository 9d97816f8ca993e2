// stream-error-unhandled: a streaming call whose iteration or events have no error handling. An error
// event after HTTP 200 (overloaded_error mid-stream) is never retried by the SDK: with nobody catching it,
// it escapes as an unhandled rejection and the partial answer is lost.

import type { Rule } from '../ruleContext';
import { analyzerOf } from '../retry';
import { streamErrorFix } from '../fixes/streamErrorFixes';
import { pythonStreamErrorFix } from '../python/streamErrorFix';

export const streamErrorUnhandled: Rule = {
  meta: {
    id: 'stream-error-unhandled',
    defaultSeverity: 'warning',
    description: 'A stream whose iteration or events have no error handling: mid-stream errors escape.',
    messages: {
      unhandled:
        'Errors during this stream are not handled ({{what}} has no {{handlers}}): an overloaded_error after HTTP 200 is never retried by the SDK and escapes as {{escapes}}. Wrap the consumption in {{tryWord}} (retry only before the first event arrives){{listen}}.',
    },
    fixable: true,
  },
  check(ctx) {
    const h = analyzerOf(ctx).streamHandling(ctx.call.node);
    if (!h.streaming || h.status !== 'unhandled') return;
    const c = h.consumption;
    const fix = ctx.language.id === 'python' ? pythonStreamErrorFix(ctx, h) : streamErrorFix(ctx, h);
    ctx.report({
      messageId: 'unhandled',
      data: {
        what: c ? c.what : 'the stream',
        ...(ctx.language.id === 'python'
          ? { handlers: 'try/except around it', escapes: 'an exception', tryWord: 'try/except', listen: '' }
          : { handlers: "try/catch, .catch or 'error' listener", escapes: 'an unhandled rejection', tryWord: 'try/catch', listen: ", or listen for 'error'" }),
      },
      node: ctx.call.callee,
      fixes: fix ? [fix] : [],
      related: c ? [{ start: c.start, end: c.end, message: 'consumed here without error handling' }] : [],
    });
  },
};
