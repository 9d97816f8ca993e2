// "Replace this loop with with_retry" for Python, as the four loop rules offer it: the fixed text for each
// accepted loop shape, no fix where the loop does more than retry, every fixed text (with the import the editor
// adds) compiles, and a fixed program run with the real `anthropic` SDK against the simulated server retries a 529.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSimulatedServer } from '../../../../src/core/api/simulatedServer';
import { applyFixes, lintText, loadPythonParser } from '../../../../src/core/lint/index';
import type { Fix } from '../../../../src/core/lint/rule';
import { pythonHelperImportEdit } from '../../../../src/core/lint/python/helperImport';
import { PY_HELPER_DEFAULT_ATTEMPTS } from '../../../../src/core/lint/python/loopFix';
import { pythonHelperNamesOf } from '../../../../src/core/lint/python/retryFixes';
import { ensurePythonEnv } from '../../pythonEnv';
import { ruleTester } from '../ruleTester';
import type { InvalidCase } from '../ruleTester';
import { assertCompiles } from './pyKit';

const HELPER = path.join(__dirname, '..', '..', '..', '..', '..', 'src', 'core', 'retry', 'claude_retry.py');
const HEAD = 'import asyncio\nimport random\nimport time\n\nimport anthropic\n\nclient = anthropic.Anthropic(max_retries=0)\naclient = anthropic.AsyncAnthropic(max_retries=0)\n\n\n';
const DEFAULT_HEAD = 'import anthropic\n\nclient = anthropic.Anthropic()\n\n\n';
const REQ = 'model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": q}]';
const TRANSIENT = '(anthropic.RateLimitError, anthropic.InternalServerError, anthropic.OverloadedError, anthropic.APIConnectionError)';

type Row = InvalidCase & { rule: string; language: 'python' };
const row = (rule: string, name: string, code: string, messageId: string, output: string | null): Row => ({ rule, name, language: 'python', code, errors: [{ messageId }], output });

const ROWS: Row[] = [
  row(
    'retry-no-backoff',
    'for over range(3), return in the try, a bare raise on the last attempt',
    HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            return client.messages.create(${REQ})\n        except anthropic.APIError:\n            if attempt == 2:\n                raise\n`,
    'noWait',
    HEAD + `def ask(q):\n    return with_retry(lambda: client.messages.create(${REQ}), max_attempts=3)\n`,
  ),
  row(
    'retry-no-backoff',
    'the SDK retries on: max_retries=0 for the call inside the lambda',
    DEFAULT_HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            return client.messages.create(${REQ})\n        except anthropic.APIError:\n            if attempt == 2:\n                raise\n`,
    'noWait',
    DEFAULT_HEAD + `def ask(q):\n    return with_retry(lambda: client.with_options(max_retries=0).messages.create(${REQ}), max_attempts=3)\n`,
  ),
  row(
    'retry-no-backoff',
    'a call over several lines is re-indented with the loop',
    HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            return client.messages.create(\n                model="claude-sonnet-4-6",\n                max_tokens=64,\n                messages=[{"role": "user", "content": q}],\n            )\n        except anthropic.APIError as e:\n            if attempt == 2:\n                raise e\n`,
    'noWait',
    HEAD + `def ask(q):\n    return with_retry(lambda: client.messages.create(\n        model="claude-sonnet-4-6",\n        max_tokens=64,\n        messages=[{"role": "user", "content": q}],\n    ), max_attempts=3)\n`,
  ),
  row(
    'retry-ignores-retry-after',
    'x = call then break, the delay before the loop and the logging go with it; six attempts are the default',
    HEAD + `def ask(q):\n    delay = 1.0\n    for attempt in range(6):\n        try:\n            response = client.messages.create(${REQ})\n            break\n        except ${TRANSIENT} as e:\n            if attempt == 5:\n                raise\n            print(f"attempt {attempt} failed: {e}")\n            time.sleep(delay + random.random())\n            delay *= 2\n    return response.content[0].text\n`,
    'ignores',
    HEAD + `def ask(q):\n    response = with_retry(lambda: client.messages.create(${REQ}))\n    return response.content[0].text\n`,
  ),
  row(
    'retry-unbounded',
    'async: while True with else: break, awaited: await async_with_retry',
    HEAD + `async def ask(q):\n    while True:\n        try:\n            msg = await aclient.messages.create(${REQ})\n        except ${TRANSIENT}:\n            await asyncio.sleep(2 + random.random())\n        else:\n            break\n    return msg\n`,
    'unbounded',
    HEAD + `async def ask(q):\n    msg = await async_with_retry(lambda: aclient.messages.create(${REQ}))\n    return msg\n`,
  ),
  row(
    'retry-non-retryable',
    'a while loop with its counter and the last error, raised after the loop',
    HEAD + `def ask(q):\n    attempt = 0\n    last_error = None\n    while attempt < 4:\n        try:\n            return client.messages.create(${REQ})\n        except Exception as e:\n            last_error = e\n            attempt += 1\n            time.sleep(2 ** attempt + random.random())\n    raise last_error\n`,
    'catchAll',
    HEAD + `def ask(q):\n    return with_retry(lambda: client.messages.create(${REQ}), max_attempts=4)\n`,
  ),
  row(
    'retry-no-backoff',
    'tab-indented, the result returned from the try',
    HEAD + `def ask(q):\n\tfor attempt in range(3):\n\t\ttry:\n\t\t\tmsg = client.messages.create(${REQ})\n\t\t\treturn msg\n\t\texcept anthropic.APIError:\n\t\t\tif attempt >= 2:\n\t\t\t\traise\n`,
    'noWait',
    HEAD + `def ask(q):\n\treturn with_retry(lambda: client.messages.create(${REQ}), max_attempts=3)\n`,
  ),
  row(
    'retry-unbounded',
    'while response is None: the loop tests the result (its None before the loop stays)',
    HEAD + `def ask(q):\n    response = None\n    while response is None:\n        try:\n            response = client.messages.create(${REQ})\n        except anthropic.RateLimitError as e:\n            time.sleep(float(e.response.headers.get("retry-after", "1")))\n        except anthropic.APIConnectionError:\n            time.sleep(1 + random.uniform(0, 1))\n    return response\n`,
    'unbounded',
    HEAD + `def ask(q):\n    response = None\n    response = with_retry(lambda: client.messages.create(${REQ}))\n    return response\n`,
  ),
  // no fix: the loop does more than retry, or gives up differently
  row(
    'retry-no-backoff',
    'the counter is read after the loop',
    HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            msg = client.messages.create(${REQ})\n            break\n        except anthropic.APIError:\n            if attempt == 2:\n                raise\n    print(attempt)\n    return msg\n`,
    'noWait',
    null,
  ),
  row(
    'retry-no-backoff',
    'the request changes with the attempt',
    HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            return client.messages.create(model="claude-sonnet-4-6", max_tokens=64 * (attempt + 1), messages=[{"role": "user", "content": q}])\n        except anthropic.APIError:\n            if attempt == 2:\n                raise\n`,
    'noWait',
    null,
  ),
  row(
    'retry-no-backoff',
    'for…else raises another error when the attempts run out',
    HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            msg = client.messages.create(${REQ})\n            break\n        except anthropic.APIError:\n            pass\n    else:\n        raise RuntimeError("gave up")\n    return msg\n`,
    'noWait',
    null,
  ),
  row(
    'retry-no-backoff',
    'the except records the failure somewhere else',
    HEAD + `FAILURES = []\n\n\ndef ask(q):\n    for attempt in range(3):\n        try:\n            return client.messages.create(${REQ})\n        except anthropic.APIError as e:\n            FAILURES.append(e)\n            if attempt == 2:\n                raise\n`,
    'noWait',
    null,
  ),
  row(
    'retry-no-backoff',
    'the except raises another error on the last attempt',
    HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            return client.messages.create(${REQ})\n        except anthropic.APIError as e:\n            if attempt == 2:\n                raise RuntimeError("Claude is unavailable") from e\n`,
    'noWait',
    null,
  ),
  row(
    'retry-no-backoff',
    'the loop just ends after the last attempt (no raise): the function returns None there',
    HEAD + `def ask(q):\n    for attempt in range(3):\n        try:\n            return client.messages.create(${REQ})\n        except anthropic.APIError:\n            pass\n`,
    'noWait',
    null,
  ),
];

for (const rule of [...new Set(ROWS.map((r) => r.rule))]) {
  ruleTester.run(rule, { valid: [], invalid: ROWS.filter((r) => r.rule === rule).map(({ rule: _rule, ...c }) => c) });
}

/** The loop fix of a text's finding of `rule`, applied with the import the editor adds. */
function fixWithImport(text: string, rule: string): string {
  const found = lintText(text, { fileName: 'app.py', sdkVersion: null }).findings.filter((f) => f.ruleId === rule);
  assert.strictEqual(found.length, 1, `one ${rule} finding`);
  const fix = (found[0].fixes ?? [])[0] as Fix;
  assert.ok(fix && fix.needsRetryHelper && fix.helperNames, 'a fix that needs the retry helper');
  assert.strictEqual(fix.safe, false);
  // the editor reads the names from the edits: the same helper
  assert.deepStrictEqual(pythonHelperNamesOf(fix), fix.helperNames);
  const edit = pythonHelperImportEdit(text, 'claude_retry', fix.helperNames);
  assert.ok(edit, 'an import to add');
  return applyFixes(text, [{ ...fix, edits: [...fix.edits, edit] }]).text;
}

function runPython(python: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(python, args, { env: { ...process.env, ...env }, timeout: 120000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('Python: replace a retry loop with with_retry', () => {
  before(() => loadPythonParser());

  it("the fix's default attempts are claude_retry.py's", () => {
    const m = /"max_attempts":\s*(\d+)/.exec(fs.readFileSync(HELPER, 'utf8'));
    assert.ok(m, 'RETRY_DEFAULTS in claude_retry.py');
    assert.strictEqual(PY_HELPER_DEFAULT_ATTEMPTS, Number(m[1]));
  });

  it('every fixed text, with the import the editor adds, compiles', () => {
    const fixed: Record<string, string> = {};
    ROWS.filter((r) => r.output).forEach((r, i) => {
      const out = fixWithImport(r.code, r.rule);
      assert.ok(/from claude_retry import (async_)?with_retry\n/.test(out), out);
      fixed[`case_${i}`] = out;
    });
    assert.strictEqual(Object.keys(fixed).length, 8);
    assertCompiles(fixed);
  });

  describe('a fixed program runs with the anthropic SDK', function () {
    this.timeout(600000); // the first run creates the virtual environment
    let python: string;
    let dir: string;
    before(() => {
      python = ensurePythonEnv();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pyloop-'));
      fs.copyFileSync(HELPER, path.join(dir, 'claude_retry.py'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const head = (cls: string) => `import os\nimport time\n\nimport anthropic\n\nclient = anthropic.${cls}(base_url=os.environ["BASE_URL"], api_key="test-key", max_retries=0)\n\n\n`;
    const req = 'model="claude-haiku-4-5", max_tokens=64, messages=[{"role": "user", "content": q}]';
    const programs: Array<[string, string, string]> = [
      [
        'sync, for over range with else: break',
        head('Anthropic') + `def ask(q):\n    for attempt in range(3):\n        try:\n            msg = client.messages.create(${req})\n        except anthropic.APIError:\n            if attempt == 2:\n                raise\n        else:\n            break\n    return msg\n\n\nprint("TEXT:" + ask("Hello").content[0].text)\n`,
        'retry-no-backoff',
      ],
      [
        'async, while with a counter',
        head('AsyncAnthropic') + `import asyncio\n\n\nasync def ask(q):\n    attempt = 0\n    while attempt < 3:\n        try:\n            return await client.messages.create(${req})\n        except anthropic.APIError:\n            attempt += 1\n            if attempt == 3:\n                raise\n\n\nprint("TEXT:" + asyncio.run(ask("Hello")).content[0].text)\n`,
        'retry-no-backoff',
      ],
    ];
    for (const [name, text, rule] of programs) {
      it(`${name}: the fixed program retries a 529 and prints the reply`, async () => {
        const fixed = fixWithImport(text, rule);
        assert.ok(!/\bfor attempt\b|\bwhile\b/.test(fixed), fixed);
        const file = path.join(dir, `ask_${name.split(',')[0]}.py`);
        fs.writeFileSync(file, fixed);
        const server = await startSimulatedServer({ scenario: 'overloaded-burst', scenarioOptions: { failures: 1, retryAfter: 1 }, timeScale: 0.05 });
        try {
          const r = await runPython(python, [file], { BASE_URL: server.url });
          assert.strictEqual(r.code, 0, r.out);
          assert.match(r.out, /^TEXT:Simulated reply to: "Hello"/m);
          assert.strictEqual(server.stats.total, 2, 'one 529, then the reply');
        } finally {
          await server.close();
        }
      });
    }
  });
});
