// The fault lab against real Node apps on @anthropic-ai/sdk: `claude-request-lint simulate ... -- node app.js`.

import * as assert from 'assert';
import * as path from 'path';
import { APP_CASES, appsDir, assertReportShape, ensureCliBundle, kindsOf, runLab } from './runLab';

describe('fault lab: Node apps on @anthropic-ai/sdk', function () {
  // each case runs the CLI and a Node app; the SDK's own backoff takes a few seconds
  this.timeout(90_000);
  before(() => ensureCliBundle());

  for (const c of APP_CASES) {
    it(`${c.name}: verdicts [${c.kinds.join(', ')}], exit ${c.exitCode}`, () => {
      const run = runLab(c.args, ['node', path.join(appsDir, 'node', `${c.name}.js`)]);
      assertReportShape(run);
      assert.deepStrictEqual(kindsOf(run), c.kinds, run.stderr);
      assert.strictEqual(run.status, c.exitCode, run.stderr);
      if (c.kinds.length > 0) assert.match(run.stderr, new RegExp(`^  ${c.kinds[0]}: `, 'm'));
      else assert.match(run.stderr, /no verdicts/);
    });
  }

  it('the well-behaved app: 529, 529, 200 with the SDK retry count rising and waits that grow', () => {
    const env = { ...process.env };
    delete env.ANTHROPIC_API_KEY; // the lab sets a placeholder so the SDK client can be created
    const run = runLab(['--scenario', 'overloaded-burst'], ['node', path.join(appsDir, 'node', 'well-behaved.js')], env);
    assert.strictEqual(run.status, 0, run.stderr);
    const rs = run.report.requests;
    assert.deepStrictEqual(rs.map((r) => r.status), [529, 529, 200]);
    assert.deepStrictEqual(rs.map((r) => r.retryCount), [0, 1, 2]);
    assert.strictEqual(new Set(rs.map((r) => r.bodyHash)).size, 1, 'one logical call');
    const wait1 = Date.parse(rs[1].time) - Date.parse(rs[0].answeredAt);
    const wait2 = Date.parse(rs[2].time) - Date.parse(rs[1].answeredAt);
    assert.ok(wait1 >= 300 && wait2 > wait1, `SDK backoff waits ${wait1}, ${wait2}`);
    assert.deepStrictEqual(run.report.verdicts, []);
    assert.match(run.stdout, /Simulated reply to: "well-behaved app"/, 'the app printed its answer');
  });

  it('a stream that failed before delivering text may be sent again: no stream-replayed', () => {
    const run = runLab(
      ['--scenario', 'mid-stream-error', '--option', 'failures=1', '--option', 'deltasBeforeError=0'],
      ['node', path.join(appsDir, 'node', 'stream-replayed.js')],
    );
    assert.deepStrictEqual(run.report.requests.map((r) => [r.streamed, r.outcome, r.textDelivered]), [
      [true, 'stream-error', false],
      [true, 'ok', false],
    ]);
    assert.deepStrictEqual(kindsOf(run), []);
    assert.strictEqual(run.status, 0, run.stderr);
  });

  it('--max-attempts: the SDK default of 3 attempts against 529s that never end is amplified beyond 2', () => {
    const args = ['--scenario', 'overloaded-burst', '--option', 'failures=always'];
    const app = ['node', path.join(appsDir, 'node', 'well-behaved.js')];
    const strict = runLab([...args, '--max-attempts', '2'], app);
    assert.strictEqual(strict.report.requests.length, 3);
    assert.deepStrictEqual(kindsOf(strict), ['retry-amplified']);
    assert.match(strict.report.verdicts[0].message, /sent 3 times, more than the 2 allowed/);
    assert.strictEqual(strict.status, 3, 'the app exits 3 when it fails, and that code wins');
    // within the default of 8, and with no later attempt that could pass, there is nothing to say
    assert.deepStrictEqual(kindsOf(runLab(args, app)), []);
  });
});
