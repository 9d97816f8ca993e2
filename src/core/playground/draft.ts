// The playground draft: defaults, validation of the JSON fields (with the position of a syntax error, for
// validation as you type) and the request body it becomes. Pure: used by the host and bundled into the webview.
import type { RequestDraft, RetryPolicy } from './types';

export const DEFAULT_MODEL = 'claude-sonnet-5';

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxElapsedMs: 60000,
});

export function defaultDraft(): RequestDraft {
  return {
    endpoint: 'simulated',
    scenario: 'rate-limited',
    scenarioOptionsJson: '',
    baseURL: '',
    model: DEFAULT_MODEL,
    maxTokens: 1024,
    system: '',
    messagesJson: JSON.stringify([{ role: 'user', content: 'Hello, Claude' }], null, 2),
    stream: true,
    retry: { ...DEFAULT_RETRY_POLICY },
  };
}

/** Where a JSON text is wrong: a message, the offset, and the 1-based line and column of that offset. */
export interface JsonProblem {
  message: string;
  offset: number;
  line: number;
  column: number;
}

export type JsonCheck<T> = { ok: true; value: T } | { ok: false; problem: JsonProblem };

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function problemAt(text: string, message: string, offset: number): JsonProblem {
  const at = Math.max(0, Math.min(offset, text.length));
  return { message, offset: at, ...lineColumn(text, at) };
}

/** JSON.parse with the position of a syntax error (read from the engine's message, else the end of the text). */
export function parseJson(text: string): JsonCheck<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const raw = String((e as Error)?.message ?? e);
    const pos = /position (\d+)/.exec(raw);
    let offset = pos ? Number(pos[1]) : text.length;
    if (!pos) {
      const lc = /line (\d+) column (\d+)/.exec(raw);
      if (lc) {
        const lines = text.split('\n');
        const line = Math.min(Number(lc[1]), lines.length);
        offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
      }
    }
    const message = raw.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').replace(/^JSON\.parse: /, '');
    return { ok: false, problem: problemAt(text, `Invalid JSON: ${message}`, offset) };
  }
}

/** Offset of the n-th element of a top-level JSON array (used to point at a bad element). */
export function elementOffset(text: string, index: number): number {
  let depth = 0;
  let count = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectValue && c !== ']' && !/\s/.test(c)) {
      if (count === index) return i;
      expectValue = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) {
      count++;
      expectValue = true;
    }
  }
  return 0;
}

/**
 * Checks the messages editor: valid JSON, an array of `{ role: 'user' | 'assistant', content: string | blocks }`.
 * Other shape questions (role order, a final assistant turn) are the lint rules' job.
 */
export function checkMessagesJson(text: string): JsonCheck<unknown[]> {
  if (!text.trim()) return { ok: false, problem: problemAt(text, 'messages is empty: write a JSON array of messages.', 0) };
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (!Array.isArray(v)) return { ok: false, problem: problemAt(text, 'messages must be a JSON array.', text.search(/\S/)) };
  if (v.length === 0) return { ok: false, problem: problemAt(text, 'messages needs at least one message.', text.search(/\S/)) };
  for (let i = 0; i < v.length; i++) {
    const m = v[i] as Record<string, unknown> | null;
    const at = elementOffset(text, i);
    if (!m || typeof m !== 'object' || Array.isArray(m)) return { ok: false, problem: problemAt(text, `messages[${i}] must be an object.`, at) };
    if (m.role !== 'user' && m.role !== 'assistant') {
      return { ok: false, problem: problemAt(text, `messages[${i}].role must be "user" or "assistant".`, at) };
    }
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
      return { ok: false, problem: problemAt(text, `messages[${i}].content must be a string or an array of content blocks.`, at) };
    }
  }
  return { ok: true, value: v };
}

/** Checks the scenario options editor: '' or a JSON object. */
export function checkScenarioOptionsJson(text: string): JsonCheck<Record<string, unknown>> {
  if (!text.trim()) return { ok: true, value: {} };
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    return { ok: false, problem: problemAt(text, 'Scenario options must be a JSON object, e.g. {"failures": 2}.', text.search(/\S/)) };
  }
  return { ok: true, value: v as Record<string, unknown> };
}

/** Problems with the retry policy, one message per bad field (empty when it is valid). */
export function checkRetryPolicy(p: RetryPolicy): string[] {
  const out: string[] = [];
  const whole = (n: number, min: number, name: string): void => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min) out.push(`${name} must be a whole number >= ${min}.`);
  };
  whole(p.maxAttempts, 1, 'Attempts');
  whole(p.baseDelayMs, 0, 'Base delay');
  whole(p.maxDelayMs, 0, 'Max delay');
  whole(p.maxElapsedMs, 0, 'Budget');
  if (out.length === 0 && p.maxAttempts > 20) out.push('Attempts must be at most 20.');
  return out;
}

/** The Messages API request body the draft describes (without `stream`). Fields left empty are left out. */
export interface RequestBody {
  model: string;
  max_tokens?: number;
  system?: string;
  messages: unknown[];
  [key: string]: unknown;
}

export type BodyCheck = { ok: true; body: RequestBody } | { ok: false; errors: Array<{ field: string; message: string }> };

/** Builds the request body, or says which fields stop it from being sent. */
export function requestBody(draft: RequestDraft): BodyCheck {
  const errors: Array<{ field: string; message: string }> = [];
  if (!draft.model.trim()) errors.push({ field: 'model', message: 'model is empty.' });
  const messages = checkMessagesJson(draft.messagesJson);
  if (!messages.ok) {
    const p = messages.problem;
    errors.push({ field: 'messages', message: `${p.message} (line ${p.line}, column ${p.column})` });
  }
  for (const m of checkRetryPolicy(draft.retry)) errors.push({ field: 'retry', message: m });
  if (draft.endpoint === 'custom') {
    const u = draft.baseURL.trim();
    if (!/^https?:\/\/[^\s/]+/i.test(u)) errors.push({ field: 'baseURL', message: 'Base URL must start with http:// or https://.' });
  }
  if (draft.endpoint === 'simulated') {
    const o = checkScenarioOptionsJson(draft.scenarioOptionsJson);
    if (!o.ok) errors.push({ field: 'scenarioOptions', message: `${o.problem.message} (line ${o.problem.line}, column ${o.problem.column})` });
  }
  if (errors.length || !messages.ok) return { ok: false, errors };
  const body: RequestBody = { model: draft.model.trim(), messages: messages.value };
  if (draft.maxTokens !== null) body.max_tokens = draft.maxTokens;
  if (draft.system !== '') body.system = draft.system;
  // keep the API's usual key order: model, max_tokens, system, messages
  const ordered: RequestBody = { model: body.model, ...(body.max_tokens !== undefined ? { max_tokens: body.max_tokens } : {}), ...(body.system !== undefined ? { system: body.system } : {}), messages: body.messages };
  return { ok: true, body: ordered };
}
