// The path search: from an API call outwards through its function, the wrappers that receive it as a
// callback, and its callers in the same file, collecting the retry layers on each way the call is reached.

import type { RetryShapeAnalyzer } from './analyzer';
import { retryShapeFor } from './analyzer';
import { contains, functionName, isFn, isMessagesReceiver, propName, unwrapExpr } from './ast';
import { asyncCallerLayer, cockatielLayer, cockatielPolicy, configuredLayer, helperLayer, isAsyncCaller, libraryLayer } from './libraries';
import { loopLayer } from './loops';
import { hasPythonLibraryDecorator, pythonCallbackLayer, pythonDecoratorLayers, pythonLoopLayer } from './pythonLibraries';
import type { N, PartialPath, RetryLayer, RetryStack, SdkRetrySetting, TryFrame } from './model';
import { recursionLayer } from './recursion';
import { PY_HELPER_EXPORTS, retryishDecorator, retryishIterable } from './pythonFacts';
import { HELPER_EXPORTS, RETRYISH, TRANSPARENT_METHODS } from './sdkFacts';
import { requestsOf, waitOf } from './summary';

const MAX_CALLER_DEPTH = 4;
/** Exported functions whose callers in other files are being followed (a cycle guard across files). */
const crossVisiting = new Set<string>();
const MAX_PATHS = 16;

/** The retry stack of an Anthropic call. */
export function analyzeCall(cx: RetryShapeAnalyzer, call: N, sdk: SdkRetrySetting): RetryStack {
  cx.visiting = new Set();
  const paths = walkUp(cx, call, 0, null).map((p) => (p.entry ? { layers: p.layers, unknownWrapper: p.unknownWrapper, entry: p.entry } : { layers: p.layers, unknownWrapper: p.unknownWrapper }));
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

/**
 * The retry paths for `site` (a call that leads to the API request). Walks up to the enclosing function,
 * collecting loops and recursion retries; at the function boundary continues through a wrapper call
 * (when the function is a callback) or through the function's callers in this file.
 */
function walkUp(cx: RetryShapeAnalyzer, site: N, depth: number, stopAt: N | null): PartialPath[] {
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
          // `for attempt in Retrying(...)`: the library's loop
          const layer = pythonLoopLayer(cx, node) ?? loopLayer(cx, node, tries);
          if (layer) local.push(layer);
          // Python: `for attempt in Retrying(...)` / `stamina.retry_context(...)`, a library loop not modelled here
          else if (cx.python && retryishIterable(node, RETRYISH)) unknownWrapper = true;
        }
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const fn = node;
        const named = functionName(fn);
        const rec = named ? recursionLayer(cx, fn, named, tries) : null;
        if (rec) local.push(rec);
        // Python decorators: `@retry(...)`, `@backoff.on_exception(...)`, `@stamina.retry(...)`; another
        // decorator whose name says it may retry makes the path unknown
        if (fn.pyDecorators) {
          const layers = pythonDecoratorLayers(cx, fn);
          local.push(...layers);
          if (!layers.length && cx.python && !hasPythonLibraryDecorator(cx, fn) && retryishDecorator(fn, RETRYISH)) unknownWrapper = true;
        }
        tries = [];
        if (fn === stopAt) return [{ layers: local, unknownWrapper }];
        const parent = fn.parent as N;
        // an immediately invoked function: keep walking
        if (parent.type === 'CallExpression' && parent.callee === fn) break;
        // a callback: the callee decides whether it is retried
        if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.arguments.includes(fn)) {
          const use = callbackUse(cx, parent, parent.arguments.indexOf(fn), depth);
          if (use.layers.length) local.push(...use.layers);
          if (use.unknown) unknownWrapper = true;
          break;
        }
        const outer = named ? outerPaths(cx, fn, named, depth) : [];
        if (!outer.length) {
          // no caller in this file: an exported function is judged with its callers in other files
          const cross = crossFilePaths(cx, fn, depth);
          if (cross.length) return cross.map((o) => ({ layers: [...local, ...o.layers], unknownWrapper: unknownWrapper || o.unknownWrapper, entry: o.entry }));
          return [{ layers: local, unknownWrapper }];
        }
        if (!named) return [{ layers: local, unknownWrapper }];
        return outer.map((o) => ({ layers: [...local, ...o.layers.map((l) => (l.via || l.file ? l : { ...l, via: named.name }))], unknownWrapper: unknownWrapper || o.unknownWrapper, entry: o.entry }));
      }
      case 'Program':
        return [{ layers: local, unknownWrapper }];
    }
  }
  return [{ layers: local, unknownWrapper }];
}

/** The paths contributed by the same-file callers of a named function (memoized per function). */
function outerPaths(cx: RetryShapeAnalyzer, fn: N, named: { name: string; member: boolean }, depth: number): PartialPath[] {
  const memo = cx.outerMemo.get(fn);
  if (memo) return memo;
  if (depth >= MAX_CALLER_DEPTH || cx.visiting.has(fn)) return [];
  cx.visiting.add(fn);
  const out: PartialPath[] = [];
  for (const ref of cx.references(named.name)) {
    if (contains(fn, ref)) continue; // recursion is handled by recursionLayer
    const p = ref.parent as N;
    if (p.type === 'CallExpression' && p.callee === ref && !named.member) {
      out.push(...walkUp(cx, p, depth + 1, null));
    } else if (p.type === 'MemberExpression' && p.property === ref && named.member && !isMessagesReceiver(p.object)) {
      const call = p.parent as N;
      if (call.type === 'CallExpression' && call.callee === p) out.push(...walkUp(cx, call, depth + 1, null));
    } else if ((p.type === 'CallExpression' || p.type === 'NewExpression') && p.arguments.includes(ref) && !named.member) {
      // passed by name: pRetry(ask), withRetry(ask), items.map(ask)
      const use = callbackUse(cx, p, p.arguments.indexOf(ref), depth + 1);
      const above = walkUp(cx, p, depth + 1, null);
      for (const a of above) out.push({ layers: [...use.layers, ...a.layers], unknownWrapper: use.unknown || a.unknownWrapper, entry: a.entry });
    }
    if (out.length >= MAX_PATHS) break;
  }
  cx.visiting.delete(fn);
  cx.outerMemo.set(fn, out);
  return out;
}

/**
 * What happens to a function handed to `call` as argument `index`: a retry layer (helper, library, a
 * same-file function that loops over it), nothing (map, then, Promise...), or unknown (an opaque function
 * whose name suggests retrying).
 */
export function callbackUse(cx: RetryShapeAnalyzer, call: N, index: number, depth: number): { layers: RetryLayer[]; unknown: boolean } {
  const none = { layers: [] as RetryLayer[], unknown: false };
  const callee = unwrapExpr(call.callee);
  if (call.type === 'NewExpression') return none; // new Promise(executor) and the like
  const fnArg = call.arguments[index] as N;
  const opts = call.arguments[index + 1] as N | undefined;
  const py = pythonCallbackLayer(cx, call, index);
  if (py) return { layers: [py], unknown: false };

  if (callee.type === 'Identifier') {
    const name = callee.name;
    const imp = cx.importsMap().get(name);
    if (cx.wrappers.has(name)) return { layers: [configuredLayer(call, callee, fnArg, name)], unknown: false };
    if (imp && cx.isHelperModule(imp.source) && index === 0) return { layers: [helperLayer(cx, call, callee, fnArg, opts, name)], unknown: false };
    if (imp && index === 0) {
      const lib = libraryLayer(cx, imp.source, imp.imported, call, callee, fnArg, opts, name);
      if (lib) return { layers: [lib], unknown: false };
    }
    if (imp) {
      const known = projectWrapperUse(cx, call, callee, name, null, index);
      if (known) return known;
    }
    const binding = cx.resolveName(name, call);
    const g = binding ? cx.functionOfBinding(binding) : null;
    if (g) return { layers: localWrapperLayers(cx, g, index, name), unknown: false };
    if (TRANSPARENT_METHODS.has(name) || name === 'setTimeout' || name === 'setImmediate' || name === 'queueMicrotask') return none;
    return { layers: [], unknown: RETRYISH.test(name) };
  }
  if (callee.type === 'MemberExpression') {
    const prop = propName(callee);
    const obj = unwrapExpr(callee.object);
    if (!prop) return none;
    // helper namespace: R.withRetry(fn)
    if (obj.type === 'Identifier' && cx.isHelperImport(obj.name) && (HELPER_EXPORTS.has(prop) || (cx.python && PY_HELPER_EXPORTS.has(prop))) && index === 0) {
      return { layers: [helperLayer(cx, call, callee, fnArg, opts, prop)], unknown: false };
    }
    if (cx.wrappers.has(prop)) return { layers: [configuredLayer(call, callee, fnArg, prop)], unknown: false };
    if (prop === 'execute' && index === 0) {
      const policy = cockatielPolicy(cx, obj);
      if (policy) return { layers: [cockatielLayer(cx, call, callee, fnArg, policy)], unknown: false };
    }
    if ((prop === 'call' || prop === 'callWithOptions') && isAsyncCaller(cx, obj)) {
      return { layers: [asyncCallerLayer(cx, call, callee, fnArg, obj)], unknown: false };
    }
    if (TRANSPARENT_METHODS.has(prop)) return none;
    // a whole module of the project: `lib.withRetry(fn)`; in Python also `from app import retry` then `retry.with_backoff(fn)`
    if (obj.type === 'Identifier' && (cx.importsMap().get(obj.name)?.imported === '*' || (cx.python && cx.importsMap().has(obj.name)))) {
      const known = projectWrapperUse(cx, call, callee, obj.name, prop, index);
      if (known) return known;
    }
    // Python: `app.retry.with_backoff(fn)` after `import app.retry`
    const dotted = cx.python && obj.type === 'MemberExpression' ? dottedPath(obj) : null;
    if (dotted && cx.importsMap().get(dotted.split('.')[0])?.imported === '*') {
      const known = projectWrapperUse(cx, call, callee, dotted, prop, index);
      if (known) return known;
    }
    const methods = cx.methods(prop);
    if (methods.length === 1) return { layers: localWrapperLayers(cx, methods[0], index, prop), unknown: false };
    const objName = obj.type === 'Identifier' ? obj.name : obj.type === 'MemberExpression' ? propName(obj) ?? '' : '';
    return { layers: [], unknown: RETRYISH.test(prop) || RETRYISH.test(objName) };
  }
  return none;
}

/** `a.b.c` for a chain of plain names, else null. */
function dottedPath(n: N): string | null {
  const e = unwrapExpr(n);
  if (e.type === 'Identifier') return e.name;
  const prop = e.type === 'MemberExpression' && !e.computed ? propName(e) : null;
  if (!prop) return null;
  const left = dottedPath(e.object);
  return left === null ? null : `${left}.${prop}`;
}

/** Retry layers a same-file higher-order function puts around the callback it receives as parameter `index`. */
function localWrapperLayers(cx: RetryShapeAnalyzer, g: N, index: number, name: string): RetryLayer[] {
  const key = `${g.range[0]}:${index}`;
  const memo = cx.localWrapperMemo.get(key);
  if (memo) return memo;
  cx.localWrapperMemo.set(key, []); // cycle guard
  let param = g.params[index] as N | undefined;
  if (param && param.type === 'AssignmentPattern') param = param.left;
  const layers: RetryLayer[] = [];
  if (param && param.type === 'Identifier') {
    const seen = new Set<string>();
    for (const ref of cx.references(param.name)) {
      if (!contains(g, ref)) continue;
      const p = ref.parent as N;
      if (p.type !== 'CallExpression' || p.callee !== ref) continue;
      for (const path of walkUp(cx, p, MAX_CALLER_DEPTH, g)) {
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
  cx.localWrapperMemo.set(key, layers);
  return layers;
}

/**
 * A function imported from another file of the project that receives the callback: the layer its retry
 * puts around it (a project wrapper), or nothing when the index knows it is no retry wrapper. Null: unknown.
 */
function projectWrapperUse(cx: RetryShapeAnalyzer, call: N, callee: N, local: string, member: string | null, index: number): { layers: RetryLayer[]; unknown: boolean } | null {
  const link = cx.project;
  if (!link) return null;
  const found = link.index.importedEntity(link.file, local, member);
  if (!found) return null;
  const e = found.entity;
  if (e.kind !== 'wrapper') return { layers: [], unknown: false };
  if (e.wrapper.fnParam !== index) return { layers: [], unknown: false };
  const w = e.wrapper;
  const fnArg = call.arguments[index] as N;
  const name = member ?? local;
  const layer: RetryLayer = {
    kind: 'project-wrapper',
    label: name,
    start: callee.range[0],
    end: callee.range[1],
    via: null,
    attempts: w.attempts,
    bounded: w.bounded,
    budgetMs: w.budgetMs,
    statusAware: w.statusAware,
    retries429: w.retries429,
    waits: w.waits,
    grows: w.grows,
    jittered: w.jittered,
    readsRetryAfter: w.readsRetryAfter,
    waitMs: w.waitMs,
    ...(w.misses ? { misses: w.misses } : {}),
    definedAt: w.at,
    where: link.index.describe(link.file, w.at),
    wrapper: {
      callStart: call.range[0],
      callEnd: call.range[1],
      fnStart: fnArg.range[0],
      fnEnd: fnArg.range[1],
      fnTakesNoArgs: isFn(fnArg) && fnArg.params.length === 0,
    },
  };
  return { layers: [layer], unknown: false };
}

/**
 * The paths through the callers in other files of an exported function that reaches the API: for each
 * call, the retry layers around it there (and, through that file's own callers, further out).
 */
function crossFilePaths(cx: RetryShapeAnalyzer, fn: N, depth: number): PartialPath[] {
  const link = cx.project;
  if (!link || depth >= MAX_CALLER_DEPTH) return [];
  const name = link.index.exportNameAt(link.file, fn.range[0], fn.range[1]);
  if (!name) return [];
  const key = `${link.file}#${name}`;
  if (crossVisiting.has(key)) return [];
  const callers = link.index.callersOf(link.file, name);
  if (!callers.length) return [];
  crossVisiting.add(key);
  const out: PartialPath[] = [];
  try {
    for (const c of callers.slice(0, MAX_PATHS)) {
      const other = link.index.sourceFile(c.file);
      const site = other ? other.callAt(c.call.start, c.call.end) : null;
      if (!other || !site) {
        out.push({ layers: [], unknownWrapper: true }); // a caller that cannot be read: assume nothing
        continue;
      }
      const ocx = retryShapeFor(other.ast, other.text, { ...cx.options, project: { index: link.index, file: c.file }, language: other.language === 'python' ? 'python' : cx.options.language });
      const where = `${name}() called in ${link.index.describe(link.file, { file: c.file, start: c.call.start })}`;
      for (const p of walkUp(ocx, site as unknown as N, depth + 1, null)) {
        const layers = p.layers.map((l) => (l.file ? l : { ...l, file: c.file, where: link.index.describe(link.file, { file: c.file, start: l.start }) }));
        out.push({ layers, unknownWrapper: p.unknownWrapper, entry: p.entry ? `${where}, from ${p.entry}` : where });
      }
    }
  } finally {
    crossVisiting.delete(key);
  }
  return out;
}
