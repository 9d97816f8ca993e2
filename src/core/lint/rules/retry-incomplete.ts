// retry-incomplete: the only retry a call has (the SDK's own retries are off) never retries a transient failure
// that will come: a 529 left out of a status set, a rate limit, a server error, or connection errors and
// timeouts, which carry no status at all. The first such failure ends the call.

import type { Rule, RuleContext } from '../ruleContext';
import type { RetryLayer, RetryStack } from '../retry';
import type { Transient } from '../retry/model';
import { layerName, reportLayerOnce, retryWords } from '../retryFixes';
import { retryStackOf } from '../retry';
import { compareSdkVersions } from '../sdkVersion';

const NAMES: Record<string, string> = {
  529: '529 (overloaded_error)',
  429: '429 (rate_limit_error)',
  500: '500 (api_error)',
  connection: 'connection errors',
  timeout: 'timeouts',
};

const WHY: Record<string, string> = {
  529: 'a 529 (the API is overloaded) is its most common transient failure, and overloads can last minutes',
  429: 'a 429 comes whenever a rate limit is reached',
  500: 'a 500 is a passing server error',
  connection: 'connection errors and timeouts come on any network and carry no status',
};

/** "529 (overloaded_error), connection errors or timeouts"; `note529` goes with the 529. */
function missingText(misses: Transient[], note529: string): string {
  const items = misses.map((m) => (m === 529 && note529 ? `529 (overloaded_error; ${note529})` : NAMES[m]));
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function whyText(misses: Transient[]): string {
  const parts = misses.filter((m) => m !== 'timeout' || !misses.includes('connection')).map((m) => WHY[m === 'timeout' ? 'connection' : m]);
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What a layer never retries with the SDK in use: its misses, and those that hold from a version on when the
 * version is known to have reached it (an unknown version keeps only what holds for every version).
 */
function missesOf(ctx: RuleContext, layer: RetryLayer): { misses: Transient[]; versioned: Transient[] } {
  const misses = [...(layer.misses ?? [])];
  const from = layer.missesFrom;
  const sdk = ctx.sdk;
  const versioned = from && sdk && compareSdkVersions(sdk, { major: from.version[0], minor: from.version[1], patch: 0 }) >= 0 ? from.misses : [];
  for (const m of versioned) if (!misses.includes(m)) misses.push(m);
  misses.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  return { misses, versioned };
}

const ORDER: Transient[] = [529, 429, 500, 'connection', 'timeout'];

/** The single layer of every path, when each path has exactly one and nothing opaque may retry. */
function onlyLayers(stack: RetryStack): RetryLayer[] | null {
  if (stack.unknownWrapper) return null;
  if (!stack.paths.every((p) => p.layers.length === 1)) return null;
  return stack.paths.map((p) => p.layers[0]);
}

export const retryIncomplete: Rule = {
  meta: {
    id: 'retry-incomplete',
    defaultSeverity: 'warning',
    description: 'The only retry of a call (SDK retries off) never retries a transient failure: 529, 429, 500, connection errors or timeouts.',
    messages: {
      incomplete:
        'This {{name}} is the only retry of this call ({{off}}) and it never retries {{missing}}. {{why}}. The first such failure ends the call. Retry 429, every 5xx (529 included) and connection errors too, or use {{helper}} from the retry helper.',
    },
    fixable: false,
  },
  check(ctx) {
    const stack = retryStackOf(ctx);
    if (stack.sdk.maxRetries !== 0) return;
    const layers = onlyLayers(stack);
    if (!layers) return;
    for (const layer of layers) {
      // a failover moves on to another model, key or region: what it moves on after is its own choice
      if (layer.failover) continue;
      const { misses, versioned } = missesOf(ctx, layer);
      if (!misses.length) continue;
      const words = retryWords(ctx);
      // Python: a 529 that an `except InternalServerError` lets through in anthropic 0.47 and later
      const note = versioned.includes(529) ? `in ${ctx.language.sdkPackage} ${layer.missesFrom?.version.join('.')} and later it raises OverloadedError, which is not an InternalServerError` : '';
      reportLayerOnce(ctx, 'retry-incomplete', layer, 'incomplete', { name: layerName(layer), off: words.off, helper: words.helper, missing: missingText(misses, note), why: whyText(misses) });
    }
  },
};
