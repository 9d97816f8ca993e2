// role-order: the shape of `messages` that the API rejects or silently changes.
//  - missing or empty `messages` → 400;
//  - a first message (after any leading `system` messages SDK 1.x allows) that is not `user` → 400;
//  - two consecutive turns with the same role → merged into one turn by the API (a warning: usually a bug);
//  - a `tool_result` block whose `tool_use_id` matches no `tool_use` block of the previous assistant message → 400;
//  - a role the SDK version does not know (`tool`, `function`, `developer`, …) → 400.
// A final `assistant` message is a prefill (the model continues it): a feature, left alone.
// `system` inside messages on SDK 0.x is system-in-messages' finding, not this rule's.
// Anything unknown (a spread of another array, a role from a variable) hides what is around it: no finding.

import type { ArrayValue, ObjectValue, Rule, RuleContext, Value } from '../ruleContext';
import { getProp } from '../requestModel';

export const roleOrder: Rule = {
  meta: {
    id: 'role-order',
    defaultSeverity: 'error',
    description: 'messages that the API rejects or merges: empty, not starting with user, repeated roles, orphan tool_result, unknown roles.',
    messages: {
      missing: 'This request has no messages: the API rejects it with 400 invalid_request_error. Add messages: [{ role: "user", content: "…" }].',
      empty: 'messages is empty: the API rejects the request with 400 invalid_request_error. Send at least one user message.',
      firstNotUser: 'The first message has role "{{role}}": the API requires the conversation to start with a user message and rejects it with 400. Start with a user message.',
      consecutive:
        'Two consecutive "{{role}}" messages: the API merges them into one turn, which is rarely what was meant (a missing reply?). Alternate user and assistant, or combine the content.',
      orphanToolResult:
        'tool_result for "{{id}}" answers no tool_use block of the previous assistant message: the API rejects it with 400. Put the tool_result right after the assistant message that holds the matching tool_use.',
      badRole: 'Role "{{role}}" is not accepted ({{allowed}}): the API rejects the request with 400. Use "user" or "assistant"{{systemHint}}.',
    },
    fixable: false,
  },
  check(ctx) {
    const req = ctx.call.request;
    const messages = getProp(req, 'messages');
    if (messages === undefined || messages.kind === 'undefined') {
      if (req.kind === 'object') ctx.report({ messageId: 'missing', node: ctx.call.callee });
      return;
    }
    if (messages.kind !== 'array') return;
    checkMessages(ctx, messages);
  },
};

function roleOf(m: Value): string | null {
  if (m.kind !== 'object') return null;
  const r = getProp(m, 'role');
  return r && r.kind === 'string' ? r.value : null;
}

function rangeOf(m: Value, ctx: RuleContext): { start: number; end: number } {
  return m.node ? { start: m.start, end: m.end } : { start: ctx.call.callee.range[0], end: ctx.call.callee.range[1] };
}

function checkMessages(ctx: RuleContext, arr: ArrayValue): void {
  const els = arr.elements;
  if (els.length === 0) {
    ctx.report({ messageId: 'empty', start: arr.start, end: arr.end });
    return;
  }
  const systemAllowed = ctx.sdkAtLeast(1, 0);
  const allowed = systemAllowed ? '"user", "assistant" or "system"' : '"user" or "assistant"';

  // Roles the SDK does not know.
  for (const m of els) {
    const role = roleOf(m);
    if (role === null || role === 'user' || role === 'assistant' || role === 'system') continue;
    const roleProp = m.kind === 'object' ? getProp(m, 'role') : undefined;
    ctx.report({
      messageId: 'badRole',
      data: { role, allowed, systemHint: systemAllowed ? '' : ', and the top-level system field for instructions' },
      ...(roleProp && roleProp.node ? { node: roleProp.node } : rangeOf(m, ctx)),
    });
  }

  // The first conversational message, when nothing unknown comes before it.
  for (const m of els) {
    if (m.kind === 'unknown' || m.kind !== 'object') break;
    const role = roleOf(m);
    if (role === null) break;
    if (role === 'system') continue;
    if (role === 'assistant') ctx.report({ messageId: 'firstNotUser', data: { role }, ...rangeOf(m, ctx) });
    break;
  }

  // Consecutive turns and tool results, pairwise over neighbours that are both known.
  for (let i = 1; i < els.length; i++) {
    const prev = els[i - 1];
    const cur = els[i];
    const a = roleOf(prev);
    const b = roleOf(cur);
    if (a !== null && a === b && (a === 'user' || a === 'assistant')) {
      ctx.report({ messageId: 'consecutive', data: { role: b }, severity: 'warning', ...rangeOf(cur, ctx) });
    }
  }
  for (let i = 0; i < els.length; i++) {
    const cur = els[i];
    if (roleOf(cur) !== 'user') continue;
    const results = toolResults(cur as ObjectValue);
    if (!results.length) continue;
    // The API merges consecutive user turns: look back past them to the assistant turn they answer.
    let j = i - 1;
    while (j >= 0 && roleOf(els[j]) === 'user') j--;
    let ids: Set<string> | null;
    if (j < 0) ids = new Set();
    else {
      const prevRole = roleOf(els[j]);
      if (prevRole === null) continue;
      ids = prevRole === 'assistant' ? toolUseIds(els[j] as ObjectValue) : new Set();
    }
    if (!ids) continue;
    for (const r of results) {
      if (!ids.has(r.id)) ctx.report({ messageId: 'orphanToolResult', data: { id: r.id }, start: r.start, end: r.end });
    }
  }
}

/** Known `tool_result` blocks with a known tool_use_id in a user message's content. */
function toolResults(m: ObjectValue): Array<{ id: string; start: number; end: number }> {
  const content = getProp(m, 'content');
  if (!content || content.kind !== 'array') return [];
  const out: Array<{ id: string; start: number; end: number }> = [];
  for (const b of content.elements) {
    if (b.kind !== 'object') continue;
    const t = getProp(b, 'type');
    if (!t || t.kind !== 'string' || t.value !== 'tool_result') continue;
    const id = getProp(b, 'tool_use_id');
    if (id && id.kind === 'string') out.push({ id: id.value, start: b.start, end: b.end });
  }
  return out;
}

/** The tool_use ids of an assistant message, or null when its content is not fully known. */
function toolUseIds(m: ObjectValue): Set<string> | null {
  const content = getProp(m, 'content');
  if (!content) return null;
  if (content.kind === 'string') return new Set();
  if (content.kind !== 'array') return null;
  const ids = new Set<string>();
  for (const b of content.elements) {
    if (b.kind !== 'object') return null;
    const t = getProp(b, 'type');
    if (!t || t.kind !== 'string') return null;
    if (t.value !== 'tool_use' && t.value !== 'server_tool_use') continue;
    const id = getProp(b, 'id');
    if (!id || id.kind !== 'string') return null;
    ids.add(id.value);
  }
  return ids;
}
