// Fan-outs: places that start one Messages API call per element of a collection, all at once. Found from the
// calls outwards: from a call site, up through its expression, the callbacks it sits in and the same-file
// functions that reach it, to
//   - a mapped collection awaited together: `Promise.all(xs.map(cb))` (also allSettled/any/race, via a
//     variable, `Array.from(xs, cb)`), `asyncio.gather(*[f(x) for x in xs])` (comprehensions are lowered to
//     `xs.map(...)`), `asyncio.wait`; `pMap(xs, cb)` without a `concurrency` option;
//   - `xs.forEach(cb)`, which starts every callback without waiting for the promise any of them returns;
//   - a loop pushing the promises into an array awaited together later (`ps.push(f(x))` … `Promise.all(ps)`,
//     `tasks.append(...)` … `asyncio.gather(*tasks)`);
//   - a loop starting a task in a task group (`tg.create_task(f(x))` in `async with asyncio.TaskGroup() as tg`,
//     anyio's `tg.start_soon(f, x)`).
// The way up stops, and nothing is reported, at a limiter (p-limit `limit(() => …)`, p-queue `queue.add`,
// Bottleneck `schedule`/`wrap`, an `async with sem:` or `await sem.acquire()` before the call, a name that says
// it limits), at a callback handed to an unknown function (it may limit), at an `await` that makes the elements
// run one after another, and when the collection is small and fixed or a batch (a loop variable over chunks, a
// slice).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileContext, Node } from './ruleContext';
import { getProp, unwrap } from './requestModel';
import { analyzerOf } from './retry';
import { HELPER_EXPORTS } from './retry/sdkFacts';
import { propName } from './scan';
import { isFunction } from './scope';
import { calleeName, climb, dottedName, referencesTo } from './bindingRefs';

/** A fixed literal collection of at most this many elements is a small set, not a fan-out. */
export const MAX_FIXED_FAN_OUT = 10;

export interface FanOut {
  /** Where the requests are started together: the gather / pMap call, or the task group's `create_task`. */
  site: TSESTree.CallExpression;
  /** The collection iterated (for the message). */
  collection: Node;
  /** The expression of one element that starts the request (what a limiter fix wraps). */
  starter: Node;
  /**
   * How the elements are started together: 'gather' (Promise.all, asyncio.gather…), 'pmap', 'taskgroup', or
   * 'foreach' (`xs.forEach(cb)` starts every callback without waiting for any).
   */
  how: 'gather' | 'pmap' | 'taskgroup' | 'foreach';
}

const GATHERS = new Set(['Promise.all', 'Promise.allSettled', 'Promise.any', 'Promise.race', 'asyncio.gather', 'asyncio.wait', 'asyncio.as_completed']);
const PUSH = new Set(['push', 'append', 'unshift', 'add']);
const TASK_SPAWN = new Set(['create_task', 'start_soon']);
const TASK_GROUPS = /^(TaskGroup|create_task_group|open_nursery)$/;
const LIMITER_CTORS = /^(pLimit|plimit|limit|PQueue|Queue|Bottleneck|Semaphore|BoundedSemaphore|CapacityLimiter|Sema|Mutex|RateLimit|RateLimiter|AsyncLimiter|Limiter|pThrottle|throttle)$/;
const LIMITER_MODULES = /^(p-limit|p-queue|bottleneck|p-throttle|async-sema|async-mutex|limiter|aiolimiter|asyncio-throttle)$/;
const LIMITER_METHODS = new Set(['add', 'addAll', 'schedule', 'wrap', 'submit', 'acquire', 'run', 'enqueue']);
const TRANSPARENT_CALLBACKS = new Set(['then', 'catch', 'finally']);
const RETRY_NAMES = /retr|backoff/i;
/** Calls whose argument is started as is: the request is still made per element. */
const PASS_THROUGH = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.wait_for', 'asyncio.shield', 'Promise.resolve']);

/** A name that says it limits concurrency (`sem`, `limiter`, `queue`, `rateLimit`, `self._semaphore`). */
export function limiterName(name: string): boolean {
  const n = name.replace(/^_+/, '');
  return (
    /(^|_)(sem|sema|semaphore|limit|limiter|limited|throttle|throttler|throttled|bottleneck|queue|gate|slots)(_|$)/i.test(n) ||
    /(Semaphore|Sem|Limiter|Limit|Throttle|Throttler|Queue|Gate|Bottleneck)$/.test(n) ||
    /^(sem|semaphore|limit|limiter|limited|throttle|throttled|queue|gate)[A-Z]/.test(n)
  );
}

/** The last name of a callee (`Semaphore` for `asyncio.Semaphore`, `pLimit`). */
function lastName(e: Node): string | null {
  const c = unwrap(e, true);
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression') return propName(c);
  return null;
}

export class FanOutFinder {
  private readonly found = new Map<Node, FanOut>();
  private readonly visiting = new Set<Node>();

  constructor(private readonly ctx: FileContext) {}

  /** Every fan-out reached from the file's call sites, one per site, in source order. */
  all(): FanOut[] {
    for (const call of this.ctx.calls) this.fromStart(call.node, 0);
    return [...this.found.values()].sort((a, b) => a.site.range[0] - b.site.range[0]);
  }

  /** Climbs from an expression that starts a request when evaluated. */
  private fromStart(start: Node, depth: number): void {
    if (depth > 3) return;
    let sawAwait = false;
    let child: Node = start;
    for (let p = start.parent as Node | undefined; p; child = p, p = p.parent as Node | undefined) {
      switch (p.type) {
        case 'AwaitExpression':
          sawAwait = true;
          continue;
        case 'BlockStatement':
        case 'Program':
        case 'StaticBlock':
          if (this.limitedBefore(p.body as Node[], child)) return;
          continue;
        case 'ArrayExpression':
          // `Promise.all([a(), b()])`, `asyncio.gather(a(), b())`: a fixed set of calls
          if (this.isGather(p.parent as Node | undefined)) return;
          continue;
        case 'CallExpression':
        case 'NewExpression': {
          if (p.type === 'NewExpression' || p.callee === child) continue;
          if (this.isLimiterCall(p)) return;
          if (this.isGather(p)) return; // a request passed as is: one of a fixed set
          const name = calleeName(p);
          const dotted = dottedName(p.callee as Node);
          if (dotted && PASS_THROUGH.has(dotted)) continue;
          if (name && PUSH.has(name) && p.callee.type === 'MemberExpression') return sawAwait ? undefined : this.pushLoop(p, start);
          if (name && TASK_SPAWN.has(name) && p.callee.type === 'MemberExpression') return sawAwait ? undefined : this.taskGroup(p, start);
          continue;
        }
        case 'FunctionDeclaration':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
          if (sawAwait && !p.async) return; // `[await f(x) for x in xs]`: one after another
          return this.viaFunction(p, depth, start);
        default:
          continue;
      }
    }
  }

  /** A function that starts a request: its uses in this file (calls, callbacks by name, methods of the class). */
  private viaFunction(fn: Node, depth: number, starter: Node): void {
    if (this.visiting.has(fn)) return;
    const parent = fn.parent as Node | undefined;
    if (!parent) return;
    if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
      if (parent.type === 'CallExpression') this.viaCallback(parent, fn, starter, depth);
      return;
    }
    this.visiting.add(fn);
    try {
      for (const use of this.usesOf(fn)) {
        const { node, parent: up } = climb(use);
        if (!up || up.type !== 'CallExpression') continue;
        if (up.callee === node) this.fromStart(up, depth + 1);
        else if (up.arguments.includes(node as TSESTree.CallExpressionArgument)) this.viaCallback(up, node, node, depth + 1);
      }
    } finally {
      this.visiting.delete(fn);
    }
  }

  /** The expressions that name a function: `f` for a declared or const-bound function, `this.m` / `self.m` for a method. */
  private usesOf(fn: Node): Node[] {
    const p = fn.parent as Node | undefined;
    if (fn.type === 'FunctionDeclaration' && fn.id) {
      const b = this.ctx.resolve(fn.id);
      return b ? referencesTo(this.ctx, b) : [];
    }
    if (p && p.type === 'VariableDeclarator' && p.init === fn && p.id.type === 'Identifier') {
      const b = this.ctx.resolve(p.id);
      return b ? referencesTo(this.ctx, b) : [];
    }
    if (p && p.type === 'MethodDefinition' && p.value === fn && !p.computed && p.key.type === 'Identifier') {
      const cls = p.parent as Node;
      const out: Node[] = [];
      for (const id of analyzerOf(this.ctx).references(p.key.name) as unknown as Node[]) {
        const m = id.parent as Node | undefined;
        if (!m || m.type !== 'MemberExpression' || m.property !== id || m.object.type !== 'ThisExpression') continue;
        if (m.range[0] < cls.range[0] || m.range[1] > cls.range[1]) continue;
        out.push(m);
      }
      return out;
    }
    return [];
  }

  /** A function (or a function's name) handed to call `p`, starting a request when it runs. */
  private viaCallback(p: TSESTree.CallExpression, cb: Node, starter: Node, depth: number): void {
    const name = calleeName(p);
    const dotted = dottedName(p.callee as Node);
    const args = p.arguments as Node[];
    if ((name === 'map' || name === 'flatMap') && p.callee.type === 'MemberExpression' && args[0] === cb) {
      return this.mapped(p, p.callee.object as Node, starter);
    }
    if (dotted === 'Array.from' && args[1] === cb) return this.mapped(p, args[0], starter);
    if (name === 'forEach' && p.callee.type === 'MemberExpression' && args[0] === cb) {
      // forEach never waits for what its callback returns: every element's request leaves at once
      const collection = p.callee.object as Node;
      if (!this.smallOrBatched(collection, 0)) this.add({ site: p, collection, starter, how: 'foreach' });
      return;
    }
    if (name && /^p_?map$/i.test(name) && args[1] === cb) return this.pMap(p, args[0], starter);
    if (name && TASK_SPAWN.has(name) && p.callee.type === 'MemberExpression' && args[0] === cb) return this.taskGroup(p, starter);
    if (this.isLimiterCall(p)) return;
    const retryish = !!name && (RETRY_NAMES.test(name) || HELPER_EXPORTS.has(name) || this.ctx.config.retryWrappers.includes(name));
    if ((name && TRANSPARENT_CALLBACKS.has(name)) || retryish) return this.fromStart(p, depth);
    // any other function receiving the callback may limit it: unknown, silent
  }

  private mapped(mapCall: TSESTree.CallExpression, collection: Node, starter: Node): void {
    // `xs.filter(…).map(…)` (and a comprehension's `if`): the collection is xs
    for (let c = unwrap(collection, true); c.type === 'CallExpression' && c.callee.type === 'MemberExpression' && propName(c.callee) === 'filter'; c = unwrap(collection, true)) {
      collection = c.callee.object as Node;
    }
    if (this.smallOrBatched(collection, 0)) return;
    const site = this.gatherOf(mapCall);
    if (site) this.add({ site, collection, starter, how: 'gather' });
  }

  private pMap(call: TSESTree.CallExpression, collection: Node, starter: Node): void {
    const opts = call.arguments[2] as Node | undefined;
    if (opts) {
      const c = getProp(this.ctx.valueOf(opts), 'concurrency');
      if (c === undefined) {
        // no concurrency option: p-map's default is Infinity
      } else if (!(c.kind === 'number' && c.value === Infinity) && !(c.node && c.node.type === 'Identifier' && c.node.name === 'Infinity')) return;
    }
    if (this.smallOrBatched(collection, 0)) return;
    this.add({ site: call, collection, starter, how: 'pmap' });
  }

  /** `ps.push(start)` in a loop, `ps` awaited together after it. */
  private pushLoop(push: TSESTree.CallExpression, starter: Node): void {
    const arr = unwrap((push.callee as TSESTree.MemberExpression).object as Node, true);
    if (arr.type !== 'Identifier') return;
    const loop = this.loopAround(push);
    if (!loop) return;
    const b = this.ctx.resolve(arr);
    if (!b || (b.id.range[0] >= loop.node.range[0] && b.id.range[1] <= loop.node.range[1])) return;
    if (this.smallOrBatched(loop.collection, 0)) return;
    for (const ref of referencesTo(this.ctx, b)) {
      if (ref.range[0] < loop.node.range[1]) continue;
      const site = this.gatherOf(ref);
      if (site) return this.add({ site, collection: loop.collection, starter, how: 'gather' });
    }
  }

  /** `tg.create_task(start)` / `tg.start_soon(f, x)` in a loop, `tg` a task group. */
  private taskGroup(spawn: TSESTree.CallExpression, starter: Node): void {
    const recv = unwrap((spawn.callee as TSESTree.MemberExpression).object as Node, true);
    if (recv.type !== 'Identifier') return;
    const b = this.ctx.resolve(recv);
    const init = b?.init ? unwrap(b.init as Node, true) : null;
    const made = init && (init.type === 'CallExpression' || init.type === 'NewExpression') ? lastName(init.callee as Node) : null;
    if (!made || !TASK_GROUPS.test(made)) return;
    const loop = this.loopAround(spawn);
    if (!loop || this.smallOrBatched(loop.collection, 0)) return;
    this.add({ site: spawn, collection: loop.collection, starter, how: 'taskgroup' });
  }

  /** The innermost loop around a node in the same function, and what it iterates. */
  private loopAround(n: Node): { node: Node; collection: Node } | null {
    for (let p = n.parent as Node | undefined; p && !isFunction(p); p = p.parent as Node | undefined) {
      if (p.type === 'ForOfStatement' || p.type === 'ForInStatement') return { node: p, collection: p.right as Node };
      if (p.type === 'ForStatement') {
        // `for (let i = 0; i < N; i++)`: a literal bound ≤ MAX is small
        const t = p.test;
        if (t && t.type === 'BinaryExpression' && (t.operator === '<' || t.operator === '<=') && t.right.type === 'Literal' && typeof t.right.value === 'number') {
          const n2 = t.operator === '<' ? t.right.value : t.right.value + 1;
          if (n2 <= MAX_FIXED_FAN_OUT) return null;
        }
        return { node: p, collection: (p.test ?? p) as Node };
      }
      if (p.type === 'WhileStatement' || p.type === 'DoWhileStatement') return null; // unknown count
    }
    return null;
  }

  /** The gather call an expression (a mapped array, or an array variable) reaches, directly or through a const. */
  private gatherOf(e: Node): TSESTree.CallExpression | null {
    let { node, parent } = climb(e);
    if (parent && parent.type === 'SpreadElement') ({ node, parent } = climb(parent));
    if (parent && parent.type === 'CallExpression' && parent.arguments.includes(node as TSESTree.CallExpressionArgument) && this.isGather(parent)) return parent as TSESTree.CallExpression;
    if (parent && parent.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier') {
      const b = this.ctx.resolve(parent.id);
      if (!b) return null;
      for (const ref of referencesTo(this.ctx, b)) {
        let { node: n2, parent: p2 } = climb(ref);
        if (p2 && p2.type === 'SpreadElement') ({ node: n2, parent: p2 } = climb(p2));
        if (p2 && p2.type === 'CallExpression' && p2.arguments.includes(n2 as TSESTree.CallExpressionArgument) && this.isGather(p2)) return p2 as TSESTree.CallExpression;
      }
    }
    return null;
  }

  private isGather(n: Node | undefined): boolean {
    if (!n || n.type !== 'CallExpression') return false;
    const d = dottedName(n.callee as Node);
    if (!d) return false;
    if (GATHERS.has(d)) return true;
    // `from asyncio import gather`
    if (n.callee.type !== 'Identifier' || !GATHERS.has(`asyncio.${d}`)) return false;
    const b = this.ctx.resolve(n.callee);
    const decl = b && b.kind === 'import' ? (b.declaration.parent as Node | undefined) : undefined;
    return !!decl && decl.type === 'ImportDeclaration' && decl.source.value === 'asyncio';
  }

  /** A small fixed collection (a literal of ≤ MAX elements, `range(3)`), or a batch of a larger one. */
  private smallOrBatched(c: Node, depth: number): boolean {
    if (depth > 4) return false;
    const e = unwrap(c, true);
    const v = this.ctx.valueOf(e);
    if (v.kind === 'array' && !v.elements.some((x) => x.kind === 'unknown' && x.spread)) return v.elements.length <= MAX_FIXED_FAN_OUT;
    if (e.type === 'CallExpression') {
      const name = calleeName(e);
      const args = e.arguments as Node[];
      if (e.callee.type === 'Identifier' && name === 'range' && args.length >= 1 && args.length <= 2) {
        const nums = args.map((a) => this.ctx.valueOf(a));
        if (nums.every((x) => x.kind === 'number')) {
          const [a, b] = nums.length === 1 ? [0, (nums[0] as { value: number }).value] : nums.map((x) => (x as { value: number }).value);
          return b - a <= MAX_FIXED_FAN_OUT;
        }
        return false;
      }
      if (name === 'slice' && e.callee.type === 'MemberExpression') return true; // a batch
      if (dottedName(e.callee as Node) === 'Array.from' && args[0]) {
        const len = getProp(this.ctx.valueOf(args[0]), 'length');
        if (len && len.kind === 'number') return len.value <= MAX_FIXED_FAN_OUT;
        return this.smallOrBatched(args[0], depth + 1);
      }
      const d = dottedName(e.callee as Node);
      if ((d === 'Object.keys' || d === 'Object.values' || d === 'Object.entries') && args[0]) {
        const o = this.ctx.valueOf(args[0]);
        return o.kind === 'object' && o.complete && o.props.length <= MAX_FIXED_FAN_OUT;
      }
      return false;
    }
    // `xs[i:i + 5]`: a slice (a computed member whose key is not a single value)
    if (e.type === 'MemberExpression' && e.computed && e.property.type === 'SequenceExpression') return true;
    if (e.type === 'Identifier') {
      const b = this.ctx.resolve(e);
      if (!b) return false;
      // the variable of an enclosing loop: each element of that (sequential) loop is a batch
      const d = b.declaration as Node;
      if (d.type === 'ForOfStatement' || d.type === 'ForInStatement') return true;
      if (d.type === 'VariableDeclarator' && d.parent?.parent && (d.parent.parent.type === 'ForOfStatement' || d.parent.parent.type === 'ForInStatement') && (d.parent.parent as TSESTree.ForOfStatement).left === d.parent) return true;
      if (b.kind === 'const' && b.init) return this.smallOrBatched(b.init as Node, depth + 1);
    }
    return false;
  }

  /** A limiter call around a request: `limit(() => …)`, `queue.add(…)`, `limiter.schedule(…)`, `sem.acquire()`. */
  private isLimiterCall(call: TSESTree.CallExpression): boolean {
    const c = unwrap(call.callee as Node, true);
    if (c.type === 'Identifier') return this.isLimiterRef(c);
    if (c.type === 'MemberExpression') {
      const m = propName(c);
      return !!m && LIMITER_METHODS.has(m) && this.isLimiterRef(c.object as Node);
    }
    return false;
  }

  /** An expression that is a limiter: made by a limiter constructor or library, or named like one. */
  private isLimiterRef(e: Node): boolean {
    const x = unwrap(e, true);
    if (x.type === 'MemberExpression') {
      const m = propName(x);
      return !!m && limiterName(m);
    }
    if (x.type !== 'Identifier') return false;
    if (limiterName(x.name)) return true;
    const b = this.ctx.resolve(x);
    if (!b) return false;
    if (b.kind === 'import') return this.fromLimiterModule(b.declaration as Node);
    let init = b.init ? unwrap(b.init as Node, true) : null;
    if (init && init.type === 'AwaitExpression') init = unwrap(init.argument as Node, true);
    if (init && (init.type === 'CallExpression' || init.type === 'NewExpression')) {
      const ctor = lastName(init.callee as Node);
      if (ctor && LIMITER_CTORS.test(ctor)) return true;
      const root = unwrap(init.callee as Node, true);
      if (root.type === 'Identifier') {
        const rb = this.ctx.resolve(root);
        if (rb && rb.kind === 'import' && this.fromLimiterModule(rb.declaration as Node)) return true;
      }
    }
    return false;
  }

  private fromLimiterModule(spec: Node): boolean {
    const decl = spec.parent as Node | undefined;
    return !!decl && decl.type === 'ImportDeclaration' && typeof decl.source.value === 'string' && LIMITER_MODULES.test(decl.source.value);
  }

  /** Whether a statement before `child` in a block holds a limiter: `async with sem:`, `await sem.acquire()`. */
  private limitedBefore(body: Node[], child: Node): boolean {
    for (const s of body) {
      if (s === child || s.range[0] >= child.range[0]) return false;
      let e: Node | null = null;
      if (s.type === 'ExpressionStatement') e = s.expression as Node;
      else if (s.type === 'VariableDeclaration' && s.declarations.length === 1) e = (s.declarations[0].init as Node | null) ?? null;
      if (!e) continue;
      let x = unwrap(e, true);
      if (x.type === 'AwaitExpression') x = unwrap(x.argument as Node, true);
      if (x.type === 'CallExpression') {
        if (x.callee.type === 'MemberExpression' && propName(x.callee) === 'acquire') return true;
        if (this.isLimiterCall(x)) return true;
        const ctor = lastName(x.callee as Node);
        if (ctor && /Semaphore|Limiter/.test(ctor)) return true;
      } else if (x.type === 'NewExpression') {
        const ctor = lastName(x.callee as Node);
        if (ctor && /Semaphore|Limiter/.test(ctor)) return true;
      } else if (this.isLimiterRef(x)) return true;
    }
    return false;
  }

  private add(f: FanOut): void {
    if (!this.found.has(f.site)) this.found.set(f.site, f);
  }
}
