// The fault lab against real Python apps on the `anthropic` SDK (with tenacity, backoff and stamina):
// `claude-request-lint simulate ... -- python app.py`. The venv is created from test/python/requirements.txt;
// if that fails, these tests fail.

import * as assert from 'assert';
import * as path from 'path';
import { ensurePythonEnv } from '../../pythonEnv';
import { APP_CASES, appsDir, assertReportShape, ensureCliBundle, kindsOf, runLab } from './runLab';

describe('fault lab: Python apps on the anthropic SDK', function () {
  this.timeout(200_000);
  let python = '';
  before(function () {
    this.timeout(600_000); // first run: creates the venv and installs the wheels
    ensureCliBundle();
    python = ensurePythonEnv();
  });

  for (const c of APP_CASES) {
    const file = `${c.name.replace(/-/g, '_')}.py`;
    it(`${file}: verdicts [${c.kinds.join(', ')}], exit ${c.exitCode}`, () => {
      const run = runLab(c.args, [python, path.join(appsDir, 'python', file)]);
      assertReportShape(run);
      assert.deepStrictEqual(kindsOf(run), c.kinds, run.stderr);
      assert.strictEqual(run.status, c.exitCode, run.stderr);
    });
  }

  it('well_behaved.py: the Python SDK retries 529s with a rising retry count and no verdict', () => {
    const run = runLab(['--scenario', 'overloaded-burst'], [python, path.join(appsDir, 'python', 'well_behaved.py')]);
    assert.deepStrictEqual(run.report.requests.map((r) => [r.status, r.retryCount]), [
      [529, 0],
      [529, 1],
      [200, 2],
    ]);
    assert.match(run.stdout, /Simulated reply to: "well-behaved python app"/);
  });
});
