// The Python try/except fix for stream-error-unhandled writes code that compiles (`python3 -m py_compile`,
// the standard library only) and that lints without the finding.

import * as assert from 'assert';
import { applyFixes, lintText, loadPythonParser } from '../../../../src/core/lint/index';
import { assertCompiles } from './pyKit';
import { PY_STREAM_FIX_ROWS } from './streamErrorFixCases';

const RULE = 'stream-error-unhandled';

describe('Python stream-error-unhandled fix: the fixed code compiles and lints clean', () => {
  before(() => loadPythonParser());

  it('every fixed text compiles and no longer has the finding', () => {
    const fixed: Record<string, string> = {};
    for (const row of PY_STREAM_FIX_ROWS.filter((r) => r.output !== null)) {
      const found = lintText(row.code, { fileName: 'tell.py' }).findings.filter((f) => f.ruleId === RULE);
      assert.strictEqual(found.length, 1, `${row.name}: expected one finding`);
      const fix = found[0].fixes?.[0];
      assert.ok(fix, `${row.name}: expected a fix`);
      assert.strictEqual(fix.safe, false, `${row.name}: the fix is a suggestion`);
      const out = applyFixes(row.code, [fix]).text;
      assert.strictEqual(out, row.output, row.name);
      const again = lintText(out, { fileName: 'tell.py' }).findings.filter((f) => f.ruleId === RULE);
      assert.deepStrictEqual(again.map((f) => f.message), [], `${row.name}: the finding is still there`);
      fixed[row.name] = out;
    }
    assert.ok(Object.keys(fixed).length >= 5);
    assertCompiles(fixed);
  });

  it('the unfixable texts compile as written (their no-fix is about re-indenting, not broken input)', () => {
    const texts: Record<string, string> = {};
    for (const row of PY_STREAM_FIX_ROWS.filter((r) => r.output === null)) texts[row.name] = row.code;
    assertCompiles(texts);
  });
});
