// Hand-written retry loops: which loops retry (a catch around the call that can lead to another iteration,
// success leaves) and which do not (agent and tool-use loops, iteration over inputs, pagination), and how a
// retry loop is bounded.

import type { RetryShapeAnalyzer } from './analyzer';
import { childKeys } from '../scan';
import { alwaysLeaves, calleeName, contains, isFn, isIdent, isLoop, isMemberCall, isTrueLiteral, keyOf, unwrapExpr, visit, visitSameFunction } from './ast';
import { delayFacts } from './delays';
import type { N, RetryLayer, TryFrame } from './model';
import { baseLayer } from './model';
import { failoverOf, failoverText } from './failover';
import { isAgentLoop, isPagination } from './loopKinds';
import { mergeFacts, regionFacts } from './regionFacts';
import { decidesOutside, statusJudgment } from './statusSets';
import { loopMisses } from './coverage';
import { counterInit, num } from './values';
import { isPyClock, rangeOf } from './pythonFacts';

/** `while 1:` and other constants Python writes for an endless loop. */
function isTruthyConstant(e: N): boolean {
  const x = unwrapExpr(e);
  return x.type === 'Literal' && !!x.value;
}

/** The retry layer a loop makes around the current site, or null when the loop is not a retry. */
export function loopLayer(cx: RetryShapeAnalyzer, loop: N, tries: TryFrame[]): RetryLayer | null {
  const inLoop = tries.filter((t) => contains(loop.body, t.node));
  const key = inLoop.length ? inLoop[0].node : null;
  let byTry = cx.loopMemo.get(loop);
  if (!byTry) {
    byTry = new Map();
    cx.loopMemo.set(loop, byTry);
  }
  if (byTry.has(key)) return byTry.get(key) ?? null;
  const layer = classifyLoop(cx, loop, inLoop);
  byTry.set(key, layer);
  return layer;
}

function classifyLoop(cx: RetryShapeAnalyzer, loop: N, tries: TryFrame[]): RetryLayer | null {
  // 1. a catch around the call that can lead to another iteration
  const retrying = tries.filter((t) => !alwaysLeaves(t.handler));
  if (!retrying.length) return null;
  // 2. iteration over inputs is not a retry (unless over a literal range of attempt numbers, or over
  //    alternatives the request goes to: a failover)
  if (loop.type === 'ForInStatement') return null;
  const counters = loopCounters(loop);
  const failover = loop.type === 'ForOfStatement' && isAttemptRange(loop.right) ? null : failoverOf(cx, loop, retrying, counters);
  if (loop.type === 'ForOfStatement' && !isAttemptRange(loop.right) && !failover) return null;
  // 3. agent / tool-use loops and pagination continue on success with a new request
  if (isPagination(loop) || isAgentLoop(cx, loop, retrying, counters)) return null;
  // 4. success must leave the loop (return/break), or end it through its condition
  if (!successLeaves(loop, retrying)) return null;

  const handlerFacts = mergeFacts(retrying.map((t) => regionFacts(cx, t.handler, 2)));
  const { statusAware, retriesFinal } = statusJudgment(cx, loop, retrying.map((t) => t.handler), failover, handlerFacts.statusAware || handlerFacts.classifierCall);
  const misses = failover || decidesOutside(loop.body, retrying.map((t) => t.handler)) ? {} : loopMisses(cx, retrying);
  const bodyFacts = regionFacts(cx, loop.body, 2);
  const bound = loopBound(cx, loop, counters);
  if (failover && bound.attempts === null) bound.attempts = failover.count;
  const waitsFound = bodyFacts.waits;
  const delay = delayFacts(cx, loop, waitsFound, counters);
  const kw = loopKeyword(loop);
  const label = loop.type === 'ForStatement' || (cx.python && loop.type === 'ForOfStatement') ? 'for loop' : loop.type === 'WhileStatement' ? 'while loop' : loop.type === 'DoWhileStatement' ? 'do…while loop' : 'for…of loop';
  const layer: RetryLayer = {
    ...baseLayer('loop', failover ? `${label} that ${failoverText(failover)}` : label, kw),
    ...(failover ? { failover } : {}),
    attempts: bound.attempts,
    bounded: bound.bounded,
    budgetMs: bound.budgetMs,
    statusAware,
    ...(retriesFinal ? { retriesFinal } : {}),
    ...misses,
    retries429: handlerFacts.mentions429 || !statusAware,
    waits: waitsFound.length > 0,
    grows: waitsFound.length ? delay.grows : false,
    jittered: waitsFound.length ? delay.jittered : false,
    readsRetryAfter: bodyFacts.readsRetryAfter,
    waitMs: null,
  };
  if (bound.attempts !== null) layer.waitMs = waitsFound.length ? delay.total(bound.attempts) : 0;
  return layer;
}

function successLeaves(loop: N, retrying: TryFrame[]): boolean {
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
    for (const k of childKeys(n.type)) {
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
function loopCounters(loop: N): Set<string> {
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
  // Python: for attempt in range(5)
  if (loop.type === 'ForOfStatement' && loop.left.type === 'Identifier') out.add(loop.left.name);
  return out;
}

/** Whether and how a retry loop is bounded. */
function loopBound(cx: RetryShapeAnalyzer, loop: N, counters: Set<string>): { bounded: boolean; attempts: number | null; budgetMs: number | null } {
  if (loop.type === 'ForOfStatement') {
    const n = attemptRangeLength(loop.right, (e) => num(cx, e));
    return { bounded: true, attempts: n, budgetMs: null };
  }
  const test = loop.test as N | null;
  if (test && !isTrueLiteral(test) && !(cx.python && isTruthyConstant(test))) {
    const cmp = boundFromCondition(cx, test, counters, loop, false);
    if (cmp) return cmp;
  }
  // caps inside the body: if (attempt >= max) throw / return / break
  let found: { bounded: boolean; attempts: number | null; budgetMs: number | null } | null = null;
  visitSameFunction(loop.body, (n) => {
    if (found) return false;
    if (n.type === 'IfStatement' && alwaysLeaves(n.consequent)) {
      const b = boundFromCondition(cx, n.test, counters, loop, true);
      if (b) found = b;
    }
  });
  return found ?? { bounded: false, attempts: null, budgetMs: null };
}

/**
 * A comparison of a counter with a limit, or of the clock with a deadline, in a loop condition (`exit`
 * false: the loop runs while it holds) or in an exit test (`exit` true: the loop leaves when it holds).
 */
function boundFromCondition(cx: RetryShapeAnalyzer, test: N, counters: Set<string>, loop: N, exit: boolean): { bounded: boolean; attempts: number | null; budgetMs: number | null } | null {
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
    if (isTimeCheck(c, cx.python)) return { bounded: true, attempts: null, budgetMs: budgetOf(cx, c) };
    if (c.type === 'UpdateExpression' && c.argument.type === 'Identifier' && counters.has(c.argument.name)) {
      // while (retries--)
      const init = counterInit(cx, c.argument.name, loop);
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
      const k = num(cx, counterExpr.right);
      if (k !== null) offset = counterExpr.operator === '+' ? k : -k;
    }
    const limit = num(cx, limitExpr);
    const init = counterInit(cx, name, loop);
    let attempts: number | null = null;
    if (limit !== null && init !== null) {
      let lim = limit - offset;
      if (exit) {
        // An exit test runs after a failed attempt. Counted failures so far: the counter's value when it was
        // incremented before the test (`++n >= 3`, or `n++` earlier in the body), else one more.
        const before = counterExpr.type === 'UpdateExpression' ? counterExpr.prefix : updatedBefore(name, loop.body, c.range[0]);
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
function updatedBefore(name: string, root: N, offset: number): boolean {
  let hit = false;
  visitSameFunction(root, (n) => {
    if (hit || n.range[0] >= offset) return false;
    if (n.type === 'UpdateExpression' && isIdent(n.argument, name) && n.range[1] <= offset) hit = true;
    if (n.type === 'AssignmentExpression' && isIdent(n.left, name) && n.range[1] <= offset) hit = true;
    return !hit;
  });
  return hit;
}

function budgetOf(cx: RetryShapeAnalyzer, c: N): number | null {
  if (c.type !== 'BinaryExpression') return null;
  // Date.now() - start < 30000; time.monotonic() - start < 30 (seconds)
  for (const side of [c.left, c.right]) {
    const v = num(cx, side);
    if (v !== null) return v * cx.timeUnitMs;
  }
  return null;
}

/** `Date.now() - start < budget`, `performance.now() < deadline`, `elapsed < budgetMs`, `Date.now() < deadline`. */
function isTimeCheck(c: N, python: boolean): boolean {
  if (c.type !== 'BinaryExpression' || !['<', '<=', '>', '>='].includes(c.operator)) return false;
  let time = false;
  visit(c, (n) => {
    if (n.type === 'CallExpression' && (isMemberCall(n, 'Date', 'now') || isMemberCall(n, 'performance', 'now') || (python && isPyClock(n)))) time = true;
    if (n.type === 'NewExpression' && isIdent(n.callee, 'Date')) time = true;
    if (n.type === 'Identifier' && /deadline|budget|elapsed|timeout|expires|until/i.test(n.name)) time = true;
    return !time;
  });
  return time;
}

export function counterOf(e: N, counters: Set<string>): string | null {
  const x = unwrapExpr(e);
  if (x.type === 'Identifier' && counters.has(x.name)) return x.name;
  if (x.type === 'UpdateExpression' && x.argument.type === 'Identifier' && counters.has(x.argument.name)) return x.argument.name;
  if (x.type === 'BinaryExpression' && (x.operator === '+' || x.operator === '-') && x.left.type === 'Identifier' && counters.has(x.left.name)) return x.left.name;
  return null;
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
  const range = rangeOf(x, num);
  if (range) return range.length;
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
