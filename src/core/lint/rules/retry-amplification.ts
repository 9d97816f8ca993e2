// retry-amplification: a retry loop or wrapper around a call whose client still retries on its own. The
// attempts multiply: the SDK's default 2 retries inside a 5-attempt loop send up to 15 requests per call,
// hammering an API that is already overloaded and delaying the final error by minutes.

import type { Fix } from '../rule';
import type { Rule } from '../ruleContext';
import { describeLayer, formatSeconds, retryStackOf } from '../retry';
import { firstReport, layerRelated, maxRetriesZeroFix, replaceWrapperFix, retryWords, sdkRelated } from '../retryFixes';

export const retryAmplification: Rule = {
  meta: {
    id: 'retry-amplification',
    defaultSeverity: 'warning',
    description: 'A retry loop or wrapper around a client whose own retries are on: the attempts multiply.',
    messages: {
      amplified:
        'The SDK retries this call {{sdk}} and {{outer}} retries it again: {{count}}{{wait}}. Set {{off}} on the call so only the outer retry decides, or use {{helper}} from the retry helper.',
    },
    fixable: true,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    const n = stack.sdk.maxRetries;
    if (n === null || n < 1) return;
    const path = stack.worst.layers.length ? stack.worst : (stack.paths.find((p) => p.layers.length) ?? null);
    if (!path) return;
    // one finding per retry, however many calls inside it
    if (!firstReport(ctx, 'retry-amplification', path.layers)) return;
    const unbounded = path.layers.some((l) => l.bounded === false);
    let requests: string;
    let total: number | null = n + 1;
    for (const l of path.layers) total = total !== null && l.attempts !== null ? total * l.attempts : null;
    if (unbounded) requests = 'an unlimited number of requests per call';
    else if (total !== null) requests = `up to ${total} requests per call`;
    else requests = `${n + 1} requests for every outer attempt`;
    const wait = !unbounded && path === stack.worst && stack.worstCaseWaitMs !== null ? `, waiting up to ~${formatSeconds(stack.worstCaseWaitMs)} before the last error surfaces` : '';
    const fixes: Fix[] = [];
    const zero = maxRetriesZeroFix(ctx, stack);
    if (zero) fixes.push(zero);
    for (const l of path.layers) {
      const f = replaceWrapperFix(ctx, l);
      if (f) {
        fixes.push(f);
        break;
      }
    }
    const related = path.layers.flatMap((l) => layerRelated(l, `${describeLayer(l)} retries here`));
    related.push(...sdkRelated(stack.sdk, stack.sdk.source === 'default' ? 'the client, made here with the SDK default' : `${ctx.language.options.maxRetries}${ctx.language.id === 'python' ? '=' : ': '}${n} set here`));
    ctx.report({
      messageId: 'amplified',
      data: {
        sdk: `${n === 1 ? 'once' : `${n} times`}${stack.sdk.source === 'default' ? ' (SDK default)' : ''}`,
        outer: path.layers.map(describeLayer).join(' inside '),
        count: requests,
        wait,
        ...retryWords(ctx),
      },
      node: ctx.call.callee,
      fixes,
      related,
    });
  },
};
