// retry-ignores-retry-after: a hand-written retry that retries rate limits (429) on its own schedule without
// reading the `retry-after` header. The API says how long to wait; retrying sooner is rejected again and
// counts against the limit.

import type { Rule } from '../ruleContext';
import { retryStackOf } from '../retry';
import { isHandWritten, layerName, reportLayerOnce, retryWords } from '../retryFixes';

export const retryIgnoresRetryAfter: Rule = {
  meta: {
    id: 'retry-ignores-retry-after',
    defaultSeverity: 'warning',
    description: 'A retry that retries 429s without reading the retry-after header.',
    messages: {
      ignores:
        'This {{name}} retries rate-limited calls (429) on its own schedule without reading the retry-after header: retries sent before the limit resets are rejected again and count against it. Wait for retry-after (or retry-after-ms) when the error carries it, e.g. {{readHeader}}, or use {{helper}} from the retry helper.',
    },
    fixable: false,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    for (const layer of stack.layers) {
      // library wrappers cannot read headers by themselves; precision first: hand-written retries only
      if (!isHandWritten(layer)) continue;
      // a failover moves a rate-limited attempt to another model, key or region instead of waiting
      if (layer.failover) continue;
      if (layer.waits !== true || layer.retries429 !== true || layer.readsRetryAfter !== false) continue;
      reportLayerOnce(ctx, 'retry-ignores-retry-after', layer, 'ignores', { name: layerName(layer), ...retryWords(ctx) });
    }
  },
};
