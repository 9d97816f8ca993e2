// Shared by the retry-core tests: a fake clock, SDK-built errors, and a scripted run of withRetry.
import * as assert from 'assert';
import { APIError } from '@anthropic-ai/sdk';
import { GiveUpEvent, RetryEvent, RetryOptions, withRetry } from '../../../src/core/retry/claudeRetry';
/** A clock that only moves when told to, and a sleep that moves it instead of waiting. */
export class FakeClock {
  t = Date.UTC(2026, 0, 1, 12, 0, 0); // a whole second, so HTTP dates (second precision) compare exactly
  sleeps: number[] = [];
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += ms;
  };
}

/** An error exactly as the SDK builds it from an HTTP response. */
export function sdkError(status: number, headers: Record<string, string> = {}, body?: unknown): APIError {
  const errBody = body ?? {
    type: 'error',
    error: { type: status === 529 ? 'overloaded_error' : 'api_error', message: 'failure' },
    request_id: 'req_body',
  };
  return APIError.generate(status, errBody as object, undefined, new Headers(headers));
}

/** A mid-stream `event: error` as the SDK raises it: APIError, no status, `.type` set. */
export function streamError(type: string): APIError {
  return new APIError(undefined, { type: 'error', error: { type, message: type } }, undefined, new Headers(), type as ConstructorParameters<typeof APIError>[4]);
}

/** Runs `withRetry` over a scripted sequence of outcomes: an error is thrown, anything else is returned. */
export async function run(
  script: unknown[],
  options: RetryOptions = {},
  clock = new FakeClock(),
): Promise<{ value?: unknown; error?: unknown; calls: number; sleeps: number[]; retries: RetryEvent[]; giveUps: GiveUpEvent[] }> {
  let calls = 0;
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const opts: RetryOptions = {
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    onRetry: (e) => retries.push(e),
    onGiveUp: (e) => giveUps.push(e),
    ...options,
  };
  try {
    const value = await withRetry(async (attempt) => {
      calls++;
      assert.strictEqual(attempt, calls, 'attempt numbers are 1-based and consecutive');
      const step = script[Math.min(calls, script.length) - 1];
      if (step instanceof Error || (typeof step === 'object' && step !== null && 'status' in step)) throw step;
      return step;
    }, opts);
    return { value, calls, sleeps: clock.sleeps, retries, giveUps };
  } catch (error) {
    return { error, calls, sleeps: clock.sleeps, retries, giveUps };
  }
}
