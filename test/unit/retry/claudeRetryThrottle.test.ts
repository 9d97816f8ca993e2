// The opt-in AdaptiveThrottle and CircuitBreaker (claudeRetryThrottle.ts) with withRetry from claudeRetry.ts,
// on a fake clock.
import * as assert from 'assert';
import { APIError } from '@anthropic-ai/sdk';
import { classifyError, GiveUpEvent, RetryOptions, withRetry } from '../../../src/core/retry/claudeRetry';
import { AdaptiveThrottle, CircuitBreaker, CircuitOpenError, ThrottledError } from '../../../src/core/retry/claudeRetryThrottle';
import { FakeClock, run, sdkError } from './retryTestKit';

describe('claudeRetry: circuit breaker', () => {
  it('opens after N consecutive retryable failures, refuses a call whose budget ends before the half-open moment, closes on success', async () => {
    const clock = new FakeClock();
    const states: string[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30000, now: clock.now, onStateChange: (s) => states.push(s) });
    const opts: RetryOptions = { circuitBreaker: breaker, maxAttempts: 1, maxElapsedMs: 29999, now: clock.now, sleep: clock.sleep };
    for (let i = 0; i < 3; i++) {
      await assert.rejects(withRetry(async () => Promise.reject(sdkError(529)), opts), (e: unknown) => e instanceof APIError);
    }
    assert.strictEqual(breaker.state, 'open');

    let called = false;
    const giveUps: GiveUpEvent[] = [];
    await assert.rejects(
      withRetry(
        async () => {
          called = true;
          return 'x';
        },
        { ...opts, onGiveUp: (e) => giveUps.push(e) },
      ),
      (e: unknown) => e instanceof CircuitOpenError && e.retryAfterMs === 30000,
    );
    assert.strictEqual(called, false);
    assert.deepStrictEqual(clock.sleeps, [], 'gave up at once, without waiting');
    assert.strictEqual(giveUps[0].reason, 'circuit-open');
    assert.strictEqual(giveUps[0].attempts, 0);

    clock.t += 30000;
    assert.strictEqual(breaker.state, 'half-open');
    assert.strictEqual(await withRetry(async () => 'trial', opts), 'trial');
    assert.strictEqual(breaker.state, 'closed');
    assert.deepStrictEqual(states, ['open', 'half-open', 'closed']);
  });
  it('half-open lets one trial through at a time; its failure re-opens for another cool-down', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: clock.now });
    breaker.recordFailure();
    assert.strictEqual(breaker.state, 'closed');
    breaker.recordFailure();
    assert.strictEqual(breaker.state, 'open');
    assert.strictEqual(breaker.tryAcquire(), false);
    clock.t += 999;
    assert.strictEqual(breaker.tryAcquire(), false);
    clock.t += 1;
    assert.strictEqual(breaker.tryAcquire(), true);
    assert.strictEqual(breaker.tryAcquire(), false, 'a second call while the trial runs fails fast');
    breaker.recordFailure();
    assert.strictEqual(breaker.state, 'open');
    assert.strictEqual(breaker.remainingCooldownMs(), 1000);
    clock.t += 1000;
    assert.strictEqual(breaker.tryAcquire(), true);
    breaker.release(); // an aborted trial tells nothing: the next caller may try
    assert.strictEqual(breaker.tryAcquire(), true);
    breaker.recordSuccess();
    assert.strictEqual(breaker.state, 'closed');
    assert.strictEqual(breaker.consecutiveFailures, 0);
  });
  it('a success or a final error resets the count of consecutive failures', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, now: clock.now });
    const opts: RetryOptions = { circuitBreaker: breaker, maxAttempts: 1, now: clock.now, sleep: clock.sleep };
    await assert.rejects(withRetry(async () => Promise.reject(sdkError(503)), opts));
    await assert.rejects(withRetry(async () => Promise.reject(sdkError(400)), opts));
    await assert.rejects(withRetry(async () => Promise.reject(sdkError(503)), opts));
    assert.strictEqual(breaker.state, 'closed');
    assert.strictEqual(breaker.consecutiveFailures, 1);
  });
  it('a call refused by an open breaker sends nothing, waits for the half-open moment plus a random part of a cool-down, then is the trial', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10000, now: clock.now });
    breaker.recordFailure();
    clock.t += 4000; // 6 s of cool-down left
    const r = await run(['ok'], { circuitBreaker: breaker, random: () => 0.25 }, clock);
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 1);
    assert.deepStrictEqual(r.sleeps, [6000 + 2500], 'to the half-open moment, then a quarter of a cool-down');
    assert.deepStrictEqual(r.retries, [], 'waiting for the breaker is not a retry');
    assert.strictEqual(breaker.state, 'closed');
  });
  it('the random part of a breaker wait is cut to the budget; a half-open moment past the budget gives up at once', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10000, now: clock.now });
    breaker.recordFailure();
    const fits = await run(['ok'], { circuitBreaker: breaker, random: () => 1, maxElapsedMs: 12000 }, clock);
    assert.strictEqual(fits.value, 'ok');
    assert.deepStrictEqual(fits.sleeps, [12000], 'the wait ends at the budget, not 8 s after it');

    const clock2 = new FakeClock();
    const breaker2 = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10000, now: clock2.now });
    breaker2.recordFailure();
    const late = await run(['ok'], { circuitBreaker: breaker2, maxElapsedMs: 9999 }, clock2);
    assert.strictEqual(late.calls, 0);
    assert.deepStrictEqual(late.sleeps, []);
    assert.ok(late.error instanceof CircuitOpenError);
    assert.strictEqual((late.error as CircuitOpenError).retryAfterMs, 10000);
    assert.strictEqual(late.giveUps[0].reason, 'circuit-open');
  });
  it('when its own failures open the circuit, a call backs off, waits for the half-open moment and tries again', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 30000, now: clock.now });
    const r = await run([sdkError(529), sdkError(529), 'ok'], { circuitBreaker: breaker, maxAttempts: 6 }, clock);
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 3);
    // backoff 500 (random 0.5 of 1 s), backoff 1000 (0.5 of 2 s), then the 29 s left of the cool-down
    // (it opened right after the second failure, before that backoff) plus half a cool-down
    assert.deepStrictEqual(r.sleeps, [500, 1000, 29000 + 15000]);
    assert.deepStrictEqual(
      r.retries.map((e) => e.delayMs),
      [500, 1000],
    );
    assert.strictEqual(breaker.state, 'closed');
  });
  it('gives up with CircuitOpenError carrying its last error when the circuit its failures opened stays shut past the budget', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 30000, now: clock.now });
    const last = sdkError(529);
    const r = await run([sdkError(529), last, 'ok'], { circuitBreaker: breaker, maxAttempts: 6, maxElapsedMs: 20000 }, clock);
    assert.strictEqual(r.calls, 2);
    assert.deepStrictEqual(r.sleeps, [500, 1000], 'the backoff fits the budget; the 29 s to the half-open moment does not');
    assert.ok(r.error instanceof CircuitOpenError);
    assert.strictEqual((r.error as CircuitOpenError).lastError, last);
    assert.strictEqual(r.giveUps[0].reason, 'circuit-open');
    assert.strictEqual(r.giveUps[0].attempts, 2);
    assert.strictEqual(r.giveUps[0].classification?.status, 529);
  });
  it('while a half-open trial runs, other calls keep waiting (random parts of a cool-down) and go once it has closed the circuit', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000, now: clock.now });
    breaker.recordFailure();
    clock.t += 1000; // half-open
    let endTrial: (value: string) => void = () => undefined;
    const trial = withRetry(() => new Promise<string>((resolve) => (endTrial = resolve)), { circuitBreaker: breaker, now: clock.now, sleep: clock.sleep });
    assert.strictEqual(breaker.state, 'half-open');

    const order: string[] = [];
    const waits: number[] = [];
    const other = withRetry(
      async () => {
        order.push(`other sent while ${breaker.state}`);
        return 'other';
      },
      {
        circuitBreaker: breaker,
        now: clock.now,
        random: () => 0.3,
        sleep: async (ms) => {
          waits.push(ms);
          clock.t += ms;
          if (waits.length === 3) endTrial('trial'); // the trial answers during the third wait
        },
      },
    );
    assert.strictEqual(await trial, 'trial');
    assert.strictEqual(await other, 'other');
    assert.deepStrictEqual(order, ['other sent while closed']);
    assert.ok(waits.length >= 3);
    assert.ok(waits.every((ms) => ms === 300), `each wait is 0.3 of a cool-down: ${waits}`);
  });
  it('an abort while waiting for the breaker rejects at once with the abort reason', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60000, now: clock.now });
    breaker.recordFailure();
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const giveUps: GiveUpEvent[] = [];
    let called = false;
    const pending = withRetry(
      async () => {
        called = true;
      },
      {
        circuitBreaker: breaker,
        signal: controller.signal,
        now: clock.now,
        sleep: () => new Promise<void>(() => undefined), // never ends by itself
        onGiveUp: (e) => giveUps.push(e),
      },
    );
    queueMicrotask(() => controller.abort(reason));
    await assert.rejects(pending, (e: unknown) => e === reason);
    assert.strictEqual(called, false);
    assert.strictEqual(giveUps[0].reason, 'aborted');
  });
  it('a breaker with no cool-down still waits at least 1 ms between looks, so a running trial cannot make a call spin', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 0, now: clock.now });
    breaker.recordFailure();
    assert.strictEqual(breaker.tryAcquire(), true); // a trial that never reports back
    const r = await run(['ok'], { circuitBreaker: breaker, maxElapsedMs: 5 }, clock);
    assert.strictEqual(r.calls, 0);
    assert.deepStrictEqual(r.sleeps, [1, 1, 1, 1, 1]);
    assert.ok(r.error instanceof CircuitOpenError);
  });
});

describe('claudeRetry: adaptive throttle', () => {
  it('refuses with probability max(0, (requests - ratio * accepts) / (requests + 1)); refusals count as requests', () => {
    const clock = new FakeClock();
    let r = 0.99;
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => r });
    assert.strictEqual(throttle.rejectionProbability, 0);
    for (let i = 0; i < 4; i++) assert.strictEqual(throttle.tryAcquire(), true);
    throttle.recordAccepted();
    // 4 requests, 1 accept: (4 - 2) / 5
    assert.strictEqual(throttle.rejectionProbability, 0.4);
    r = 0.39;
    assert.strictEqual(throttle.tryAcquire(), false, 'refused: 0.39 < 0.4');
    // the refusal counted: (5 - 2) / 6
    assert.strictEqual(throttle.rejectionProbability, 0.5);
    r = 0.5;
    assert.strictEqual(throttle.tryAcquire(), true, 'let through: 0.5 is not below 0.5');
    for (let i = 0; i < 2; i++) throttle.recordAccepted();
    // 6 requests, 3 accepts: nothing refused while the API takes half of what is sent
    assert.strictEqual(throttle.rejectionProbability, 0);
  });
  it('forgets counts older than the window', () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ windowMs: 10000, now: clock.now, random: () => 0.99 });
    for (let i = 0; i < 9; i++) throttle.tryAcquire();
    assert.strictEqual(throttle.rejectionProbability, 0.9);
    clock.t += 5000;
    throttle.tryAcquire();
    assert.strictEqual(throttle.rejectionProbability, 10 / 11);
    clock.t += 5000; // the first nine are now 10 s old
    assert.strictEqual(throttle.rejectionProbability, 0.5);
    clock.t += 5000;
    assert.strictEqual(throttle.rejectionProbability, 0);
  });
  it('withRetry does not send a refused attempt: it waits a backoff (not reported by onRetry) and asks again', async () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => 0 });
    throttle.tryAcquire(); // another call's request, still unanswered: everything else is refused
    const r = await run(['ok'], {
      throttle,
      sleep: async (ms) => {
        clock.sleeps.push(ms);
        clock.t += ms;
        if (clock.sleeps.length === 2) {
          throttle.recordAccepted();
          throttle.recordAccepted();
        }
      },
    }, clock);
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 1, 'sent once, as attempt 1');
    assert.deepStrictEqual(r.sleeps, [500, 500], 'two refusals, each waiting the first backoff (0.5 of 1 s)');
    assert.deepStrictEqual(r.retries, []);
  });
  it('refusals do not make the backoff grow; failures still do', async () => {
    /** A throttle the test switches on and off. */
    class SwitchedThrottle extends AdaptiveThrottle {
      refuse = false;
      override tryAcquire(): boolean {
        return !this.refuse;
      }
    }
    const clock = new FakeClock();
    const throttle = new SwitchedThrottle();
    const r = await run(
      [sdkError(529), sdkError(529), 'ok'],
      {
        throttle,
        sleep: async (ms) => {
          clock.sleeps.push(ms);
          clock.t += ms;
          if (clock.sleeps.length === 1) throttle.refuse = true; // after the first failure: three refusals
          if (clock.sleeps.length === 4) throttle.refuse = false;
        },
      },
      clock,
    );
    assert.strictEqual(r.value, 'ok');
    assert.strictEqual(r.calls, 3);
    // 500: backoff after failure 1; 3 x 500: refusals, at that same backoff; 1000: backoff after failure 2
    assert.deepStrictEqual(r.sleeps, [500, 500, 500, 500, 1000]);
    assert.deepStrictEqual(
      r.retries.map((e) => [e.attempt, e.delayMs]),
      [
        [1, 500],
        [2, 1000],
      ],
    );
  });
  it('gives up with ThrottledError when refused past the budget before anything was sent, else with the last error', async () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => 0 });
    throttle.tryAcquire();
    const never = await run(['ok'], { throttle, maxElapsedMs: 1200 }, clock);
    assert.strictEqual(never.calls, 0);
    assert.deepStrictEqual(never.sleeps, [500, 500], 'a third wait of 500 ms would pass 1.2 s');
    assert.ok(never.error instanceof ThrottledError);
    assert.strictEqual(never.giveUps[0].reason, 'throttled');
    assert.strictEqual(never.giveUps[0].attempts, 0);
    assert.deepStrictEqual(classifyError(never.error), { retryable: false, reason: 'throttled' });

    const clock2 = new FakeClock();
    const throttle2 = new AdaptiveThrottle({ now: clock2.now, random: () => 0 });
    const last = sdkError(529);
    // attempt 1 is let through (nothing counted yet) and fails; from then on the throttle refuses
    const after = await run([last, 'ok'], { throttle: throttle2, maxElapsedMs: 1200 }, clock2);
    assert.strictEqual(after.calls, 1);
    assert.strictEqual(after.error, last);
    assert.strictEqual(after.giveUps[0].reason, 'budget-exceeded');
    assert.strictEqual(after.giveUps[0].attempts, 1);
  });
  it('counts successes and final errors as accepted, retryable errors not', async () => {
    const clock = new FakeClock();
    const throttle = new AdaptiveThrottle({ now: clock.now, random: () => 0.99 });
    await run(['ok'], { throttle }, new FakeClock());
    await run([sdkError(400)], { throttle }, new FakeClock());
    assert.strictEqual(throttle.rejectionProbability, 0, '2 requests, 2 accepts');
    await run([sdkError(529)], { throttle, maxAttempts: 1 }, new FakeClock());
    await run([sdkError(529)], { throttle, maxAttempts: 1 }, new FakeClock());
    await run([sdkError(529)], { throttle, maxAttempts: 1 }, new FakeClock());
    // 5 requests, 2 accepts: (5 - 4) / 6
    assert.strictEqual(throttle.rejectionProbability, 1 / 6);
  });
  it('an abort while a refused attempt waits rejects at once with the abort reason', async () => {
    const throttle = new AdaptiveThrottle({ random: () => 0 });
    throttle.tryAcquire();
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    let called = false;
    const pending = withRetry(
      async () => {
        called = true;
      },
      { throttle, signal: controller.signal, sleep: () => new Promise<void>(() => undefined) },
    );
    queueMicrotask(() => controller.abort(reason));
    await assert.rejects(pending, (e: unknown) => e === reason);
    assert.strictEqual(called, false);
  });
});
