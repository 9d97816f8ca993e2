// Lints a playground draft with the same rules as the editor: the draft becomes a small TypeScript file
// that sends it the way the playground does (`withRetry` around `client.messages.create(<json>)`, SDK retries
// off), and each finding is attached to the request field whose text it falls in.
import { lintText, type LintConfig } from '../lint';
import { ruleDocsUrl } from '../lint/rule';
import { checkMessagesJson } from './draft';
import type { FieldFinding, RequestDraft } from './types';

export interface DraftSource {
  text: string;
  /** Offsets of each request field's `"key": value` text in `text`. */
  fields: Array<{ field: string; start: number; end: number }>;
  /** Offsets of the request object. */
  request: { start: number; end: number };
}

/** The TypeScript file the draft is linted as. */
export function draftSource(draft: RequestDraft): DraftSource {
  const wrapper = draft.stream ? 'withStreamRetry' : 'withRetry';
  let text =
    `import Anthropic from '@anthropic-ai/sdk';\n` +
    `import { ${wrapper} } from './claudeRetry';\n\n` +
    `const client = new Anthropic({ maxRetries: 0 });\n\n` +
    `export const result = ${wrapper}(() =>\n  client.messages.create(`;
  const fields: DraftSource['fields'] = [];
  const requestStart = text.length;
  text += '{\n';
  const entries: Array<[string, string]> = [];
  entries.push(['model', JSON.stringify(draft.model)]);
  if (draft.maxTokens !== null) entries.push(['max_tokens', JSON.stringify(draft.maxTokens)]);
  if (draft.system !== '') entries.push(['system', JSON.stringify(draft.system)]);
  const messages = checkMessagesJson(draft.messagesJson);
  // invalid messages are reported by the editor itself; the rest of the request is still linted
  entries.push(['messages', messages.ok ? JSON.stringify(messages.value, null, 2).replace(/\n/g, '\n    ') : '[]']);
  if (draft.stream) entries.push(['stream', 'true']);
  entries.forEach(([key, value], i) => {
    text += '    ';
    const start = text.length;
    text += `${JSON.stringify(key)}: ${value}`;
    fields.push({ field: key, start, end: text.length });
    text += i < entries.length - 1 ? ',\n' : '\n';
  });
  text += '  }';
  const requestEnd = text.length;
  text += '),\n);\n';
  return { text, fields, request: { start: requestStart, end: requestEnd } };
}

/** The lint findings for the draft, by field. Never throws. */
export function lintDraft(draft: RequestDraft, config?: LintConfig): FieldFinding[] {
  const src = draftSource(draft);
  const messagesOk = checkMessagesJson(draft.messagesJson).ok;
  const result = lintText(src.text, { fileName: 'playground-request.ts', config, sdkVersion: null });
  const out: FieldFinding[] = [];
  for (const f of result.findings) {
    if (f.ruleId === 'parse-error') continue;
    const hit = src.fields.find((r) => f.start >= r.start && f.start < r.end);
    const field = hit ? hit.field : 'request';
    if (field === 'messages' && !messagesOk) continue;
    out.push({ field, ruleId: f.ruleId, severity: f.severity, message: f.message, docsUrl: ruleDocsUrl(f.ruleId) });
  }
  return out;
}
