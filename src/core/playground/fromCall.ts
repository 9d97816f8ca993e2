// "Send Test Request" for a call in the editor: the literal parts of the call's request (model, max_tokens,
// system, messages, stream), read with the lint engine's request model. What cannot be known statically
// (a variable from elsewhere, a spread, a function call) is left out and named in `unknown`.
import { CallSiteFinder, collectSdkImports } from '../lint/callSites';
import { Evaluator, getProp } from '../lint/requestModel';
import type { Node, Value } from '../lint/ruleContext';
import { parse, prefilter, walkProgram } from '../lint/scan';
import { ScopeResolver } from '../lint/scope';

export interface CallRequestDraft {
  /** e.g. "messages.create". */
  method: string;
  /** Offsets of the call expression. */
  start: number;
  end: number;
  model?: string;
  max_tokens?: number;
  /** A string, or the text blocks joined. */
  system?: string;
  /** The messages that are fully known (each message's known fields). */
  messages?: unknown[];
  stream?: boolean;
  /** Request fields that are present but not known statically (e.g. ['messages']). */
  unknown: string[];
}

/** A value as JSON when it is known all the way down; undefined otherwise. */
export function valueToJson(v: Value | undefined): unknown {
  if (!v) return undefined;
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return v.value;
    case 'null':
      return null;
    case 'object': {
      if (!v.complete) return undefined;
      const out: Record<string, unknown> = {};
      for (const p of v.props) {
        if (p.value.kind === 'undefined') continue;
        const j = valueToJson(p.value);
        if (j === undefined) return undefined;
        out[p.key] = j;
      }
      return out;
    }
    case 'array': {
      const out: unknown[] = [];
      for (const e of v.elements) {
        const j = valueToJson(e);
        if (j === undefined) return undefined;
        out.push(j);
      }
      return out;
    }
    default:
      return undefined;
  }
}

function systemText(j: unknown): string | undefined {
  if (typeof j === 'string') return j;
  if (Array.isArray(j)) {
    const texts = j.map((b) => (b && typeof b === 'object' && (b as { type?: unknown }).type === 'text' ? (b as { text?: unknown }).text : undefined));
    if (texts.every((t) => typeof t === 'string')) return (texts as string[]).join('\n\n');
  }
  return undefined;
}

/**
 * The literal request of the innermost Claude messages call that contains `offset` in `text`. Returns null
 * when there is no such call or the file does not parse.
 */
export function requestDraftFromCall(text: string, offset: number, fileName: string): CallRequestDraft | null {
  if (!prefilter(text)) return null;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text, fileName);
  } catch {
    return null;
  }
  if ('error' in parsed) return null;
  const ast = parsed.ast;
  const scan = walkProgram(ast, text);
  const calls = scan.messageCalls.filter((c) => c.range[0] <= offset && offset <= c.range[1]);
  if (!calls.length) return null;
  calls.sort((a, b) => a.range[1] - a.range[0] - (b.range[1] - b.range[0]));
  const call = calls[0];
  const scopes = new ScopeResolver();
  const evaluator = new Evaluator(scopes, new Set<Node>(scan.messageCalls));
  const finder = new CallSiteFinder(scopes, evaluator, collectSdkImports(ast, scan.sdkRequires));
  let request: Value;
  let method = 'messages.create';
  const site = finder.callSite(call);
  if (site) {
    request = site.request;
    method = site.method;
  } else {
    request = evaluator.valueOf(call.arguments[0] as Node | undefined);
    if (call.callee.type === 'MemberExpression' && call.callee.property.type === 'Identifier') method = `messages.${call.callee.property.name}`;
  }
  const out: CallRequestDraft = { method, start: call.range[0], end: call.range[1], unknown: [] };
  if (request.kind !== 'object') {
    out.unknown.push('request');
    return out;
  }
  const field = (key: string): unknown => {
    const v = getProp(request, key);
    if (v === undefined || v.kind === 'undefined') return undefined;
    const j = valueToJson(v);
    if (j === undefined) out.unknown.push(key);
    return j;
  };
  const model = field('model');
  if (typeof model === 'string') out.model = model;
  const maxTokens = field('max_tokens');
  if (typeof maxTokens === 'number') out.max_tokens = maxTokens;
  const system = field('system');
  const sys = systemText(system);
  if (sys !== undefined) out.system = sys;
  else if (system !== undefined) out.unknown.push('system');
  const messagesValue = getProp(request, 'messages');
  if (messagesValue && messagesValue.kind === 'array') {
    // keep the messages that are known; an unknown one (a spread of history) is reported
    const known: unknown[] = [];
    let partial = false;
    for (const e of messagesValue.elements) {
      const j = valueToJson(e);
      if (j === undefined) partial = true;
      else known.push(j);
    }
    out.messages = known;
    if (partial) out.unknown.push('messages');
  } else if (messagesValue && messagesValue.kind !== 'undefined') {
    out.unknown.push('messages');
  }
  if (method.endsWith('.stream')) out.stream = true;
  else {
    const stream = field('stream');
    if (typeof stream === 'boolean') out.stream = stream;
  }
  out.unknown = [...new Set(out.unknown)];
  return out;
}
