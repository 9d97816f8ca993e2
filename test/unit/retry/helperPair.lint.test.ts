// The analysis recognises the retry helper when a project also uses the opt-in throttle file: `withRetry` from
// ./claudeRetry with a shared AdaptiveThrottle / CircuitBreaker from ./claudeRetryThrottle is a retry layer like
// any other use of the helper, so no retry rule reports the call.
import * as assert from 'assert';
import { lintText } from '../../../src/core/lint/index';

const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';
const HEAD = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';

const RETRY_RULES = ['unguarded-retry', 'retry-unbounded', 'retry-no-backoff', 'retry-ignores-retry-after', 'retry-non-retryable', 'retry-amplification'];

describe('the helper pair (claudeRetry + claudeRetryThrottle) in the analysis', () => {
  const cases: Array<[string, string]> = [
    [
      'withRetry with a shared throttle and breaker',
      HEAD +
        'import { withRetry } from "./claudeRetry";\nimport { AdaptiveThrottle, CircuitBreaker } from "./claudeRetryThrottle";\n' +
        'const throttle = new AdaptiveThrottle();\nconst circuitBreaker = new CircuitBreaker({ failureThreshold: 5 });\n' +
        `export const ask = () => withRetry(() => client.messages.create(${REQ}), { throttle, circuitBreaker });`,
    ],
    [
      'withStreamRetry with a shared throttle',
      HEAD +
        'import { withStreamRetry } from "./claudeRetry";\nimport { AdaptiveThrottle } from "./claudeRetryThrottle";\nconst throttle = new AdaptiveThrottle();\n' +
        `export async function ask() { for await (const e of withStreamRetry(() => client.messages.stream(${REQ}), { throttle })) console.log(e); }`,
    ],
  ];
  for (const [name, code] of cases) {
    it(`${name}: no retry finding`, () => {
      const found = lintText(code, { fileName: 'test.ts' }).findings.map((f) => f.ruleId);
      assert.deepStrictEqual(found.filter((id) => RETRY_RULES.includes(id)), []);
    });
  }

  it('the same call without the helper is reported (the check above can fail)', () => {
    const code = HEAD + 'import { AdaptiveThrottle } from "./claudeRetryThrottle";\n' + `export const ask = () => client.messages.create(${REQ});`;
    assert.ok(lintText(code, { fileName: 'test.ts' }).findings.some((f) => f.ruleId === 'unguarded-retry'));
  });
});
