// The Python retry libraries as the analysis reads them, checked against the libraries themselves: each case is
// linted, then run (test/python/retry_library_runs.py) with the real tenacity, backoff and stamina from the test
// environment against a client whose every request fails with the SDK's 429 (or 400). What the retry layer
// says (attempt cap, total wait, waits, growth, jitter, which errors it retries) must be what the library did.

import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadPythonParser } from '../../../../src/core/lint/index';
import { parsePython } from '../../../../src/core/lint/python/frontEnd';
import { retryShapeFor } from '../../../../src/core/lint/retry';
import type { RetryLayer } from '../../../../src/core/lint/retry';
import { ensurePythonEnv } from '../../pythonEnv';

function projectRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'claude-request-lint') return dir;
  }
  throw new Error('project root not found');
}
const root = projectRoot();

const CALL = 'client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": prompt}])';
const HEAD = 'import anthropic\nimport backoff\nimport stamina\nimport tenacity\nfrom tenacity import AsyncRetrying, Retrying, retry, retry_if_exception, retry_if_exception_type, retry_if_not_exception_type, stop_after_attempt, stop_after_delay, wait_chain, wait_exponential, wait_exponential_jitter, wait_fixed, wait_incrementing, wait_random, wait_random_exponential\n\nclient = anthropic.Anthropic(max_retries=0)\n\n\n';
const decorated = (d: string) => `${HEAD}${d}\ndef ask(prompt):\n    return ${CALL}\n`;
const looped = (head: string, isAsync = false) =>
  `${HEAD}${isAsync ? 'async ' : ''}def ask(prompt):\n    ${isAsync ? 'async ' : ''}for attempt in ${head}:\n        with attempt:\n            return ${isAsync ? 'await ' : ''}${CALL}\n`;

const cases: Array<{ name: string; code: string }> = [
  { name: 'tenacity bare @retry', code: decorated('@retry') },
  { name: 'tenacity exponential + random, two classes', code: decorated('@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=60) + wait_random(0, 1), retry=retry_if_exception_type((anthropic.RateLimitError, anthropic.APIConnectionError)), reraise=True)') },
  { name: 'tenacity wait_random_exponential', code: decorated('@retry(stop=stop_after_attempt(6), wait=wait_random_exponential(multiplier=0.5, max=10))') },
  { name: 'tenacity wait_full_jitter', code: decorated('@tenacity.retry(stop=tenacity.stop_after_attempt(4), wait=tenacity.wait_full_jitter(max=3))') },
  { name: 'tenacity wait_fixed', code: decorated('@retry(stop=stop_after_attempt(4), wait=wait_fixed(2))') },
  { name: 'tenacity wait_exponential with a min', code: decorated('@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=0.5, min=2, max=5))') },
  { name: 'tenacity wait_exponential_jitter', code: decorated('@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=1, max=30))') },
  { name: 'tenacity wait_incrementing', code: decorated('@retry(stop=stop_after_attempt(4), wait=wait_incrementing(start=1, increment=2))') },
  { name: 'tenacity default wait_incrementing and wait_random', code: decorated('@retry(stop=stop_after_attempt(3), wait=wait_incrementing() + wait_random())') },
  { name: 'tenacity default wait_exponential_jitter', code: decorated('@retry(stop=stop_after_attempt(4), wait=wait_exponential_jitter())') },
  { name: 'tenacity wait_chain', code: decorated('@retry(stop=stop_after_attempt(6), wait=wait_chain(wait_fixed(1), wait_fixed(1), wait_fixed(5)))') },
  { name: 'tenacity stop_after_delay', code: decorated('@retry(stop=stop_after_delay(30), wait=wait_fixed(4))') },
  { name: 'tenacity stop a | b', code: decorated('@retry(stop=(stop_after_attempt(10) | stop_after_delay(20)), wait=wait_exponential())') },
  { name: 'tenacity stop a & b', code: decorated('@retry(stop=(stop_after_attempt(3) & stop_after_attempt(5)), wait=wait_fixed(1))') },
  { name: 'tenacity retry_if_not_exception_type', code: decorated('@retry(stop=stop_after_attempt(3), retry=retry_if_not_exception_type(anthropic.BadRequestError))') },
  { name: 'tenacity retry_if_exception with a status test', code: decorated('@retry(stop=stop_after_attempt(3), retry=retry_if_exception(lambda e: isinstance(e, anthropic.APIStatusError) and e.status_code >= 500))') },
  { name: 'tenacity OverloadedError is not an InternalServerError', code: decorated('@retry(stop=stop_after_attempt(3), retry=retry_if_exception_type(anthropic.InternalServerError))') },
  { name: 'tenacity Retrying loop', code: looped('Retrying(stop=stop_after_attempt(3), wait=wait_random(0, 2))') },
  { name: 'tenacity AsyncRetrying loop', code: looped('AsyncRetrying(stop=stop_after_attempt(4), wait=wait_random_exponential(max=8))', true) },
  { name: 'backoff expo', code: decorated('@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5)') },
  { name: 'backoff expo without jitter, factor and max_value', code: decorated('@backoff.on_exception(backoff.expo, anthropic.APIStatusError, max_tries=6, jitter=None, factor=2, max_value=10)') },
  { name: 'backoff constant', code: decorated('@backoff.on_exception(backoff.constant, (anthropic.RateLimitError, anthropic.BadRequestError), max_tries=4, interval=3)') },
  { name: 'backoff constant with its default interval', code: decorated('@backoff.on_exception(backoff.constant, anthropic.RateLimitError, max_tries=3, jitter=None)') },
  { name: 'backoff fibo with random_jitter', code: decorated('@backoff.on_exception(backoff.fibo, anthropic.RateLimitError, max_tries=6, jitter=backoff.random_jitter)') },
  { name: 'backoff with no limit', code: decorated('@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_value=4)') },
  { name: 'backoff max_time only', code: decorated('@backoff.on_exception(backoff.constant, anthropic.RateLimitError, max_time=20, interval=5, jitter=None)') },
  { name: 'backoff giveup on final statuses', code: decorated('@backoff.on_exception(backoff.expo, anthropic.APIStatusError, max_tries=4, giveup=lambda e: e.status_code < 500 and e.status_code != 429)') },
  { name: 'stamina defaults', code: decorated('@stamina.retry(on=anthropic.RateLimitError)') },
  { name: 'stamina attempts and waits', code: decorated('@stamina.retry(on=anthropic.APIStatusError, attempts=4, wait_initial=1, wait_max=10)') },
  { name: 'stamina without limits', code: decorated('@stamina.retry(on=anthropic.RateLimitError, attempts=None, timeout=None)') },
  { name: 'stamina no exponential growth', code: decorated('@stamina.retry(on=anthropic.RateLimitError, attempts=5, wait_exp_base=1)') },
  { name: 'stamina retry_context', code: looped('stamina.retry_context(on=(anthropic.RateLimitError, anthropic.OverloadedError), attempts=3)') },
];

interface Run {
  calls: number;
  waits: number[];
  unbounded: boolean;
  error: string | null;
}

function runCases(python: string, input: object[]): Promise<Run[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, [path.join(root, 'test', 'python', 'retry_library_runs.py')], { cwd: root, timeout: 120000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`retry_library_runs.py failed (${err.message}):\n${stdout}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Run[]);
    });
    child.stdin!.end(JSON.stringify(input));
  });
}

function layerOf(code: string): RetryLayer {
  const parsed = parsePython(code);
  if ('error' in parsed) throw new Error(`parse error: ${parsed.error.message}`);
  const call = parsed.scan.messageCalls[0];
  assert.ok(call, 'the Claude call is found');
  const stack = retryShapeFor(parsed.ast, code).analyze(call, { maxRetries: 0, source: 'client' });
  assert.strictEqual(stack.layers.length, 1, 'one retry layer');
  return stack.layers[0];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('Python retry libraries: the analysis against the libraries themselves', function () {
  this.timeout(600000);
  // per case: 429 with the random draws at their top, 429 at their bottom, and 400
  let runs: Array<{ top: Run; bottom: Run; final: Run }> = [];

  before(async () => {
    await loadPythonParser();
    const python = ensurePythonEnv();
    const input = cases.flatMap((c) => [
      { code: c.code, status: 429, jitter: 'max' },
      { code: c.code, status: 429, jitter: 'min' },
      { code: c.code, status: 400, jitter: 'max' },
    ]);
    const out = await runCases(python, input);
    runs = cases.map((_, i) => ({ top: out[3 * i], bottom: out[3 * i + 1], final: out[3 * i + 2] }));
  });

  cases.forEach((c, i) => {
    it(c.name, () => {
      const l = layerOf(c.code);
      const { top, bottom, final } = runs[i];
      const what = `layer ${JSON.stringify({ ...l, start: undefined, end: undefined })}\nrun ${JSON.stringify({ top, bottom, final })}`;
      // a 429 is retried exactly when the layer says so
      if (l.retries429 !== null) assert.strictEqual(top.calls > 1 || top.unbounded, l.retries429, `retries 429: ${what}`);
      if (!top.unbounded && top.calls === 1) return; // nothing more to compare
      assert.strictEqual(top.unbounded, l.bounded === false, `bounded: ${what}`);
      // with a time budget as well, the attempt cap and the total wait are upper bounds
      if (l.attempts !== null && l.budgetMs === null) assert.strictEqual(top.calls, l.attempts, `attempts: ${what}`);
      if (l.attempts !== null && l.budgetMs !== null) assert.ok(top.calls <= l.attempts, `attempts: ${what}`);
      // the total wait is exact unless the budget ended the run before the attempt cap
      if (l.waitMs !== null && (l.budgetMs === null || top.calls === l.attempts)) assert.ok(Math.abs(sum(top.waits) * 1000 - l.waitMs) < 1, `total wait: ${what}`);
      else if (l.waitMs !== null) assert.ok(sum(top.waits) * 1000 <= l.waitMs + 1, `total wait: ${what}`);
      if (l.waits !== null) assert.strictEqual(top.waits.some((w) => w > 0), l.waits, `waits: ${what}`);
      const ws = top.waits.slice(0, 12);
      if (l.grows !== null && ws.length >= 3) assert.strictEqual(ws[ws.length - 1] > ws[0], l.grows, `grows: ${what}`);
      if (l.jittered !== null) assert.strictEqual(JSON.stringify(bottom.waits.slice(0, 12)) !== JSON.stringify(ws), l.jittered, `jittered: ${what}`);
      // a final error (400) is retried exactly when the layer is not status-aware or names 400 among what it retries
      if (l.statusAware !== null) {
        const retries400 = l.statusAware === false && (!l.retriesFinal || l.retriesFinal.includes(400));
        assert.strictEqual(final.calls > 1 || final.unbounded, retries400, `retries 400: ${what}`);
      }
    });
  });

  it('OverloadedError (529) is not an InternalServerError in the SDK: a retry of InternalServerError lets it through', async () => {
    const code = decorated('@retry(stop=stop_after_attempt(3), retry=retry_if_exception_type(anthropic.InternalServerError))');
    const [overloaded, server] = await runCases(ensurePythonEnv(), [
      { code, status: 529, jitter: 'max' },
      { code, status: 500, jitter: 'max' },
    ]);
    assert.deepStrictEqual([overloaded.calls, overloaded.error, server.calls], [1, 'OverloadedError', 3]);
  });
});
