// The retry stack of a Claude API call: everything that may send the same request again when it fails.
//
//   SDK retries (maxRetries on the request, else on the client, else the SDK default 2)
//   inside whatever wraps the call in this file, innermost first:
//     - the product's retry helper (`withRetry` / `withStreamRetry` imported from the inserted claudeRetry file)
//       and extra wrapper names from the config,
//     - retry libraries: p-retry, async-retry, exponential-backoff, cockatiel policies, LangChain's AsyncCaller,
//     - hand-written retries: a loop or a recursion whose `catch` around the call leads to another attempt.
//
// The wrappers are found in the call's own function and through its callers in the same file (a loop in
// `callWithRetry()` around `ask()`, `withRetry(() => ask())`, `pRetry(ask)`, a same-file higher-order
// function that loops over its callback). From each hand-written retry the analysis reads whether it is
// bounded, whether it tells retryable errors from final ones, whether it waits, whether the wait grows, is
// jittered, and whether it reads `retry-after`.
//
// Loops that are not retries stay out: agent and tool-use loops (they continue on success), iteration over
// inputs, pagination, a loop whose `catch` always leaves, a single re-ask after unparsable output (its `catch`
// is around `JSON.parse`, not around the API call).
//
// Everything works on the tree the engine already has (parents linked by its single walk); callers of a
// function are found by a text search for the name followed by a descent to that offset, so no second walk
// of the whole tree is needed. Results are memoized per file and per function.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, CallAnalyzer, CallSite, FileContext, Node, RuleContext, Value } from './ruleContext';
import { getEntry, getProp, unwrap } from './requestModel';
import { propName as memberName } from './scan';
import { ScopeResolver } from './scope';

/**
 * Nodes are read loosely (field access by name) inside this analysis; the public API takes typescript-estree
 * nodes. `parent` is set by the engine's walk.
 */
interface N {
  type: string;
  range: [number, number];
  parent?: N;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

// ---------------------------------------------------------------------------------------------------------
// Public data
// ---------------------------------------------------------------------------------------------------------

export type RetryLayerKind =
  | 'helper'
  | 'configured-wrapper'
  | 'p-retry'
  | 'async-retry'
  | 'exponential-backoff'
  | 'cockatiel'
  | 'langchain'
  | 'loop'
  | 'recursion';

/** One thing that retries the call. `null` in a field means "not statically known". */
export interface RetryLayer {
  kind: RetryLayerKind;
  /** Short description for messages and hovers: "for loop", "pRetry", "withRetry", "recursive retry". */
  label: string;
  /** Where a finding about this layer points: the loop keyword, the wrapper's callee, the recursive call. */
  start: number;
  end: number;
  /** The same-file function through which this layer reaches the API call (e.g. "ask"), if any. */
  via: string | null;
  /** Total attempts it makes (first try included); null when unknown or unbounded. */
  attempts: number | null;
  /** false: no attempt cap and no time budget. */
  bounded: boolean | null;
  /** Time budget in ms when one is known. */
  budgetMs: number | null;
  /** It tells retryable failures (429, 5xx, connection) from final ones (400, 401, 403, 404, 413, 422…). */
  statusAware: boolean | null;
  /** It handles rate limits (429) explicitly, or retries every error (429s included). */
  retries429: boolean | null;
  /** It waits before trying again. */
  waits: boolean | null;
  /** The wait grows from one attempt to the next. */
  grows: boolean | null;
  jittered: boolean | null;
  readsRetryAfter: boolean | null;
  /** Upper bound of the total time it waits between its own attempts (ms), when computable. */
  waitMs: number | null;
  /** For a library or helper wrapper: the wrapper call and the function it retries (for fixes). */
  wrapper?: {
    callStart: number;
    callEnd: number;
    /** The retried function argument. */
    fnStart: number;
    fnEnd: number;
    /** true when the retried function takes no parameters (it can be handed to withRetry unchanged). */
    fnTakesNoArgs: boolean;
  };
}

/** The SDK's own retries for the call. */
export interface SdkRetrySetting {
  /** null when not statically known (unknown never produces a finding). */
  maxRetries: number | null;
  source: 'default' | 'client' | 'request' | 'unknown';
  /** Where `maxRetries` was set (the property), when it was. */
  start?: number;
  end?: number;
}

/** One way the call can be reached, with the retry layers on it (innermost first). */
export interface RetryPath {
  layers: RetryLayer[];
  /** The call is handed to a function this file cannot show and whose name suggests it may retry. */
  unknownWrapper: boolean;
}

export interface RetryStack {
  sdk: SdkRetrySetting;
  /** Every retry layer on any path, innermost first, without duplicates. */
  layers: RetryLayer[];
  paths: RetryPath[];
  /** Some path hands the call to an opaque function that may retry. */
  unknownWrapper: boolean;
  /** The path that can send the most requests. */
  worst: RetryPath;
  /** Upper bound of requests for one call on the worst path; null when unknown or unbounded. */
  totalRequests: number | null;
  /** Upper bound of time spent waiting between those requests (ms), without retry-after waits; null when unknown. */
  worstCaseWaitMs: number | null;
}

/** Plain-data summary for the editor (CallSummary.retryStack). */
export interface RetryStackSummary {
  /** e.g. "SDK 2 retries inside a 5-attempt for loop: up to 15 requests, worst-case wait ~37.5 s". */
  text: string;
  sdkMaxRetries: number | null;
  sdkSource: SdkRetrySetting['source'];
  layers: Array<{ kind: RetryLayerKind; label: string; attempts: number | null; via: string | null; start: number; end: number }>;
  totalRequests: number | null;
  worstCaseWaitMs: number | null;
}

export interface RetryShapeOptions {
  /** Module specifier fragment of the inserted helper (default 'claudeRetry'). */
  retryHelperModule?: string;
  /** Extra function names that count as a (good) retry wrapper. */
  retryWrappers?: readonly string[];
}

/** How errors of a streaming call are handled. */
export interface StreamHandling {
  streaming: boolean;
  /**
   * 'handled': a catch, `.catch`, an 'error' listener, or every same-file caller catches;
   * 'unhandled': errors during the stream reach nobody;
   * 'unknown': the stream leaves the function (returned, passed on, stored) or is not consumed here.
   */
  status: 'handled' | 'unhandled' | 'unknown';
  /** The unprotected consumption (for-await, finalMessage(), an event listener), when unhandled. */
  consumption?: { start: number; end: number; what: string };
}

// ---------------------------------------------------------------------------------------------------------
// Facts about the SDK and the libraries
// ---------------------------------------------------------------------------------------------------------

/** The SDK's default `maxRetries`. */
export const SDK_DEFAULT_MAX_RETRIES = 2;

/** Worst-case SDK wait before retry n (0-based), without retry-after: min(0.5 · 2^n, 8) s. */
export function sdkBackoffMs(n: number): number {
  return Math.min(500 * 2 ** n, 8000);
}

/** Upper bound of the SDK's total backoff for maxRetries retries (ms). */
export function sdkTotalWaitMs(maxRetries: number): number {
  let t = 0;
  for (let n = 0; n < maxRetries; n++) t += sdkBackoffMs(n);
  return t;
}

/** Defaults of the inserted helper (RETRY_DEFAULTS in claudeRetry.ts). */
const HELPER = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60000, maxElapsedMs: 120000 };
const HELPER_EXPORTS = new Set(['withRetry', 'withStreamRetry', 'retryStream']);

const SDK_STATUS_CLASSES = new Set([
  'RateLimitError',
  'InternalServerError',
  'OverloadedError',
  'ServiceUnavailableError',
  'GatewayTimeoutError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
  'RequestTimeoutError',
  'ConflictError',
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'UnprocessableEntityError',
  'ContentTooLargeError',
  'PaymentRequiredError',
  'APIUserAbortError',
  'APIStatusError',
]);

/** Callees that take a callback but never retry it. */
const TRANSPARENT_METHODS = new Set([
  'map', 'forEach', 'filter', 'reduce', 'flatMap', 'some', 'every', 'find', 'findIndex', 'sort',
  'then', 'catch', 'finally', 'all', 'allSettled', 'race', 'any', 'from',
]);

/** Names of opaque functions that may well be retry wrappers (the call they receive is then "unknown"). */
const RETRYISH = /retr|backoff|resilien|polic|circuit|breaker|attempt|^with[A-Z_]|execute/i;

// ---------------------------------------------------------------------------------------------------------
// Small tree helpers
// ---------------------------------------------------------------------------------------------------------

type VisitorKeys = Record<string, readonly string[] | undefined>;
let visitorKeysCache: VisitorKeys | null = null;
function visitorKeys(): VisitorKeys {
  if (!visitorKeysCache) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    visitorKeysCache = (require('@typescript-eslint/visitor-keys') as { visitorKeys: VisitorKeys }).visitorKeys;
  }
  return visitorKeysCache;
}

const TYPE_KEYS = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'superTypeArguments', 'implements']);

/** Visits a subtree; return false from fn to skip a node's children. */
function visit(node: N, fn: (n: N) => boolean | void): void {
  if (fn(node) === false) return;
  const ks = visitorKeys()[node.type];
  if (!ks) return;
  for (const k of ks) {
    if (TYPE_KEYS.has(k)) continue;
    const c = node[k];
    if (!c) continue;
    if (Array.isArray(c)) {
      for (const x of c) if (x && typeof x.type === 'string') visit(x, fn);
    } else if (typeof c.type === 'string') visit(c, fn);
  }
}

/** Visits a subtree without entering nested functions (the root itself may be a function). */
function visitSameFunction(root: N, fn: (n: N) => boolean | void): void {
  visit(root, (n) => {
    if (n !== root && isFn(n)) return false;
    return fn(n);
  });
}

function isFn(n: N | null | undefined): boolean {
  return !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression');
}

function isLoop(n: N): boolean {
  return (
    n.type === 'ForStatement' ||
    n.type === 'WhileStatement' ||
    n.type === 'DoWhileStatement' ||
    n.type === 'ForOfStatement' ||
    n.type === 'ForInStatement'
  );
}

function contains(outer: N, inner: N): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** Strips type assertions, `!` and the ChainExpression of an optional chain. */
function unwrapExpr(e: N): N {
  return unwrap(e as unknown as Node, true) as unknown as N;
}

function propName(m: N): string | null {
  return memberName(m as unknown as TSESTree.MemberExpression);
}

function isIdent(n: N | null | undefined, name?: string): boolean {
  return !!n && n.type === 'Identifier' && (name === undefined || n.name === name);
}

/** `Math.random` style: object identifier + property name. */
function isMemberCall(call: N, obj: string, prop: string): boolean {
  const c = call.callee;
  return c && c.type === 'MemberExpression' && isIdent(c.object, obj) && propName(c) === prop;
}

/** The simple name of a callee: `f` for `f()`, `m` for `a.b.m()`. */
function calleeName(call: N): string | null {
  const c = unwrapExpr(call.callee);
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression') return propName(c);
  return null;
}

function keyOf(p: N): string | null {
  if (!p || !p.key) return null;
  if (p.computed) return p.key.type === 'Literal' && typeof p.key.value === 'string' ? p.key.value : null;
  if (p.key.type === 'Identifier') return p.key.name;
  if (p.key.type === 'PrivateIdentifier') return `#${p.key.name}`;
  if (p.key.type === 'Literal') return String(p.key.value);
  return null;
}

/** The name a function is known by in this file, and whether callers call it as `name()` or `x.name()`. */
function functionName(fn: N): { name: string; member: boolean } | null {
  if (fn.type === 'FunctionDeclaration' && fn.id) return { name: fn.id.name, member: false };
  const p = fn.parent;
  if (!p) return null;
  if (p.type === 'VariableDeclarator' && p.init === fn && p.id.type === 'Identifier') return { name: p.id.name, member: false };
  if (p.type === 'AssignmentExpression' && p.right === fn) {
    if (p.left.type === 'Identifier') return { name: p.left.name, member: false };
    if (p.left.type === 'MemberExpression') {
      const n = propName(p.left);
      return n ? { name: n, member: true } : null;
    }
  }
  if ((p.type === 'MethodDefinition' || p.type === 'Property' || p.type === 'PropertyDefinition') && p.value === fn) {
    const n = keyOf(p);
    return n ? { name: n, member: true } : null;
  }
  if (fn.type === 'FunctionExpression' && fn.id) return { name: fn.id.name, member: false };
  return null;
}

/** [A-Za-z0-9_$#] */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 35;
}

// ---------------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------------

type Env = Map<string, number>;

// ---------------------------------------------------------------------------------------------------------
// The analyzer (one per parsed file)
// ---------------------------------------------------------------------------------------------------------

interface TryFrame {
  /** The guarded part: the try block, or the promise whose `.catch(cb)` handles it. */
  block: N;
  /** The handler body (catch clause block, or the `.catch` callback). */
  handler: N;
  /** The catch clause or the `.catch(...)` call. */
  node: N;
}

interface PartialPath {
  layers: RetryLayer[];
  unknownWrapper: boolean;
}

const MAX_CALLER_DEPTH = 4;
const MAX_PATHS = 16;

const analyzers = new WeakMap<object, Map<string, RetryShapeAnalyzer>>();

/** The analyzer of a program (memoized per program and options). */
export function retryShapeFor(program: TSESTree.Program, text: string, options: RetryShapeOptions = {}): RetryShapeAnalyzer {
  const key = `${options.retryHelperModule ?? ''}\u0000${(options.retryWrappers ?? []).join(',')}`;
  let byKey = analyzers.get(program);
  if (!byKey) {
    byKey = new Map();
    analyzers.set(program, byKey);
  }
  let a = byKey.get(key);
  if (!a) {
    a = new RetryShapeAnalyzer(program, text, options);
    byKey.set(key, a);
  }
  return a;
}

export class RetryShapeAnalyzer {
  private readonly program: N;
  private readonly helperModule: string;
  private readonly wrappers: Set<string>;
  private readonly scopes = new ScopeResolver();
  private readonly outerMemo = new Map<N, PartialPath[]>();
  private readonly loopMemo = new Map<N, Map<N | null, RetryLayer | null>>();
  private readonly localWrapperMemo = new Map<string, RetryLayer[]>();
  private readonly namedRefsMemo = new Map<string, N[]>();
  private readonly methodsMemo = new Map<string, N[]>();
  private readonly functionFactsMemo = new Map<N, RegionFacts>();
  private imports: Map<string, { source: string; imported: string }> | null = null;
  private wordIndex: Map<string, number[]> | null = null;
  private lookups = 0;
  private visiting = new Set<N>();

  constructor(
    program: TSESTree.Program,
    private readonly text: string,
    options: RetryShapeOptions = {},
  ) {
    this.program = program as unknown as N;
    this.helperModule = options.retryHelperModule || 'claudeRetry';
    this.wrappers = new Set(options.retryWrappers ?? []);
    const first = this.program.body[0] as N | undefined;
    if (first && first.parent !== this.program) throw new Error('retryShape: parent links missing (run the engine walk first)');
  }

  private resolveName(name: string, from: N): Binding | null {
    return this.scopes.resolveName(name, from as unknown as TSESTree.Node);
  }

  // -------------------------------------------------------------------------------------------------------
  // Entry points

  /** The retry stack of an Anthropic call. */
  analyze(callNode: TSESTree.CallExpression, sdk: SdkRetrySetting): RetryStack {
    const call = callNode as unknown as N;
    this.visiting = new Set();
    const paths = this.walkUp(call, 0, null).map((p) => ({ layers: p.layers, unknownWrapper: p.unknownWrapper }));
    if (!paths.length) paths.push({ layers: [], unknownWrapper: false });
    const layers: RetryLayer[] = [];
    const seen = new Set<string>();
    for (const p of paths) {
      for (const l of p.layers) {
        const k = `${l.kind}:${l.start}:${l.end}`;
        if (!seen.has(k)) {
          seen.add(k);
          layers.push(l);
        }
      }
    }
    let worst = paths[0];
    let worstReq = requestsOf(sdk, worst);
    for (const p of paths.slice(1)) {
      const r = requestsOf(sdk, p);
      if (worstReq !== null && (r === null || r > worstReq)) {
        worst = p;
        worstReq = r;
      }
    }
    return {
      sdk,
      layers,
      paths,
      unknownWrapper: paths.some((p) => p.unknownWrapper),
      worst,
      totalRequests: worstReq,
      worstCaseWaitMs: waitOf(sdk, worst),
    };
  }

  /** How the errors of a streaming call are handled (see StreamHandling). */
  streamHandling(callNode: TSESTree.CallExpression): StreamHandling {
    return this.analyzeStream(callNode as unknown as N);
  }

  // -------------------------------------------------------------------------------------------------------
  // Walking outwards from a call

  /**
   * The retry paths for `site` (a call that leads to the API request). Walks up to the enclosing function,
   * collecting loops and recursion retries; at the function boundary continues through a wrapper call
   * (when the function is a callback) or through the function's callers in this file.
   */
  private walkUp(site: N, depth: number, stopAt: N | null): PartialPath[] {
    const local: RetryLayer[] = [];
    let unknownWrapper = false;
    let tries: TryFrame[] = [];
    let child = site;

    for (let node = site.parent; node; child = node, node = node.parent) {
      switch (node.type) {
        case 'TryStatement':
          if (node.block === child && node.handler) tries.push({ block: node.block, handler: node.handler.body, node: node.handler });
          break;
        case 'MemberExpression': {
          // promise.catch(handler)
          const call = node.parent;
          if (node.object === child && propName(node) === 'catch' && call?.type === 'CallExpression' && call.callee === node) {
            const h = call.arguments[0];
            if (isFn(h)) tries.push({ block: child, handler: h.body, node: call });
          }
          break;
        }
        case 'ForStatement':
        case 'WhileStatement':
        case 'DoWhileStatement':
        case 'ForOfStatement':
        case 'ForInStatement':
          if (child === node.body) {
            const layer = this.loopLayer(node, tries);
            if (layer) local.push(layer);
          }
          break;
        case 'FunctionDeclaration':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression': {
          const fn = node;
          const named = functionName(fn);
          const rec = named ? this.recursionLayer(fn, named, tries) : null;
          if (rec) local.push(rec);
          tries = [];
          if (fn === stopAt) return [{ layers: local, unknownWrapper }];
          const parent = fn.parent as N;
          // an immediately invoked function: keep walking
          if (parent.type === 'CallExpression' && parent.callee === fn) break;
          // a callback: the callee decides whether it is retried
          if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.arguments.includes(fn)) {
            const use = this.callbackUse(parent, parent.arguments.indexOf(fn), depth);
            if (use.layers.length) local.push(...use.layers);
            if (use.unknown) unknownWrapper = true;
            break;
          }
          if (!named) return [{ layers: local, unknownWrapper }];
          const outer = this.outerPaths(fn, named, depth);
          if (!outer.length) return [{ layers: local, unknownWrapper }];
          return outer.map((o) => ({ layers: [...local, ...o.layers.map((l) => (l.via ? l : { ...l, via: named.name }))], unknownWrapper: unknownWrapper || o.unknownWrapper }));
        }
        case 'Program':
          return [{ layers: local, unknownWrapper }];
      }
    }
    return [{ layers: local, unknownWrapper }];
  }

  /** The paths contributed by the same-file callers of a named function (memoized per function). */
  private outerPaths(fn: N, named: { name: string; member: boolean }, depth: number): PartialPath[] {
    const memo = this.outerMemo.get(fn);
    if (memo) return memo;
    if (depth >= MAX_CALLER_DEPTH || this.visiting.has(fn)) return [];
    this.visiting.add(fn);
    const out: PartialPath[] = [];
    for (const ref of this.references(named.name)) {
      if (contains(fn, ref)) continue; // recursion is handled by recursionLayer
      const p = ref.parent as N;
      if (p.type === 'CallExpression' && p.callee === ref && !named.member) {
        out.push(...this.walkUp(p, depth + 1, null));
      } else if (p.type === 'MemberExpression' && p.property === ref && named.member && !isMessagesReceiver(p.object)) {
        const call = p.parent as N;
        if (call.type === 'CallExpression' && call.callee === p) out.push(...this.walkUp(call, depth + 1, null));
      } else if ((p.type === 'CallExpression' || p.type === 'NewExpression') && p.arguments.includes(ref) && !named.member) {
        // passed by name: pRetry(ask), withRetry(ask), items.map(ask)
        const use = this.callbackUse(p, p.arguments.indexOf(ref), depth + 1);
        const above = this.walkUp(p, depth + 1, null);
        for (const a of above) out.push({ layers: [...use.layers, ...a.layers], unknownWrapper: use.unknown || a.unknownWrapper });
      }
      if (out.length >= MAX_PATHS) break;
    }
    this.visiting.delete(fn);
    this.outerMemo.set(fn, out);
    return out;
  }

  /**
   * Identifiers named `name` in the file (text search, then a descent to each hit). Strings and comments
   * never yield an Identifier, so they drop out by themselves.
   */
  private references(name: string): N[] {
    const memo = this.namedRefsMemo.get(name);
    if (memo) return memo;
    const out: N[] = [];
    const [lo, hi] = this.program.range;
    for (const i of this.occurrences(name)) {
      if (i < lo || i >= hi) continue;
      const n = this.nodeAt(i);
      if (n && (n.type === 'Identifier' || n.type === 'PrivateIdentifier') && n.range[0] === i) out.push(n);
      if (out.length > 500) break;
    }
    this.namedRefsMemo.set(name, out);
    return out;
  }

  /**
   * Offsets where `name` occurs as a whole word. The first few lookups scan with indexOf; a file that needs
   * more gets a word index built in one pass (cheaper than many scans of a large file).
   */
  private occurrences(name: string): number[] {
    const text = this.text;
    if (!this.wordIndex && this.lookups++ < 4) {
      const out: number[] = [];
      for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
        if (i > 0 && isWordChar(text.charCodeAt(i - 1))) continue;
        const after = i + name.length;
        if (after < text.length && isWordChar(text.charCodeAt(after))) continue;
        out.push(i);
      }
      return out;
    }
    if (!this.wordIndex) {
      const index = new Map<string, number[]>();
      const n = text.length;
      let i = 0;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (isWordChar(c)) {
          let j = i + 1;
          while (j < n && isWordChar(text.charCodeAt(j)) && text.charCodeAt(j) !== 35) j++;
          if (!(c >= 48 && c <= 57)) {
            const w = text.slice(i, j);
            const list = index.get(w);
            if (list) list.push(i);
            else index.set(w, [i]);
          }
          i = j;
        } else i++;
      }
      this.wordIndex = index;
    }
    return this.wordIndex.get(name) ?? [];
  }

  /** The innermost node whose range contains `offset` (descending from the program). */
  private nodeAt(offset: number): N | null {
    const keys = visitorKeys();
    let cur: N = this.program;
    for (;;) {
      const ks = keys[cur.type];
      if (!ks) return cur;
      let next: N | null = null;
      for (const k of ks) {
        if (TYPE_KEYS.has(k)) continue;
        const c = cur[k];
        if (!c) continue;
        if (Array.isArray(c)) {
          // children are in source order: binary search
          let a = 0;
          let b = c.length - 1;
          while (a <= b) {
            const mid = (a + b) >> 1;
            const x = c[mid];
            if (!x) {
              // holes in array patterns: fall back to a scan
              next = c.find((y: N | null) => y && y.range[0] <= offset && offset < y.range[1]) ?? null;
              break;
            }
            if (offset < x.range[0]) b = mid - 1;
            else if (offset >= x.range[1]) a = mid + 1;
            else {
              next = x;
              break;
            }
          }
        } else if (typeof c.type === 'string' && c.range && c.range[0] <= offset && offset < c.range[1]) {
          next = c;
        }
        if (next) break;
      }
      if (!next) return cur;
      if (!next.parent) next.parent = cur;
      cur = next;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Callbacks and wrappers

  private importsMap(): Map<string, { source: string; imported: string }> {
    if (this.imports) return this.imports;
    const m = new Map<string, { source: string; imported: string }>();
    const requireSource = (e: N | null | undefined): string | null => {
      if (!e) return null;
      let x = unwrapExpr(e);
      if (x.type === 'AwaitExpression') x = unwrapExpr(x.argument);
      if (x.type === 'MemberExpression' && propName(x) === 'default') x = unwrapExpr(x.object);
      if (x.type === 'CallExpression' && isIdent(x.callee, 'require') && x.arguments[0]?.type === 'Literal') return String(x.arguments[0].value);
      if (x.type === 'ImportExpression' && x.source.type === 'Literal') return String(x.source.value);
      return null;
    };
    const addDecl = (d: N) => {
      if (d.type !== 'VariableDeclaration') return;
      for (const v of d.declarations) {
        const src = requireSource(v.init);
        if (!src) continue;
        if (v.id.type === 'Identifier') m.set(v.id.name, { source: src, imported: 'default' });
        else if (v.id.type === 'ObjectPattern') {
          for (const p of v.id.properties) {
            if (p.type !== 'Property') continue;
            const local = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
            const k = keyOf(p);
            if (local.type === 'Identifier' && k) m.set(local.name, { source: src, imported: k });
          }
        }
      }
    };
    for (const s of this.program.body as N[]) {
      if (s.type === 'ImportDeclaration') {
        for (const sp of s.specifiers) {
          const imported = sp.type === 'ImportDefaultSpecifier' ? 'default' : sp.type === 'ImportNamespaceSpecifier' ? '*' : (sp.imported.name ?? sp.imported.value);
          m.set(sp.local.name, { source: String(s.source.value), imported });
        }
      } else if (s.type === 'VariableDeclaration') addDecl(s);
      else if (s.type === 'ExportNamedDeclaration' && s.declaration) addDecl(s.declaration);
    }
    this.imports = m;
    return m;
  }

  private isHelperImport(name: string): boolean {
    const imp = this.importsMap().get(name);
    return !!imp && imp.source.includes(this.helperModule);
  }

  /**
   * What happens to a function handed to `call` as argument `index`: a retry layer (helper, library, a
   * same-file function that loops over it), nothing (map, then, Promise...), or unknown (an opaque function
   * whose name suggests retrying).
   */
  private callbackUse(call: N, index: number, depth: number): { layers: RetryLayer[]; unknown: boolean } {
    const none = { layers: [] as RetryLayer[], unknown: false };
    const callee = unwrapExpr(call.callee);
    if (call.type === 'NewExpression') return none; // new Promise(executor) and the like
    const fnArg = call.arguments[index] as N;
    const opts = call.arguments[index + 1] as N | undefined;

    if (callee.type === 'Identifier') {
      const name = callee.name;
      const imp = this.importsMap().get(name);
      if (this.wrappers.has(name)) return { layers: [this.configuredLayer(call, callee, fnArg, name)], unknown: false };
      if (imp && imp.source.includes(this.helperModule) && index === 0) return { layers: [this.helperLayer(call, callee, fnArg, opts, name)], unknown: false };
      if (imp && index === 0) {
        const lib = this.libraryLayer(imp.source, imp.imported, call, callee, fnArg, opts, name);
        if (lib) return { layers: [lib], unknown: false };
      }
      const binding = this.resolveName(name, call);
      const g = binding ? this.functionOfBinding(binding) : null;
      if (g) return { layers: this.localWrapperLayers(g, index, name), unknown: false };
      if (TRANSPARENT_METHODS.has(name) || name === 'setTimeout' || name === 'setImmediate' || name === 'queueMicrotask') return none;
      return { layers: [], unknown: RETRYISH.test(name) };
    }
    if (callee.type === 'MemberExpression') {
      const prop = propName(callee);
      const obj = unwrapExpr(callee.object);
      if (!prop) return none;
      // helper namespace: R.withRetry(fn)
      if (obj.type === 'Identifier' && this.isHelperImport(obj.name) && HELPER_EXPORTS.has(prop) && index === 0) {
        return { layers: [this.helperLayer(call, callee, fnArg, opts, prop)], unknown: false };
      }
      if (this.wrappers.has(prop)) return { layers: [this.configuredLayer(call, callee, fnArg, prop)], unknown: false };
      if (prop === 'execute' && index === 0) {
        const policy = this.cockatielPolicy(obj);
        if (policy) return { layers: [this.cockatielLayer(call, callee, fnArg, policy)], unknown: false };
      }
      if ((prop === 'call' || prop === 'callWithOptions') && this.isAsyncCaller(obj)) {
        return { layers: [this.asyncCallerLayer(call, callee, fnArg, obj)], unknown: false };
      }
      if (TRANSPARENT_METHODS.has(prop)) return none;
      const methods = this.methods(prop);
      if (methods.length === 1) return { layers: this.localWrapperLayers(methods[0], index, prop), unknown: false };
      const objName = obj.type === 'Identifier' ? obj.name : obj.type === 'MemberExpression' ? propName(obj) ?? '' : '';
      return { layers: [], unknown: RETRYISH.test(prop) || RETRYISH.test(objName) };
    }
    return none;
  }

  private functionOfBinding(b: Binding): N | null {
    const d = b.declaration as unknown as N;
    if (b.kind === 'function' && isFn(d)) return d;
    if ((b.kind === 'const' || b.kind === 'let' || b.kind === 'var') && b.init) {
      const init = unwrapExpr(b.init as unknown as N);
      if (isFn(init)) return init;
    }
    return null;
  }

  /** Same-file class or object methods named `name`. */
  private methods(name: string): N[] {
    const memo = this.methodsMemo.get(name);
    if (memo) return memo;
    const out: N[] = [];
    for (const ref of this.references(name)) {
      const p = ref.parent as N;
      if ((p.type === 'MethodDefinition' || p.type === 'Property' || p.type === 'PropertyDefinition') && p.key === ref && isFn(p.value)) out.push(p.value);
    }
    this.methodsMemo.set(name, out);
    return out;
  }

  /** Retry layers a same-file higher-order function puts around the callback it receives as parameter `index`. */
  private localWrapperLayers(g: N, index: number, name: string): RetryLayer[] {
    const key = `${g.range[0]}:${index}`;
    const memo = this.localWrapperMemo.get(key);
    if (memo) return memo;
    this.localWrapperMemo.set(key, []); // cycle guard
    let param = g.params[index] as N | undefined;
    if (param && param.type === 'AssignmentPattern') param = param.left;
    const layers: RetryLayer[] = [];
    if (param && param.type === 'Identifier') {
      const seen = new Set<string>();
      for (const ref of this.references(param.name)) {
        if (!contains(g, ref)) continue;
        const p = ref.parent as N;
        if (p.type !== 'CallExpression' || p.callee !== ref) continue;
        for (const path of this.walkUp(p, MAX_CALLER_DEPTH, g)) {
          for (const l of path.layers) {
            const k = `${l.start}:${l.end}`;
            if (!seen.has(k)) {
              seen.add(k);
              layers.push({ ...l, via: l.via ?? name });
            }
          }
        }
      }
    }
    this.localWrapperMemo.set(key, layers);
    return layers;
  }

  // -------------------------------------------------------------------------------------------------------
  // Library and helper layers

  private baseLayer(kind: RetryLayerKind, label: string, at: N): RetryLayer {
    return {
      kind,
      label,
      start: at.range[0],
      end: at.range[1],
      via: null,
      attempts: null,
      bounded: null,
      budgetMs: null,
      statusAware: null,
      retries429: null,
      waits: null,
      grows: null,
      jittered: null,
      readsRetryAfter: null,
      waitMs: null,
    };
  }

  private wrapperInfo(call: N, fnArg: N | undefined): RetryLayer['wrapper'] {
    const fn = fnArg ? unwrapExpr(fnArg) : null;
    return {
      callStart: call.range[0],
      callEnd: call.range[1],
      fnStart: fnArg ? fnArg.range[0] : call.range[0],
      fnEnd: fnArg ? fnArg.range[1] : call.range[1],
      fnTakesNoArgs: !!fn && isFn(fn) && fn.params.length === 0,
    };
  }

  private helperLayer(call: N, callee: N, fnArg: N | undefined, opts: N | undefined, name: string): RetryLayer {
    const o = this.objectProps(opts);
    const attempts = this.num(o.get('maxAttempts')) ?? (o.has('maxAttempts') ? null : HELPER.maxAttempts);
    const base = this.num(o.get('baseDelayMs')) ?? HELPER.baseDelayMs;
    const max = this.num(o.get('maxDelayMs')) ?? HELPER.maxDelayMs;
    const budget = this.num(o.get('maxElapsedMs')) ?? HELPER.maxElapsedMs;
    const l = this.baseLayer('helper', name, callee);
    let wait: number | null = null;
    if (attempts !== null) {
      wait = 0;
      for (let k = 1; k < attempts; k++) wait += Math.min(max, base * 2 ** (k - 1));
      wait = Math.min(wait, budget);
    }
    return {
      ...l,
      attempts,
      bounded: true,
      budgetMs: budget,
      statusAware: true,
      retries429: true,
      waits: true,
      grows: true,
      jittered: true,
      readsRetryAfter: true,
      waitMs: wait,
      wrapper: this.wrapperInfo(call, fnArg),
    };
  }

  private configuredLayer(call: N, callee: N, fnArg: N | undefined, name: string): RetryLayer {
    return {
      ...this.baseLayer('configured-wrapper', name, callee),
      bounded: true,
      statusAware: true,
      retries429: true,
      waits: true,
      grows: true,
      jittered: true,
      readsRetryAfter: true,
      wrapper: this.wrapperInfo(call, fnArg),
    };
  }

  private libraryLayer(source: string, imported: string, call: N, callee: N, fnArg: N | undefined, opts: N | undefined, name: string): RetryLayer | null {
    const o = this.objectProps(opts);
    const fnFacts = fnArg ? this.factsOfCallback(fnArg) : null;
    const optFacts = opts ? this.regionFacts(opts, 1) : null;
    const readsRA = !!(fnFacts?.readsRetryAfter || optFacts?.readsRetryAfter);
    if (source === 'p-retry' && (imported === 'default' || imported === '*' || imported === 'pRetry')) {
      // defaults: retries 10, factor 2, minTimeout 1000, maxTimeout Infinity, randomize false
      const forever = this.bool(o.get('forever')) === true;
      const retries = o.has('retries') ? this.num(o.get('retries')) : 10;
      const maxRetryTime = this.num(o.get('maxRetryTime'));
      const factor = o.has('factor') ? this.num(o.get('factor')) : 2;
      const minT = o.has('minTimeout') ? this.num(o.get('minTimeout')) : 1000;
      const maxT = o.has('maxTimeout') ? this.num(o.get('maxTimeout')) : Infinity;
      const randomize = o.has('randomize') ? this.bool(o.get('randomize')) : false;
      const abort = !!fnFacts?.pRetryAbort || o.has('shouldRetry') || !!this.onFailedAttemptThrows(o.get('onFailedAttempt'));
      const bounded = forever || retries === Infinity ? maxRetryTime !== null && maxRetryTime !== Infinity : o.has('retries') && retries === null ? null : true;
      const attempts = bounded && retries !== null && retries !== Infinity && !forever ? retries + 1 : null;
      return {
        ...this.baseLayer('p-retry', name, callee),
        attempts,
        bounded,
        budgetMs: maxRetryTime !== null && maxRetryTime !== Infinity ? maxRetryTime : null,
        statusAware: abort,
        retries429: true,
        waits: minT === null ? null : minT > 0,
        grows: factor === null ? null : factor > 1,
        jittered: randomize,
        readsRetryAfter: readsRA,
        waitMs: exponentialWaitMs(attempts, minT, factor, maxT, randomize),
        wrapper: this.wrapperInfo(call, fnArg),
      };
    }
    if (source === 'async-retry' && (imported === 'default' || imported === '*')) {
      // defaults: retries 10, factor 2, minTimeout 1000, maxTimeout Infinity, randomize true
      const retries = o.has('retries') ? this.num(o.get('retries')) : 10;
      const factor = o.has('factor') ? this.num(o.get('factor')) : 2;
      const minT = o.has('minTimeout') ? this.num(o.get('minTimeout')) : 1000;
      const maxT = o.has('maxTimeout') ? this.num(o.get('maxTimeout')) : Infinity;
      const randomize = o.has('randomize') ? this.bool(o.get('randomize')) : true;
      const attempts = retries !== null && retries !== Infinity ? retries + 1 : null;
      return {
        ...this.baseLayer('async-retry', name, callee),
        attempts,
        bounded: retries === null ? null : retries !== Infinity,
        statusAware: !!fnFacts?.bailCalled,
        retries429: true,
        waits: minT === null ? null : minT > 0,
        grows: factor === null ? null : factor > 1,
        jittered: randomize,
        readsRetryAfter: readsRA,
        waitMs: exponentialWaitMs(attempts, minT, factor, maxT, randomize),
        wrapper: this.wrapperInfo(call, fnArg),
      };
    }
    if (source === 'exponential-backoff' && imported === 'backOff') {
      // defaults: numOfAttempts 10, startingDelay 100, timeMultiple 2, maxDelay Infinity, jitter 'none'
      const n = o.has('numOfAttempts') ? this.num(o.get('numOfAttempts')) : 10;
      const start = o.has('startingDelay') ? this.num(o.get('startingDelay')) : 100;
      const mult = o.has('timeMultiple') ? this.num(o.get('timeMultiple')) : 2;
      const maxD = o.has('maxDelay') ? this.num(o.get('maxDelay')) : Infinity;
      const jitter = o.has('jitter') ? this.str(o.get('jitter')) : 'none';
      const retryOpt = o.get('retry');
      return {
        ...this.baseLayer('exponential-backoff', name, callee),
        attempts: n !== null && n !== Infinity ? n : null,
        bounded: n === null ? null : n !== Infinity,
        statusAware: retryOpt ? !this.alwaysReturnsTrue(retryOpt) : false,
        retries429: true,
        waits: start === null ? null : start > 0,
        grows: mult === null ? null : mult > 1,
        jittered: jitter === null ? null : jitter === 'full',
        readsRetryAfter: readsRA,
        waitMs: n !== null && n !== Infinity && start !== null && mult !== null && maxD !== null ? sumWaits(n, (k) => Math.min(start * mult ** k, maxD)) : null,
        wrapper: this.wrapperInfo(call, fnArg),
      };
    }
    return null;
  }

  /** `policy` in `policy.execute(fn)`: the cockatiel `retry(...)` call (or old fluent chain) that made it. */
  private cockatielPolicy(obj: N, depth = 0): N | null {
    if (depth > 3) return null;
    const e = unwrapExpr(obj);
    if (e.type === 'Identifier') {
      const b = this.resolveName(e.name, e);
      if (b && b.init) return this.cockatielPolicy(b.init as unknown as N, depth + 1);
      return null;
    }
    if (e.type === 'MemberExpression' && e.object.type === 'ThisExpression') {
      const name = propName(e);
      if (!name) return null;
      for (const ref of this.references(name.replace(/^#/, '#'))) {
        const p = ref.parent as N;
        if (p.type === 'PropertyDefinition' && p.key === ref && p.value) return this.cockatielPolicy(p.value, depth + 1);
        if (p.type === 'MemberExpression' && p.property === ref && p.parent?.type === 'AssignmentExpression' && p.parent.left === p) {
          const r = this.cockatielPolicy(p.parent.right, depth + 1);
          if (r) return r;
        }
      }
      return null;
    }
    if (e.type !== 'CallExpression') return null;
    const callee = unwrapExpr(e.callee);
    if (callee.type === 'Identifier') {
      const imp = this.importsMap().get(callee.name);
      if (!imp || imp.source !== 'cockatiel') return null;
      if (imp.imported === 'retry') return e;
      if (imp.imported === 'wrap') {
        for (const a of e.arguments) {
          const r = this.cockatielPolicy(a, depth + 1);
          if (r) return r;
        }
      }
      return null;
    }
    // fluent API (cockatiel 1/2): Policy.handleAll().retry().attempts(3).exponential()
    if (callee.type === 'MemberExpression') {
      let root: N = e;
      while (root.type === 'CallExpression' && root.callee.type === 'MemberExpression') root = root.callee.object;
      if (root.type === 'Identifier') {
        const imp = this.importsMap().get(root.name);
        if (imp && imp.source === 'cockatiel') {
          if (propName(callee) === 'wrap') {
            for (const a of e.arguments) {
              const r = this.cockatielPolicy(a, depth + 1);
              if (r) return r;
            }
            return null;
          }
          const chain = this.chainNames(e);
          if (chain.includes('retry')) return e;
        }
      }
    }
    return null;
  }

  private chainNames(e: N): string[] {
    const names: string[] = [];
    let cur: N = e;
    while (cur.type === 'CallExpression' && cur.callee.type === 'MemberExpression') {
      names.push(propName(cur.callee) ?? '');
      cur = cur.callee.object;
    }
    return names;
  }

  private chainCall(e: N, name: string): N | null {
    let cur: N = e;
    while (cur.type === 'CallExpression' && cur.callee.type === 'MemberExpression') {
      if (propName(cur.callee) === name) return cur;
      cur = cur.callee.object;
    }
    return null;
  }

  private cockatielLayer(call: N, callee: N, fnArg: N | undefined, policy: N): RetryLayer {
    const l = this.baseLayer('cockatiel', 'cockatiel retry policy', callee);
    let maxAttempts: number | null | undefined;
    let handler: N | null = null;
    let backoff: N | null = null;
    let fluentBackoff: string | null = null;
    if (isIdent(unwrapExpr(policy.callee))) {
      handler = policy.arguments[0] ?? null;
      const o = this.objectProps(policy.arguments[1]);
      maxAttempts = o.has('maxAttempts') ? this.num(o.get('maxAttempts')) : undefined;
      backoff = o.get('backoff') ?? null;
    } else {
      const chain = this.chainNames(policy);
      const attemptsCall = this.chainCall(policy, 'attempts');
      maxAttempts = attemptsCall ? this.num(attemptsCall.arguments[0]) : undefined;
      fluentBackoff = chain.includes('exponential') ? 'exponential' : chain.includes('delay') ? 'constant' : null;
      handler = chain.includes('handleAll') ? null : policy;
      if (chain.includes('handleAll')) handler = { type: 'Identifier', name: 'handleAll', range: policy.range };
    }
    const handlerName = handler ? (handler.type === 'Identifier' ? handler.name : calleeName(handler) ?? '') : '';
    const statusAware = handler ? handlerName !== 'handleAll' : null;
    let waits: boolean | null = null;
    let grows: boolean | null = null;
    let jittered: boolean | null = null;
    const b = backoff ? unwrapExpr(backoff) : null;
    if (b && b.type === 'NewExpression' && b.callee.type === 'Identifier') {
      const cls = b.callee.name;
      if (cls === 'ExponentialBackoff') [waits, grows, jittered] = [true, true, true];
      else if (cls === 'ConstantBackoff') {
        const d = this.num(b.arguments[0]);
        [waits, grows, jittered] = [d === null ? null : d > 0, false, false];
      }
    } else if (fluentBackoff === 'exponential') [waits, grows, jittered] = [true, true, true];
    else if (fluentBackoff === 'constant') [waits, grows, jittered] = [true, false, false];
    const attempts = maxAttempts === undefined || maxAttempts === null || maxAttempts === Infinity ? null : maxAttempts + 1;
    return {
      ...l,
      attempts,
      bounded: maxAttempts === undefined || maxAttempts === null ? null : maxAttempts !== Infinity,
      statusAware,
      retries429: true,
      waits,
      grows,
      jittered,
      readsRetryAfter: fnArg ? this.factsOfCallback(fnArg).readsRetryAfter : false,
      wrapper: this.wrapperInfo(call, fnArg),
    };
  }

  private isAsyncCaller(obj: N, depth = 0): boolean {
    const e = unwrapExpr(obj);
    if (depth > 3) return false;
    if (e.type === 'NewExpression' && isIdent(e.callee, 'AsyncCaller')) return true;
    if (e.type === 'Identifier') {
      const b = this.resolveName(e.name, e);
      return !!(b && b.init && this.isAsyncCaller(b.init as unknown as N, depth + 1));
    }
    if (e.type === 'MemberExpression' && e.object.type === 'ThisExpression') {
      const name = propName(e);
      if (!name) return false;
      return this.references(name).some((ref) => {
        const p = ref.parent as N;
        if (p.type === 'PropertyDefinition' && p.key === ref && p.value) return this.isAsyncCaller(p.value, depth + 1);
        return p.type === 'MemberExpression' && p.property === ref && p.parent?.type === 'AssignmentExpression' && p.parent.left === p && this.isAsyncCaller(p.parent.right, depth + 1);
      });
    }
    return false;
  }

  private asyncCallerLayer(call: N, callee: N, fnArg: N | undefined, obj: N): RetryLayer {
    let ctor: N | null = null;
    const find = (e: N, d: number): void => {
      const x = unwrapExpr(e);
      if (d > 3) return;
      if (x.type === 'NewExpression') ctor = x;
      else if (x.type === 'Identifier') {
        const b = this.resolveName(x.name, x);
        if (b && b.init) find(b.init as unknown as N, d + 1);
      }
    };
    find(obj, 0);
    const o = this.objectProps(ctor ? (ctor as N).arguments[0] : undefined);
    // LangChain's AsyncCaller: p-retry with maxRetries (default 6), randomize, and an abort on 4xx statuses.
    const retries = ctor ? (o.has('maxRetries') ? this.num(o.get('maxRetries')) : 6) : null;
    const attempts = retries !== null && retries !== Infinity ? retries + 1 : null;
    return {
      ...this.baseLayer('langchain', 'AsyncCaller', callee),
      attempts,
      bounded: retries === null ? null : retries !== Infinity,
      statusAware: true,
      retries429: true,
      waits: true,
      grows: true,
      jittered: true,
      readsRetryAfter: false,
      waitMs: attempts !== null ? sumWaits(attempts, (k) => 2000 * 2 ** k) : null,
      wrapper: this.wrapperInfo(call, fnArg),
    };
  }

  private onFailedAttemptThrows(v: N | undefined): boolean {
    if (!v) return false;
    const f = this.functionOf(v);
    if (!f) return false;
    const facts = this.regionFacts(f.body, 1);
    return facts.throws && facts.statusAware;
  }

  private alwaysReturnsTrue(v: N): boolean {
    const f = this.functionOf(v);
    if (!f) return false;
    if (f.body.type !== 'BlockStatement') return f.body.type === 'Literal' && f.body.value === true;
    const stmts = f.body.body;
    return stmts.length === 1 && stmts[0].type === 'ReturnStatement' && stmts[0].argument?.type === 'Literal' && stmts[0].argument.value === true;
  }

  /** The function an expression denotes: a function literal or a same-file function by name. */
  private functionOf(v: N): N | null {
    const e = unwrapExpr(v);
    if (isFn(e)) return e;
    if (e.type === 'Identifier') {
      const b = this.resolveName(e.name, e);
      return b ? this.functionOfBinding(b) : null;
    }
    return null;
  }

  private factsOfCallback(fnArg: N): RegionFacts {
    const f = this.functionOf(fnArg);
    if (!f) return emptyFacts();
    const facts = this.functionFacts(f);
    // async-retry: retry(async (bail) => { ... bail(err) ... })
    const bail = f.params[0];
    let bailCalled = false;
    if (bail && bail.type === 'Identifier') {
      visit(f.body, (n) => {
        if (n.type === 'CallExpression' && isIdent(n.callee, bail.name)) bailCalled = true;
        return !bailCalled;
      });
    }
    return { ...facts, bailCalled };
  }

  // -------------------------------------------------------------------------------------------------------
  // Hand-written loops

  /** The retry layer a loop makes around the current site, or null when the loop is not a retry. */
  private loopLayer(loop: N, tries: TryFrame[]): RetryLayer | null {
    const inLoop = tries.filter((t) => contains(loop.body, t.node));
    const key = inLoop.length ? inLoop[0].node : null;
    let byTry = this.loopMemo.get(loop);
    if (!byTry) {
      byTry = new Map();
      this.loopMemo.set(loop, byTry);
    }
    if (byTry.has(key)) return byTry.get(key) ?? null;
    const layer = this.classifyLoop(loop, inLoop);
    byTry.set(key, layer);
    return layer;
  }

  private classifyLoop(loop: N, tries: TryFrame[]): RetryLayer | null {
    // 1. a catch around the call that can lead to another iteration
    const retrying = tries.filter((t) => !alwaysLeaves(t.handler));
    if (!retrying.length) return null;
    // 2. iteration over inputs is not a retry (unless over a literal range of attempt numbers)
    if (loop.type === 'ForInStatement') return null;
    if (loop.type === 'ForOfStatement' && !isAttemptRange(loop.right)) return null;
    // 3. agent / tool-use loops and pagination continue on success
    if (this.isAgentOrPagination(loop, retrying)) return null;
    // 4. success must leave the loop (return/break), or end it through its condition
    if (!this.successLeaves(loop, retrying)) return null;

    const handlerFacts = mergeFacts(retrying.map((t) => this.regionFacts(t.handler, 2)));
    const bodyFacts = this.regionFacts(loop.body, 2);
    const counters = this.counters(loop);
    const bound = this.loopBound(loop, counters);
    const waitsFound = bodyFacts.waits;
    const delay = this.delayFacts(loop, waitsFound, counters);
    const kw = loopKeyword(loop);
    const label = loop.type === 'ForStatement' ? 'for loop' : loop.type === 'WhileStatement' ? 'while loop' : loop.type === 'DoWhileStatement' ? 'do…while loop' : 'for…of loop';
    const layer: RetryLayer = {
      ...this.baseLayer('loop', label, kw),
      attempts: bound.attempts,
      bounded: bound.bounded,
      budgetMs: bound.budgetMs,
      statusAware: handlerFacts.statusAware || handlerFacts.classifierCall,
      retries429: handlerFacts.mentions429 || !(handlerFacts.statusAware || handlerFacts.classifierCall),
      waits: waitsFound.length > 0,
      grows: waitsFound.length ? delay.grows : false,
      jittered: waitsFound.length ? delay.jittered : false,
      readsRetryAfter: bodyFacts.readsRetryAfter,
      waitMs: null,
    };
    if (bound.attempts !== null) layer.waitMs = waitsFound.length ? delay.total(bound.attempts) : 0;
    return layer;
  }

  private isAgentOrPagination(loop: N, retrying: TryFrame[]): boolean {
    let agent = false;
    const handlers = retrying.map((t) => t.handler);
    visitSameFunction(loop.body, (n) => {
      if (handlers.includes(n)) return false;
      if (n.type === 'MemberExpression' && (propName(n) === 'stop_reason' || propName(n) === 'tool_calls')) agent = true;
      else if (n.type === 'Literal' && (n.value === 'tool_use' || n.value === 'end_turn' || n.value === 'tool_result')) agent = true;
      else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propName(n.callee) === 'push') {
        const target = n.callee.object;
        const tname = target.type === 'Identifier' ? target.name : target.type === 'MemberExpression' ? propName(target) ?? '' : '';
        if (/messages|history|conversation|turns/i.test(tname)) agent = true;
        if (n.arguments.some((a: N) => a.type === 'ObjectExpression' && a.properties.some((p: N) => keyOf(p) === 'role'))) agent = true;
      }
      return !agent;
    });
    if (agent) return true;
    const head = [loop.test, loop.update].filter(Boolean) as N[];
    let paging = false;
    for (const h of head) {
      visit(h, (n) => {
        const name = n.type === 'Identifier' ? n.name : n.type === 'MemberExpression' ? propName(n) ?? '' : '';
        if (/^(cursor|page|pageToken|nextPage|next_page|nextCursor|hasMore|has_more|hasNext|offset|after_id|last_id|next)$/i.test(name)) paging = true;
        return !paging;
      });
    }
    return paging;
  }

  private successLeaves(loop: N, retrying: TryFrame[]): boolean {
    const handlers = retrying.map((t) => t.handler);
    let leaves = false;
    // return / break (aimed at this loop) outside the catch handlers
    const walk = (n: N, nestedBreakable: boolean): void => {
      if (leaves) return;
      if (handlers.includes(n)) return;
      if (isFn(n)) return;
      if (n.type === 'ReturnStatement') leaves = true;
      if (n.type === 'BreakStatement' && (!nestedBreakable || n.label)) leaves = true;
      const nested = nestedBreakable || isLoop(n) || n.type === 'SwitchStatement';
      const ks = visitorKeys()[n.type] ?? [];
      for (const k of ks) {
        if (TYPE_KEYS.has(k)) continue;
        const c = n[k];
        if (!c) continue;
        if (Array.isArray(c)) for (const x of c) x && typeof x.type === 'string' && walk(x, nested);
        else if (typeof c.type === 'string') walk(c, nested);
      }
    };
    walk(loop.body, false);
    if (leaves) return true;
    // the loop condition reads something the guarded part assigns: while (!result) { try { result = ... } }
    if (!loop.test) return false;
    const testNames = new Set<string>();
    visit(loop.test, (n) => {
      if (n.type === 'Identifier') testNames.add(n.name);
    });
    let assigned = false;
    for (const t of retrying) {
      visitSameFunction(t.block, (n) => {
        if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && testNames.has(n.left.name)) assigned = true;
        return !assigned;
      });
    }
    return assigned;
  }

  /** Identifiers counted up or down in the loop (i++, attempt += 1, retries--). */
  private counters(loop: N): Set<string> {
    const out = new Set<string>();
    const scan = (root: N | null | undefined) => {
      if (!root) return;
      visitSameFunction(root, (n) => {
        if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier') out.add(n.argument.name);
        else if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') {
          if ((n.operator === '+=' || n.operator === '-=') && n.right.type === 'Literal') out.add(n.left.name);
          else if (n.operator === '=' && n.right.type === 'BinaryExpression' && (n.right.operator === '+' || n.right.operator === '-') && isIdent(n.right.left, n.left.name) && n.right.right.type === 'Literal') out.add(n.left.name);
        }
        // attempt numbers from a range: for (const attempt of [1, 2, 3])
      });
    };
    scan(loop.update);
    scan(loop.test);
    scan(loop.body);
    if (loop.type === 'ForOfStatement' && loop.left.type === 'VariableDeclaration') {
      const id = loop.left.declarations[0]?.id;
      if (id && id.type === 'Identifier') out.add(id.name);
    }
    return out;
  }

  /** Whether and how a retry loop is bounded. */
  private loopBound(loop: N, counters: Set<string>): { bounded: boolean; attempts: number | null; budgetMs: number | null } {
    if (loop.type === 'ForOfStatement') {
      const n = attemptRangeLength(loop.right, (e) => this.num(e));
      return { bounded: true, attempts: n, budgetMs: null };
    }
    const test = loop.test as N | null;
    if (test && !isTrueLiteral(test)) {
      const cmp = this.boundFromCondition(test, counters, loop, false);
      if (cmp) return cmp;
    }
    // caps inside the body: if (attempt >= max) throw / return / break
    let found: { bounded: boolean; attempts: number | null; budgetMs: number | null } | null = null;
    visitSameFunction(loop.body, (n) => {
      if (found) return false;
      if (n.type === 'IfStatement' && alwaysLeaves(n.consequent)) {
        const b = this.boundFromCondition(n.test, counters, loop, true);
        if (b) found = b;
      }
    });
    return found ?? { bounded: false, attempts: null, budgetMs: null };
  }

  /**
   * A comparison of a counter with a limit, or of the clock with a deadline, in a loop condition (`exit`
   * false: the loop runs while it holds) or in an exit test (`exit` true: the loop leaves when it holds).
   */
  private boundFromCondition(test: N, counters: Set<string>, loop: N, exit: boolean): { bounded: boolean; attempts: number | null; budgetMs: number | null } | null {
    const cmps: N[] = [];
    const collect = (e: N) => {
      const x = unwrapExpr(e);
      if (x.type === 'LogicalExpression' && (exit ? x.operator === '||' : x.operator === '&&')) {
        collect(x.left);
        collect(x.right);
      } else cmps.push(x);
    };
    collect(test);
    for (const c of cmps) {
      if (isTimeCheck(c)) return { bounded: true, attempts: null, budgetMs: this.budgetOf(c) };
      if (c.type === 'UpdateExpression' && c.argument.type === 'Identifier' && counters.has(c.argument.name)) {
        // while (retries--)
        const init = this.counterInit(c.argument.name, loop);
        return { bounded: true, attempts: init, budgetMs: null };
      }
      if (c.type !== 'BinaryExpression' || !['<', '<=', '>', '>=', '===', '==', '!==', '!='].includes(c.operator)) continue;
      const l = counterOf(c.left, counters);
      const r = counterOf(c.right, counters);
      if (!l && !r) continue;
      const name = (l ?? r) as string;
      // normalise to: counter OP limit
      let op: string = c.operator;
      const limitExpr: N = l ? c.right : c.left;
      if (!l) op = flip(op);
      const counterExpr = unwrapExpr(l ? c.left : c.right);
      let offset = 0;
      if (counterExpr.type === 'UpdateExpression' && counterExpr.prefix) offset = counterExpr.operator === '++' ? 1 : -1;
      if (counterExpr.type === 'BinaryExpression') {
        const k = this.num(counterExpr.right);
        if (k !== null) offset = counterExpr.operator === '+' ? k : -k;
      }
      const limit = this.num(limitExpr);
      const init = this.counterInit(name, loop);
      let attempts: number | null = null;
      if (limit !== null && init !== null) {
        let lim = limit - offset;
        if (exit) {
          // An exit test runs after a failed attempt. Counted failures so far: the counter's value when it was
          // incremented before the test (`++n >= 3`, or `n++` earlier in the body), else one more.
          const before = counterExpr.type === 'UpdateExpression' ? counterExpr.prefix : this.updatedBefore(name, loop.body, c.range[0]);
          lim = limit + (before ? 0 : -1) - (counterExpr.type === 'BinaryExpression' ? offset : 0);
        }
        const up = !exit ? op === '<' || op === '<=' || op === '!==' || op === '!=' : op === '>=' || op === '>' || op === '===' || op === '==';
        if (up) {
          if (!exit) attempts = op === '<=' ? lim - init + 1 : lim - init;
          else attempts = op === '>' ? lim - init + 1 : lim - init;
        } else {
          if (!exit) attempts = op === '>=' ? init - lim + 1 : init - lim;
          // counting down to an exit test: too many spellings to count reliably
          else attempts = null;
        }
        // an exit test checked after the failing attempt counts it: "if (++attempt >= 3) throw" → 3 attempts
        if (attempts !== null && (attempts < 1 || attempts > 1e6)) attempts = null;
      }
      return { bounded: true, attempts, budgetMs: null };
    }
    return null;
  }

  /** Whether `name` is counted (++, --, +=, -=) somewhere in `root` before `offset`. */
  private updatedBefore(name: string, root: N, offset: number): boolean {
    let hit = false;
    visitSameFunction(root, (n) => {
      if (hit || n.range[0] >= offset) return false;
      if (n.type === 'UpdateExpression' && isIdent(n.argument, name) && n.range[1] <= offset) hit = true;
      if (n.type === 'AssignmentExpression' && isIdent(n.left, name) && n.range[1] <= offset) hit = true;
      return !hit;
    });
    return hit;
  }

  private budgetOf(c: N): number | null {
    if (c.type !== 'BinaryExpression') return null;
    // Date.now() - start < 30000
    for (const side of [c.left, c.right]) {
      const v = this.num(side);
      if (v !== null) return v;
    }
    return null;
  }

  /** The value a counter starts at: `for (let i = 0; …)`, or its declaration before the loop, or a parameter default. */
  private counterInit(name: string, loop: N): number | null {
    if (loop.type === 'ForStatement' && loop.init?.type === 'VariableDeclaration') {
      for (const d of loop.init.declarations) if (isIdent(d.id, name)) return this.num(d.init);
    }
    if (loop.type === 'ForStatement' && loop.init?.type === 'AssignmentExpression' && isIdent(loop.init.left, name)) return this.num(loop.init.right);
    const b = this.resolveName(name, loop);
    if (!b) return null;
    if (b.init) return this.num(b.init as unknown as N, new Map(), true);
    return this.paramDefault(b);
  }

  private paramDefault(b: Binding): number | null {
    const p = (b.id as unknown as N).parent;
    if (p && p.type === 'AssignmentPattern' && p.left === b.id) return this.num(p.right);
    return null;
  }

  /** Growth, jitter and size of the waits of a loop. */
  private delayFacts(loop: N, waits: WaitCall[], counters: Set<string>): { grows: boolean; jittered: boolean; total: (attempts: number) => number | null } {
    let grows = false;
    let jittered = false;
    const reassigned = this.reassignedIn(loop);
    for (const w of waits) {
      const f = this.exprFacts(w.delay, counters, reassigned, 3);
      if (f.grows) grows = true;
      if (f.jitter) jittered = true;
      if (w.fn) {
        // a same-file wait function: its body decides (await backoff(attempt))
        const ff = this.functionFacts(w.fn);
        if (ff.growthOps) grows = grows || !!w.delay;
        if (ff.random) jittered = true;
      }
    }
    const exprs = waits.map((w) => w.delay);
    const counter = [...counters][0];
    const init = counter !== undefined ? this.counterInit(counter, loop) ?? 0 : 0;
    const total = (attempts: number): number | null => {
      if (exprs.some((e) => !e)) return null;
      let sum = 0;
      for (let k = 0; k < attempts - 1; k++) {
        const env: Env = new Map();
        if (counter !== undefined) env.set(counter, init + k);
        let step = 0;
        for (const e of exprs) {
          const v = this.num(e as N, env, false, reassigned);
          if (v === null || !Number.isFinite(v)) return null;
          step += Math.max(0, v);
        }
        sum += step;
      }
      return sum;
    };
    return { grows, jittered, total };
  }

  private reassignedIn(root: N): Map<string, N[]> {
    const out = new Map<string, N[]>();
    visitSameFunction(root, (n) => {
      if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') {
        const list = out.get(n.left.name) ?? [];
        list.push(n);
        out.set(n.left.name, list);
      }
    });
    return out;
  }

  /** Whether a delay expression grows with the attempt, is jittered, or reads retry-after. */
  private exprFacts(e: N | null, counters: Set<string>, reassigned: Map<string, N[]>, depth: number): { grows: boolean; jitter: boolean } {
    const out = { grows: false, jitter: false };
    if (!e || depth < 0) return out;
    visit(e, (n) => {
      if (isFn(n)) return false;
      if (n.type === 'BinaryExpression' && (n.operator === '**' || n.operator === '<<')) out.grows = true;
      if (n.type === 'CallExpression') {
        if (isMemberCall(n, 'Math', 'pow')) out.grows = true;
        if (isMemberCall(n, 'Math', 'random')) out.jitter = true;
        const name = calleeName(n) ?? '';
        if (/jitter/i.test(name)) out.jitter = true;
        if (/backoff|exponential/i.test(name)) out.grows = true;
        if (n.callee.type === 'Identifier') {
          const b = this.resolveName(n.callee.name, n);
          const g = b ? this.functionOfBinding(b) : null;
          if (g) {
            const ff = this.functionFacts(g);
            if (ff.growthOps && n.arguments.some((a: N) => this.exprFacts(a, counters, reassigned, depth - 1).grows || refersTo(a, counters))) out.grows = true;
            if (ff.growthOps && !n.arguments.length) out.grows = true;
            if (ff.random) out.jitter = true;
          }
        }
      }
      if (n.type === 'Identifier') {
        if (counters.has(n.name)) out.grows = true;
        const assigns = reassigned.get(n.name);
        if (assigns) {
          for (const a of assigns) {
            if (a.operator === '*=' || a.operator === '<<=' || a.operator === '**=' || a.operator === '+=') out.grows = true;
            else if (refersTo(a.right, new Set([n.name]))) out.grows = true;
            const f = this.exprFacts(a.right, counters, reassigned, depth - 1);
            out.grows ||= f.grows;
            out.jitter ||= f.jitter;
          }
        }
        const b = this.resolveName(n.name, n);
        if (b && b.init && (b.kind === 'const' || b.kind === 'let')) {
          const init = b.init as unknown as N;
          if (init !== e && !contains(init, e)) {
            const f = this.exprFacts(init, counters, reassigned, depth - 1);
            out.grows ||= f.grows;
            out.jitter ||= f.jitter;
          }
        }
      }
    });
    return out;
  }

  // -------------------------------------------------------------------------------------------------------
  // Recursion

  private recursionLayer(fn: N, named: { name: string; member: boolean }, tries: TryFrame[]): RetryLayer | null {
    for (const t of tries) {
      let rec: N | null = null;
      visitSameFunction(t.handler, (n) => {
        if (rec) return false;
        if (n.type !== 'CallExpression') return;
        const c = unwrapExpr(n.callee);
        if (!named.member && isIdent(c, named.name)) rec = n;
        if (named.member && c.type === 'MemberExpression' && c.object.type === 'ThisExpression' && propName(c) === named.name) rec = n;
      });
      if (!rec) continue;
      if (alwaysLeavesBefore(t.handler, rec)) continue;
      const recCall = rec as N;
      const facts = this.regionFacts(t.handler, 2);
      const fnFacts = this.regionFacts(fn.body, 2);
      // a parameter passed changed (attempt + 1, retries - 1) and compared somewhere: bounded
      const counters = new Set<string>();
      let initial: number | null = null;
      recCall.arguments.forEach((a: N, i: number) => {
        const x = unwrapExpr(a);
        const p = fn.params[i];
        const pid = p?.type === 'AssignmentPattern' ? p.left : p;
        if (!pid || pid.type !== 'Identifier') return;
        if ((x.type === 'BinaryExpression' && (x.operator === '+' || x.operator === '-') && refersTo(x, new Set([pid.name]))) || (x.type === 'UpdateExpression' && isIdent(x.argument, pid.name))) {
          counters.add(pid.name);
          if (p.type === 'AssignmentPattern') initial = this.num(p.right);
        }
      });
      let bounded = false;
      let attempts: number | null = null;
      if (counters.size) {
        // the function body, and the handler when it is a callback (`.catch((e) => …)`)
        const scanBound = (root: N) => visitSameFunction(root, (n) => {
          if (bounded) return false;
          if (n.type === 'IfStatement' || n.type === 'ConditionalExpression' || n.type === 'LogicalExpression') {
            const test = n.type === 'LogicalExpression' ? n.left : n.test;
            visit(test, (m) => {
              if (m.type === 'BinaryExpression' && (counterOf(m.left, counters) || counterOf(m.right, counters))) {
                bounded = true;
                const limit = this.num(counterOf(m.left, counters) ? m.right : m.left);
                if (limit !== null && initial !== null) attempts = Math.abs(limit - initial) + 1;
              } else if (m.type === 'UnaryExpression' && m.operator === '!' && counterOf(m.argument, counters)) {
                bounded = true;
                if (initial !== null) attempts = initial + 1;
              }
            });
          }
        });
        scanBound(fn.body);
        if (!bounded) scanBound(t.handler);
        if (!bounded) bounded = fnFacts.timeCheck;
      } else bounded = fnFacts.timeCheck;
      const delay = this.delayFacts(t.handler, facts.waits, counters);
      const layer: RetryLayer = {
        ...this.baseLayer('recursion', `recursive retry in ${named.name}()`, recCall),
        attempts: bounded ? attempts : null,
        bounded,
        statusAware: facts.statusAware || facts.classifierCall,
        retries429: facts.mentions429 || !(facts.statusAware || facts.classifierCall),
        waits: facts.waits.length > 0,
        grows: facts.waits.length ? delay.grows : false,
        jittered: facts.waits.length ? delay.jittered : false,
        readsRetryAfter: facts.readsRetryAfter || fnFacts.readsRetryAfter,
        waitMs: null,
      };
      if (attempts !== null) layer.waitMs = facts.waits.length ? delay.total(attempts) : 0;
      return layer;
    }
    return null;
  }

  // -------------------------------------------------------------------------------------------------------
  // Region facts: what a catch handler or loop body does

  private functionFacts(fn: N): RegionFacts {
    const memo = this.functionFactsMemo.get(fn);
    if (memo) return memo;
    this.functionFactsMemo.set(fn, emptyFacts());
    const f = this.regionFacts(fn.body, 1);
    this.functionFactsMemo.set(fn, f);
    return f;
  }

  /** Facts about a region, following calls of same-file functions `depth` levels deep. */
  private regionFacts(root: N, depth: number): RegionFacts {
    const f = emptyFacts();
    visit(root, (n) => {
      if (n !== root && isFn(n)) {
        // look into promise executors and inline callbacks for waits and retry-after, not further
        const p = n.parent;
        if (p && p.type === 'NewExpression' && isIdent(p.callee, 'Promise')) return true;
        return p && p.type === 'CallExpression' ? true : false;
      }
      switch (n.type) {
        case 'MemberExpression': {
          const name = propName(n);
          if (name === 'status' || name === 'statusCode' || name === 'status_code' || name === 'code') f.statusAware = true;
          if (name === 'type' && (isErrorish(n.object) || (n.object.type === 'MemberExpression' && propName(n.object) === 'error'))) f.statusAware = true;
          if (name && /^retry_?after(_?ms)?$/i.test(name)) f.readsRetryAfter = true;
          if (name === 'RateLimitError') f.mentions429 = true;
          if (name && SDK_STATUS_CLASSES.has(name) && n.parent?.type === 'BinaryExpression' && n.parent.operator === 'instanceof') f.statusAware = true;
          break;
        }
        case 'Identifier':
          if (/^retry_?after(_?ms|Ms|Seconds)?$/i.test(n.name)) f.readsRetryAfter = true;
          if (n.name === 'RateLimitError') f.mentions429 = true;
          if (SDK_STATUS_CLASSES.has(n.name) && n.parent?.type === 'BinaryExpression' && n.parent.operator === 'instanceof' && n.parent.right === n) f.statusAware = true;
          if (n.name === 'status' && n.parent?.type === 'Property' && n.parent.parent?.type === 'ObjectPattern') f.statusAware = true;
          if (depth > 0 && !f.mentions429 && /^[A-Z_0-9]+$|status|retr/i.test(n.name) && this.listHas429(n)) f.mentions429 = true;
          break;
        case 'Literal':
          if (typeof n.value === 'string') {
            if (/retry-after/i.test(n.value)) f.readsRetryAfter = true;
            if (/^(rate_limit_error|overloaded_error|api_error|invalid_request_error|authentication_error|permission_error|not_found_error)$/.test(n.value)) f.statusAware = true;
            if (n.value === 'rate_limit_error' || /rate.?limit|\b429\b/i.test(n.value)) f.mentions429 = true;
            if (/\b(429|529|5\d\d|overloaded|rate.?limit|ECONNRESET|ETIMEDOUT)\b/i.test(n.value) && isTestingMessage(n)) f.statusAware = true;
          }
          if (n.value === 429) f.mentions429 = true;
          break;
        case 'TemplateElement':
          if (/retry-after/i.test(n.value.raw)) f.readsRetryAfter = true;
          break;
        case 'ThrowStatement':
          f.throws = true;
          if (n.argument?.type === 'NewExpression' && isIdent(n.argument.callee, 'AbortError')) f.pRetryAbort = true;
          if (n.argument?.type === 'NewExpression' && n.argument.callee.type === 'MemberExpression' && propName(n.argument.callee) === 'AbortError') f.pRetryAbort = true;
          break;
        case 'AwaitExpression': {
          const w = this.waitCall(n.argument);
          if (w) f.waits.push(w);
          break;
        }
        case 'CallExpression': {
          const name = calleeName(n) ?? '';
          if (/retr[iy]able|retriable|classif|shouldRetry|isTransient|isRateLimit|isOverload|isServerError|isFinal|isFatal|isPermanent/i.test(name)) f.classifierCall = true;
          if (isMemberCall(n, 'Date', 'now') || isMemberCall(n, 'performance', 'now')) f.timeCheck = true;
          if (depth > 0 && n.callee.type === 'Identifier') {
            const b = this.resolveName(n.callee.name, n);
            const g = b ? this.functionOfBinding(b) : null;
            if (g && !contains(g, root)) {
              const gf = this.functionFacts(g);
              f.statusAware ||= gf.statusAware;
              f.readsRetryAfter ||= gf.readsRetryAfter;
              f.classifierCall ||= gf.classifierCall;
              f.mentions429 ||= gf.mentions429;
            }
          }
          break;
        }
        case 'BinaryExpression':
          if (n.operator === '**' || n.operator === '<<') f.growthOps = true;
          break;
      }
      if (n.type === 'CallExpression' && (isMemberCall(n, 'Math', 'pow'))) f.growthOps = true;
      if (n.type === 'CallExpression' && isMemberCall(n, 'Math', 'random')) f.random = true;
      return true;
    });
    return f;
  }

  /** A const list or set of statuses that includes 429: `const RETRYABLE = new Set([429, 500])`. */
  private listHas429(id: N): boolean {
    const b = this.resolveName(id.name, id);
    if (!b || b.kind !== 'const' || !b.init) return false;
    let list = unwrapExpr(b.init as unknown as N);
    if (list.type === 'NewExpression' && isIdent(list.callee, 'Set') && list.arguments[0]) list = unwrapExpr(list.arguments[0]);
    return list.type === 'ArrayExpression' && list.elements.some((e: N | null) => e && e.type === 'Literal' && e.value === 429);
  }

  /** An awaited wait: sleep(ms), delay(ms), new Promise(r => setTimeout(r, ms)), setTimeout(ms) from timers/promises. */
  private waitCall(arg: N | null | undefined): WaitCall | null {
    if (!arg) return null;
    const e = unwrapExpr(arg);
    if (e.type === 'NewExpression' && isIdent(e.callee, 'Promise') && isFn(e.arguments[0])) {
      let delay: N | null = null;
      let found = false;
      visit(e.arguments[0], (n) => {
        if (found) return false;
        if (n.type === 'CallExpression' && (isIdent(n.callee, 'setTimeout') || calleeName(n) === 'setTimeout')) {
          found = true;
          delay = n.arguments[1] ?? null;
        }
      });
      return found ? { node: e, delay, fn: null } : null;
    }
    if (e.type !== 'CallExpression') return null;
    const name = calleeName(e);
    if (!name) return null;
    if (name === 'setTimeout') return { node: e, delay: e.arguments.length === 1 || !isFn(e.arguments[0]) ? e.arguments[0] ?? null : e.arguments[1] ?? null, fn: null };
    if (/^(sleep|delay|wait|pause|backoff|snooze|timeout)/i.test(name) || /(Sleep|Delay|Wait|Backoff|Pause)$/.test(name)) {
      let fn: N | null = null;
      if (e.callee.type === 'Identifier') {
        const b = this.resolveName(e.callee.name, e);
        fn = b ? this.functionOfBinding(b) : null;
      }
      return { node: e, delay: e.arguments[0] ?? null, fn };
    }
    return null;
  }

  // -------------------------------------------------------------------------------------------------------
  // Values

  /** Properties of an options object literal (followed through a const binding). */
  private objectProps(e: N | undefined): Map<string, N> {
    const out = new Map<string, N>();
    if (!e) return out;
    let x = unwrapExpr(e);
    if (x.type === 'Identifier') {
      const b = this.resolveName(x.name, x);
      if (b && b.init) x = unwrapExpr(b.init as unknown as N);
    }
    if (x.type !== 'ObjectExpression') return out;
    for (const p of x.properties) {
      if (p.type !== 'Property') continue;
      const k = keyOf(p);
      if (k) out.set(k, p.value.type === 'AssignmentPattern' ? p.value.right : p.value);
      if (p.shorthand && k && p.value.type === 'Identifier') out.set(k, p.value);
    }
    return out;
  }

  private bool(e: N | undefined): boolean | null {
    if (!e) return null;
    const x = unwrapExpr(e);
    return x.type === 'Literal' && typeof x.value === 'boolean' ? x.value : null;
  }

  private str(e: N | undefined): string | null {
    if (!e) return null;
    const x = unwrapExpr(e);
    return x.type === 'Literal' && typeof x.value === 'string' ? x.value : null;
  }

  /**
   * A number from an expression: literals, const bindings, parameter defaults, arithmetic, Math.min/max/
   * pow/floor/ceil/round, `Math.random()` as its upper bound 1, env values for counters. In `Math.max`,
   * unknown arguments (a retry-after read) are skipped when another argument is known.
   */
  num(e: N | null | undefined, env: Env = new Map(), allowLet = false, reassigned?: Map<string, N[]>, depth = 0): number | null {
    if (!e || depth > 8) return null;
    const x = unwrapExpr(e);
    const rec = (y: N | null | undefined) => this.num(y, env, allowLet, reassigned, depth + 1);
    switch (x.type) {
      case 'Literal':
        return typeof x.value === 'number' ? x.value : null;
      case 'Identifier': {
        if (env.has(x.name)) return env.get(x.name) as number;
        if (x.name === 'Infinity') return Infinity;
        if (reassigned && reassigned.has(x.name)) return null;
        const b = this.resolveName(x.name, x);
        if (!b) return null;
        if (b.init && (b.kind === 'const' || allowLet || reassigned)) return rec(b.init as unknown as N);
        if (b.kind === 'param') return this.paramDefault(b);
        return null;
      }
      case 'UnaryExpression': {
        const v = rec(x.argument);
        if (v === null) return null;
        return x.operator === '-' ? -v : x.operator === '+' ? v : null;
      }
      case 'BinaryExpression': {
        const a = rec(x.left);
        const b = rec(x.right);
        if (a === null || b === null) return null;
        switch (x.operator) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/': return b === 0 ? null : a / b;
          case '%': return b === 0 ? null : a % b;
          case '**': return a ** b;
          case '<<': return a * 2 ** b;
          default: return null;
        }
      }
      case 'LogicalExpression': {
        const a = rec(x.left);
        return a !== null && a !== 0 ? a : rec(x.right);
      }
      case 'ConditionalExpression': {
        const a = rec(x.consequent);
        const b = rec(x.alternate);
        if (a === null) return b;
        if (b === null) return a;
        return Math.max(a, b);
      }
      case 'MemberExpression':
        if (isIdent(x.object, 'Number') && propName(x) === 'MAX_SAFE_INTEGER') return Number.MAX_SAFE_INTEGER;
        if (isIdent(x.object, 'Number') && propName(x) === 'POSITIVE_INFINITY') return Infinity;
        return null;
      case 'CallExpression': {
        const c = x.callee;
        if (c.type === 'MemberExpression' && isIdent(c.object, 'Math')) {
          const m = propName(c);
          if (m === 'random') return 1;
          const args = x.arguments.map((a: N) => rec(a));
          const known = args.filter((v: number | null): v is number => v !== null);
          switch (m) {
            case 'min':
              return known.length === args.length && known.length ? Math.min(...known) : known.length ? Math.min(...known) : null;
            case 'max':
              return known.length ? Math.max(...known) : null;
            case 'pow':
              return args[0] !== null && args[1] !== null ? (args[0] as number) ** (args[1] as number) : null;
            case 'floor':
            case 'ceil':
            case 'round':
            case 'abs':
            case 'trunc':
              return args[0] !== null ? Math[m](args[0] as number) : null;
          }
        }
        return null;
      }
    }
    return null;
  }

  // -------------------------------------------------------------------------------------------------------
  // Streams

  private analyzeStream(call: N): StreamHandling {
    const method = propName(call.callee) ?? '';
    let streaming = method === 'stream';
    if (method === 'create') {
      const req = this.objectProps(call.arguments[0]);
      streaming = this.bool(req.get('stream')) === true;
    }
    if (!streaming) return { streaming: false, status: 'unknown' };

    // where the stream object goes
    let expr: N = call;
    while (expr.parent && ['AwaitExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'ChainExpression'].includes(expr.parent.type)) expr = expr.parent;
    const consumers: Array<{ node: N; what: string }> = [];
    let handled = false;
    let escapes = false;

    const useOf = (e: N): void => {
      // e is an expression whose value is the stream
      const p = e.parent as N;
      if (!p) return;
      if (p.type === 'MemberExpression' && p.object === e) {
        const name = propName(p) ?? '';
        const c = p.parent as N;
        if (c?.type === 'CallExpression' && c.callee === p) {
          if (name === 'on' || name === 'once' || name === 'addListener') {
            const ev = c.arguments[0];
            if (ev?.type === 'Literal' && ev.value === 'error') handled = true;
            else consumers.push({ node: c, what: `.${name}(${ev?.type === 'Literal' ? `'${ev.value}'` : '…'})` });
            useOf(c); // chained: .on('text', …).on('error', …)
          } else if (name === 'finalMessage' || name === 'finalText' || name === 'done') {
            this.promiseUse(c, consumers, `.${name}()`, () => (handled = true));
          } else if (name === 'toReadableStream' || name === 'tee' || name === 'pipe') escapes = true;
          else if (name === 'withResponse' || name === 'asResponse') escapes = true;
        } else if (name === 'controller' || name === 'response' || name === 'messages' || name === 'receivedMessages') {
          // properties that do not consume
        } else if (name === 'textStream') consumersOfIterable(p);
        return;
      }
      if (p.type === 'ForOfStatement' && p.right === e) {
        consumers.push({ node: p, what: 'for await' });
        return;
      }
      if (p.type === 'VariableDeclarator' && p.init === e && p.id.type === 'Identifier') {
        for (const ref of this.references(p.id.name)) {
          if (ref === p.id || !isValueRef(ref) || !this.sameBinding(ref, p.id)) continue;
          useOf(ref);
        }
        return;
      }
      if (['AwaitExpression', 'TSAsExpression', 'TSNonNullExpression', 'ChainExpression'].includes(p.type)) return useOf(p);
      if (p.type === 'ExpressionStatement') return;
      // returned, passed on, stored, yielded
      escapes = true;
    };
    const consumersOfIterable = (e: N) => {
      const p = e.parent as N;
      if (p?.type === 'ForOfStatement' && p.right === e) consumers.push({ node: p, what: 'for await' });
      else escapes = true;
    };
    useOf(expr);
    if (handled) return { streaming, status: 'handled' };
    if (escapes) return { streaming, status: 'unknown' };
    if (!consumers.length) return { streaming, status: 'unknown' };

    for (const c of consumers) {
      if (c.what.startsWith('.on') || c.what.startsWith('.once') || c.what.startsWith('.addListener')) continue;
      const s = this.errorsCaughtAround(c.node, 0);
      if (s === 'unhandled') return { streaming, status: 'unhandled', consumption: { start: c.node.range[0], end: c.node.range[1], what: c.what } };
      if (s === 'unknown') return { streaming, status: 'unknown' };
    }
    // only event listeners (no awaited promise, no for-await, no 'error' listener): errors are unhandled rejections
    const awaited = consumers.some((c) => !/^\.(on|once|addListener)\(/.test(c.what));
    if (!awaited) {
      const c = consumers[0];
      return { streaming, status: 'unhandled', consumption: { start: c.node.range[0], end: c.node.range[1], what: c.what } };
    }
    return { streaming, status: 'handled' };
  }

  private sameBinding(ref: N, id: N): boolean {
    const b = this.resolveName(ref.name, ref);
    return !!b && (b.id as unknown as N) === id;
  }

  /** `.finalMessage()` and friends: handled by `.catch`, `.then(_, onRejected)`, or a try around the await. */
  private promiseUse(c: N, consumers: Array<{ node: N; what: string }>, what: string, onHandled: () => void): void {
    const p = c.parent as N;
    if (p?.type === 'MemberExpression' && p.object === c) {
      const m = propName(p);
      const call = p.parent as N;
      if (m === 'catch' || (m === 'then' && call?.type === 'CallExpression' && call.arguments.length > 1)) {
        onHandled();
        return;
      }
    }
    consumers.push({ node: c, what });
  }

  /**
   * Whether a rejection at `node` is caught: a try/catch around it in its function, a `.catch` on it, or
   * (when it escapes the function) every same-file caller catching.
   */
  private errorsCaughtAround(node: N, depth: number): 'handled' | 'unhandled' | 'unknown' {
    let child = node;
    for (let p = node.parent; p; child = p, p = p.parent) {
      if (p.type === 'TryStatement' && p.block === child && p.handler) return 'handled';
      if (p.type === 'MemberExpression' && p.object === child && propName(p) === 'catch') return 'handled';
      if (isFn(p)) {
        const parent = p.parent as N;
        if (parent?.type === 'CallExpression' && parent.callee === p) continue; // IIFE
        if ((parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.arguments.includes(p)) {
          const name = calleeName(parent) ?? '';
          // a callback run by a known retry/handling wrapper: the wrapper sees the rejection
          const use = this.callbackUse(parent, parent.arguments.indexOf(p), 0);
          if (use.layers.length || use.unknown) return 'handled';
          if (name === 'then' || name === 'map' || name === 'all') return this.errorsCaughtAround(parent, depth + 1);
          return depth < 3 ? this.errorsCaughtAround(parent, depth + 1) : 'unknown';
        }
        const named = functionName(p);
        if (!named || depth >= 3) return 'unhandled';
        const sites: N[] = [];
        for (const ref of this.references(named.name)) {
          if (contains(p, ref)) continue;
          const rp = ref.parent as N;
          if (rp.type === 'CallExpression' && rp.callee === ref && !named.member) sites.push(rp);
          else if (rp.type === 'MemberExpression' && rp.property === ref && named.member && rp.parent?.type === 'CallExpression' && rp.parent.callee === rp) sites.push(rp.parent);
          else if (rp.type === 'CallExpression' && rp.arguments.includes(ref)) return 'unknown';
        }
        if (!sites.length) return 'unhandled';
        for (const s of sites) {
          const r = this.errorsCaughtAround(s, depth + 1);
          if (r !== 'handled') return r;
        }
        return 'handled';
      }
    }
    return 'unhandled';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Region facts and helpers

interface WaitCall {
  node: N;
  delay: N | null;
  /** A same-file wait function (its body decides growth and jitter). */
  fn: N | null;
}

interface RegionFacts {
  statusAware: boolean;
  classifierCall: boolean;
  mentions429: boolean;
  readsRetryAfter: boolean;
  waits: WaitCall[];
  throws: boolean;
  pRetryAbort: boolean;
  timeCheck: boolean;
  growthOps: boolean;
  random: boolean;
  bailCalled?: boolean;
}

function emptyFacts(): RegionFacts {
  return { statusAware: false, classifierCall: false, mentions429: false, readsRetryAfter: false, waits: [], throws: false, pRetryAbort: false, timeCheck: false, growthOps: false, random: false };
}

function mergeFacts(list: RegionFacts[]): RegionFacts {
  const f = emptyFacts();
  for (const x of list) {
    f.statusAware ||= x.statusAware;
    f.classifierCall ||= x.classifierCall;
    f.mentions429 ||= x.mentions429;
    f.readsRetryAfter ||= x.readsRetryAfter;
    f.waits.push(...x.waits);
    f.throws ||= x.throws;
    f.timeCheck ||= x.timeCheck;
  }
  return f;
}

function isErrorish(n: N): boolean {
  const x = unwrapExpr(n);
  return x.type === 'Identifier' && /^(e|err|error|ex|exc|exception|apiError|apiErr|cause|reason|failure)$/i.test(x.name);
}

/** A string literal compared to, or searched for in, an error message. */
function isTestingMessage(lit: N): boolean {
  const p = lit.parent;
  if (!p) return false;
  if (p.type === 'CallExpression' && ['includes', 'startsWith', 'endsWith', 'match', 'test', 'indexOf'].includes(calleeName(p) ?? '')) return true;
  if (p.type === 'BinaryExpression' && ['===', '==', '!==', '!='].includes(p.operator)) return true;
  return false;
}

/** An identifier used as a value (not a property name or an object key). */
function isValueRef(id: N): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'MemberExpression' && p.property === id && !p.computed) return false;
  if ((p.type === 'Property' || p.type === 'PropertyDefinition' || p.type === 'MethodDefinition') && p.key === id && !p.computed && !p.shorthand) return false;
  return true;
}

function isMessagesReceiver(obj: N): boolean {
  const x = unwrapExpr(obj);
  return x.type === 'MemberExpression' && propName(x) === 'messages';
}

function isTrueLiteral(e: N): boolean {
  const x = unwrapExpr(e);
  return x.type === 'Literal' && (x.value === true || x.value === 1);
}

/** `Date.now() - start < budget`, `performance.now() < deadline`, `elapsed < budgetMs`, `Date.now() < deadline`. */
function isTimeCheck(c: N): boolean {
  if (c.type !== 'BinaryExpression' || !['<', '<=', '>', '>='].includes(c.operator)) return false;
  let time = false;
  visit(c, (n) => {
    if (n.type === 'CallExpression' && (isMemberCall(n, 'Date', 'now') || isMemberCall(n, 'performance', 'now'))) time = true;
    if (n.type === 'NewExpression' && isIdent(n.callee, 'Date')) time = true;
    if (n.type === 'Identifier' && /deadline|budget|elapsed|timeout|expires|until/i.test(n.name)) time = true;
    return !time;
  });
  return time;
}

function counterOf(e: N, counters: Set<string>): string | null {
  const x = unwrapExpr(e);
  if (x.type === 'Identifier' && counters.has(x.name)) return x.name;
  if (x.type === 'UpdateExpression' && x.argument.type === 'Identifier' && counters.has(x.argument.name)) return x.argument.name;
  if (x.type === 'BinaryExpression' && (x.operator === '+' || x.operator === '-') && x.left.type === 'Identifier' && counters.has(x.left.name)) return x.left.name;
  return null;
}

function refersTo(e: N | null | undefined, names: Set<string>): boolean {
  if (!e) return false;
  let hit = false;
  visit(e, (n) => {
    if (n.type === 'Identifier' && names.has(n.name)) hit = true;
    return !hit;
  });
  return hit;
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

/** `for (const attempt of [1, 2, 3])`, `Array.from({ length: n })`, `[...Array(n).keys()]`, `range(n)`. */
function isAttemptRange(e: N): boolean {
  const x = unwrapExpr(e);
  if (x.type === 'ArrayExpression') return x.elements.length > 0 && x.elements.every((el: N | null) => el && el.type === 'Literal' && typeof el.value === 'number') || (x.elements.length === 1 && x.elements[0]?.type === 'SpreadElement' && isAttemptRange(x.elements[0].argument));
  if (x.type === 'CallExpression') {
    const name = calleeName(x);
    if (isMemberCall(x, 'Array', 'from') && x.arguments[0]?.type === 'ObjectExpression') return true;
    if (name === 'keys' && x.callee.type === 'MemberExpression') {
      const o = unwrapExpr(x.callee.object);
      return (o.type === 'CallExpression' || o.type === 'NewExpression') && isIdent(o.callee, 'Array');
    }
    if (name === 'range' || name === 'times') return true;
  }
  return false;
}

function attemptRangeLength(e: N, num: (e: N) => number | null): number | null {
  const x = unwrapExpr(e);
  if (x.type === 'ArrayExpression') {
    if (x.elements.length === 1 && x.elements[0]?.type === 'SpreadElement') return attemptRangeLength(x.elements[0].argument, num);
    return x.elements.length;
  }
  if (x.type === 'CallExpression') {
    if (isMemberCall(x, 'Array', 'from')) {
      const o = x.arguments[0];
      const len = o.properties.find((p: N) => keyOf(p) === 'length');
      return len ? num(len.value) : null;
    }
    if (calleeName(x) === 'keys') return num(unwrapExpr(x.callee.object).arguments[0]);
    if (calleeName(x) === 'range' || calleeName(x) === 'times') return x.arguments.length === 1 ? num(x.arguments[0]) : null;
  }
  return null;
}

/** The keyword of a loop as a node-like range: `for`, `while`, `do`. */
function loopKeyword(loop: N): N {
  const len = loop.type === 'WhileStatement' ? 5 : loop.type === 'DoWhileStatement' ? 2 : 3;
  return { type: 'Keyword', range: [loop.range[0], loop.range[0] + len] };
}

/** How a statement can complete: normally (falls through), by `continue`, or neither (throw/return/break). */
function completion(s: N | null | undefined): { normal: boolean; cont: boolean } {
  if (!s) return { normal: true, cont: false };
  switch (s.type) {
    case 'ThrowStatement':
    case 'ReturnStatement':
    case 'BreakStatement':
      return { normal: false, cont: false };
    case 'ContinueStatement':
      return { normal: false, cont: true };
    case 'BlockStatement': {
      let cont = false;
      for (const x of s.body) {
        const c = completion(x);
        cont ||= c.cont;
        if (!c.normal) return { normal: false, cont };
      }
      return { normal: true, cont };
    }
    case 'IfStatement': {
      const a = completion(s.consequent);
      const b = completion(s.alternate);
      return { normal: a.normal || b.normal, cont: a.cont || b.cont };
    }
    case 'TryStatement': {
      const f = s.finalizer ? completion(s.finalizer) : null;
      if (f && !f.normal) return f;
      const a = completion(s.block);
      const b = s.handler ? completion(s.handler.body) : { normal: false, cont: false };
      return { normal: a.normal || b.normal, cont: a.cont || b.cont };
    }
    case 'ExpressionStatement': {
      const e = unwrapExpr(s.expression);
      return { normal: !(e.type === 'CallExpression' && isMemberCall(e, 'process', 'exit')), cont: false };
    }
    default:
      return { normal: true, cont: false };
  }
}

/** true when every path through a statement leaves the enclosing loop (throw, return, break). */
function alwaysLeaves(s: N | null | undefined): boolean {
  if (!s) return false;
  const c = completion(s);
  return !c.normal && !c.cont;
}

/** true when the handler always leaves before reaching `target` (a throw/return earlier in the same block). */
function alwaysLeavesBefore(handler: N, target: N): boolean {
  if (handler.type !== 'BlockStatement') return false;
  for (const s of handler.body) {
    if (contains(s, target)) return false;
    if (alwaysLeaves(s)) return true;
  }
  return false;
}

/**
 * Worst-case total wait of a library's exponential schedule (p-retry, async-retry: the k-th wait is
 * minTimeout·factor^k, doubled at most by `randomize`, capped at maxTimeout); null when a part is unknown.
 */
function exponentialWaitMs(attempts: number | null, minT: number | null, factor: number | null, maxT: number | null, randomize: boolean | null): number | null {
  if (attempts === null || factor === null || minT === null || maxT === null) return null;
  return sumWaits(attempts, (k) => Math.min(minT * factor ** k * (randomize ? 2 : 1), maxT));
}

function sumWaits(attempts: number, delay: (k: number) => number): number | null {
  let t = 0;
  for (let k = 0; k < attempts - 1; k++) t += delay(k);
  return Number.isFinite(t) ? t : null;
}

// ---------------------------------------------------------------------------------------------------------
// Totals and text

function requestsOf(sdk: SdkRetrySetting, path: RetryPath): number | null {
  if (sdk.maxRetries === null) return null;
  let n = sdk.maxRetries + 1;
  for (const l of path.layers) {
    if (l.attempts === null) return null;
    n *= l.attempts;
  }
  return n;
}

function waitOf(sdk: SdkRetrySetting, path: RetryPath): number | null {
  if (sdk.maxRetries === null) return null;
  let t = sdkTotalWaitMs(sdk.maxRetries);
  for (const l of path.layers) {
    if (l.attempts === null || l.waitMs === null) return null;
    t = l.attempts * t + l.waitMs;
  }
  return t;
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Math.round(s * 10) / 10} s`;
  if (s < 120) return `${Math.round(s)} s`;
  return `${Math.round(s / 6) / 10} min`;
}

function article(word: string): string {
  return /^[aeiou]|^\d*8|^11\b|^18\b/i.test(word) ? 'an' : 'a';
}

/** "a 5-attempt for loop", "pRetry (11 attempts)", "an unbounded while loop". */
export function describeLayer(l: RetryLayer): string {
  const where = l.via ? ` in ${l.via}()` : '';
  if (l.kind === 'loop' || l.kind === 'recursion') {
    if (l.kind === 'recursion') {
      return l.bounded === false ? `an unbounded ${l.label}` : l.attempts !== null ? `a ${l.attempts}-attempt ${l.label}` : l.label;
    }
    if (l.bounded === false) return `an unbounded ${l.label}${where}`;
    if (l.attempts !== null) {
      const w = `${l.attempts}-attempt`;
      return `${article(w)} ${w} ${l.label}${where}`;
    }
    return `${article(l.label)} ${l.label}${where}`;
  }
  const count = l.bounded === false ? 'no attempt cap' : l.attempts !== null ? `${l.attempts} attempts` : null;
  return `${l.label}${count ? ` (${count})` : ''}${where}`;
}

/** One line for the editor's hover, e.g. "SDK 2 retries inside a 5-attempt for loop: up to 15 requests, worst-case wait ~37.5 s". */
export function summarizeRetryStack(stack: RetryStack): string {
  const { sdk } = stack;
  const layers = stack.worst.layers;
  const sdkPart =
    sdk.maxRetries === null
      ? 'SDK retries not known statically'
      : sdk.maxRetries === 0
        ? 'SDK retries off (maxRetries: 0)'
        : `SDK ${sdk.maxRetries} ${sdk.maxRetries === 1 ? 'retry' : 'retries'}${sdk.source === 'default' ? ' (default)' : ''}`;
  const inside = layers.map(describeLayer).join(' inside ');
  let head = layers.length ? `${sdkPart} inside ${inside}` : sdk.maxRetries === 0 ? `${sdkPart}, nothing else retries this call` : sdkPart;
  if (!layers.length && stack.unknownWrapper) head = `${sdkPart}, passed to a function that may retry`;
  const unbounded = layers.some((l) => l.bounded === false);
  let tail: string;
  if (unbounded) tail = 'no cap on requests';
  else if (stack.totalRequests !== null) {
    tail = stack.totalRequests === 1 ? '1 request, transient errors fail at once' : `up to ${stack.totalRequests} requests`;
    if (stack.worstCaseWaitMs !== null && stack.totalRequests > 1) tail += `, worst-case wait ~${formatSeconds(stack.worstCaseWaitMs)}`;
  } else tail = 'request count not known statically';
  return `${head}: ${tail}`;
}

export function toRetryStackSummary(stack: RetryStack): RetryStackSummary {
  return {
    text: summarizeRetryStack(stack),
    sdkMaxRetries: stack.sdk.maxRetries,
    sdkSource: stack.sdk.source,
    layers: stack.worst.layers.map((l) => ({ kind: l.kind, label: l.label, attempts: l.attempts, via: l.via, start: l.start, end: l.end })),
    totalRequests: stack.totalRequests,
    worstCaseWaitMs: stack.worstCaseWaitMs,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Engine glue: the SDK setting of a call site, the memoized stack, and the call analyzer (hover data)

/** The SDK retries of a call: per-request `maxRetries`, else the client's, else the default 2. */
export function sdkRetriesOf(call: CallSite): SdkRetrySetting {
  const fromObject = (obj: Value, source: 'request' | 'client'): SdkRetrySetting | undefined => {
    const v = getProp(obj, 'maxRetries');
    if (v === undefined || v.kind === 'undefined') return undefined;
    if (v.kind === 'number') {
      const e = obj.kind === 'object' ? getEntry(obj, 'maxRetries') : undefined;
      return { maxRetries: v.value, source, start: e ? e.start : v.start, end: e ? e.end : v.end };
    }
    return { maxRetries: null, source: 'unknown' };
  };
  const req = fromObject(call.options, 'request');
  if (req) return req;
  const client = fromObject(call.client.options, 'client');
  if (client) return client;
  return { maxRetries: SDK_DEFAULT_MAX_RETRIES, source: 'default' };
}

const STACK_KEY = 'retryShape.stack';

/** The retry stack of the call being checked (computed once per call, shared by the rules). */
export function retryStackOf(ctx: RuleContext): RetryStack {
  const cached = ctx.call.shared.get(STACK_KEY) as RetryStack | undefined;
  if (cached) return cached;
  const stack = analyzerOf(ctx).analyze(ctx.call.node, sdkRetriesOf(ctx.call));
  ctx.call.shared.set(STACK_KEY, stack);
  return stack;
}

/** The file's analyzer, configured from the lint config. */
export function analyzerOf(ctx: FileContext): RetryShapeAnalyzer {
  return retryShapeFor(ctx.ast, ctx.sourceText, { retryHelperModule: ctx.config.retryHelperModule, retryWrappers: ctx.config.retryWrappers });
}

/** Runs before the rules: fills `call.retryStack` (the hover's retry stack) for every call. */
export const retryStackAnalyzer: CallAnalyzer = (ctx) => {
  ctx.call.retryStack = toRetryStackSummary(retryStackOf(ctx));
};
