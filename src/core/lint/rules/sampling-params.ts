// sampling-params: `temperature` and `top_p` that fail or are on their way out.
//  - outside [0, 1] → 400 from the API on every model;
//  - both set in one request → the newest models reject the pair with 400 (set one);
//  - deprecated in @anthropic-ai/sdk 0.137 and gone from the types of 1.12; on the newest models any value
//    other than temperature 1.0 / top_p >= 0.99 is a 400. With such an SDK (or an unknown one, which means the
//    newest) a value that would be rejected there is a warning: it works only on older models.
// Unknown values (from variables) are never reported.

import type { Fix } from '../rule';
import type { PropertyEntry, Rule, RuleContext } from '../ruleContext';
import { removeListItemEdit } from '../fixes';
import { getEntry, getProp } from '../requestModel';

export const samplingParams: Rule = {
  meta: {
    id: 'sampling-params',
    defaultSeverity: 'warning',
    description: 'temperature / top_p out of range, set together, or set where the SDK deprecates or removes them.',
    messages: {
      outOfRange: '{{name}} is {{value}}, outside [0, 1]: the API rejects the request with 400 invalid_request_error. Use a value between 0 and 1.',
      both: 'temperature and top_p are both set: the newest Claude models reject the pair with 400. Set only one of them (usually temperature).',
      deprecated:
        '{{name}} is deprecated in {{package}} {{sdk}}, and the newest models reject values other than {{accepted}} with 400. Remove it, or keep it only for older models.',
      removed:
        '{{name}} is no longer in the request types of {{package}} {{sdk}}, and the newest models reject values other than {{accepted}} with 400. Remove it.',
    },
    fixable: true,
  },
  check(ctx) {
    const req = ctx.call.request;
    if (req.kind !== 'object') return;
    const t = entry(ctx, 'temperature');
    const p = entry(ctx, 'top_p');
    const bad = new Set<PropertyEntry>();
    for (const [name, e] of [['temperature', t], ['top_p', p]] as const) {
      if (!e || e.value.kind !== 'number') continue;
      const v = e.value.value;
      if (v < 0 || v > 1 || Number.isNaN(v)) {
        ctx.report({ messageId: 'outOfRange', severity: 'error', data: { name, value: String(v) }, start: e.start, end: e.end });
        bad.add(e);
      }
    }
    if (t && p) {
      const later = t.start > p.start ? t : p;
      ctx.report({ messageId: 'both', start: later.start, end: later.end, fixes: removeFix(ctx, later, later === t ? 'temperature' : 'top_p') });
      return;
    }
    // Deprecated (0.137 ≤ SDK < 1.12) or removed (SDK ≥ 1.12, or unknown = newest).
    const { deprecatedSince, removedSince } = ctx.language.sampling;
    const removed = ctx.sdkAtLeast(removedSince[0], removedSince[1]);
    if (!removed && (!deprecatedSince || !ctx.sdkAtLeast(deprecatedSince[0], deprecatedSince[1]))) return;
    const sdk = ctx.sdk ? `${ctx.sdk.major}.${ctx.sdk.minor}` : `${removedSince.join('.')}+`;
    for (const [name, e] of [['temperature', t], ['top_p', p]] as const) {
      if (!e || bad.has(e) || e.value.kind !== 'number') continue;
      const v = e.value.value;
      if (name === 'temperature' ? v === 1 : v >= 0.99) continue;
      ctx.report({
        messageId: removed ? 'removed' : 'deprecated',
        data: { name, package: ctx.language.sdkPackage, sdk, accepted: name === 'temperature' ? 'temperature 1.0' : 'top_p >= 0.99' },
        start: e.start,
        end: e.end,
        fixes: removeFix(ctx, e, name),
      });
    }
  },
};

/** A present entry with a value other than `undefined`. */
function entry(ctx: RuleContext, key: string): PropertyEntry | undefined {
  const req = ctx.call.request;
  if (req.kind !== 'object') return undefined;
  const v = getProp(req, key);
  if (!v || v.kind === 'undefined' || v.kind === 'unknown') return undefined;
  return getEntry(req, key);
}

function removeFix(ctx: RuleContext, e: PropertyEntry, name: string): Fix[] {
  const p = e.property;
  const o = p?.parent;
  if (!p || !o || o.type !== 'ObjectExpression') return [];
  const index = o.properties.indexOf(p);
  if (index < 0) return [];
  // Changes the sampling the program asked for: a suggestion, not applied by --fix.
  return [{ title: `Remove ${name}`, edits: [removeListItemEdit(ctx.sourceText, o.properties, index)], safe: false }];
}
