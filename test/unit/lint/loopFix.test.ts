// The loop fix leaves out `{ maxAttempts }` when the loop made as many attempts as withRetry does by default:
// that default must be the helper's.
import * as assert from 'assert';
import { HELPER_DEFAULT_ATTEMPTS } from '../../../src/core/lint/fixes/loopFix';
import { RETRY_DEFAULTS } from '../../../src/core/retry/claudeRetry';
import { ruleTester } from './ruleTester';

describe('loop fix defaults', () => {
  it("withRetry's default attempts are the helper's", () => {
    assert.strictEqual(HELPER_DEFAULT_ATTEMPTS, RETRY_DEFAULTS.maxAttempts);
  });
});

const OFF = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n';
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] }';

ruleTester.run('retry-no-backoff', {
  valid: [],
  invalid: [
    {
      name: 'a loop of six attempts: withRetry with its defaults',
      code: OFF + `export async function ask() {\n  for (let i = 0; i < 6; i++) {\n    try {\n      return await client.messages.create(${REQ});\n    } catch (e) {\n      if (i === 5) throw e;\n    }\n  }\n}`,
      errors: [{ messageId: 'noWait' }],
      output: OFF + `export async function ask() {\n  return await withRetry(() => client.messages.create(${REQ}));\n}`,
      typeCheck: true,
    },
    {
      name: 'a do…while loop with the counter declared before it (only read by the loop)',
      code: OFF + `export async function ask() {\n  let tries = 0;\n  do {\n    try {\n      return await client.messages.create(${REQ});\n    } catch (e) {\n      tries++;\n      if (tries >= 2) throw e;\n    }\n  } while (tries < 2);\n}`,
      errors: [{ messageId: 'noWait' }],
      output: OFF + `export async function ask() {\n  return await withRetry(() => client.messages.create(${REQ}), { maxAttempts: 2 });\n}`,
      typeCheck: true,
    },
    {
      name: 'a counter read after the loop stays, and so does the loop',
      code: OFF + `export async function ask() {\n  let tries = 0;\n  for (;;) {\n    try {\n      return await client.messages.create(${REQ});\n    } catch (e) {\n      tries++;\n      if (tries >= 3) throw e;\n    } finally {\n      console.log(tries);\n    }\n  }\n}`,
      errors: [{ messageId: 'noWait' }],
      output: null,
    },
  ],
});
