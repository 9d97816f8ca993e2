// The Python retry helper (src/core/retry/claude_retry.py) driving the real `anthropic` client (max_retries=0)
// against the simulated Messages API, in a virtual environment the tests create from test/python/requirements.txt;
// plus its pure-Python unit tests, and the check that the build ships the file unchanged.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ScenarioOptions, SimulatedServer, startSimulatedServer } from '../../../src/core/api/simulatedServer';
import { ensurePythonEnv } from '../pythonEnv';

/** The project root: the nearest folder above this file (or the working directory) with our package.json. */
function projectRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'claude-request-lint') return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('project root not found');
}

const root = projectRoot();
const helperDir = path.join(root, 'src', 'core', 'retry');
const scripts = path.join(root, 'test', 'python');

interface Retry {
  attempt: number;
  delay: number;
  reason: string;
  status: number | null;
  error_type: string | null;
  request_id: string | null;
  error_class: string;
  classification: string;
}
interface Outcome {
  ok: boolean;
  text?: string | null;
  error?: { class: string; status: number | null; is_overloaded: boolean; is_connection: boolean; type: string | null; message: string };
  elapsed: number;
  retries: Retry[];
  gave_up: Array<{ reason: string; attempts: number; error_class: string }>;
  waits: number[];
  received: string[];
}

/** Runs a Python script with the test environment's python; rejects with its output when it exits non-zero. */
function runPython(python: string, args: string[], timeoutMs = 60000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python, args, { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(args[0])} failed (${err.message}):\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** One call of the table: the scenario the server plays, the helper's options, and what must have happened. */
interface Case {
  name: string;
  mode: string;
  scenario: string;
  scenarioOptions?: ScenarioOptions;
  options?: object;
  timeScale?: number;
  check: (r: Outcome, server: SimulatedServer) => void;
}

const STREAM_MODES = ['stream', 'stream-create', 'async-stream', 'async-stream-create'];

const cases: Case[] = [
  {
    name: '429 rate_limit_error: retry-after honoured with real (scaled) waits, then the answer',
    mode: 'create',
    scenario: 'rate-limited',
    scenarioOptions: { failures: 2, retryAfter: 2 },
    timeScale: 0.05,
    check: (r, server) => {
      assert.strictEqual(r.ok, true, JSON.stringify(r.error));
      assert.match(String(r.text), /\w/);
      assert.deepStrictEqual(r.retries.map((e) => [e.attempt, e.status, e.reason, e.error_class, e.error_type]), [
        [1, 429, 'retry-after', 'RateLimitError', 'rate_limit_error'],
        [2, 429, 'retry-after', 'RateLimitError', 'rate_limit_error'],
      ]);
      assert.deepStrictEqual(r.waits, [0.1, 0.1]);
      assert.ok(r.elapsed >= 0.2, `waited for real: ${r.elapsed} s`);
      assert.strictEqual(r.retries[0].request_id, server.stats.requests[0].requestId);
      assert.deepStrictEqual(server.stats.byStatus, { 429: 2, 200: 1 });
    },
  },
  {
    name: 'retry-after-ms wins over retry-after',
    mode: 'create',
    scenario: 'rate-limited',
    scenarioOptions: { failures: 1, retryAfter: 30, retryAfterMs: 250 },
    options: { max_delay: 0.01, real_sleep: false },
    check: (r) => {
      assert.strictEqual(r.ok, true, JSON.stringify(r.error));
      assert.deepStrictEqual(r.waits, [0.25]);
    },
  },
  {
    name: 'a retry-after longer than max_delay is still honoured in full',
    mode: 'create',
    scenario: 'rate-limited',
    scenarioOptions: { failures: 1, retryAfter: 90 },
    options: { max_delay: 1, real_sleep: false },
    check: (r) => {
      assert.strictEqual(r.ok, true, JSON.stringify(r.error));
      assert.deepStrictEqual(r.waits, [90]);
    },
  },
  {
    name: 'a retry-after beyond max_elapsed gives up at once with the RateLimitError, unchanged',
    mode: 'create',
    scenario: 'rate-limited',
    scenarioOptions: { failures: 'always', retryAfter: 500 },
    options: { real_sleep: false },
    check: (r, server) => {
      assert.strictEqual(r.ok, false);
      assert.strictEqual(r.error?.class, 'RateLimitError');
      assert.deepStrictEqual(r.waits, []);
      assert.deepStrictEqual(r.gave_up, [{ reason: 'budget-exceeded', attempts: 1, error_class: 'RateLimitError' }]);
      assert.strictEqual(server.stats.total, 1);
    },
  },
  {
    name: '529 OverloadedError (not an InternalServerError in anthropic 1.x) is retried with full-jitter backoff',
    mode: 'create',
    scenario: 'overloaded-burst',
    scenarioOptions: { failures: 3 },
    options: { base_delay: 0.02, real_sleep: false },
    check: (r, server) => {
      assert.strictEqual(r.ok, true, JSON.stringify(r.error));
      assert.deepStrictEqual(r.retries.map((e) => [e.attempt, e.status, e.reason, e.error_class]), [
        [1, 529, 'backoff', 'OverloadedError'],
        [2, 529, 'backoff', 'OverloadedError'],
        [3, 529, 'backoff', 'OverloadedError'],
      ]);
      // full jitter: each wait lies in [0, base_delay * 2^(attempt-1)]
      r.waits.forEach((w, i) => assert.ok(w >= 0 && w <= 0.02 * 2 ** i, `wait ${i + 1}: ${w}`));
      assert.deepStrictEqual(server.stats.byStatus, { 529: 3, 200: 1 });
    },
  },
  {
    name: '529 that never ends: max_attempts requests, then the last OverloadedError is re-raised',
    mode: 'create',
    scenario: 'overloaded-burst',
    scenarioOptions: { failures: 'always' },
    options: { max_attempts: 3, base_delay: 0.001 },
    check: (r, server) => {
      assert.strictEqual(r.ok, false);
      assert.strictEqual(r.error?.class, 'OverloadedError');
      assert.strictEqual(r.error?.is_overloaded, true);
      assert.deepStrictEqual(r.gave_up, [{ reason: 'attempts-exhausted', attempts: 3, error_class: 'OverloadedError' }]);
      assert.strictEqual(server.stats.total, 3);
    },
  },
  {
    name: 'the spend-limit 429 is final: one request, no wait',
    mode: 'create',
    scenario: 'spend-limit',
    options: { real_sleep: false },
    check: (r, server) => {
      assert.strictEqual(r.ok, false);
      assert.strictEqual(r.error?.class, 'RateLimitError');
      assert.deepStrictEqual(r.waits, []);
      assert.deepStrictEqual(r.gave_up, [{ reason: 'final-error', attempts: 1, error_class: 'RateLimitError' }]);
      assert.strictEqual(server.stats.total, 1);
    },
  },
  {
    name: 'a reset connection (APIConnectionError) is retried',
    mode: 'create',
    scenario: 'connection-reset',
    scenarioOptions: { failures: 2 },
    options: { base_delay: 0.001 },
    check: (r, server) => {
      assert.strictEqual(r.ok, true, JSON.stringify(r.error));
      assert.deepStrictEqual(r.retries.map((e) => [e.error_class, e.classification, e.status]), [
        ['APIConnectionError', 'connection-error', null],
        ['APIConnectionError', 'connection-error', null],
      ]);
      assert.strictEqual(server.stats.total, 3);
    },
  },
  {
    name: 'async: the same 529 retries through AsyncAnthropic',
    mode: 'async-create',
    scenario: 'overloaded-burst',
    scenarioOptions: { failures: 2 },
    options: { base_delay: 0.001 },
    check: (r, server) => {
      assert.strictEqual(r.ok, true, JSON.stringify(r.error));
      assert.deepStrictEqual(r.retries.map((e) => e.error_class), ['OverloadedError', 'OverloadedError']);
      assert.strictEqual(server.stats.total, 3);
    },
  },
  {
    name: 'with a shared CircuitBreaker (claude_retry_throttle.py): two 529s open it; the next attempt is not sent',
    mode: 'create',
    scenario: 'overloaded-burst',
    scenarioOptions: { failures: 'always' },
    options: { base_delay: 0.001, max_elapsed: 5, breaker: { failure_threshold: 2, cooldown: 30 } },
    check: (r, server) => {
      assert.strictEqual(r.ok, false);
      assert.strictEqual(r.error?.class, 'CircuitOpenError');
      assert.deepStrictEqual(r.gave_up, [{ reason: 'circuit-open', attempts: 2, error_class: 'CircuitOpenError' }]);
      assert.strictEqual(server.stats.total, 2);
    },
  },
  ...STREAM_MODES.map(
    (mode): Case => ({
      name: `${mode}: a 529 before the first event is retried; the stream is then delivered once`,
      mode,
      scenario: 'overloaded-burst',
      scenarioOptions: { failures: 2 },
      options: { base_delay: 0.001 },
      check: (r, server) => {
        assert.strictEqual(r.ok, true, JSON.stringify(r.error));
        assert.deepStrictEqual(r.retries.map((e) => [e.status, e.error_class]), [
          [529, 'OverloadedError'],
          [529, 'OverloadedError'],
        ]);
        assert.strictEqual(r.received[0], 'message_start');
        assert.strictEqual(r.received[r.received.length - 1], 'message_stop');
        assert.strictEqual(r.received.filter((t) => t === 'message_start').length, 1, 'no event delivered twice');
        assert.strictEqual(server.stats.total, 3);
      },
    }),
  ),
  ...STREAM_MODES.map(
    (mode): Case => ({
      name: `${mode}: an overloaded_error event after the first event is not retried and reaches the loop`,
      mode,
      scenario: 'mid-stream-error',
      scenarioOptions: { failures: 'always', deltasBeforeError: 2 },
      options: { base_delay: 0.001 },
      check: (r, server) => {
        assert.strictEqual(r.ok, false);
        assert.strictEqual(r.error?.type, 'overloaded_error');
        assert.deepStrictEqual(r.retries, []);
        assert.strictEqual(r.received[0], 'message_start');
        assert.strictEqual(r.received.filter((t) => t === 'message_start').length, 1);
        assert.ok(r.received.length >= 3, `text arrived before the error: ${JSON.stringify(r.received)}`);
        assert.strictEqual(server.stats.total, 1, 'one request: nothing retried after output started');
      },
    }),
  ),
];

describe('claude_retry.py through the real anthropic SDK', function () {
  this.timeout(600000); // the first run creates the virtual environment
  let python: string;
  const servers: SimulatedServer[] = [];
  let outcomes: Outcome[] = [];

  // One simulated server per case, and one Python process that makes every call (importing anthropic is slow).
  before(async function () {
    // No skip when Python is missing: ensurePythonEnv throws and these tests fail.
    python = ensurePythonEnv();
    for (const c of cases) {
      servers.push(await startSimulatedServer({ scenario: c.scenario, scenarioOptions: c.scenarioOptions ?? {}, timeScale: c.timeScale ?? 1 }));
    }
    const calls = cases.map((c, i) => ({ mode: c.mode, base_url: servers[i].url, options: c.options ?? {} }));
    const out = await runPython(python, [path.join(scripts, 'run_sdk_call.py'), helperDir, JSON.stringify(calls)], 300000);
    outcomes = JSON.parse(out.trim().split('\n').pop() as string) as Outcome[];
    assert.strictEqual(outcomes.length, cases.length);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  cases.forEach((c, i) => {
    it(c.name, () => c.check(outcomes[i], servers[i]));
  });

  it('pure-Python unit tests of parse_retry_after, classify_error, backoff and the retry loops pass', async () => {
    // The script exits non-zero on any failure (runPython then rejects with its output) and prints its counts.
    const out = await runPython(python, [path.join(scripts, 'test_claude_retry.py'), helperDir]);
    const counts = JSON.parse(out.trim().split('\n').pop() as string) as { run: number; failures: number; errors: number };
    assert.deepStrictEqual({ failures: counts.failures, errors: counts.errors }, { failures: 0, errors: 0 });
    assert.ok(counts.run >= 20, `${counts.run} tests ran`);
  });

  it('pure-Python unit tests of the opt-in claude_retry_throttle.py (AdaptiveThrottle, CircuitBreaker) pass', async () => {
    const out = await runPython(python, [path.join(scripts, 'test_claude_retry_throttle.py'), helperDir]);
    const counts = JSON.parse(out.trim().split('\n').pop() as string) as { run: number; failures: number; errors: number };
    assert.deepStrictEqual({ failures: counts.failures, errors: counts.errors }, { failures: 0, errors: 0 });
    assert.ok(counts.run >= 5, `${counts.run} tests ran`);
  });

  for (const file of ['claude_retry.py', 'claude_retry_throttle.py']) {
    it(`dist/retry/${file} is the source file, byte for byte`, () => {
      const shipped = fs.readFileSync(path.join(root, 'dist', 'retry', file));
      assert.ok(shipped.equals(fs.readFileSync(path.join(helperDir, file))));
    });
  }

  it('the helper imports nothing outside the standard library and stays within 400 lines; so does the throttle file', async () => {
    const text = fs.readFileSync(path.join(helperDir, 'claude_retry.py'), 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    assert.ok(lines.length <= 400, `${lines.length} lines`);
    const check = [
      'import ast, sys',
      'tree = ast.parse(open(sys.argv[1]).read(), feature_version=(3, 8))',
      'names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}',
      'names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}',
      'print(sorted(n for n in names if n not in sys.stdlib_module_names))',
    ].join('\n');
    assert.strictEqual((await runPython(python, ['-c', check, path.join(helperDir, 'claude_retry.py')])).trim(), '[]');
    assert.strictEqual((await runPython(python, ['-c', check, path.join(helperDir, 'claude_retry_throttle.py')])).trim(), '[]');
  });
});
