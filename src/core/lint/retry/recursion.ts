// Recursive retries: a function that calls itself again from the catch around the API call.

import type { RetryShapeAnalyzer } from './analyzer';
import { alwaysLeavesBefore, isIdent, propName, refersTo, unwrapExpr, visit, visitSameFunction } from './ast';
import { delayFacts } from './delays';
import { counterOf } from './loops';
import type { N, RetryLayer, TryFrame } from './model';
import { baseLayer } from './model';
import { regionFacts } from './regionFacts';
import { recursionMisses } from './coverage';
import { num } from './values';
import { argumentFor } from './pythonFacts';

export function recursionLayer(cx: RetryShapeAnalyzer, fn: N, named: { name: string; member: boolean }, tries: TryFrame[]): RetryLayer | null {
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
    const facts = regionFacts(cx, t.handler, 2);
    const fnFacts = regionFacts(cx, fn.body, 2);
    // a parameter passed changed (attempt + 1, retries - 1) and compared somewhere: bounded
    const counters = new Set<string>();
    let initial: number | null = null;
    fn.params.forEach((_p: N, i: number) => {
      // positional, or a Python keyword argument (`ask(prompt, attempt=attempt + 1)`)
      const a = argumentFor(recCall, fn, i);
      if (!a) return;
      const x = unwrapExpr(a);
      const p = fn.params[i];
      const pid = p?.type === 'AssignmentPattern' ? p.left : p;
      if (!pid || pid.type !== 'Identifier') return;
      if ((x.type === 'BinaryExpression' && (x.operator === '+' || x.operator === '-') && refersTo(x, new Set([pid.name]))) || (x.type === 'UpdateExpression' && isIdent(x.argument, pid.name))) {
        counters.add(pid.name);
        if (p.type === 'AssignmentPattern') initial = num(cx, p.right);
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
              const limit = num(cx, counterOf(m.left, counters) ? m.right : m.left);
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
    const delay = delayFacts(cx, t.handler, facts.waits, counters);
    const misses = recursionMisses(cx, t.handler, recCall);
    const layer: RetryLayer = {
      ...baseLayer('recursion', `recursive retry in ${named.name}()`, recCall),
      attempts: bounded ? attempts : null,
      bounded,
      statusAware: facts.statusAware || facts.classifierCall,
      ...misses,
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
