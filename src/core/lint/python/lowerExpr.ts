// Lowering of Python expressions to the generic tree (see lower.ts for statements):
//   literals (str, int, float, True/False/None)   → Literal; f-strings → TemplateLiteral (unknown when they
//                                                    interpolate); bytes and complex numbers → opaque
//   dict / list / tuple                            → ObjectExpression (`**x` → spread) / ArrayExpression
//   f(a, *b, k=v, **d)                             → call with the positional arguments, then one object of the
//                                                    keyword arguments (marked pyKwargs); `C(...)` with a
//                                                    capitalised name → NewExpression (instantiating a class)
//   a.b / a[k]                                     → MemberExpression; `self` in a method → ThisExpression
//   await, not/-/+, and/or, ternary, lambda, walrus → the ESTree forms
// Comprehensions, slices, sets, `*` unpacking in odd places, and anything unrecognised → opaque.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, Node } from '../ruleContext';
import type { CNode } from './cst';
import { field, named } from './cst';
import { identifier, literal, mk, opaque } from './nodes';
import type { PyNode, Range } from './nodes';
import { decodePythonEscapes, pythonNumber, stringParts } from './strings';

const r = (n: CNode): Range => [n.start, n.end];

const BINARY_OPS: Record<string, string> = { '==': '===', '!=': '!==', is: '===', 'is not': '!==', '<': '<', '>': '>', '<=': '<=', '>=': '>=', in: 'in' };

export abstract class ExprLowerer {
  readonly messageCalls: TSESTree.CallExpression[] = [];
  readonly newExpressions: TSESTree.NewExpression[] = [];
  readonly keyLiterals: Array<TSESTree.Literal | TSESTree.TemplateElement> = [];
  readonly comments: TSESTree.Comment[] = [];
  /** The name of `self` in the method being lowered (lowered to ThisExpression), or null. */
  protected selfName: string | null = null;
  private readonly wantKeys: boolean;

  constructor(readonly text: string) {
    this.wantKeys = text.includes('sk-ant-');
  }

  abstract bind(name: string, b: Binding): void;
  abstract functionParts(n: CNode, body: CNode | null, dropFirst: boolean, fn: PyNode, selfName: string | null): { params: Node[]; body: Node };

  protected src(n: CNode): string {
    return this.text.slice(n.start, n.end);
  }

  expr(n: CNode): Node {
    switch (n.type) {
      case 'identifier': {
        const name = this.src(n);
        if (this.selfName !== null && name === this.selfName) return mk('ThisExpression', r(n));
        return identifier(name, r(n));
      }
      case 'true':
        return literal(true, 'True', r(n));
      case 'false':
        return literal(false, 'False', r(n));
      case 'none':
        return literal(null, 'None', r(n));
      case 'integer':
      case 'float': {
        const v = pythonNumber(this.src(n));
        return v === null ? opaque('number', r(n), []) : literal(v, this.src(n), r(n));
      }
      case 'string':
        return this.string(n);
      case 'concatenated_string':
        return this.concatenated(n);
      case 'parenthesized_expression': {
        const inner = named(n)[0];
        if (!inner) return opaque('empty', r(n), []);
        if (inner.type === 'yield') return this.expr(inner);
        return this.expr(inner);
      }
      case 'attribute': {
        const obj = field(n, 'object') as CNode;
        const attr = field(n, 'attribute') as CNode;
        return mk('MemberExpression', r(n), { object: this.expr(obj), property: identifier(this.src(attr), r(attr)), computed: false, optional: false });
      }
      case 'subscript': {
        const value = field(n, 'value') as CNode;
        const subs = n.children.filter((c) => c.field === 'subscript');
        const obj = this.expr(value);
        const prop = subs.length === 1 && subs[0].type !== 'slice' ? this.expr(subs[0]) : opaque('subscript', subs.length ? [subs[0].start, subs[subs.length - 1].end] : r(n), subs.map((s) => this.expr(s)));
        return mk('MemberExpression', r(n), { object: obj, property: prop, computed: true, optional: false });
      }
      case 'call':
        return this.call(n);
      case 'await':
        return mk('AwaitExpression', r(n), { argument: this.expr(named(n)[0] ?? n) });
      case 'dictionary':
        return this.dictionary(n);
      case 'list':
      case 'tuple':
      case 'expression_list':
      case 'pattern_list':
        return mk('ArrayExpression', r(n), { elements: named(n).map((c) => this.element(c)) });
      case 'unary_operator': {
        const op = n.children.find((c) => !c.named)?.type ?? '-';
        const arg = field(n, 'argument') ?? named(n)[0];
        return mk('UnaryExpression', r(n), { operator: op, prefix: true, argument: arg ? this.expr(arg) : opaque('empty', r(n), []) });
      }
      case 'not_operator': {
        const arg = field(n, 'argument') ?? named(n)[0];
        return mk('UnaryExpression', r(n), { operator: '!', prefix: true, argument: arg ? this.expr(arg) : opaque('empty', r(n), []) });
      }
      case 'boolean_operator': {
        const op = n.children.find((c) => !c.named)?.type === 'and' ? '&&' : '||';
        return mk('LogicalExpression', r(n), { operator: op, left: this.expr(field(n, 'left') as CNode), right: this.expr(field(n, 'right') as CNode) });
      }
      case 'binary_operator': {
        const op = n.children.find((c) => c.field === 'operator')?.type ?? n.children.find((c) => !c.named)?.type ?? '+';
        return mk('BinaryExpression', r(n), { operator: op, left: this.expr(field(n, 'left') as CNode), right: this.expr(field(n, 'right') as CNode) });
      }
      case 'comparison_operator': {
        const operands = named(n);
        const ops = n.children.filter((c) => !c.named).map((c) => c.type);
        const op = ops.length === 1 ? BINARY_OPS[ops[0]] : ops.length === 2 && ops[0] === 'is' && ops[1] === 'not' ? '!==' : undefined;
        if (operands.length === 2 && op) return mk('BinaryExpression', r(n), { operator: op, left: this.expr(operands[0]), right: this.expr(operands[1]) });
        // `a not in b` → !(a in b)
        if (operands.length === 2 && ops.length === 1 && ops[0] === 'not in') {
          const inner = mk('BinaryExpression', r(n), { operator: 'in', left: this.expr(operands[0]), right: this.expr(operands[1]) });
          return mk('UnaryExpression', r(n), { operator: '!', prefix: true, argument: inner });
        }
        return opaque('comparison', r(n), operands.map((c) => this.expr(c)));
      }
      case 'conditional_expression': {
        const [a, test, b] = named(n);
        if (!a || !test || !b) return opaque('conditional', r(n), named(n).map((c) => this.expr(c)));
        return mk('ConditionalExpression', r(n), { test: this.expr(test), consequent: this.expr(a), alternate: this.expr(b) });
      }
      case 'named_expression': {
        const name = field(n, 'name') as CNode;
        const left = identifier(this.src(name), r(name));
        const a = mk('AssignmentExpression', r(n), { operator: '=', left, right: this.expr(field(n, 'value') as CNode) });
        this.bind(left.name, { kind: 'let', id: left, declaration: a, init: null });
        return a;
      }
      case 'lambda': {
        const fn = mk('ArrowFunctionExpression', r(n), { id: null, async: false, generator: false, expression: true }) as PyNode & TSESTree.ArrowFunctionExpression;
        const paramsC = field(n, 'parameters');
        const { params, body } = this.functionParts(paramsC ? { ...n, children: [{ ...paramsC, field: 'parameters' }] } : n, field(n, 'body'), false, fn, this.selfName);
        Object.assign(fn, { params, body });
        for (const p of params) (p as { parent?: Node }).parent = fn;
        (body as { parent?: Node }).parent = fn;
        return fn;
      }
      case 'yield': {
        const v = named(n)[0];
        return mk('YieldExpression', r(n), { argument: v ? this.expr(v) : null, delegate: n.children.some((c) => c.type === 'from') });
      }
      case 'list_splat':
      case 'dictionary_splat':
        return mk('SpreadElement', r(n), { argument: this.expr(named(n)[0] ?? n) });
      case 'keyword_argument': {
        const v = field(n, 'value');
        return opaque('keyword', r(n), v ? [this.expr(v)] : []);
      }
      case 'set': {
        // {429, 529} → new Set([429, 529]) (not a class instantiation: not listed in newExpressions)
        const elements = mk('ArrayExpression', r(n), { elements: named(n).map((c) => this.element(c)) });
        return mk('NewExpression', r(n), { callee: identifier('Set', [n.start, n.start]), arguments: [elements], typeArguments: undefined });
      }
      case 'as_pattern': {
        const parts = named(n).filter((c) => c.type !== 'as_pattern_target').map((c) => this.expr(c));
        return opaque('as', r(n), parts);
      }
      default:
        // Comprehensions, sets, slices, ellipsis, bytes… keep the parts (their calls still count), value unknown.
        return opaque(n.type, r(n), named(n).filter((c) => c.type !== 'comment').map((c) => this.expr(c)));
    }
  }

  private element(c: CNode): Node {
    if (c.type === 'list_splat') return mk('SpreadElement', r(c), { argument: this.expr(named(c)[0] ?? c) });
    return this.expr(c);
  }

  private string(n: CNode): Node {
    const parts = stringParts(this.text, n.start, n.end);
    if (parts.prefix.includes('b')) return opaque('bytes', r(n), []);
    const raw = parts.prefix.includes('r');
    const interps = n.children.filter((c) => c.type === 'interpolation');
    const decode = (s: string): string | null => (raw ? s : decodePythonEscapes(s));
    if (!parts.prefix.includes('f') || interps.length === 0) {
      const rawText = this.text.slice(parts.contentStart, parts.contentEnd);
      const value = decode(rawText);
      if (value === null) return opaque('string', r(n), []);
      const lit = literal(value, this.src(n), r(n));
      if (this.wantKeys && value.includes('sk-ant-')) this.keyLiterals.push(lit);
      return lit;
    }
    // An f-string: text parts and interpolations; its value is unknown.
    const quasis: Node[] = [];
    const expressions: Node[] = [];
    let at = parts.contentStart;
    const pushQuasi = (s: number, e: number, tail: boolean): void => {
      const rawText = this.text.slice(s, e);
      const q = mk<TSESTree.TemplateElement>('TemplateElement', [s, e], { value: { raw: rawText, cooked: decode(rawText) ?? rawText }, tail });
      if (this.wantKeys && rawText.includes('sk-ant-')) this.keyLiterals.push(q);
      quasis.push(q);
    };
    for (const it of interps) {
      pushQuasi(at, it.start, false);
      const e = field(it, 'expression') ?? named(it)[0];
      expressions.push(e ? this.expr(e) : opaque('empty', r(it), []));
      at = it.end;
    }
    pushQuasi(at, parts.contentEnd, true);
    return mk('TemplateLiteral', r(n), { quasis, expressions });
  }

  private concatenated(n: CNode): Node {
    const parts = named(n).map((c) => this.expr(c));
    if (parts.every((p) => p.type === 'Literal' && typeof (p as TSESTree.Literal).value === 'string')) {
      const value = parts.map((p) => (p as TSESTree.StringLiteral).value).join('');
      const lit = literal(value, this.src(n), r(n));
      if (this.wantKeys && value.includes('sk-ant-') && !parts.some((p) => (p as TSESTree.StringLiteral).value.includes('sk-ant-'))) this.keyLiterals.push(lit);
      return lit;
    }
    return opaque('concatenated_string', r(n), parts);
  }

  private dictionary(n: CNode): Node {
    const properties: Node[] = [];
    for (const c of named(n)) {
      if (c.type === 'pair') {
        const k = field(c, 'key') as CNode;
        const v = field(c, 'value') as CNode;
        const key = this.expr(k);
        const computed = !(key.type === 'Literal' && (typeof (key as TSESTree.Literal).value === 'string' || typeof (key as TSESTree.Literal).value === 'number'));
        properties.push(mk('Property', r(c), { key, value: this.expr(v), computed, kind: 'init', method: false, shorthand: false, optional: false }));
      } else if (c.type === 'dictionary_splat') {
        properties.push(mk('SpreadElement', r(c), { argument: this.expr(named(c)[0] ?? c) }));
      } else {
        properties.push(mk('SpreadElement', r(c), { argument: opaque(c.type, r(c), [this.expr(c)]) }));
      }
    }
    return mk('ObjectExpression', r(n), { properties });
  }

  private call(n: CNode): Node {
    const fnC = field(n, 'function') as CNode;
    const argsC = field(n, 'arguments');
    const callee = this.expr(fnC);
    const args: Node[] = [];
    const kwargs: Node[] = [];
    if (argsC && argsC.type === 'generator_expression') args.push(this.expr(argsC));
    else if (argsC) {
      for (const a of named(argsC)) {
        if (a.type === 'keyword_argument') {
          const name = field(a, 'name') as CNode;
          const v = field(a, 'value') as CNode;
          const key = identifier(this.src(name), r(name));
          kwargs.push(mk('Property', r(a), { key, value: v ? this.expr(v) : opaque('empty', r(a), []), computed: false, kind: 'init', method: false, shorthand: false, optional: false }));
        } else if (a.type === 'dictionary_splat') {
          kwargs.push(mk('SpreadElement', r(a), { argument: this.expr(named(a)[0] ?? a) }));
        } else {
          args.push(this.element(a));
        }
      }
    }
    // isinstance(e, A) / isinstance(e, (A, B)) → e instanceof A || e instanceof B
    if (callee.type === 'Identifier' && callee.name === 'isinstance' && args.length === 2 && !kwargs.length) {
      const subject = args[0];
      const classes = args[1].type === 'ArrayExpression' ? (args[1] as TSESTree.ArrayExpression).elements : [args[1]];
      const ok = subject.type !== 'SpreadElement' && classes.length > 0 && classes.every((c) => c && c.type !== 'SpreadElement') && (classes.length === 1 || subject.type === 'Identifier');
      if (ok) {
        let test: Node | null = null;
        for (const cls of classes as Node[]) {
          const left: Node = test ? identifier((subject as TSESTree.Identifier).name, subject.range) : subject;
          const one: Node = mk('BinaryExpression', test ? cls.range : r(n), { operator: 'instanceof', left, right: cls });
          test = test ? mk('LogicalExpression', r(n), { operator: '||', left: test, right: one }) : one;
        }
        return test as Node;
      }
    }
    const isMessages = isMessagesCall(callee);
    if (kwargs.length || (isMessages && args.length === 0)) {
      const o = mk('ObjectExpression', argsC ? r(argsC) : r(n), { properties: kwargs }) as PyNode;
      o.pyKwargs = true;
      args.push(o);
    }
    const last = lastName(callee);
    const isNew = !!last && /^_*[A-Z]/.test(last) && /[a-z]/.test(last);
    const node = mk(isNew ? 'NewExpression' : 'CallExpression', r(n), { callee, arguments: args, optional: false, typeArguments: undefined });
    if (isNew) this.newExpressions.push(node as TSESTree.NewExpression);
    else if (isMessages) this.messageCalls.push(node as TSESTree.CallExpression);
    return node;
  }

  /** A Python annotation as a TypeScript-style type reference (`Anthropic`, `anthropic.Anthropic`, `X | None`, `Optional[X]`). */
  typeAnnotation(t: CNode): Node {
    const inner = t.type === 'type' ? (named(t)[0] ?? t) : t;
    return mk('TSTypeAnnotation', r(t), { typeAnnotation: this.typeNode(inner) });
  }

  private typeNode(t: CNode): Node {
    const ref = (name: Node): Node => mk('TSTypeReference', r(t), { typeName: name, typeArguments: undefined });
    switch (t.type) {
      case 'type':
        return named(t)[0] ? this.typeNode(named(t)[0]) : mk('TSUnknownKeyword', r(t));
      case 'identifier':
        return ref(identifier(this.src(t), r(t)));
      case 'none':
        return mk('TSNullKeyword', r(t));
      case 'attribute': {
        const obj = field(t, 'object') as CNode;
        const attr = field(t, 'attribute') as CNode;
        if (obj.type !== 'identifier') return mk('TSUnknownKeyword', r(t));
        return ref(mk('TSQualifiedName', r(t), { left: identifier(this.src(obj), r(obj)), right: identifier(this.src(attr), r(attr)) }));
      }
      case 'binary_operator': {
        const l = field(t, 'left');
        const rt = field(t, 'right');
        if (!l || !rt) return mk('TSUnknownKeyword', r(t));
        return mk('TSUnionType', r(t), { types: [this.typeNode(l), this.typeNode(rt)] });
      }
      case 'union_type':
        return mk('TSUnionType', r(t), { types: named(t).map((c) => this.typeNode(c)) });
      case 'generic_type': {
        // Optional[X] → X | None
        const base = named(t)[0];
        const params = named(t).find((c) => c.type === 'type_parameter');
        if (base && params && this.src(base).replace(/^typing\./, '') === 'Optional' && named(params)[0]) {
          return mk('TSUnionType', r(t), { types: [this.typeNode(named(params)[0]), mk('TSNullKeyword', r(t))] });
        }
        return mk('TSUnknownKeyword', r(t));
      }
      case 'string': {
        // A forward reference: "Anthropic"
        const p = stringParts(this.text, t.start, t.end);
        const s = this.text.slice(p.contentStart, p.contentEnd).trim();
        if (/^[A-Za-z_]\w*$/.test(s)) return ref(identifier(s, [p.contentStart, p.contentEnd]));
        return mk('TSUnknownKeyword', r(t));
      }
      default:
        return mk('TSUnknownKeyword', r(t));
    }
  }
}

function lastName(callee: Node): string | null {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name;
  return null;
}

/** `….messages.create` / `….messages.stream` as a callee. */
function isMessagesCall(callee: Node): boolean {
  if (callee.type !== 'MemberExpression' || callee.computed) return false;
  const m = callee.property.type === 'Identifier' ? callee.property.name : null;
  if (m !== 'create' && m !== 'stream') return false;
  const obj = callee.object;
  return obj.type === 'MemberExpression' && !obj.computed && obj.property.type === 'Identifier' && obj.property.name === 'messages';
}
