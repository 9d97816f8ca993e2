// The retry core as users receive it: the build writes dist/retry/claudeRetry.ts (the source text, which
// the quick fix inserts) and plain-JS copies claudeRetry.mjs and claudeRetry.cjs, and the same for the opt-in
// claudeRetryThrottle. This proves the copies behave exactly like the TypeScript the other tests check, that
// the default helper stands alone, and that the throttle file needs nothing but its types from it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as ts from 'typescript';
import * as core from '../../../src/core/retry/claudeRetry';
import * as throttleModule from '../../../src/core/retry/claudeRetryThrottle';

/** Both files' exports, as one object (the throttle file exports no name of the core's). */
type RetryModule = typeof core & typeof throttleModule;
const source: RetryModule = { ...core, ...throttleModule };

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
const distDir = path.join(root, 'dist', 'retry');
const sourcePath = path.join(root, 'src', 'core', 'retry', 'claudeRetry.ts');
const throttlePath = path.join(root, 'src', 'core', 'retry', 'claudeRetryThrottle.ts');

// tsc turns `import()` into `require()` in CommonJS output; going through Function keeps a real ESM import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<object>;

/** The import, require, export-from and `import()` in a TypeScript file, as written. */
function importsOf(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) found.push(node.getText());
    if (ts.isExportDeclaration(node) && node.moduleSpecifier) found.push(node.getText());
    if (ts.isImportTypeNode(node)) found.push(node.getText());
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) found.push(node.getText());
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found.concat(file.referencedFiles.map((r) => r.fileName), file.typeReferenceDirectives.map((r) => r.fileName), file.libReferenceDirectives.map((r) => r.fileName));
}

/** A tagged error, so outcomes compare by tag across module copies. */
function tagged(tag: string, fields: object): Error {
  return Object.assign(new Error(tag), { tag }, fields);
}
const tagOf = (e: unknown): string =>
  e && typeof e === 'object' && 'tag' in e ? String((e as { tag: unknown }).tag) : `${(e as Error)?.name}: ${(e as Error)?.message}`;

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

const errorInputs: Array<[string, unknown]> = [
  ['400', { status: 400, headers: { 'request-id': 'req_1' } }],
  ['408', { status: 408 }],
  ['409', { status: 409 }],
  ['422 statusCode', { statusCode: 422 }],
  ['429 retry-after-ms', { status: 429, headers: new Headers({ 'retry-after-ms': '250' }) }],
  ['429 retry-after date', { status: 429, headers: { 'Retry-After': new Date(NOW + 5000).toUTCString() } }],
  ['429 spend', { status: 429, errorCode: 'enforced_spend_limit_reached' }],
  ['500 should-retry false', { status: 500, headers: new Map([['X-Should-Retry', 'false']]) }],
  ['400 should-retry true', { status: 400, headers: { 'x-should-retry': 'true' } }],
  ['529 body', { status: 529, error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_b' } }],
  ['axios 503', { response: { status: 503, headers: { 'retry-after': '1.5' } } }],
  ['stream overloaded', { name: 'Error', type: 'overloaded_error' }],
  ['stream invalid', { type: 'invalid_request_error' }],
  ['connection', { name: 'APIConnectionError', message: 'Connection error.' }],
  ['timeout', { name: 'APIConnectionTimeoutError' }],
  ['abort', { name: 'AbortError' }],
  ['user abort', { name: 'APIUserAbortError' }],
  ['ECONNRESET', { code: 'ECONNRESET' }],
  ['ENOTFOUND', { name: 'APIConnectionError', cause: { code: 'ENOTFOUND' } }],
  ['fetch failed', Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } })],
  ['bug', new TypeError('x is not a function')],
  ['string', 'boom'],
  ['undefined', undefined],
];

/** Everything observable about one module copy, as plain data. */
async function outcomes(m: RetryModule): Promise<unknown> {
  const out: Record<string, unknown> = {};
  out.exports = Object.keys(m).sort();
  out.defaults = m.RETRY_DEFAULTS;
  out.classify = errorInputs.map(([name, err]) => [name, m.classifyError(err, NOW), m.isRetryable(err)]);
  out.parseRetryAfter = [
    { 'retry-after-ms': '10' },
    { 'retry-after': '2' },
    { 'retry-after': '0.25' },
    { 'retry-after': new Date(NOW + 3000).toUTCString() },
    { 'retry-after': '0' },
    { 'retry-after': 'later' },
    {},
  ].map((h) => m.parseRetryAfter(h, NOW));
  out.backoff = [1, 2, 3, 6, 7, 30].map((a) => [0, 0.5, 0.9999999].map((r) => m.backoffDelay(a, { baseDelayMs: 1000, maxDelayMs: 60000 }, () => r)));
  out.readHeader = [m.readHeader(new Headers({ A: '1' }), 'a'), m.readHeader(new Map([['A', '2']]), 'a'), m.readHeader({ A: ['3'] }, 'a'), m.readHeader(null, 'a')];

  // withRetry over scripted runs with a fake clock
  const scripts: Array<[string, unknown[], Partial<core.RetryOptions>]> = [
    ['success after 529s', [tagged('e1', { status: 529 }), tagged('e2', { status: 529 }), 'ok'], {}],
    ['final 401', [tagged('e401', { status: 401 }), 'ok'], {}],
    ['attempts exhausted', [tagged('e500', { status: 500 })], { maxAttempts: 3 }],
    ['budget', [tagged('e429', { status: 429, headers: { 'retry-after': '500' } }), 'ok'], {}],
    ['retry-after honoured', [tagged('e429b', { status: 429, headers: { 'retry-after-ms': '70000' } }), 'ok'], {}],
    ['shouldRetry override', [tagged('e400', { status: 400 }), 'ok'], { shouldRetry: () => true }],
  ];
  const runs: unknown[] = [];
  for (const [name, script, extra] of scripts) {
    let t = NOW;
    const sleeps: number[] = [];
    const events: unknown[] = [];
    let calls = 0;
    let result: unknown;
    try {
      result = await m.withRetry(
        async () => {
          const step = script[Math.min(++calls, script.length) - 1];
          if (step instanceof Error) throw step;
          return step;
        },
        {
          now: () => t,
          sleep: async (ms) => {
            sleeps.push(ms);
            t += ms;
          },
          random: () => 0.25,
          onRetry: (e) => events.push(['retry', e.attempt, e.delayMs, e.reason, e.status, tagOf(e.error)]),
          onGiveUp: (e) => events.push(['give-up', e.reason, e.attempts, tagOf(e.error)]),
          ...extra,
        },
      );
    } catch (e) {
      result = `rejected ${tagOf(e)}`;
    }
    runs.push({ name, result, calls, sleeps, events });
  }
  out.runs = runs;

  // abort before the start
  const controller = new AbortController();
  controller.abort(tagged('stop', {}));
  let called = false;
  out.abortBeforeStart = await m
    .withRetry(async () => {
      called = true;
    }, { signal: controller.signal })
    .then(
      () => 'resolved',
      (e) => `rejected ${tagOf(e)} called=${called}`,
    );

  // circuit breaker
  let t = 0;
  const breaker = new m.CircuitBreaker({ failureThreshold: 2, cooldownMs: 100, now: () => t });
  const states: string[] = [];
  breaker.recordFailure();
  states.push(breaker.state);
  breaker.recordFailure();
  states.push(breaker.state, String(breaker.tryAcquire()), String(breaker.remainingCooldownMs()));
  // the half-open moment lies past the call's budget: refused at once
  const refused = await m
    .withRetry(async () => 'x', { circuitBreaker: breaker, maxElapsedMs: 50 })
    .catch((e: Error) => `${e.name} ${e instanceof m.CircuitOpenError}`);
  // within the budget: the call waits (on the breaker's clock) until half-open plus a random part, then is the trial
  const waits: number[] = [];
  const waited = await m.withRetry(async () => `x after ${t} ms, ${breaker.state}`, {
    circuitBreaker: breaker,
    now: () => t,
    random: () => 0.5,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  });
  states.push(breaker.state);
  breaker.recordFailure();
  breaker.recordFailure();
  t += 100;
  states.push(breaker.state, String(breaker.tryAcquire()), String(breaker.tryAcquire()));
  breaker.recordSuccess();
  states.push(breaker.state);
  out.breaker = { states, refused, waited, waits };

  // adaptive throttle: one refusal (a request of another call is unanswered), a wait, then sent
  let tt = 0;
  const throttle = new m.AdaptiveThrottle({ now: () => tt, random: () => 0 });
  throttle.tryAcquire();
  const throttleWaits: number[] = [];
  const throttled = await m.withRetry(async () => 'sent', {
    throttle,
    random: () => 0.5,
    sleep: async (ms: number) => {
      throttleWaits.push(ms);
      tt += ms;
      throttle.recordAccepted();
    },
  });
  const busy = new m.AdaptiveThrottle({ random: () => 0 });
  busy.tryAcquire();
  const refusedByThrottle = await m
    .withRetry(async () => 'x', { throttle: busy, random: () => 0.5, maxElapsedMs: 100 })
    .catch((e: Error) => `${e.name} ${e instanceof m.ThrottledError}`);
  out.throttle = { throttled, throttleWaits, p: throttle.rejectionProbability, refusedByThrottle };

  // streams: retried before the first event, not after
  const streamRun = async (failFirstOpen: boolean, failAfterFirst: boolean) => {
    let opens = 0;
    const seen: string[] = [];
    const iterable = (): AsyncIterable<string> => ({
      async *[Symbol.asyncIterator]() {
        yield 'a';
        if (failAfterFirst) throw tagged('mid', { type: 'overloaded_error' });
        yield 'b';
      },
    });
    try {
      for await (const e of m.withStreamRetry<string>(
        async () => {
          opens++;
          if (failFirstOpen && opens === 1) throw tagged('open', { status: 529 });
          return iterable();
        },
        { sleep: async () => undefined },
      )) {
        seen.push(e);
      }
      return { opens, seen };
    } catch (e) {
      return { opens, seen, error: tagOf(e) };
    }
  };
  out.streams = [await streamRun(true, false), await streamRun(false, true)];
  return out;
}

describe('claudeRetry: the plain-JS copies behave like the TypeScript', () => {
  it('dist/retry/claudeRetry.ts is the source text, byte for byte', () => {
    const dist = fs.readFileSync(path.join(distDir, 'claudeRetry.ts'), 'utf8');
    assert.strictEqual(dist, fs.readFileSync(sourcePath, 'utf8'));
  });

  it('dist/retry/claudeRetryThrottle.ts is the source text, byte for byte', () => {
    const dist = fs.readFileSync(path.join(distDir, 'claudeRetryThrottle.ts'), 'utf8');
    assert.strictEqual(dist, fs.readFileSync(throttlePath, 'utf8'));
  });

  it('the default helper stays reviewable: at most 400 lines, its doc comment included', () => {
    const lines = fs.readFileSync(sourcePath, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    assert.ok(lines.length <= 400, `claudeRetry.ts has ${lines.length} lines`);
  });

  it('the throttle file imports nothing but types from ./claudeRetry', () => {
    assert.deepStrictEqual(importsOf('claudeRetryThrottle.ts', fs.readFileSync(throttlePath, 'utf8')), ["import type { GateCall, RetryGate } from './claudeRetry';"]);
  });

  it('the source has no import, require, export-from or reference directive', () => {
    const text = fs.readFileSync(sourcePath, 'utf8');
    assert.deepStrictEqual(importsOf('claudeRetry.ts', text), []);
  });

  it('the source uses no syntax that a per-file transpile cannot strip (enums, namespaces, parameter properties, decorators)', () => {
    const text = fs.readFileSync(sourcePath, 'utf8');
    const file = ts.createSourceFile('claudeRetry.ts', text, ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node) || ts.isDecorator(node)) found.push(node.getText());
      if (ts.isParameter(node) && ts.getModifiers(node)?.length) found.push(node.getText());
      ts.forEachChild(node, visit);
    };
    visit(file);
    assert.deepStrictEqual(found, []);
  });

  it('the JS copies have no import or require either', () => {
    for (const name of ['claudeRetry.mjs', 'claudeRetry.cjs', 'claudeRetryThrottle.mjs', 'claudeRetryThrottle.cjs']) {
      const js = fs.readFileSync(path.join(distDir, name), 'utf8');
      assert.ok(!/\brequire\s*\(|^\s*import\b|\bimport\s*\(/m.test(js), name);
    }
  });

  it('the CommonJS and ES module copies give the same outcomes as the TypeScript, scenario by scenario', async () => {
    const cjs = { ...require(path.join(distDir, 'claudeRetry.cjs')), ...require(path.join(distDir, 'claudeRetryThrottle.cjs')) } as RetryModule;
    const esm = async (name: string) => importEsm(pathToFileURL(path.join(distDir, name)).href);
    const mjs = { ...(await esm('claudeRetry.mjs')), ...(await esm('claudeRetryThrottle.mjs')) } as RetryModule;
    assert.notStrictEqual(cjs.withRetry, source.withRetry, 'the CommonJS copy is a separate module');
    assert.notStrictEqual(mjs.withRetry, source.withRetry, 'the ES module copy is a separate module');
    const expected = await outcomes(source);
    // a sanity check that the table really exercises the core
    const runs = (expected as { runs: Array<{ name: string; result: unknown; calls: number }> }).runs;
    assert.deepStrictEqual(
      runs.map((r) => [r.name, r.result, r.calls]),
      [
        ['success after 529s', 'ok', 3],
        ['final 401', 'rejected e401', 1],
        ['attempts exhausted', 'rejected e500', 3],
        ['budget', 'rejected e429', 1],
        ['retry-after honoured', 'ok', 2],
        ['shouldRetry override', 'ok', 2],
      ],
    );
    const breaker = (expected as { breaker: { refused: string; waited: string; waits: number[] } }).breaker;
    assert.strictEqual(breaker.refused, 'CircuitOpenError true');
    assert.strictEqual(breaker.waited, 'x after 150 ms, half-open', 'waited 100 ms to half-open plus half a cool-down');
    assert.deepStrictEqual(breaker.waits, [150]);
    assert.deepStrictEqual((expected as { throttle: unknown }).throttle, { throttled: 'sent', throttleWaits: [500], p: 0, refusedByThrottle: 'ThrottledError true' });
    assert.deepStrictEqual(await outcomes(cjs), expected, 'CommonJS copy');
    assert.deepStrictEqual(await outcomes(mjs), expected, 'ES module copy');
  });
});
