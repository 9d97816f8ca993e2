// The request as data. An expression becomes a `Value`: literals are known; object and array literals are
// modelled field by field; a `const` identifier is followed to its initialiser unless the object it holds is
// mutated somewhere (`params.max_tokens = …`, `messages.push(…)`, passed to another function); spreads of
// known objects are merged; anything else is unknown, and unknown never produces a finding.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { ArrayValue, Binding, Node, ObjectValue, PropertyEntry, UnknownValue, Value } from './ruleContext';
import { forEachNode, propName } from './scan';
import type { ScopeResolver } from './scope';

const MAX_DEPTH = 12;

/**
 * Strips `as`, `satisfies`, `!`, `<T>x` (parentheses are not nodes in ESTree); with `throughChain`, also the
 * ChainExpression around an optional chain (`a?.b`).
 */
export function unwrap(e: Node, throughChain = false): Node {
  let n = e;
  for (;;) {
    switch (n.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
        n = n.expression;
        continue;
      case 'ChainExpression':
        if (!throughChain) return n;
        n = n.expression;
        continue;
      default:
        return n;
    }
  }
}

export function unknownValue(node: Node | null, spread = false): UnknownValue {
  const v: UnknownValue = { kind: 'unknown', node, start: node ? node.range[0] : 0, end: node ? node.range[1] : 0 };
  if (spread) v.spread = true;
  return v;
}

/** A property of an object value: the value, `undefined` when the key is certainly absent, unknown otherwise. */
export function getProp(obj: Value | undefined, key: string): Value | undefined {
  if (!obj || obj.kind !== 'object') return unknownValue(obj?.node ?? null);
  const e = getEntry(obj, key);
  if (e) return e.value;
  return obj.complete ? undefined : unknownValue(obj.node);
}

export function getEntry(obj: ObjectValue, key: string): PropertyEntry | undefined {
  for (let i = obj.props.length - 1; i >= 0; i--) if (obj.props[i].key === key) return obj.props[i];
  return undefined;
}

/** The static name of a property key (`a`, `'a'`, `1`, `['a']`), or null when computed. */
export function keyName(p: TSESTree.Property | TSESTree.PropertyDefinition | TSESTree.MethodDefinition): string | null {
  const k = p.key;
  if (!p.computed) {
    if (k.type === 'Identifier') return k.name;
    if (k.type === 'PrivateIdentifier') return `#${k.name}`;
    if (k.type === 'Literal') return String(k.value);
    return null;
  }
  if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
  if (k.type === 'TemplateLiteral' && k.expressions.length === 0) return k.quasis[0].value.cooked ?? null;
  return null;
}

const MUTATING_METHODS = new Set([
  'push', 'unshift', 'splice', 'pop', 'shift', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'clear', 'add',
  // Python lists and dicts
  'append', 'extend', 'insert', 'remove', 'update', 'setdefault', 'popitem',
]);

export class Evaluator {
  private readonly mutated = new WeakMap<Node, boolean>();
  private readonly active = new Set<Binding>();

  constructor(
    private readonly scopes: ScopeResolver,
    /** Calls that only read their arguments (the Anthropic call sites): passing a value to them is not a mutation. */
    private readonly readOnlyCalls: ReadonlySet<Node>,
  ) {}

  valueOf(expr: Node | null | undefined, depth = 0): Value {
    if (!expr) return unknownValue(null);
    if (depth > MAX_DEPTH) return unknownValue(expr);
    const n = unwrap(expr);
    const base = { node: n, start: n.range[0], end: n.range[1] };
    switch (n.type) {
      case 'Literal': {
        const v = n.value;
        if (typeof v === 'string') return { kind: 'string', value: v, ...base };
        if (typeof v === 'number') return { kind: 'number', value: v, ...base };
        if (typeof v === 'boolean') return { kind: 'boolean', value: v, ...base };
        if (v === null && !('regex' in n) && !('bigint' in n)) return { kind: 'null', ...base };
        return unknownValue(n);
      }
      case 'TemplateLiteral':
        if (n.expressions.length === 0 && n.quasis[0].value.cooked != null) return { kind: 'string', value: n.quasis[0].value.cooked, ...base };
        return unknownValue(n);
      case 'UnaryExpression': {
        if (n.operator === 'void') return { kind: 'undefined', ...base };
        if (n.operator === '-' || n.operator === '+') {
          const a = this.valueOf(n.argument, depth + 1);
          if (a.kind === 'number') return { kind: 'number', value: n.operator === '-' ? -a.value : a.value, ...base };
        }
        return unknownValue(n);
      }
      case 'Identifier':
        return this.identifierValue(n, depth);
      case 'ObjectExpression':
        return this.objectValue(n, depth);
      case 'ArrayExpression':
        return this.arrayValue(n, depth);
      case 'MemberExpression': {
        // `CONFIG.params` where CONFIG is a followed const object.
        const key = propName(n);
        if (key === null || n.object.type === 'Super') return unknownValue(n);
        const obj = this.valueOf(n.object, depth + 1);
        if (obj.kind !== 'object') return unknownValue(n);
        const v = getProp(obj, key);
        return v ?? { kind: 'undefined', ...base };
      }
      default:
        return unknownValue(n);
    }
  }

  private identifierValue(id: TSESTree.Identifier, depth: number): Value {
    const b = this.scopes.resolve(id);
    if (!b) {
      if (id.name === 'undefined') return { kind: 'undefined', node: id, start: id.range[0], end: id.range[1] };
      return unknownValue(id);
    }
    if (b.kind !== 'const' || !b.init || this.active.has(b)) return unknownValue(id);
    this.active.add(b);
    try {
      let v: Value;
      const declId = (b.declaration as TSESTree.VariableDeclarator).id;
      if (declId === b.id) {
        v = this.valueOf(b.init, depth + 1);
      } else if (declId.type === 'ObjectPattern' && b.id.parent?.type === 'Property' && b.id.parent.parent === declId) {
        // `const { messages } = CONFIG`: one level of destructuring.
        const key = keyName(b.id.parent);
        const whole = this.valueOf(b.init, depth + 1);
        v = key === null ? unknownValue(id) : (getProp(whole, key) ?? { kind: 'undefined', node: id, start: id.range[0], end: id.range[1] });
      } else {
        return unknownValue(id);
      }
      if ((v.kind === 'object' || v.kind === 'array') && this.isMutated(b)) return unknownValue(id);
      return v;
    } finally {
      this.active.delete(b);
    }
  }

  private objectValue(o: TSESTree.ObjectExpression, depth: number): ObjectValue {
    const props: PropertyEntry[] = [];
    let complete = true;
    const set = (e: PropertyEntry): void => {
      for (let i = 0; i < props.length; i++) {
        if (props[i].key === e.key) {
          props.splice(i, 1);
          break;
        }
      }
      props.push(e);
    };
    const forgetEarlier = (at: Node): void => {
      // An unknown spread may override everything written before it.
      for (let i = 0; i < props.length; i++) props[i] = { ...props[i], value: unknownValue(at) };
    };
    for (const p of o.properties) {
      if (p.type === 'SpreadElement') {
        const v = this.valueOf(p.argument, depth + 1);
        if (v.kind === 'object') {
          if (!v.complete) {
            complete = false;
            forgetEarlier(p);
          }
          for (const e of v.props) set(e);
        } else if (v.kind === 'null' || v.kind === 'undefined') {
          // spreading nothing
        } else {
          complete = false;
          forgetEarlier(p);
        }
        continue;
      }
      const key = keyName(p);
      if (key === null) {
        complete = false;
        forgetEarlier(p);
        continue;
      }
      const value: Value =
        p.kind !== 'init' || p.method ? unknownValue(p.value as Node) : this.valueOf(p.value as Node, depth + 1);
      set({ key, value, property: p, start: p.range[0], end: p.range[1] });
    }
    return { kind: 'object', props, complete, literal: o, node: o, start: o.range[0], end: o.range[1] };
  }

  private arrayValue(a: TSESTree.ArrayExpression, depth: number): ArrayValue {
    const elements: Value[] = [];
    for (const el of a.elements) {
      if (!el) {
        elements.push({ kind: 'undefined', node: a, start: a.range[0], end: a.range[1] });
      } else if (el.type === 'SpreadElement') {
        const v = this.valueOf(el.argument, depth + 1);
        if (v.kind === 'array') elements.push(...v.elements);
        else elements.push(unknownValue(el, true));
      } else {
        elements.push(this.valueOf(el, depth + 1));
      }
    }
    return { kind: 'array', elements, literal: a, node: a, start: a.range[0], end: a.range[1] };
  }

  /**
   * Whether the object or array bound to a const may change after its declaration: a member of it is
   * assigned, updated or deleted, a mutating method is called on it, or it is passed to a function other
   * than an Anthropic call.
   */
  isMutated(b: Binding): boolean {
    const cached = this.mutated.get(b.id);
    if (cached !== undefined) return cached;
    this.mutated.set(b.id, true); // pessimistic while computing
    const scope = this.scopes.scopeOf(b);
    let result = false;
    if (scope) {
      const name = b.id.name;
      forEachNode(scope, (n) => {
        if (result) return false;
        if (n.type !== 'Identifier' || n.name !== name || n === b.id) return;
        const parent = n.parent;
        if (!parent) return;
        // Not a reference: a property key or a member name.
        if (parent.type === 'MemberExpression' && parent.property === n && !parent.computed) return;
        if (parent.type === 'Property' && parent.key === n && !parent.computed && !parent.shorthand) return;
        if (this.scopes.resolve(n) !== b) return;
        if (mutatesReference(n, this.readOnlyCalls)) result = true;
      });
    }
    this.mutated.set(b.id, result);
    return result;
  }
}

function mutatesReference(id: TSESTree.Identifier, readOnlyCalls: ReadonlySet<Node>): boolean {
  let n: Node = id;
  let p = n.parent;
  // Walk up through wrappers and member reads: `x.a.b` is a path into x.
  while (p) {
    if (p.type === 'TSAsExpression' || p.type === 'TSNonNullExpression' || p.type === 'TSSatisfiesExpression' || p.type === 'TSTypeAssertion' || p.type === 'ChainExpression') {
      n = p;
      p = p.parent;
      continue;
    }
    if (p.type === 'MemberExpression' && p.object === n) {
      const gp = p.parent;
      if (!gp) return false;
      if (gp.type === 'AssignmentExpression' && gp.left === p) return true;
      if (gp.type === 'UpdateExpression') return true;
      if (gp.type === 'UnaryExpression' && gp.operator === 'delete') return true;
      if (gp.type === 'CallExpression' && gp.callee === p) {
        const m = propName(p);
        return m !== null && MUTATING_METHODS.has(m);
      }
      n = p;
      p = gp;
      continue;
    }
    break;
  }
  if (!p) return false;
  switch (p.type) {
    case 'CallExpression':
    case 'NewExpression':
      if (p.callee === n) return false;
      if (readOnlyCalls.has(p)) return false;
      // Object.freeze / JSON.stringify / console.* only read.
      if (p.callee.type === 'MemberExpression') {
        const o = p.callee.object;
        const m = propName(p.callee);
        if (o.type === 'Identifier' && (o.name === 'JSON' || o.name === 'console')) return false;
        if (o.type === 'Identifier' && o.name === 'Object' && (m === 'freeze' || m === 'keys' || m === 'values' || m === 'entries')) return false;
      }
      return true;
    case 'AssignmentExpression':
      // `x = …` on a const is a runtime error; `y = x` aliases it and may be mutated through y.
      return p.right === n;
    case 'VariableDeclarator':
      // An alias (`const y = x`) could be mutated through y.
      return p.init === n && p.id.type === 'Identifier';
    case 'Property':
      // `{ messages }` in an object literal that is itself not a call argument is fine; inside a call
      // argument, the outer object is what the callee sees. Be conservative only for non-Anthropic calls.
      return propertyEscapes(p, readOnlyCalls);
    case 'ArrayExpression':
      return false;
    case 'ReturnStatement':
    case 'ArrowFunctionExpression':
      return true;
    default:
      return false;
  }
}

function propertyEscapes(p: TSESTree.Property, readOnlyCalls: ReadonlySet<Node>): boolean {
  let n: Node = p;
  let q: Node | undefined = p.parent as Node | undefined; // ObjectExpression
  while (q && (q.type === 'ObjectExpression' || q.type === 'Property' || q.type === 'ArrayExpression' || q.type === 'SpreadElement' || q.type === 'TSAsExpression' || q.type === 'TSSatisfiesExpression')) {
    n = q;
    q = q.parent as Node | undefined;
  }
  if (!q) return false;
  if (q.type === 'CallExpression' || q.type === 'NewExpression') return !readOnlyCalls.has(q) && q.callee !== n;
  return false;
}
