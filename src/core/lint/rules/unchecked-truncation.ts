// unchecked-truncation: the text of a Messages API response (`msg.content[0].text`, a text block found in
// `msg.content`, a variable holding either) is parsed as JSON (`JSON.parse`, `json.loads`, a schema's
// `.parse`, pydantic's `model_validate_json`) in the same function, and nothing reads that response's
// `stop_reason`. A reply cut off at `max_tokens` is then half an object: the parse throws, or a lenient parser
// yields part of the data. A stream counts through what it ends with: `stream.finalMessage()` /
// `get_final_message()` is the response, `stream.finalText()` / `get_final_text()` its text. Silent when: the
// request forces a tool or asks for structured output (or may, being partly unknown), the response is a raw
// event stream (`stream: true`), any `.stop_reason` read of the response exists (for a stream: any
// `.stop_reason` read in the function, an event's included), or the response or stream is handed to another
// function before the parse (it may check).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix } from '../rule';
import type { Binding, Node, Rule, RuleContext, Value } from '../ruleContext';
import { getProp, unwrap } from '../requestModel';
import { forEachNode, propName } from '../scan';
import { calleeName, climb, dottedName, functionOf, indentAt, referencesTo, statementOf, storedIn } from '../bindingRefs';
import { stopReasonGuard } from '../codeText';

/** Parsers of a whole JSON text, by dotted name. */
const JSON_PARSERS = new Set(['JSON.parse', 'JSON5.parse', 'json.loads', 'orjson.loads', 'ujson.loads', 'simplejson.loads', 'json5.loads']);
/** Schema methods that parse a JSON text whatever their receiver is called (pydantic). */
const SCHEMA_JSON_METHODS = new Set(['model_validate_json', 'parse_raw', 'validate_json']);
/** `.parse` / `.safeParse` counts on a schema (zod and the like), not on `marked`, `Date`, `url`… */
const SCHEMA_PARSE_METHODS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync']);
const SCHEMA_RECEIVER = /schema|validator|^z$/i;
/** String methods a text may pass through on its way to the parser (`text.trim()`, `text.strip()`). */
const TEXT_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'strip', 'lstrip', 'rstrip', 'replace', 'replaceAll', 'removeprefix', 'removesuffix', 'slice', 'toString']);
/** A message stream's whole reply (TypeScript, Python) and its text. */
const FINAL_MESSAGE = new Set(['finalMessage', 'get_final_message']);
const FINAL_TEXT = new Set(['finalText', 'get_final_text']);

/** Whether a request field is set, or may be (unknown). */
function mayBeSet(v: Value | undefined): boolean {
  return v !== undefined && v.kind !== 'undefined' && v.kind !== 'null';
}

/** A `tool_choice` that forces a tool (`{type: 'tool'}` / `{type: 'any'}`), or one that cannot be read. */
function forcesTool(v: Value | undefined): boolean {
  if (!mayBeSet(v)) return false;
  const t = getProp(v, 'type');
  return !(t && t.kind === 'string' && (t.value === 'auto' || t.value === 'none'));
}

function isParser(call: TSESTree.CallExpression): boolean {
  const dotted = dottedName(call.callee as Node);
  if (dotted && JSON_PARSERS.has(dotted)) return true;
  const name = calleeName(call);
  if (!name || call.callee.type !== 'MemberExpression') return false;
  if (SCHEMA_JSON_METHODS.has(name)) return true;
  if (!SCHEMA_PARSE_METHODS.has(name)) return false;
  // the receiver: a name (`UserSchema.parse`) or a `z.…(…)` chain (`z.object({...}).parse`)
  let recv = unwrap(call.callee.object as Node, true);
  while (recv.type === 'CallExpression' && recv.callee.type === 'MemberExpression') recv = unwrap(recv.callee.object as Node, true);
  while (recv.type === 'MemberExpression') recv = unwrap(recv.object as Node, true);
  return recv.type === 'Identifier' && SCHEMA_RECEIVER.test(recv.name);
}

export const uncheckedTruncation: Rule = {
  meta: {
    id: 'unchecked-truncation',
    defaultSeverity: 'warning',
    description: 'A response text parsed as JSON with no look at stop_reason: a reply cut off at max_tokens is half an object.',
    messages: {
      unchecked:
        "The response text is parsed as JSON with no look at {{name}}.stop_reason: a reply cut off at max_tokens is half an object, so the parse throws (or yields part of the data). Check for stop_reason 'max_tokens' first.",
      uncheckedInline:
        "The response text is parsed as JSON and the response's stop_reason is never read: a reply cut off at max_tokens is half an object, so the parse throws (or yields part of the data). Keep the response and check its stop_reason first.",
      uncheckedStream:
        "The stream's {{final}}() is parsed as JSON and the reply's stop_reason is never read: a reply cut off at max_tokens is half an object, so the parse throws (or yields part of the data). Take the final message instead and check its stop_reason first.",
    },
    fixable: true,
  },
  check(ctx) {
    const { call } = ctx;
    const req = call.request;
    if (forcesTool(getProp(req, 'tool_choice'))) return;
    if (mayBeSet(getProp(req, 'output_format')) || mayBeSet(getProp(req, 'output_config'))) return;
    if (call.kind === 'create') {
      if (mayBeSet(getProp(req, 'stream'))) return;
      judgeResponse(ctx, call.node, null);
      return;
    }
    judgeStream(ctx, call.node);
  },
};

/** A response (the call, or a stream's final message): the parses of its text, unless its stop_reason is read. */
function judgeResponse(ctx: RuleContext, response: Node, stream: StreamFacts | null): void {
  const fn = functionOf(response);
  const binding = storedIn(ctx, response);
  const sources: Node[] = binding ? referencesTo(ctx, binding) : [response];

  const parses: TSESTree.CallExpression[] = [];
  for (const s of sources) for (const t of textsFrom(ctx, s, false, 0)) for (const p of parsesOf(ctx, t, 0)) if (!parses.includes(p)) parses.push(p);
  const inFn = parses.filter((p) => functionOf(p) === fn);
  if (!inFn.length) return;

  if (binding && looksOrEscapes(ctx, binding, inFn[0])) return;
  if (stream && stream.silentBefore(inFn[0])) return;
  for (const p of inFn) {
    const fixes: Fix[] = [];
    if (binding) {
      const fix = guardFix(ctx, binding, p);
      if (fix) fixes.push(fix);
    }
    ctx.report({ messageId: binding ? 'unchecked' : 'uncheckedInline', data: { name: binding ? binding.id.name : '' }, node: p, fixes });
  }
}

/** What a stream call tells about a truncation check: where its final message and final text are taken. */
interface StreamFacts {
  /** A `.stop_reason` read in the function, or the stream handed to a function before `at`: it may be checked. */
  silentBefore(at: Node): boolean;
}

/** `client.messages.stream(…)`: judged through `finalMessage()` (a response) and `finalText()` (its text). */
function judgeStream(ctx: RuleContext, call: Node): void {
  const binding = storedIn(ctx, call);
  const uses: Node[] = binding ? referencesTo(ctx, binding) : [call];
  const fn = functionOf(call);
  const facts: StreamFacts = {
    silentBefore(at) {
      if (readsStopReason(fn ?? (ctx.ast as Node))) return true;
      if (!binding) return false;
      return uses.some((r) => {
        const { node, parent } = climb(r);
        if (!parent || r.range[0] >= at.range[0]) return false;
        if (parent.type === 'CallExpression' && parent.arguments.includes(node as TSESTree.CallExpressionArgument)) return true;
        return (parent.type === 'VariableDeclarator' && parent.init === node) || (parent.type === 'AssignmentExpression' && parent.right === node);
      });
    },
  };
  for (const use of uses) {
    const { node, parent } = climb(use);
    if (!parent || parent.type !== 'MemberExpression' || parent.object !== node) continue;
    const method = propName(parent);
    const finalCall = parent.parent as Node | undefined;
    if (!method || !finalCall || finalCall.type !== 'CallExpression' || finalCall.callee !== parent) continue;
    if (FINAL_MESSAGE.has(method)) judgeResponse(ctx, finalCall, facts);
    else if (FINAL_TEXT.has(method)) {
      const parses = parsesOf(ctx, finalCall, 0).filter((p) => functionOf(p) === functionOf(finalCall));
      if (!parses.length || facts.silentBefore(parses[0])) continue;
      for (const p of parses) ctx.report({ messageId: 'uncheckedStream', data: { final: method }, node: p });
    }
  }
}

/** Whether any `.stop_reason` (or `stop_reason` key of a pattern) is read inside a node. */
function readsStopReason(root: Node): boolean {
  let found = false;
  forEachNode(root, (n) => {
    if (found) return false;
    if (n.type === 'MemberExpression' && propName(n) === 'stop_reason') found = true;
    else if (n.type === 'Property' && !n.computed && n.key.type === 'Identifier' && n.key.name === 'stop_reason') found = true;
  });
  return found;
}

/**
 * The nodes holding the response's text, starting from an expression that is the response (or, with
 * `inContent`, one of its content blocks): `.content[0].text`, `.content.find(…).text`, through variables.
 */
function textsFrom(ctx: RuleContext, start: Node, inContent: boolean, depth: number): Node[] {
  if (depth > 3) return [];
  let n: Node = start;
  let sawContent = inContent;
  for (let hops = 0; hops < 8; hops++) {
    const { node, parent } = climb(n);
    if (!parent) return [];
    if (parent.type === 'MemberExpression' && parent.object === node) {
      const name = propName(parent);
      if (!sawContent) {
        if (name !== 'content') return [];
        sawContent = true;
      } else if (name === 'text') return [parent];
      // after `.content`: an index (`[0]`, `[i]`) or a method called next (`find`, `at`, `filter`)
      n = parent;
      continue;
    }
    if (parent.type === 'CallExpression' && parent.callee === node && sawContent) {
      // content.find(…), content.at(0), content.filter(…)[0]
      n = parent;
      continue;
    }
    if (sawContent) {
      // a block held in a variable: `const block = msg.content[0]` … `block.text`
      const b = storedIn(ctx, node);
      if (b) return referencesTo(ctx, b).flatMap((r) => textsFrom(ctx, r, true, depth + 1));
    }
    return [];
  }
  return [];
}

/** The parse calls a text reaches: directly, through string methods, or through a variable holding it. */
function parsesOf(ctx: RuleContext, text: Node, depth: number): TSESTree.CallExpression[] {
  if (depth > 2) return [];
  let n: Node = text;
  for (let hops = 0; hops < 6; hops++) {
    const { node, parent } = climb(n);
    if (!parent) return [];
    if (parent.type === 'MemberExpression' && parent.object === node) {
      const m = propName(parent);
      const p2 = parent.parent as Node | undefined;
      if (m && TEXT_METHODS.has(m) && p2 && p2.type === 'CallExpression' && p2.callee === parent) {
        n = p2;
        continue;
      }
      return [];
    }
    if (parent.type === 'CallExpression' && parent.arguments[0] === node) return isParser(parent) ? [parent] : [];
    // `ok ? block.text : ''`, `block?.text ?? ''`
    if ((parent.type === 'ConditionalExpression' && parent.test !== node) || parent.type === 'LogicalExpression') {
      n = parent;
      continue;
    }
    const b = storedIn(ctx, node);
    if (b) return referencesTo(ctx, b).flatMap((r) => parsesOf(ctx, r, depth + 1));
    return [];
  }
  return [];
}

/** A read of `.stop_reason` on the response anywhere, or the response handed to a function before the parse. */
function looksOrEscapes(ctx: RuleContext, b: Binding, firstParse: Node): boolean {
  for (const r of referencesTo(ctx, b)) {
    const { node, parent } = climb(r);
    if (!parent) continue;
    if (parent.type === 'MemberExpression' && parent.object === node && propName(parent) === 'stop_reason') return true;
    if (parent.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'ObjectPattern') {
      if (parent.id.properties.some((p) => p.type === 'RestElement' || (p.type === 'Property' && (p.computed || (p.key.type === 'Identifier' && p.key.name === 'stop_reason'))))) return true;
    }
    if (parent.type === 'CallExpression' && parent.arguments.includes(node as TSESTree.CallExpressionArgument) && r.range[0] < firstParse.range[0]) return true;
    if ((parent.type === 'VariableDeclarator' || parent.type === 'AssignmentExpression') && !(parent.type === 'VariableDeclarator' && parent.id.type === 'ObjectPattern')) {
      // an alias (`const m = msg`) could be checked under another name
      if ((parent.type === 'VariableDeclarator' && parent.init === node) || (parent.type === 'AssignmentExpression' && parent.right === node)) return true;
    }
  }
  return false;
}

/** Inserts the check on its own line before the statement that parses, when that statement starts a line. */
function guardFix(ctx: RuleContext, b: Binding, parse: Node): Fix | null {
  const stmt = statementOf(parse);
  if (!stmt) return null;
  // the check must come after the response is stored, in the same function
  const decl = statementOf(b.id);
  if (decl && decl.range[1] > stmt.range[0]) return null;
  if (b.id.range[1] > stmt.range[0]) return null;
  const indent = indentAt(ctx.sourceText, stmt.range[0]);
  if (indent === null) return null;
  const at = stmt.range[0] - indent.length;
  return {
    title: `Check ${b.id.name}.stop_reason before parsing`,
    edits: [{ start: at, end: at, text: stopReasonGuard(ctx.language.id, b.id.name, indent) }],
    safe: false,
  };
}
