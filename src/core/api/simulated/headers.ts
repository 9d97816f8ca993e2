// Ids and header values the simulated server answers with: request and message ids, retry-after values, and
// the anthropic-ratelimit-* headers computed from the requests of the last minute.

import { randomBytes } from 'crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let s = prefix;
  for (let i = 0; i < length; i++) s += ALPHABET[bytes[i] % ALPHABET.length];
  return s;
}

/** RFC 3339 without fractional seconds, as the API sends it. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Seconds as a header value: whole numbers stay whole, fractions keep up to 3 decimals. */
export function secondsHeader(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

/** The requests of the last minute, for the anthropic-ratelimit-*-remaining headers. */
export class RateLimitWindow {
  private recent: number[] = [];

  /** Counts a request that reached a scenario. */
  add(now: number): void {
    this.recent.push(now);
  }

  clear(): void {
    this.recent = [];
  }

  headers(now: number, limited: boolean): Record<string, string> {
    this.recent = this.recent.filter((t) => t > now - 60_000);
    const reset = rfc3339(now + 60_000);
    const requestsLimit = 1000;
    const tokensLimit = 480_000;
    const inputLimit = 400_000;
    const outputLimit = 80_000;
    const used = this.recent.length;
    const h: Record<string, string> = {};
    const put = (kind: string, limit: number, remaining: number) => {
      h[`anthropic-ratelimit-${kind}-limit`] = String(limit);
      h[`anthropic-ratelimit-${kind}-remaining`] = String(limited ? 0 : Math.max(0, remaining));
      h[`anthropic-ratelimit-${kind}-reset`] = reset;
    };
    put('requests', requestsLimit, requestsLimit - used);
    put('tokens', tokensLimit, tokensLimit - used * 100);
    put('input-tokens', inputLimit, inputLimit - used * 80);
    put('output-tokens', outputLimit, outputLimit - used * 20);
    return h;
  }
}
