// unbounded-fan-out: one Messages API request per element of a collection, all started at once with no
// concurrency limit (`Promise.all(xs.map(…))`, `asyncio.gather(*[… for x in xs])`, a TaskGroup in a loop…).
// The analysis is in fanOut.ts; the suggestion (a limiter the project already has) in fanOutFix.ts.

import type { Fix } from '../rule';
import type { Rule } from '../ruleContext';
import { FanOutFinder } from '../fanOut';
import { limiterFix } from '../fanOutFix';

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

export const unboundedFanOut: Rule = {
  meta: {
    id: 'unbounded-fan-out',
    defaultSeverity: 'warning',
    description: 'One Messages API request per element of a collection, all started at once with no concurrency limit.',
    messages: {
      burst:
        'One Messages API request per element of {{collection}}, all started at once with no concurrency limit: a large collection is one burst that meets the rate limit (429) and overload (529) together. Limit the concurrency (p-limit, p-queue, Bottleneck, p-map with concurrency, an asyncio.Semaphore), or send it as a Message Batch.',
    },
    fixable: true,
  },
  checkFile(ctx) {
    if (!ctx.calls.length) return;
    for (const f of new FanOutFinder(ctx).all()) {
      const fixes: Fix[] = [];
      const fix = limiterFix(ctx, f);
      if (fix) fixes.push(fix);
      ctx.report({ messageId: 'burst', data: { collection: short(ctx.sourceText.slice(f.collection.range[0], f.collection.range[1])) }, node: f.site, fixes });
    }
  },
};
