// "Send Test Request" for a call in the editor: the literal parts of the call's request (model, max_tokens,
// system, messages, stream), read with the lint engine's request model, from a JS/TS call's object or a Python
// call's keyword arguments. What cannot be known statically (a variable from elsewhere, a spread, a function
// call, an f-string) is left out and named in `unknown`; known fields the playground has no place for
// (temperature, tools…) are named in `ignored`.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { CallSiteFinder, collectSdkImports } from '../lint/callSites';
import { Evaluator, getProp } from '../lint/requestModel';
import type { Node, Value } from '../lint/ruleContext';
import { parse, prefilter, walkProgram } from '../lint/scan';
import type { ScanResult } from '../lint/scan';
import { ScopeResolver } from '../lint/scope';
import { PythonCallSiteFinder, PythonScopeResolver, collectPythonSdkImports, isPythonFile, parsePython } from '../lint/python/frontEnd';
import { pythonParserReady } from '../lint/python/parser';
import { pythonPrefilter } from '../lint/python/prefilter';
import type { RequestDraft } from './types';

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
  /** Request fields that are known but that the playground does not send (e.g. ['temperature']). */
  ignored?: string[];
}

/** The request fields the playground's draft holds. */
const DRAFT_FIELDS = new Set(['model', 'max_tokens', 'system', 'messages', 'stream']);

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
  // Python needs its parser loaded first (loadPythonParser)
  const python = isPythonFile(fileName);
  if (python ? !pythonParserReady() || !pythonPrefilter(text) : !prefilter(text)) return null;
  let ast: TSESTree.Program;
  let scan: ScanResult;
  try {
    const parsed = python ? parsePython(text) : parse(text, fileName);
    if ('error' in parsed) return null;
    ast = parsed.ast;
    scan = 'scan' in parsed ? (parsed.scan as ScanResult) : walkProgram(ast, text);
  } catch {
    return null;
  }
  const calls = scan.messageCalls.filter((c) => c.range[0] <= offset && offset <= c.range[1]);
  if (!calls.length) return null;
  calls.sort((a, b) => a.range[1] - a.range[0] - (b.range[1] - b.range[0]));
  const call = calls[0];
  const scopes = python ? new PythonScopeResolver() : new ScopeResolver();
  const evaluator = new Evaluator(scopes, new Set<Node>(scan.messageCalls));
  const finder = python
    ? new PythonCallSiteFinder(scopes, evaluator, collectPythonSdkImports(ast))
    : new CallSiteFinder(scopes, evaluator, collectSdkImports(ast, scan.sdkRequires));
  let request: Value;
  let method = 'messages.create';
  const site = finder.callSite(call);
  if (site) {
    request = site.request;
    method = site.method;
  } else if (python) {
    return null; // not an Anthropic client (Twilio's, OpenAI's messages.create)
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
  const ignored = request.props.map((p) => p.key).filter((k) => !DRAFT_FIELDS.has(k) && valueToJson(getProp(request, k)) !== undefined);
  if (ignored.length) out.ignored = [...new Set(ignored)];
  return out;
}

/** Turns the literal request of a call into a draft (keeping the current endpoint and retry policy). */
export function draftFromCall(found: CallRequestDraft, base: RequestDraft): { draft: RequestDraft; note?: string } {
  const draft: RequestDraft = { ...base, retry: { ...base.retry } };
  if (found.model !== undefined) draft.model = found.model;
  draft.maxTokens = found.max_tokens ?? null;
  draft.system = found.system ?? '';
  if (found.messages !== undefined) draft.messagesJson = JSON.stringify(found.messages, null, 2);
  if (found.stream !== undefined) draft.stream = found.stream;
  let note = found.unknown.length
    ? `Filled from ${found.method}; not known from the code (fill in by hand): ${found.unknown.join(', ')}.`
    : `Filled from ${found.method}.`;
  if (found.ignored?.length) note += ` Not playground fields, left out: ${found.ignored.join(', ')}.`;
  return { draft, note };
}
