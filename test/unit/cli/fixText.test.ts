// --fix logic with a scripted engine: which fixes are applied, the re-lint loop, and fixes that need the
// retry helper (never applied by the CLI).

import * as assert from 'assert';
import { chooseFix, fixText } from '../../../src/cli';
import { applyFixes } from '../../../src/core/lint/index';
import type { LintResult } from '../../../src/core/lint/index';
import type { Finding, Fix } from '../../../src/core/lint/rule';

const fix = (title: string, start: number, end: number, text: string, extra: Partial<Fix> = {}): Fix => ({
  title,
  edits: [{ start, end, text }],
  safe: true,
  ...extra,
});
const finding = (ruleId: string, fixes: Fix[]): Finding => ({ ruleId, severity: 'error', message: ruleId, start: 0, end: 1, fixes });
const result = (findings: Finding[]): LintResult => ({ findings, calls: [], parsed: true });

describe('CLI --fix: chooseFix', () => {
  it('takes the first safe fix that does not need the retry helper', () => {
    const helper = fix('wrap', 0, 0, 'x', { needsRetryHelper: true });
    const unsafe = fix('suggest', 0, 0, 'y', { safe: false });
    const plain = fix('plain', 0, 0, 'z');
    assert.strictEqual(chooseFix(finding('r', [unsafe, helper, plain])).fix, plain);
    assert.deepStrictEqual(chooseFix(finding('r', [unsafe, helper])), { needsHelper: true });
    assert.deepStrictEqual(chooseFix(finding('r', [unsafe])), { needsHelper: false });
    assert.deepStrictEqual(chooseFix(finding('r', [])), { needsHelper: false });
  });
});

describe('CLI --fix: fixText', () => {
  it('applies plain fixes, re-lints, and counts helper fixes it left alone', () => {
    // a scripted engine: "a" must become "A", "b" must become "B" (each reported while present),
    // and "req" always offers only a fix that needs the retry helper
    const lint = (text: string): LintResult => {
      const fs: Finding[] = [];
      const a = text.indexOf('a');
      if (a >= 0) fs.push(finding('upper-a', [fix('A', a, a + 1, 'A')]));
      const b = text.indexOf('b');
      if (b >= 0) fs.push(finding('upper-b', [fix('B', b, b + 1, 'B')]));
      const c = text.indexOf('req');
      if (c >= 0) fs.push(finding('retry', [fix('wrap', c, c + 3, 'withRetry(req)', { needsRetryHelper: true })]));
      return result(fs);
    };
    const r = fixText('a b a req', lint, applyFixes);
    assert.strictEqual(r.text, 'A B A req');
    assert.strictEqual(r.fixed, 3, 'two passes: a and b, then the second a');
    assert.strictEqual(r.helperFixesSkipped, 1);
    assert.deepStrictEqual(r.result.findings.map((f) => f.ruleId), ['retry']);
  });

  it('stops when nothing applies and leaves the text alone when there is nothing to fix', () => {
    let calls = 0;
    const stubborn = (): LintResult => {
      calls++;
      return result([finding('r', [fix('noop', 0, 1, 'x')])]);
    };
    // an apply that never applies anything: one lint, no loop
    const r = fixText('x', stubborn, (t) => ({ text: t, applied: [] }));
    assert.strictEqual(r.text, 'x');
    assert.strictEqual(r.fixed, 0);
    assert.strictEqual(calls, 1);
    // a fix that keeps producing the same finding terminates after the pass limit
    let n = 0;
    const endless = (text: string): LintResult => result([finding('grow', [fix('grow', text.length, text.length, '!')])]);
    const grown = fixText('', (t) => (n++, endless(t)), applyFixes);
    assert.strictEqual(grown.text, '!'.repeat(10));
    assert.strictEqual(n, 11);
  });
});
