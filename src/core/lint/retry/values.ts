// Static values: numbers (with counters and parameter defaults), booleans, strings, options objects.

import type { Binding } from '../ruleContext';
import type { RetryShapeAnalyzer } from './analyzer';
import { isIdent, keyOf, propName, unwrapExpr } from './ast';
import type { Env, N } from './model';
import { pyNumericCall, rangeOf } from './pythonFacts';

/** An options argument as far as the file shows it. */
export interface Options {
  /** The properties written in the object literal (followed through a const binding). */
  props: Map<string, N>;
  /**
   * What may hold the options not written there: a spread (`{ ...defaults, retries: 3 }`) or an options
   * value the file cannot see (`this.options`, a parameter). null when every option is in `props`.
   */
  from: N | null;
}

/** The options passed as `e` (none passed: no options, the defaults apply). */
export function optionsOf(cx: RetryShapeAnalyzer, e: N | undefined): Options {
  const props = new Map<string, N>();
  if (!e) return { props, from: null };
  let x = unwrapExpr(e);
  if (x.type === 'Identifier') {
    const b = cx.resolveName(x.name, x);
    if (b && b.init) x = unwrapExpr(b.init as unknown as N);
  }
  if (x.type !== 'ObjectExpression') return { props, from: isIdent(x, 'undefined') ? null : x };
  let from: N | null = null;
  for (const p of x.properties) {
    if (p.type === 'SpreadElement') {
      from = p.argument;
      continue;
    }
    if (p.type !== 'Property') continue;
    const k = keyOf(p);
    if (k) props.set(k, p.value.type === 'AssignmentPattern' ? p.value.right : p.value);
    if (p.shorthand && k && p.value.type === 'Identifier') props.set(k, p.value);
  }
  return { props, from };
}

/** Properties of an options object literal (followed through a const binding). */
export function objectProps(cx: RetryShapeAnalyzer, e: N | undefined): Map<string, N> {
  return optionsOf(cx, e).props;
}

/** A numeric option: its value when written (null when not static), else the default unless the options may hold it. */
export function optNum(cx: RetryShapeAnalyzer, o: Options, key: string, dflt: number): number | null {
  if (o.props.has(key)) return num(cx, o.props.get(key));
  return o.from ? null : dflt;
}

/** A boolean option, like optNum. */
export function optBool(o: Options, key: string, dflt: boolean): boolean | null {
  if (o.props.has(key)) return bool(o.props.get(key));
  return o.from ? null : dflt;
}

/**
 * Where a count that is not a literal comes from, for messages: the option's expression
 * (`this.options.retries`), or the options that may hold it; null when the count is known or defaulted.
 */
export function countFrom(cx: RetryShapeAnalyzer, o: Options, key: string): string | null {
  const v = o.props.get(key);
  const src = v ? (num(cx, v) === null ? v : null) : o.from;
  if (!src) return null;
  const text = cx.text.slice(src.range[0], src.range[1]).replace(/\s+/g, ' ');
  return text.length <= 40 ? text : 'options';
}

export function bool(e: N | undefined): boolean | null {
  if (!e) return null;
  const x = unwrapExpr(e);
  return x.type === 'Literal' && typeof x.value === 'boolean' ? x.value : null;
}

export function str(e: N | undefined): string | null {
  if (!e) return null;
  const x = unwrapExpr(e);
  return x.type === 'Literal' && typeof x.value === 'string' ? x.value : null;
}

/**
 * A number from an expression: literals, const bindings, parameter defaults, arithmetic, Math.min/max/
 * pow/floor/ceil/round, `Math.random()` as its upper bound 1, env values for counters. In `Math.max`,
 * unknown arguments (a retry-after read) are skipped when another argument is known.
 */
export function num(cx: RetryShapeAnalyzer, e: N | null | undefined, env: Env = new Map(), allowLet = false, reassigned?: Map<string, N[]>, depth = 0): number | null {
  if (!e || depth > 8) return null;
  const x = unwrapExpr(e);
  const rec = (y: N | null | undefined) => num(cx, y, env, allowLet, reassigned, depth + 1);
  switch (x.type) {
    case 'Literal':
      return typeof x.value === 'number' ? x.value : null;
    case 'Identifier': {
      if (env.has(x.name)) return env.get(x.name) as number;
      if (x.name === 'Infinity') return Infinity;
      if (reassigned && reassigned.has(x.name)) return null;
      const b = cx.resolveName(x.name, x);
      if (!b) return null;
      if (b.init && (b.kind === 'const' || allowLet || reassigned)) return rec(b.init as unknown as N);
      if (b.kind === 'param') return paramDefault(cx, b);
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
      if (cx.python) {
        const v = pyNumericCall(x, rec);
        if (v !== undefined) return v;
      }
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

/** The value a counter starts at: `for (let i = 0; …)`, or its declaration before the loop, or a parameter default. */
export function counterInit(cx: RetryShapeAnalyzer, name: string, loop: N): number | null {
  // Python: for attempt in range(1, 6) starts at 1
  if (loop.type === 'ForOfStatement' && isIdent(loop.left, name)) return rangeOf(loop.right, (e) => num(cx, e))?.start ?? null;
  if (loop.type === 'ForStatement' && loop.init?.type === 'VariableDeclaration') {
    for (const d of loop.init.declarations) if (isIdent(d.id, name)) return num(cx, d.init);
  }
  if (loop.type === 'ForStatement' && loop.init?.type === 'AssignmentExpression' && isIdent(loop.init.left, name)) return num(cx, loop.init.right);
  const b = cx.resolveName(name, loop);
  if (!b) return null;
  if (b.init) return num(cx, b.init as unknown as N, new Map(), true);
  // a name assigned more than once (Python's `attempt = 0` before the loop, then `attempt += 1`): its first
  // plain assignment, when that is a statement before the loop in a block that holds the loop
  const d = b.declaration as unknown as N;
  if (b.kind === 'let' && d && d.type === 'AssignmentExpression' && d.operator === '=' && d.range[1] <= loop.range[0]) {
    const stmt = d.parent;
    const block = stmt?.type === 'ExpressionStatement' ? stmt.parent : null;
    if (block && block.range[0] <= loop.range[0] && loop.range[1] <= block.range[1]) return num(cx, d.right);
  }
  return paramDefault(cx, b);
}

function paramDefault(cx: RetryShapeAnalyzer, b: Binding): number | null {
  const p = (b.id as unknown as N).parent;
  if (p && p.type === 'AssignmentPattern' && p.left === b.id) return num(cx, p.right);
  return null;
}
