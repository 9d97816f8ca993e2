// Failover: a loop that moves to another model, API key, region, client or provider on each turn. It stops at
// the first success like a retry, but each attempt goes somewhere else, so "no backoff" and "unbounded" do
// not apply in the naive sense; the layer says what it fails over across ("fails over across 3 models").

import type { RetryShapeAnalyzer } from './analyzer';
import { isFn, keyOf, propName, unwrapExpr, visit, visitSameFunction } from './ast';
import type { Failover, N, TryFrame } from './model';

const NOUNS: Array<[RegExp, string]> = [
  [/model/i, 'models'],
  [/key|token|credential/i, 'API keys'],
  [/region|location|zone/i, 'regions'],
  [/provider|vendor|backend/i, 'providers'],
  [/endpoint|base_?url|host/i, 'endpoints'],
  [/client|anthropic|api/i, 'clients'],
];

function nounOf(name: string): string | null {
  for (const [re, noun] of NOUNS) if (re.test(name)) return noun;
  return null;
}

/** The number of elements of a literal list (directly or through a const binding). */
function literalLength(cx: RetryShapeAnalyzer, e: N): number | null {
  let x = unwrapExpr(e);
  if (x.type === 'Identifier') {
    const b = cx.resolveName(x.name, x);
    if (!b || b.kind !== 'const' || !b.init) return null;
    x = unwrapExpr(b.init as unknown as N);
  }
  if (x.type !== 'ArrayExpression' || x.elements.some((el: N | null) => !el || el.type === 'SpreadElement')) return null;
  return x.elements.length;
}

function namesIn(e: N, out: Set<string>): void {
  visit(e, (n) => {
    if (isFn(n)) return false;
    if (n.type === 'Identifier') {
      const p = n.parent;
      if (p && p.type === 'MemberExpression' && p.property === n && !p.computed) return;
      if (p && p.type === 'Property' && p.key === n && !p.computed && !p.shorthand) return;
      out.add(n.name);
    }
  });
}

/**
 * Where the request's model and the client come from in the guarded blocks: names in the `model` value of
 * the request, in the client expression (`clients[i].messages.create`, `client` made from `{ apiKey: key }`),
 * and list expressions indexed by a counter there (`MODELS[attempt]`). Names passed as whole arguments to a
 * same-file function count when they read as models, keys, regions… (`ask(model, prompt)`).
 */
function requestSources(cx: RetryShapeAnalyzer, blocks: N[], counters: Set<string>): { model: Set<string>; client: Set<string>; args: Set<string>; indexed: Map<string, N> } {
  const model = new Set<string>();
  const client = new Set<string>();
  const args = new Set<string>();
  const indexed = new Map<string, N>();
  const noteIndexed = (e: N) => {
    visit(e, (n) => {
      if (n.type === 'MemberExpression' && n.computed) {
        const idx = new Set<string>();
        namesIn(n.property, idx);
        const obj = unwrapExpr(n.object);
        const objName = obj.type === 'Identifier' ? obj.name : obj.type === 'MemberExpression' ? propName(obj) : null;
        if (objName && [...idx].some((i) => counters.has(i))) indexed.set(objName, obj);
      }
    });
  };
  const follow = (into: Set<string>, e: N, depth: number): void => {
    noteIndexed(e);
    const found = new Set<string>();
    namesIn(e, found);
    for (const name of found) {
      if (into.has(name)) continue;
      into.add(name);
      if (depth <= 0) continue;
      const b = cx.resolveName(name, e);
      const init = b && b.init ? unwrapExpr(b.init as unknown as N) : null;
      if (!init || isFn(init)) continue;
      if (into === model && init.type === 'ObjectExpression') modelOf(init, depth - 1);
      else follow(into, init, depth - 1);
    }
  };
  const modelOf = (obj: N, depth: number): void => {
    for (const p of obj.properties) {
      if (p.type === 'Property' && keyOf(p) === 'model') follow(model, p.value, depth);
    }
  };
  for (const block of blocks) {
    visitSameFunction(block, (n) => {
      if (n.type !== 'CallExpression') return;
      const callee = unwrapExpr(n.callee);
      const isApi = callee.type === 'MemberExpression' && (propName(callee) === 'create' || propName(callee) === 'stream');
      if (isApi) follow(client, callee.object, 2);
      for (const a of n.arguments) {
        const x = unwrapExpr(a);
        if (x.type === 'ObjectExpression') modelOf(x, 2);
        else if (x.type === 'Identifier') {
          args.add(x.name);
          const b = cx.resolveName(x.name, x);
          const init = b && b.init ? unwrapExpr(b.init as unknown as N) : null;
          if (init && init.type === 'ObjectExpression') modelOf(init, 2);
        } else if (!isFn(x)) noteIndexed(x);
      }
    });
  }
  return { model, client, args, indexed };
}

/** The failover a retrying loop makes, or null when each attempt goes to the same place. */
export function failoverOf(cx: RetryShapeAnalyzer, loop: N, retrying: TryFrame[], counters: Set<string>): Failover | null {
  const src = requestSources(cx, retrying.map((t) => t.block), counters);
  const pick = (names: string[], list: N | null, listName: string): Failover | null => {
    const hit = (set: Set<string>) => names.some((n) => set.has(n));
    const named = nounOf(listName) ?? names.map(nounOf).find((x) => x) ?? null;
    let noun: string | null = null;
    if (hit(src.model)) noun = 'models';
    else if (hit(src.client)) noun = named ?? 'clients';
    else if (hit(src.args) && named) noun = named;
    if (!noun) return null;
    return { noun, count: list ? literalLength(cx, list) : null };
  };
  if (loop.type === 'ForOfStatement') {
    const names = new Set<string>();
    if (loop.left.type === 'VariableDeclaration') for (const d of loop.left.declarations) namesIn(d.id, names);
    else namesIn(loop.left, names);
    const right = unwrapExpr(loop.right);
    const listName = right.type === 'Identifier' ? right.name : right.type === 'MemberExpression' ? propName(right) ?? '' : '';
    return pick([...names], loop.right, listName);
  }
  for (const [name, list] of src.indexed) {
    const f = pick([name], list, name);
    if (f) return f;
  }
  return null;
}

/** Final statuses that belong to the place a request went (another model, key, region may not fail the same way). */
const MOVES_ON: Record<string, number[]> = {
  models: [404],
  'API keys': [401, 403],
  regions: [403, 404],
};

/** Whether a failover rightly moves on after `status`. */
export function failoverMovesOn(f: Failover, status: number): boolean {
  return (MOVES_ON[f.noun] ?? [401, 403, 404]).includes(status);
}

/** "fails over across 3 models". */
export function failoverText(f: Failover): string {
  return `fails over across ${f.count !== null ? `${f.count} ` : ''}${f.noun}`;
}
