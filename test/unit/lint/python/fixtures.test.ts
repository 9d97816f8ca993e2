// The seeds' Python samples with their expected findings, and a clean-Python corpus that must stay silent
// while its Claude calls are still found (so silence is not a skipped file).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyFixes, lintText, loadPythonParser } from '../../../../src/core/lint/index';
import type { LintResult } from '../../../../src/core/lint/index';

const root = path.resolve(__dirname, '../../../../../test/fixtures');

function lintFile(file: string): { text: string; result: LintResult } {
  const text = fs.readFileSync(file, 'utf8');
  const result = lintText(text, { fileName: file });
  assert.deepStrictEqual(result.internalErrors ?? [], [], 'internal errors');
  assert.ok(!result.pending, 'the Python parser was not loaded');
  return { text, result };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

describe('Python fixtures', () => {
  before(() => loadPythonParser());

  describe('seeds (the articles\' Python samples)', () => {
    // file → [Claude calls found, expected findings as "rule-id:line"]
    const expected: Record<string, [number, string[]]> = {
      'call_with_retry_basic.py': [1, ['retry-ignores-retry-after:5', 'retry-amplification:7']],
      'retry_after_and_streams.py': [4, ['retry-amplification:18']],
      'full_jitter_retry.py': [1, []],
      'timeout_and_gateway.py': [2, ['stream-error-unhandled:6']],
      'error_codes_400.py': [2, ['missing-max-tokens:8', 'retired-model:9', 'retired-model:15']],
    };
    const dir = path.join(root, 'seeds-python');
    it('every fixture has an expectation', () => {
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
      assert.deepStrictEqual(files, Object.keys(expected).sort());
    });
    for (const [file, [calls, findings]] of Object.entries(expected)) {
      it(`${file}: ${findings.length ? findings.join(', ') : 'no finding'}`, () => {
        const { text, result } = lintFile(path.join(dir, file));
        assert.strictEqual(result.calls.length, calls, 'Claude calls found');
        assert.deepStrictEqual(result.findings.map((f) => `${f.ruleId}:${lineOf(text, f.start)}`), findings);
      });
    }
    it('error_codes_400.py: the fix adds max_tokens after model', () => {
      const { text, result } = lintFile(path.join(dir, 'error_codes_400.py'));
      const fixed = applyFixes(text, result.findings.filter((f) => f.ruleId === 'missing-max-tokens').map((f) => f.fixes![0])).text;
      assert.ok(fixed.includes('    model="claude-sonnet-4-5",\n    max_tokens=1024,\n    messages=[{"role": "user", "content": "hello"}]\n    # max_tokens is required!'), fixed);
      const again = lintText(fixed, { fileName: 'error_codes_400.py' });
      // claude-sonnet-4-5 retired on 2026-11-30 (the SDKs' deprecated-models table).
      assert.deepStrictEqual(again.findings.map((f) => f.ruleId).filter((id) => id !== 'retired-model'), []);
    });
  });

  describe('clean Python (precision corpus)', () => {
    const calls: Record<string, number> = {
      'chat_service.py': 4,
      'tools_loop.py': 2,
      'providers.py': 2,
      'batch_jobs.py': 3,
    };
    const dir = path.join(root, 'python-clean');
    it('every file is listed', () => {
      assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort(), Object.keys(calls).sort());
    });
    for (const [file, n] of Object.entries(calls)) {
      it(`${file}: ${n} Claude calls, no finding`, () => {
        const { text, result } = lintFile(path.join(dir, file));
        assert.strictEqual(result.calls.length, n, 'Claude calls found');
        assert.deepStrictEqual(result.findings.map((f) => `${f.ruleId}:${lineOf(text, f.start)} ${f.message}`), []);
      });
    }
  });
});
