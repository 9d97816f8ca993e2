// The Python retry fixes as the rules offer them: linting a Python file, the unguarded-retry finding carries
// "Wrap in with_retry" and retry-amplification carries "Set max_retries=0 on this call"; applied, the text
// compiles and the finding is gone.
import * as assert from 'assert';
import { applyFixes, lintText, loadPythonParser } from '../../../../src/core/lint/index';
import type { Finding } from '../../../../src/core/lint/rule';
import { assertCompiles } from './pyKit';

function findingOf(text: string, ruleId: string): Finding {
  const r = lintText(text, { fileName: 'app.py' });
  assert.deepStrictEqual(r.internalErrors ?? [], []);
  const f = r.findings.filter((x) => x.ruleId === ruleId);
  assert.strictEqual(f.length, 1, `one ${ruleId} finding; got ${JSON.stringify(r.findings.map((x) => x.ruleId))}`);
  return f[0];
}

const UNGUARDED = `import anthropic

client = anthropic.Anthropic(max_retries=0)


def ask(q):
    return client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": q}])
`;

const AMPLIFIED = `import time

import anthropic

client = anthropic.Anthropic()


def ask(q):
    for attempt in range(5):
        try:
            return client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": q}])
        except anthropic.RateLimitError:
            time.sleep(2 ** attempt)
    raise RuntimeError("gave up")
`;

describe('Python retry fixes offered by the rules', () => {
  before(() => loadPythonParser());

  it('unguarded-retry offers "Wrap in with_retry" (needs the helper, a suggestion)', () => {
    const f = findingOf(UNGUARDED, 'unguarded-retry');
    const fix = f.fixes?.find((x) => x.title.startsWith('Wrap in with_retry'));
    assert.ok(fix, JSON.stringify(f.fixes?.map((x) => x.title)));
    assert.strictEqual(fix.needsRetryHelper, true);
    assert.strictEqual(fix.safe, false);
    const out = applyFixes(UNGUARDED, [fix]).text;
    assert.strictEqual(out, UNGUARDED.replace('return client.messages.create(', 'return with_retry(lambda: client.messages.create(').replace('}])\n', '}]))\n'));
    // with the import the editor adds, the call counts as retried
    const withImport = out.replace('import anthropic\n', 'import anthropic\nfrom claude_retry import with_retry\n');
    const again = lintText(withImport, { fileName: 'app.py' });
    assert.ok(!again.findings.some((x) => x.ruleId === 'unguarded-retry'), 'the finding is gone');
    assertCompiles({ unguarded: withImport });
  });

  it('retry-amplification offers "Set max_retries=0 on this call", safe when every path retries', () => {
    const f = findingOf(AMPLIFIED, 'retry-amplification');
    const fix = f.fixes?.find((x) => x.title === 'Set max_retries=0 on this call (the outer retry decides)');
    assert.ok(fix, JSON.stringify(f.fixes?.map((x) => x.title)));
    assert.strictEqual(fix.safe, true);
    assert.ok(!f.fixes?.some((x) => /maxRetries|withRetry\(/.test(x.edits.map((e) => e.text).join(''))), 'no JS-syntax fix');
    const out = applyFixes(AMPLIFIED, [fix]).text;
    assert.strictEqual(out, AMPLIFIED.replace('return client.messages.create(', 'return client.with_options(max_retries=0).messages.create('));
    const again = lintText(out, { fileName: 'app.py' });
    assert.ok(!again.findings.some((x) => x.ruleId === 'retry-amplification'), 'the finding is gone');
    assertCompiles({ amplified: out });
  });
});
