// retry-non-retryable: a retry that also retries final errors. A 400, 401, 403, 404, 413 or 422 fails the
// same way every time: retrying it only multiplies requests and hides the real error behind the wait.

import type { Rule } from '../ruleContext';
import { retryStackOf, statusList } from '../retry';
import { isHandWritten, layerName, libraryAbortHint, reportLayerOnce, retryWords } from '../retryFixes';

export const retryNonRetryable: Rule = {
  meta: {
    id: 'retry-non-retryable',
    defaultSeverity: 'warning',
    description: 'A retry that also retries final errors (400, 401, 403, 404, 413, 422…).',
    messages: {
      catchAll:
        'This {{name}} retries every error, final ones too: a 400, 401, 403, 404, 413 or 422 fails the same way on every attempt, so it only repeats the request{{attempts}} and delays the real error. Retry only 408, 409, 429, 5xx and connection errors (check {{status}}, or use {{helper}} from the retry helper).',
      partial:
        'This {{name}} stops on some final errors but still retries {{statuses}}: they fail the same way on every attempt{{attempts}}. Retry only 408, 409, 429, 5xx and connection errors (e.g. {{stopFinal}}), or use {{helper}} from the retry helper.',
      library:
        '{{name}} retries every error, final ones too: a 400, 401, 403, 404, 413 or 422 fails the same way on every attempt{{attempts}}. Stop on final errors: {{hint}}.',
    },
    fixable: false,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    for (const layer of stack.layers) {
      if (layer.statusAware !== false) continue;
      if (layer.retriesFinal) {
        const again = layer.attempts !== null && layer.attempts > 1 ? `, ${layer.attempts - 1} more times` : '';
        reportLayerOnce(ctx, 'retry-non-retryable', layer, 'partial', { name: layerName(layer), statuses: statusList(layer.retriesFinal), attempts: again, ...retryWords(ctx) });
        continue;
      }
      const attempts = layer.attempts !== null && layer.attempts > 1 ? ` ${layer.attempts - 1} more times` : layer.attemptsFrom ? ` (as many times as ${layer.attemptsFrom} allows)` : '';
      reportLayerOnce(ctx, 'retry-non-retryable', layer, isHandWritten(layer) ? 'catchAll' : 'library', {
        name: layerName(layer),
        attempts,
        hint: libraryAbortHint(layer),
        ...retryWords(ctx),
      });
    }
  },
};
