// missing-max-tokens: the request has no `max_tokens`. The API rejects it with a 400
// (invalid_request_error: "max_tokens: Field required") on every call.

import type { Fix } from '../rule';
import type { Rule } from '../ruleContext';
import { insertPropertyEdit, literalProperty } from '../fixes';
import { getProp, unwrap } from '../requestModel';

export const missingMaxTokens: Rule = {
  meta: {
    id: 'missing-max-tokens',
    defaultSeverity: 'error',
    description: 'A Messages API request without max_tokens.',
    messages: {
      missing:
        'This request has no max_tokens: the API rejects every such call with 400 invalid_request_error. Add max_tokens (the most output tokens to generate), e.g. max_tokens: {{value}}.',
    },
    fixable: true,
  },
  check(ctx) {
    const req = ctx.call.request;
    if (req.kind !== 'object') return;
    const v = getProp(req, 'max_tokens');
    // Present (even unknown) → not ours; absent only when the whole request is known.
    if (v !== undefined && v.kind !== 'undefined') return;
    const fixes: Fix[] = [];
    const value = ctx.config.maxTokensDefault;
    const field = (o: Parameters<typeof ctx.language.fieldText>[0]) => ctx.language.fieldText(o, 'max_tokens', String(value));
    const o = req.literal;
    // Fix only where the fields are written: the literal itself holds `messages` or `model`, or is the argument.
    if (o && (o === unwrap(ctx.call.node.arguments[0] ?? o) || literalProperty(o, 'messages') || literalProperty(o, 'model'))) {
      const existing = literalProperty(o, 'max_tokens');
      const edit = existing
        ? { start: existing.value.range[0], end: existing.value.range[1], text: String(value) }
        : insertPropertyEdit(ctx.sourceText, o, field(o), 'model');
      fixes.push({ title: `Add ${field(o)}`, edits: [edit], safe: true });
    }
    ctx.report({ messageId: 'missing', data: { value }, node: ctx.call.callee, fixes });
  },
};
