// retry-no-backoff: a retry that does not wait, or always waits the same time. Immediate or constant retries
// arrive while the API is still overloaded (529) or rate limited (429) and every client retrying in step
// keeps it that way; the wait should grow (exponential backoff) and be jittered.

import type { Rule } from '../ruleContext';
import { retryStackOf } from '../retry';
import { layerName, reportLayerOnce, retryWords } from '../retryFixes';

export const retryNoBackoff: Rule = {
  meta: {
    id: 'retry-no-backoff',
    defaultSeverity: 'warning',
    description: 'A retry with no wait, or with a constant wait that never grows.',
    messages: {
      noWait:
        'This {{name}} retries at once, without waiting: the retries land while the API is still overloaded or rate limited and fail the same way. Wait between attempts with exponential backoff and jitter (e.g. {{helper}} from the retry helper), honouring retry-after.',
      constant:
        'This {{name}} waits the same time before every retry: under a 529 or 429 storm the retries keep arriving in step. Let the wait grow with each attempt (exponential backoff with jitter, e.g. {{helper}} from the retry helper).',
      flat:
        'This {{name}} waits a random time that never grows from one attempt to the next: a 529 storm or a 429 window outlasts it and every attempt is spent within seconds. Let the wait grow with each attempt (exponential backoff, keeping the jitter), e.g. {{helper}} from the retry helper.',
    },
    fixable: false,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    for (const layer of stack.layers) {
      // a failover sends each attempt somewhere else: waiting is not what protects the API
      if (layer.failover) continue;
      let messageId: string | null = null;
      if (layer.waits === false) messageId = 'noWait';
      // a single retry after a fixed wait (2 attempts) has nothing that could grow
      else if (layer.waits === true && layer.grows === false && layer.attempts !== 2) messageId = layer.jittered ? 'flat' : 'constant';
      if (messageId) reportLayerOnce(ctx, 'retry-no-backoff', layer, messageId, { name: layerName(layer), ...retryWords(ctx) });
    }
  },
};
