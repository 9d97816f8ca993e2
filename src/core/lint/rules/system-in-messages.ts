// system-in-messages: a `system` role inside `messages` with an SDK before 1.0. Those versions (and the API
// they target) only take instructions in the top-level `system` field, so the request fails with 400.
// SDK 1.x types a system role inside messages: no finding there, nor when the SDK version is unknown.
// The fix moves a single system message to the top-level `system` field when the request has none.

import type { Fix } from '../rule';
import type { ObjectValue, Rule } from '../ruleContext';
import { insertPropertyEdit, literalProperty, removeListItemEdit } from '../fixes';
import { getProp } from '../requestModel';

export const systemInMessages: Rule = {
  meta: {
    id: 'system-in-messages',
    defaultSeverity: 'error',
    description: 'A system message inside messages where the SDK in use only accepts the top-level system field.',
    messages: {
      inMessages:
        'A "system" message inside messages is rejected with 400 by {{package}} {{sdk}} requests (roles are only "user" and "assistant"). Move the instructions to the top-level system field.',
    },
    fixable: true,
  },
  check(ctx) {
    const sdk = ctx.sdk;
    if (!sdk || sdk.major >= 1) return;
    const req = ctx.call.request;
    const messages = getProp(req, 'messages');
    if (!messages || messages.kind !== 'array') return;
    const systems = messages.elements.filter((m) => {
      if (m.kind !== 'object') return false;
      const r = getProp(m, 'role');
      return !!r && r.kind === 'string' && r.value === 'system';
    }) as ObjectValue[];
    for (const m of systems) {
      const fixes: Fix[] = [];
      if (systems.length === 1 && req.kind === 'object') {
        const fix = moveFix(ctx.sourceText, req, messages.literal, m, (o, v) => ctx.language.fieldText(o, 'system', v));
        if (fix) fixes.push(fix);
      }
      ctx.report({ messageId: 'inMessages', data: { package: ctx.language.sdkPackage, sdk: `${sdk.major}.${sdk.minor}` }, start: m.start, end: m.end, fixes });
    }
  },
};

function moveFix(
  text: string,
  req: ObjectValue,
  arr: import('@typescript-eslint/typescript-estree').TSESTree.ArrayExpression | null,
  m: ObjectValue,
  field: (o: import('@typescript-eslint/typescript-estree').TSESTree.ObjectExpression, valueText: string) => string,
): Fix | null {
  // Only when the request has certainly no system field, and everything is written where we can edit it.
  if (getProp(req, 'system') !== undefined) return null;
  const o = req.literal;
  if (!o || !arr || !m.node) return null;
  const index = arr.elements.indexOf(m.node as (typeof arr.elements)[number]);
  if (index < 0) return null;
  const content = getProp(m, 'content');
  if (!content || (content.kind !== 'string' && content.kind !== 'array') || !content.node) return null;
  // Extra fields on the message (cache_control etc.) would be lost.
  if (m.props.some((p) => p.key !== 'role' && p.key !== 'content')) return null;
  const contentText = text.slice(content.node.range[0], content.node.range[1]);
  const messagesProp = literalProperty(o, 'messages');
  const insert = messagesProp
    ? { start: messagesProp.range[0], end: messagesProp.range[0], text: `${field(o, contentText)},${separatorBefore(text, messagesProp.range[0])}` }
    : insertPropertyEdit(text, o, field(o, contentText), 'model');
  const remove = removeListItemEdit(text, arr.elements, index);
  return { title: 'Move the system message to the top-level system field', edits: [insert, remove], safe: true };
}

/** What separates the property at `at` from the one before it: a newline + indent, or a space. */
function separatorBefore(text: string, at: number): string {
  let i = at;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (text[i - 1] === '\n') return text.slice(text[i - 2] === '\r' ? i - 2 : i - 1, at);
  return ' ';
}
