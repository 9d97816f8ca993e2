// invalid-max-tokens: a max_tokens the API or the SDK refuses at runtime.
//  - negative, non-integer or not a number → 400 from the API;
//  - 0 with an SDK before 1.0 (1.x accepts 0 to pre-warm the prompt cache);
//  - above the model's output ceiling (src/core/api/models.ts) → 400;
//  - a non-streaming `messages.create` above what the SDK allows without streaming (max_tokens > 21 333, or
//    a per-model limit), with no `timeout` on the request or the client → the SDK throws
//    "Streaming is required for operations that may take longer than 10 minutes" before sending.

import type { Rule } from '../ruleContext';
import { NONSTREAMING_MAX_TOKENS, NONSTREAMING_TOKEN_LIMIT, findModel } from '../../api/models';
import { getProp } from '../requestModel';

export const invalidMaxTokens: Rule = {
  meta: {
    id: 'invalid-max-tokens',
    defaultSeverity: 'error',
    description: 'max_tokens that the API or the SDK rejects: negative, fractional, above the model ceiling, or too large without streaming.',
    messages: {
      notInteger: 'max_tokens must be a non-negative integer; {{value}} is rejected with 400 invalid_request_error. Use a whole number such as 1024.',
      notNumber: 'max_tokens must be a number; a {{type}} is rejected with 400 invalid_request_error. Write it as a number, e.g. max_tokens: 1024.',
      zeroOldSdk: 'max_tokens: 0 is rejected before {{package}} 1.0 (this project uses {{sdk}}). Use a positive value, or upgrade the SDK to pre-warm the cache with 0.',
      aboveCeiling: 'max_tokens {{value}} is above the {{limit}}-token output ceiling of {{model}}: the API rejects the request with 400. Use at most {{limit}}.',
      needsStreaming:
        'A non-streaming messages.create with max_tokens {{value}} (over {{limit}}) and no timeout makes the SDK throw "Streaming is required" before sending. Use messages.stream(…) (then .finalMessage()), lower max_tokens, or pass a timeout option.',
    },
    fixable: false,
  },
  check(ctx) {
    const { call } = ctx;
    const v = getProp(call.request, 'max_tokens');
    if (!v || v.kind === 'unknown' || v.kind === 'undefined') return;
    if (v.kind === 'string' || v.kind === 'boolean' || v.kind === 'null' || v.kind === 'object' || v.kind === 'array') {
      ctx.report({ messageId: 'notNumber', data: { type: v.kind === 'null' ? 'null' : v.kind }, node: v.node ?? call.callee });
      return;
    }
    const n = v.value;
    const node = v.node ?? call.callee;
    if (!Number.isFinite(n) || n < 0 || !Number.isInteger(n)) {
      ctx.report({ messageId: 'notInteger', data: { value: String(n) }, node });
      return;
    }
    if (n === 0) {
      if (ctx.sdk && ctx.sdk.major < 1) ctx.report({ messageId: 'zeroOldSdk', data: { package: ctx.language.sdkPackage, sdk: `${ctx.sdk.major}.${ctx.sdk.minor}` }, node });
      return;
    }
    const model = getProp(call.request, 'model');
    const modelId = model && model.kind === 'string' ? model.value : null;
    const info = modelId ? findModel(modelId) : undefined;
    if (info && n > info.maxOutputTokens) {
      ctx.report({ messageId: 'aboveCeiling', data: { value: n, limit: info.maxOutputTokens, model: info.name }, node });
      return;
    }
    if (call.kind !== 'create') return;
    const limit = modelId && NONSTREAMING_MAX_TOKENS[modelId] !== undefined ? NONSTREAMING_MAX_TOKENS[modelId] : NONSTREAMING_TOKEN_LIMIT;
    if (n <= limit) return;
    const stream = getProp(call.request, 'stream');
    if (stream !== undefined && !(stream.kind === 'boolean' && stream.value === false) && stream.kind !== 'undefined') return;
    // The SDK uses options.timeout ?? the client's timeout; any known or unknown timeout avoids the error.
    if (hasTimeout(getProp(call.options, 'timeout')) !== false) return;
    if (hasTimeout(getProp(call.client.options, 'timeout')) !== false) return;
    // Python takes the per-request timeout as a keyword argument of the call itself.
    if (ctx.language.id === 'python' && hasTimeout(getProp(call.request, 'timeout')) !== false) return;
    ctx.report({ messageId: 'needsStreaming', data: { value: n, limit }, node });
  },
};

/** false when certainly no timeout is given, true when one is, null when unknown. */
function hasTimeout(v: ReturnType<typeof getProp>): boolean | null {
  if (v === undefined || v.kind === 'undefined' || v.kind === 'null') return false;
  if (v.kind === 'unknown') return null;
  return true;
}
