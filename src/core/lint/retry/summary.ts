// Totals and text: how many requests and how much waiting a retry stack allows, and its one-line description.

import type { RetryLayer, RetryPath, RetryStack, RetryStackSummary, SdkRetrySetting } from './model';
import { sdkTotalWaitMs } from './sdkFacts';

export function requestsOf(sdk: SdkRetrySetting, path: RetryPath): number | null {
  if (sdk.maxRetries === null) return null;
  let n = sdk.maxRetries + 1;
  for (const l of path.layers) {
    if (l.attempts === null) return null;
    n *= l.attempts;
  }
  return n;
}

export function waitOf(sdk: SdkRetrySetting, path: RetryPath): number | null {
  if (sdk.maxRetries === null) return null;
  let t = sdkTotalWaitMs(sdk.maxRetries);
  for (const l of path.layers) {
    if (l.attempts === null || l.waitMs === null) return null;
    t = l.attempts * t + l.waitMs;
  }
  return t;
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Math.round(s * 10) / 10} s`;
  if (s < 120) return `${Math.round(s)} s`;
  return `${Math.round(s / 6) / 10} min`;
}

function article(word: string): string {
  return /^[aeiou]|^\d*8|^11\b|^18\b/i.test(word) ? 'an' : 'a';
}

/** "a 5-attempt for loop", "pRetry (11 attempts)", "an unbounded while loop". */
export function describeLayer(l: RetryLayer): string {
  const where = l.via ? ` in ${l.via}()` : '';
  if (l.failover) return `${article(l.label)} ${l.label}${where}`;
  if (l.kind === 'loop' || l.kind === 'recursion') {
    if (l.kind === 'recursion') {
      return l.bounded === false ? `an unbounded ${l.label}` : l.attempts !== null ? `a ${l.attempts}-attempt ${l.label}` : l.label;
    }
    const at = l.where ? ` in ${l.where}` : '';
    if (l.bounded === false) return `an unbounded ${l.label}${where}${at}`;
    if (l.attempts !== null) {
      const w = `${l.attempts}-attempt`;
      return `${article(w)} ${w} ${l.label}${where}${at}`;
    }
    return `${article(l.label)} ${l.label}${where}${at}`;
  }
  const count = l.bounded === false ? 'no attempt cap' : l.attempts !== null ? `${l.attempts} attempts` : l.attemptsFrom ? `attempts from ${l.attemptsFrom}` : null;
  return `${l.label}${count ? ` (${count})` : ''}${where}${l.where ? ` from ${l.where}` : ''}`;
}

/** One line for the editor's hover, e.g. "SDK 2 retries inside a 5-attempt for loop: up to 15 requests, worst-case wait ~37.5 s". */
export function summarizeRetryStack(stack: RetryStack): string {
  const { sdk } = stack;
  const layers = stack.worst.layers;
  const sdkPart =
    sdk.maxRetries === null
      ? 'SDK retries not known statically'
      : sdk.maxRetries === 0
        ? `SDK retries off (${sdk.offText ?? 'maxRetries: 0'})`
        : `SDK ${sdk.maxRetries} ${sdk.maxRetries === 1 ? 'retry' : 'retries'}${sdk.source === 'default' ? ' (default)' : ''}`;
  const inside = layers.map(describeLayer).join(' inside ');
  let head = layers.length ? `${sdkPart} inside ${inside}` : sdk.maxRetries === 0 ? `${sdkPart}, nothing else retries this call` : sdkPart;
  if (!layers.length && stack.unknownWrapper) head = `${sdkPart}, passed to a function that may retry`;
  const unbounded = layers.some((l) => l.bounded === false);
  let tail: string;
  if (unbounded) tail = 'no cap on requests';
  else if (stack.totalRequests !== null) {
    tail = stack.totalRequests === 1 ? '1 request, transient errors fail at once' : `up to ${stack.totalRequests} requests`;
    if (stack.worstCaseWaitMs !== null && stack.totalRequests > 1) tail += `, worst-case wait ~${formatSeconds(stack.worstCaseWaitMs)}`;
  } else tail = 'request count not known statically';
  return `${head}: ${tail}`;
}

export function toRetryStackSummary(stack: RetryStack): RetryStackSummary {
  return {
    text: summarizeRetryStack(stack),
    sdkMaxRetries: stack.sdk.maxRetries,
    sdkSource: stack.sdk.source,
    layers: stack.worst.layers.map((l) => {
      const out: RetryStackSummary['layers'][number] = { kind: l.kind, label: l.label, attempts: l.attempts, via: l.via, start: l.start, end: l.end };
      if (l.attemptsFrom) out.attemptsFrom = l.attemptsFrom;
      if (l.file) out.file = l.file;
      if (l.where) out.where = l.where;
      return out;
    }),
    totalRequests: stack.totalRequests,
    worstCaseWaitMs: stack.worstCaseWaitMs,
    ...(stack.sdk.where ? { sdkWhere: stack.sdk.where } : {}),
    ...(stack.worst.entry ? { entry: stack.worst.entry } : {}),
  };
}
