// The waits of a retry: whether they grow with the attempt, are jittered, and how long they add up to.

import type { RetryShapeAnalyzer } from './analyzer';
import { calleeName, contains, isFn, isMemberCall, refersTo, visit, visitSameFunction } from './ast';
import type { Env, N } from './model';
import type { WaitCall } from './regionFacts';
import { functionFacts } from './regionFacts';
import { counterInit, num } from './values';
import { isPyPow, isPyRandom } from './pythonFacts';

/** Growth, jitter and size of the waits of a loop. */
export function delayFacts(cx: RetryShapeAnalyzer, loop: N, waits: WaitCall[], counters: Set<string>): { grows: boolean; jittered: boolean; total: (attempts: number) => number | null } {
  let grows = false;
  let jittered = false;
  const reassigned = reassignedIn(loop);
  for (const w of waits) {
    const f = exprFacts(cx, w.delay, counters, reassigned, 3);
    if (f.grows) grows = true;
    if (f.jitter) jittered = true;
    if (w.fn) {
      // a same-file wait function: its body decides (await backoff(attempt))
      const ff = functionFacts(cx, w.fn);
      // it grows when it is handed the delay, or the attempt number (`_sleep(base, cap, attempt)`)
      if (ff.growthOps) grows = grows || !!w.delay || (w.node.arguments ?? []).some((a: N) => refersTo(a, counters));
      if (ff.random) jittered = true;
    }
  }
  const exprs = waits.map((w) => w.delay);
  const counter = [...counters][0];
  const init = counter !== undefined ? counterInit(cx, counter, loop) ?? 0 : 0;
  const total = (attempts: number): number | null => {
    if (exprs.some((e) => !e)) return null;
    let sum = 0;
    for (let k = 0; k < attempts - 1; k++) {
      const env: Env = new Map();
      if (counter !== undefined) env.set(counter, init + k);
      let step = 0;
      for (const e of exprs) {
        const v = num(cx, e as N, env, false, reassigned);
        if (v === null || !Number.isFinite(v)) return null;
        step += Math.max(0, v) * cx.timeUnitMs;
      }
      sum += step;
    }
    return sum;
  };
  return { grows, jittered, total };
}

function reassignedIn(root: N): Map<string, N[]> {
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
function exprFacts(cx: RetryShapeAnalyzer, e: N | null, counters: Set<string>, reassigned: Map<string, N[]>, depth: number): { grows: boolean; jitter: boolean } {
  const out = { grows: false, jitter: false };
  if (!e || depth < 0) return out;
  visit(e, (n) => {
    if (isFn(n)) return false;
    if (n.type === 'BinaryExpression' && (n.operator === '**' || n.operator === '<<')) out.grows = true;
    if (n.type === 'CallExpression') {
      if (isMemberCall(n, 'Math', 'pow') || (cx.python && isPyPow(n))) out.grows = true;
      if (isMemberCall(n, 'Math', 'random') || (cx.python && isPyRandom(n))) out.jitter = true;
      const name = calleeName(n) ?? '';
      if (/jitter/i.test(name)) out.jitter = true;
      if (/backoff|exponential/i.test(name)) out.grows = true;
      if (n.callee.type === 'Identifier') {
        const b = cx.resolveName(n.callee.name, n);
        const g = b ? cx.functionOfBinding(b) : null;
        if (g) {
          const ff = functionFacts(cx, g);
          if (ff.growthOps && n.arguments.some((a: N) => exprFacts(cx, a, counters, reassigned, depth - 1).grows || refersTo(a, counters))) out.grows = true;
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
          const f = exprFacts(cx, a.right, counters, reassigned, depth - 1);
          out.grows ||= f.grows;
          out.jitter ||= f.jitter;
        }
      }
      const b = cx.resolveName(n.name, n);
      if (b && b.init && (b.kind === 'const' || b.kind === 'let')) {
        const init = b.init as unknown as N;
        if (init !== e && !contains(init, e)) {
          const f = exprFacts(cx, init, counters, reassigned, depth - 1);
          out.grows ||= f.grows;
          out.jitter ||= f.jitter;
        }
      }
    }
  });
  return out;
}
