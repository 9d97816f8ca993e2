// retired-model: the request names, as a string literal, a model that is retired (every call fails with an
// error) or deprecated with a retirement date still to come. Judged against today's date (UTC) and the dated
// table in src/core/api/modelLifecycle.ts. A model that is not in the table, or not a literal written in the
// call (a variable, a parameter, an f-string), never fires.

import type { Fix } from '../rule';
import type { Node, Rule } from '../ruleContext';
import { findRetirement } from '../../api/modelLifecycle';
import { getProp } from '../requestModel';

let clock: () => Date = () => new Date();

/** Sets the clock the rule reads "today" from (tests); call with no argument to restore the real clock. */
export function setRetiredModelClock(now?: () => Date): void {
  clock = now ?? (() => new Date());
}

/** Today as YYYY-MM-DD (UTC). */
function today(): string {
  return clock().toISOString().slice(0, 10);
}

export const retiredModel: Rule = {
  meta: {
    id: 'retired-model',
    defaultSeverity: 'warning',
    description: 'A model ID that is retired (every call fails) or deprecated with a retirement date.',
    messages: {
      retired: '{{model}} was retired on {{date}}: every call to it fails. Move to {{successor}}.',
      retiredNoSuccessor: '{{model}} was retired on {{date}}: every call to it fails. Move to a current model.',
      deprecated: '{{model}} is deprecated and retires on {{date}}; from then on every call to it fails. Move to {{successor}} before then.',
      deprecatedNoSuccessor: '{{model}} is deprecated and retires on {{date}}; from then on every call to it fails. Move to a current model before then.',
    },
    fixable: true,
  },
  check(ctx) {
    const { call } = ctx;
    const v = getProp(call.request, 'model');
    if (!v || v.kind !== 'string' || !v.node) return;
    const node = v.node as Node;
    // Only a literal written in this call: a constant declared elsewhere or a parameter default is left alone.
    const plain = node.type === 'Literal' || (node.type === 'TemplateLiteral' && node.expressions.length === 0);
    if (!plain || node.range[0] < call.node.range[0] || node.range[1] > call.node.range[1]) return;
    const info = findRetirement(v.value);
    if (!info) return;
    const retired = today() >= info.retires;
    const messageId = (retired ? 'retired' : 'deprecated') + (info.successor ? '' : 'NoSuccessor');
    const fixes: Fix[] = [];
    const written = ctx.sourceText.slice(node.range[0], node.range[1]);
    const at = written.indexOf(v.value);
    if (info.successor && at >= 0 && written.lastIndexOf(v.value) === at) {
      const start = node.range[0] + at;
      fixes.push({ title: `Use ${info.successor}`, edits: [{ start, end: start + v.value.length, text: info.successor }], safe: false });
    }
    ctx.report({
      messageId,
      data: { model: v.value, date: info.retires, successor: info.successor ?? '' },
      node,
      severity: retired ? 'error' : 'warning',
      fixes,
    });
  },
};
