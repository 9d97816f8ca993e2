// What the lowering and the retry analysis make of Python retry code: the lowered forms the analysis reads
// (`not in`, set literals, isinstance), and the retry stack (attempts, waits in seconds, the SDK setting).

import * as assert from 'assert';
import { lintText, loadPythonParser } from '../../../../src/core/lint/index';
import { parsePython } from '../../../../src/core/lint/python/frontEnd';
import type { Node } from '../../../../src/core/lint/ruleContext';

const OFF = 'import anthropic\nimport asyncio\nimport random\nimport time\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';

/** The first expression statement's expression, lowered. */
function lowered(code: string): Node {
  const p = parsePython(code);
  if ('error' in p) throw new Error(p.error.message);
  const s = p.ast.body[0] as { type: string; expression?: Node };
  assert.strictEqual(s.type, 'ExpressionStatement');
  return s.expression as Node;
}

function stackText(code: string): string | undefined {
  const r = lintText(code, { fileName: 'a.py' });
  assert.deepStrictEqual(r.internalErrors ?? [], []);
  assert.strictEqual(r.calls.length, 1, 'one Claude call');
  return r.calls[0].retryStack?.text;
}

describe('Python retry facts', () => {
  before(() => loadPythonParser());

  describe('lowering', () => {
    it('`a not in b` is !(a in b)', () => {
      const e = lowered('status not in RETRYABLE\n') as unknown as { type: string; operator: string; argument: { type: string; operator: string } };
      assert.strictEqual(e.type, 'UnaryExpression');
      assert.strictEqual(e.operator, '!');
      assert.strictEqual(e.argument.type, 'BinaryExpression');
      assert.strictEqual(e.argument.operator, 'in');
    });

    it('a set literal is a Set of its elements (not a class instantiation)', () => {
      const e = lowered('{429, 529}\n') as unknown as { type: string; callee: { name: string }; arguments: Array<{ type: string; elements: Array<{ value: number }> }> };
      assert.strictEqual(e.type, 'NewExpression');
      assert.strictEqual(e.callee.name, 'Set');
      assert.deepStrictEqual(e.arguments[0].elements.map((x) => x.value), [429, 529]);
      const p = parsePython('import anthropic\nS = {1, 2}\n');
      assert.ok(!('error' in p) && p.scan.newExpressions.length === 0);
    });

    it('isinstance(e, A) and isinstance(e, (A, B)) are instanceof tests', () => {
      const one = lowered('isinstance(e, anthropic.RateLimitError)\n') as unknown as { type: string; operator: string };
      assert.strictEqual(one.type, 'BinaryExpression');
      assert.strictEqual(one.operator, 'instanceof');
      const two = lowered('isinstance(e, (A, B))\n') as unknown as { type: string; operator: string; left: { operator: string }; right: { operator: string; left: { name: string } } };
      assert.strictEqual(two.type, 'LogicalExpression');
      assert.strictEqual(two.operator, '||');
      assert.strictEqual(two.right.operator, 'instanceof');
      assert.strictEqual(two.right.left.name, 'e');
      // a subject that is not a name with several classes stays a call
      assert.strictEqual(lowered('isinstance(f(), (A, B))\n').type, 'CallExpression');
    });
  });

  describe('retry stack', () => {
    it('waits are in seconds: 2 ** attempt over 3 attempts is 1 s + 2 s', () => {
      const code = OFF + `def ask():\n    for attempt in range(3):\n        try:\n            return client.messages.create(${REQ})\n        except anthropic.RateLimitError:\n            time.sleep(2 ** attempt)\n`;
      assert.strictEqual(stackText(code), 'SDK retries off (max_retries=0) inside a 3-attempt for loop: up to 3 requests, worst-case wait ~3 s');
    });

    it('range(1, 4) is 3 attempts whose counter starts at 1', () => {
      const code = OFF + `def ask():\n    for attempt in range(1, 4):\n        try:\n            return client.messages.create(${REQ})\n        except anthropic.RateLimitError:\n            time.sleep(attempt)\n`;
      assert.strictEqual(stackText(code), 'SDK retries off (max_retries=0) inside a 3-attempt for loop: up to 3 requests, worst-case wait ~3 s');
    });

    it('await asyncio.sleep with min() and a jittered upper bound', () => {
      const code = OFF.replace('anthropic.Anthropic(', 'anthropic.AsyncAnthropic(') + `async def ask():\n    for attempt in range(4):\n        try:\n            return await client.messages.create(${REQ})\n        except anthropic.OverloadedError:\n            await asyncio.sleep(random.uniform(0, min(3, 2 ** attempt)))\n`;
      assert.strictEqual(stackText(code), 'SDK retries off (max_retries=0) inside a 4-attempt for loop: up to 4 requests, worst-case wait ~6 s');
    });

    it('the Python helper with max_attempts and base_delay in seconds', () => {
      const code = OFF + `from claude_retry import with_retry\n\ndef ask():\n    return with_retry(lambda: client.messages.create(${REQ}), max_attempts=3, base_delay=0.5)\n`;
      assert.strictEqual(stackText(code), 'SDK retries off (max_retries=0) inside with_retry (3 attempts): up to 3 requests, worst-case wait ~1.5 s');
    });

    it('with_options(max_retries=1) on the receiver is the request\'s setting', () => {
      const r = lintText(OFF + `client.with_options(max_retries=1).messages.create(${REQ})\n`, { fileName: 'a.py' });
      assert.strictEqual(r.calls[0].retryStack?.sdkSource, 'request');
      assert.strictEqual(r.calls[0].retryStack?.sdkMaxRetries, 1);
    });

    it('a recursion with a keyword counter is bounded', () => {
      const code = OFF + `def ask(prompt, attempt=0):\n    try:\n        return client.messages.create(${REQ})\n    except anthropic.RateLimitError:\n        if attempt >= 3:\n            raise\n        time.sleep(1)\n        return ask(prompt, attempt=attempt + 1)\n`;
      assert.strictEqual(stackText(code), 'SDK retries off (max_retries=0) inside a 4-attempt recursive retry in ask(): up to 4 requests, worst-case wait ~3 s');
    });

    it('a retry library\'s decorator (backoff) is its layer', () => {
      const code = OFF + `import backoff\n\n@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5)\ndef ask():\n    return client.messages.create(${REQ})\n`;
      assert.strictEqual(stackText(code), 'SDK retries off (max_retries=0) inside @backoff.on_exception (5 attempts) in ask(): up to 5 requests, worst-case wait ~15 s');
    });

    it('a loop over a retry library\'s attempts (tenacity Retrying) is its layer', () => {
      const code = OFF + `from tenacity import Retrying, stop_after_attempt\n\ndef ask():\n    for attempt in Retrying(stop=stop_after_attempt(3)):\n        with attempt:\n            return client.messages.create(${REQ})\n`;
      assert.strictEqual(stackText(code), 'SDK retries off (max_retries=0) inside Retrying loop (3 attempts): up to 3 requests, worst-case wait ~0 s');
    });
  });
});
