// retry-unbounded: a retry with no attempt cap and no time budget. During an outage it never gives up: the
// caller hangs, requests pile up, and the error is never reported.

import type { Rule } from '../ruleContext';
import { retryStackOf } from '../retry';
import { layerName, reportLayerOnce, retryWords } from '../retryFixes';

export const retryUnbounded: Rule = {
  meta: {
    id: 'retry-unbounded',
    defaultSeverity: 'warning',
    description: 'A retry with no attempt cap and no time budget.',
    messages: {
      unbounded:
        'This {{name}} has no attempt cap and no time budget: during an outage or a spend-limit 429 it retries forever, the caller hangs and the error is never reported. Cap the attempts (e.g. 6) or the total time (e.g. 2 minutes), as {{helper}} from the retry helper does.',
    },
    fixable: false,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    for (const layer of stack.layers) {
      if (layer.bounded === false && !layer.failover) reportLayerOnce(ctx, 'retry-unbounded', layer, 'unbounded', { name: layerName(layer), ...retryWords(ctx) });
    }
  },
};
