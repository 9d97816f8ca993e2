// Retry-storm benchmark (prints figures; not a timed test). Run: `npm run bench -- retry-storm`, or
// `node out/bench/retry-storm.js [--calls N] [--spread-ms MS] [--capacity N] [--window-ms MS]
//   [--latency-ms MS] [--budget-ms MS] [--count-rejected] [--seed N] [--breaker-threshold N]
//   [--breaker-cooldown-ms MS] [--policies a,b,...]` after `tsc -p .`.
//
// Many clients call the simulated Messages API while it is overloaded (scenario `overloaded-storm`: at
// most `capacity` requests accepted per sliding window, 529 overloaded_error for the rest). The same
// arrival schedule (seeded) is replayed against one fresh server per retry policy, all in one run:
//   - core:        withRetry from src/core/retry/claudeRetry.ts (the default helper) with its defaults
//                  (full-jitter backoff from 1 s, 6 attempts) and the call's budget as maxElapsedMs; SDK
//                  retries off (maxRetries 0)
//   - core+throttle: the same, plus one AdaptiveThrottle from claudeRetryThrottle.ts (the opt-in file;
//                  defaults: ratio 2, window 60 s) shared by all calls: an attempt it refuses is not sent
//                  and waits a backoff
//   - core+breaker: the same as core, plus one CircuitBreaker shared by all calls (opens after 5 failures
//                  in a row; cool-down 1 s, the time the simulated overload takes to clear). While it is
//                  open no call sends; calls wait, within their budget, for it to let them through. The
//                  cool-down has to match how fast the overload clears (`--breaker-cooldown-ms`).
//   - sdk-default: the SDK's own policy (maxRetries 2: waits of about 0.5 s and 1 s, up to 25 % jitter)
//   - naive:       a hand-written loop, 5 tries, waits of 2^n s (1, 2, 4, 8), no jitter, every error
//                  retried, SDK retries off
//   - naive+sdk:   the same loop around a client whose default retries are still on (a common mistake:
//                  each of the 5 tries can hide 3 requests)
//   - none:        one request, no retries
// (core+breaker and naive+sdk run only when named, to keep the run near a minute:
// `--policies core,core+breaker,core+throttle,sdk-default,naive,naive+sdk,none`.)
// Each call has a budget (an AbortSignal ends it there). Printed per policy: calls completed within the
// budget, requests the server received, wasted requests (the ones that failed), p50/p95 time to success.
//
// Time is not scaled: the SDK's retry waits are fixed in its code, so scaling the storm would change its
// behaviour relative to the others. The defaults (200 calls over 2 s against 10 requests/s, budget 15 s)
// keep the run under a minute. Jitter makes figures vary between runs, and a busy machine slows the
// clients themselves: run it on a quiet one.

import Anthropic from '@anthropic-ai/sdk';
import { withRetry } from '../src/core/retry/claudeRetry';
import { AdaptiveThrottle, CircuitBreaker } from '../src/core/retry/claudeRetryThrottle';
import { SimulatedServer, startSimulatedServer } from '../src/core/api/simulatedServer';

interface Config {
  calls: number;
  spreadMs: number;
  capacity: number;
  windowMs: number;
  latencyMs: number;
  budgetMs: number;
  countRejected: boolean;
  seed: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  policies: string[];
}

const defaults: Config = {
  calls: 200,
  spreadMs: 2000,
  capacity: 10,
  windowMs: 1000,
  latencyMs: 100,
  budgetMs: 15000,
  countRejected: false,
  seed: 42,
  breakerThreshold: 5,
  breakerCooldownMs: 1000,
  policies: ['core', 'core+throttle', 'sdk-default', 'naive', 'none'],
};

function parseArgs(argv: string[]): Config {
  const c = { ...defaults };
  const numeric: Record<string, keyof Config> = {
    '--calls': 'calls',
    '--spread-ms': 'spreadMs',
    '--capacity': 'capacity',
    '--window-ms': 'windowMs',
    '--latency-ms': 'latencyMs',
    '--budget-ms': 'budgetMs',
    '--seed': 'seed',
    '--breaker-threshold': 'breakerThreshold',
    '--breaker-cooldown-ms': 'breakerCooldownMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--count-rejected') c.countRejected = true;
    else if (a === '--policies' && argv[i + 1]) c.policies = argv[++i].split(',');
    else if (numeric[a] && argv[i + 1] !== undefined && Number.isFinite(Number(argv[i + 1]))) {
      (c as unknown as Record<string, number>)[numeric[a]] = Number(argv[++i]);
    } else {
      console.error(`retry-storm: unknown or incomplete argument "${a}"`);
      process.exit(2);
    }
  }
  return c;
}

/** A small seeded generator (mulberry32), so every policy sees the same arrivals. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arrival offsets: uniformly random over the spread, sorted. */
function arrivals(cfg: Config): number[] {
  const rnd = seeded(cfg.seed);
  return Array.from({ length: cfg.calls }, () => rnd() * cfg.spreadMs).sort((a, b) => a - b);
}

const params = {
  model: 'claude-sonnet-5',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Summarise the incident report in one line.' }],
};

/** What a policy gets: the clients, and one shared breaker per run (per fresh server). */
interface Shared {
  plain: Anthropic;
  sdkRetries: Anthropic;
  breaker: CircuitBreaker;
  throttle: AdaptiveThrottle;
}

type Call = (shared: Shared, signal: AbortSignal, budgetMs: number) => Promise<unknown>;

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What people write: five tries, 1 s, 2 s, 4 s, 8 s between them, every error retried. */
async function naiveLoop(client: Anthropic, signal: AbortSignal): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.messages.create(params, { signal });
    } catch (err) {
      if (attempt >= 4 || signal.aborted) throw err;
      await abortableSleep(1000 * 2 ** attempt, signal);
    }
  }
}

const policies: { name: string; call: Call }[] = [
  {
    name: 'core',
    call: (c, signal, budgetMs) => withRetry(() => c.plain.messages.create(params, { signal }), { signal, maxElapsedMs: budgetMs }),
  },
  {
    name: 'core+breaker',
    call: (c, signal, budgetMs) =>
      withRetry(() => c.plain.messages.create(params, { signal }), { signal, maxElapsedMs: budgetMs, circuitBreaker: c.breaker }),
  },
  {
    name: 'core+throttle',
    call: (c, signal, budgetMs) =>
      withRetry(() => c.plain.messages.create(params, { signal }), { signal, maxElapsedMs: budgetMs, throttle: c.throttle }),
  },
  { name: 'sdk-default', call: (c, signal) => c.sdkRetries.messages.create(params, { signal }) },
  { name: 'naive', call: (c, signal) => naiveLoop(c.plain, signal) },
  { name: 'naive+sdk', call: (c, signal) => naiveLoop(c.sdkRetries, signal) },
  { name: 'none', call: (c, signal) => c.plain.messages.create(params, { signal }) },
];

interface Result {
  name: string;
  completed: number;
  requests: number;
  wasted: number;
  p50: number | undefined;
  p95: number | undefined;
  wallMs: number;
}

function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function runPolicy(policy: (typeof policies)[number], cfg: Config, schedule: number[]): Promise<Result> {
  const server: SimulatedServer = await startSimulatedServer({
    scenario: 'overloaded-storm',
    scenarioOptions: { capacity: cfg.capacity, windowMs: cfg.windowMs, latencyMs: cfg.latencyMs, countRejected: cfg.countRejected },
  });
  const clients: Shared = {
    plain: new Anthropic({ apiKey: 'test', baseURL: server.url, maxRetries: 0 }),
    sdkRetries: new Anthropic({ apiKey: 'test', baseURL: server.url }), // default maxRetries: 2
    breaker: new CircuitBreaker({ failureThreshold: cfg.breakerThreshold, cooldownMs: cfg.breakerCooldownMs }),
    throttle: new AdaptiveThrottle(),
  };
  const started = Date.now();
  const successes: number[] = [];
  await Promise.all(
    schedule.map(async (offset) => {
      await new Promise((r) => setTimeout(r, offset));
      const t0 = Date.now();
      const signal = AbortSignal.timeout(cfg.budgetMs);
      try {
        await policy.call(clients, signal, cfg.budgetMs);
        const took = Date.now() - t0;
        if (took <= cfg.budgetMs) successes.push(took);
      } catch {
        // failed or out of budget
      }
    }),
  );
  const wallMs = Date.now() - started;
  // let requests cut off by the budget reach the server's log
  await new Promise((r) => setTimeout(r, 50));
  const stats = server.stats;
  await server.close();
  successes.sort((a, b) => a - b);
  const ok = stats.byStatus[200] ?? 0;
  return {
    name: policy.name,
    completed: successes.length,
    requests: stats.total,
    wasted: stats.total - ok,
    p50: percentile(successes, 50),
    p95: percentile(successes, 95),
    wallMs,
  };
}

function table(results: Result[], cfg: Config): string {
  const secs = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2) + ' s');
  const head = ['policy', `completed (of ${cfg.calls})`, 'requests sent', 'wasted (failed)', 'p50 to success', 'p95 to success'];
  const rows = results.map((r) => [r.name, String(r.completed), String(r.requests), String(r.wasted), secs(r.p50), secs(r.p95)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main() {
  const cfg = parseArgs(process.argv.slice(2));
  const schedule = arrivals(cfg);
  console.log(
    `retry storm: ${cfg.calls} calls arriving over ${cfg.spreadMs / 1000} s (seed ${cfg.seed}); server accepts ${cfg.capacity} ` +
      `requests per ${cfg.windowMs} ms window${cfg.countRejected ? ' (rejected requests count too)' : ''}, ` +
      `${cfg.latencyMs} ms per accepted request; budget ${cfg.budgetMs / 1000} s per call`,
  );
  if (cfg.policies.includes('core+breaker')) {
    console.log(`breaker (core+breaker): opens after ${cfg.breakerThreshold} failures in a row, cool-down ${cfg.breakerCooldownMs} ms`);
  }
  const t0 = Date.now();
  // One policy at a time, each against a fresh server: run side by side they would compete for the CPU
  // and the figures would measure the machine rather than the policies.
  const results: Result[] = [];
  for (const p of policies.filter((p) => cfg.policies.includes(p.name))) {
    const r = await runPolicy(p, cfg, schedule);
    console.log(`  ${r.name}: ${r.completed} completed, ${r.wasted} wasted, ${(r.wallMs / 1000).toFixed(1)} s`);
    results.push(r);
  }
  console.log('');
  console.log(table(results, cfg));
  console.log(`\nwall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const sdkDefault = results.find((r) => r.name === 'sdk-default');
  const naive = results.find((r) => r.name === 'naive');
  if (!sdkDefault || !naive) return;
  // The aims: more completions than the SDK default, at most half the naive loop's waste.
  for (const r of results.filter((r) => r.name.startsWith('core'))) {
    const share = naive.wasted ? (100 * r.wasted) / naive.wasted : NaN;
    const met = r.completed > sdkDefault.completed && r.wasted <= naive.wasted / 2;
    console.log(
      `${r.name}: ${r.completed} vs ${sdkDefault.completed} completed (sdk-default); ` +
        `${r.wasted} vs ${naive.wasted} wasted (naive), ${isNaN(share) ? '-' : share.toFixed(0)} %; aims ${met ? 'met' : 'not met'}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
