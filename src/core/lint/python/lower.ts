// Lowering: the tree-sitter Python tree → the generic ESTree-shaped tree the engine reads (the subset it
// reads), with `range` offsets into the Python text and `parent` set. Statements are lowered here,
// expressions in lowerExpr.ts. The mapping, in short:
//   import anthropic / from anthropic import X as Y   → ImportDeclaration (namespace / named specifiers)
//   name = value (bound once in its scope)            → const declaration (followed by the request model)
//   name = value (bound more than once), obj.a = v    → assignment expression
//   def f(a, b=1, *args, **kw) / async def / lambda   → function (params, AssignmentPattern, RestElement)
//   class C: def __init__(self): self.client = …      → class with a constructor; `self` → ThisExpression
//   with X as s: body / async with                    → a block: `s = X` then the body (marked pyWith)
//   try/except T as e/else/finally                    → try/catch where the catch tests `e instanceof T` in turn
//                                                       and re-raises what no clause matches; `else` after the
//                                                       try/catch under an opaque `if` (inside the finally's try)
//   for x in xs / while / if/elif/else / return / raise → the ESTree statements
// Anything else keeps its parts (so calls inside are still seen) in an opaque node that evaluates to unknown.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, Node } from '../ruleContext';
import type { CNode } from './cst';
import { field, fieldAll, hasToken, named } from './cst';
import { countBindings, declaredOutside, globalNames } from './bindings';
import { ExprLowerer } from './lowerExpr';
import { identifier, mk, opaque } from './nodes';
import type { PyNode, Range } from './nodes';

export interface LoweredPython {
  ast: TSESTree.Program;
  /** `….messages.create(…)` / `….messages.stream(…)` calls, in source order. */
  messageCalls: TSESTree.CallExpression[];
  /** Calls lowered to `new` (a capitalised callee: a class being instantiated). */
  newExpressions: TSESTree.NewExpression[];
  /** String parts holding `sk-ant-`. */
  keyLiterals: Array<TSESTree.Literal | TSESTree.TemplateElement>;
}

interface Scope {
  node: PyNode;
  counts: Map<string, number>;
  bindings: Map<string, Binding>;
  /** Names this scope declares `global` / `nonlocal`: bound in the module (or an outer function), not here. */
  outside: Set<string>;
}

const r = (n: CNode): Range => [n.start, n.end];

export class Lowerer extends ExprLowerer {
  private scope!: Scope;
  private module!: Scope;
  /** Every import statement, wherever it is (module, function, `try`), in source order. */
  private readonly imports: Node[] = [];
  private forced = new Set<string>();

  lowerModule(root: CNode): LoweredPython {
    this.forced = globalNames(root, this.text);
    const program = mk<TSESTree.Program>('Program', [0, this.text.length], { body: [], sourceType: 'module', comments: this.comments, tokens: [] });
    const counts = countBindings(root, this.text, this.forced).counts;
    this.scope = { node: program as PyNode, counts, bindings: new Map(), outside: new Set() };
    this.module = this.scope;
    (program as PyNode).pyScope = this.scope.bindings;
    const body = this.statements(root.children);
    (program as unknown as { body: Node[] }).body = body;
    for (const s of body) (s as { parent?: Node }).parent = program;
    this.collectComments(root);
    (program as PyNode).pyImports = this.imports;
    this.messageCalls.sort((a, b) => a.range[0] - b.range[0]);
    return { ast: program, messageCalls: this.messageCalls, newExpressions: this.newExpressions, keyLiterals: this.keyLiterals };
  }

  private collectComments(n: CNode): void {
    if (n.type === 'comment') {
      this.comments.push({ type: 'Line', value: this.text.slice(n.start + 1, n.end), range: [n.start, n.end] } as TSESTree.LineComment);
      return;
    }
    for (const c of n.children) collect(this, c);
    function collect(self: Lowerer, c: CNode): void {
      if (c.type === 'comment' || c.children.length) self.collectComments(c);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // bindings

  override bind(name: string, b: Binding): void {
    // `global x` in a function: the assignment binds the module's x (a `nonlocal` one is left unbound).
    const scope = this.scope.outside.has(name) ? this.module : this.scope;
    if (scope !== this.scope && scope.bindings.has(name)) return;
    if (!scope.bindings.has(name)) scope.bindings.set(name, scope === this.scope ? b : { ...b, kind: 'let', init: null });
  }

  private boundOnce(name: string): boolean {
    return (this.scope.counts.get(name) ?? 0) === 1 && !this.forced.has(name);
  }

  /** Registers the names of an assignment target (not a plain `name = value`) as `let` bindings. */
  private bindTarget(t: Node, declaration: Node): void {
    if (t.type === 'Identifier') this.bind(t.name, { kind: 'let', id: t, declaration, init: null });
    else if (t.type === 'ArrayPattern' || t.type === 'ArrayExpression') {
      for (const e of (t as TSESTree.ArrayPattern).elements) if (e) this.bindTarget(e, declaration);
    } else if (t.type === 'RestElement' || t.type === 'SpreadElement') this.bindTarget((t as TSESTree.RestElement).argument, declaration);
  }

  /** Lowers an assignment target: names, tuples of names, attributes, subscripts. */
  private target(t: CNode): Node {
    switch (t.type) {
      case 'identifier':
        return this.expr(t);
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
        return mk('ArrayPattern', r(t), { elements: named(t).map((c) => this.target(c)), decorators: [] });
      case 'parenthesized_expression':
        return named(t)[0] ? this.target(named(t)[0]) : this.expr(t);
      case 'list_splat_pattern':
      case 'list_splat':
        return mk('RestElement', r(t), { argument: named(t)[0] ? this.target(named(t)[0]) : this.expr(t), decorators: [] });
      default:
        return this.expr(t);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // statements

  statements(children: CNode[]): Node[] {
    const out: Node[] = [];
    for (const c of children) if (c.named && c.type !== 'comment') out.push(...this.statement(c));
    return out;
  }

  private block(n: CNode | null, range?: Range): TSESTree.BlockStatement {
    const body = n ? this.statements(n.children) : [];
    return mk<TSESTree.BlockStatement>('BlockStatement', range ?? (n ? r(n) : [0, 0]), { body });
  }

  private exprStatement(e: Node, range: Range): Node {
    return mk('ExpressionStatement', range, { expression: e, directive: undefined });
  }

  statement(n: CNode): Node[] {
    switch (n.type) {
      case 'expression_statement':
        return this.expressionStatement(n);
      case 'import_statement':
        return this.importStatement(n);
      case 'import_from_statement':
      case 'future_import_statement':
        return this.importFrom(n);
      case 'return_statement': {
        const v = named(n)[0];
        return [mk('ReturnStatement', r(n), { argument: v ? this.expr(v) : null })];
      }
      case 'pass_statement':
      case 'global_statement':
      case 'nonlocal_statement':
        return [mk('EmptyStatement', r(n))];
      case 'break_statement':
        return [mk('BreakStatement', r(n), { label: null })];
      case 'continue_statement':
        return [mk('ContinueStatement', r(n), { label: null })];
      case 'raise_statement': {
        const v = named(n)[0];
        const parts = named(n).slice(1).map((c) => this.expr(c)); // `from cause`
        const s = mk('ThrowStatement', r(n), { argument: v ? this.expr(v) : null });
        return parts.length ? [s, this.exprStatement(opaque('raise-from', r(n), parts), r(n))] : [s];
      }
      case 'if_statement':
        return [this.ifStatement(n)];
      case 'while_statement': {
        const loop = mk('WhileStatement', r(n), { test: this.expr(field(n, 'condition') as CNode), body: this.block(field(n, 'body')) });
        const alt = field(n, 'alternative');
        return alt ? [loop, ...this.statements(field(alt, 'body')?.children ?? [])] : [loop];
      }
      case 'for_statement':
        return this.forStatement(n);
      case 'try_statement':
        return this.tryStatement(n);
      case 'with_statement':
        return [this.withStatement(n)];
      case 'function_definition':
        return [this.functionDef(n, [])];
      case 'class_definition':
        return [this.classDef(n, [])];
      case 'decorated_definition': {
        const decorators = named(n).filter((c) => c.type === 'decorator').map((d) => this.expr(named(d)[0] ?? d));
        const def = field(n, 'definition');
        if (!def) return [this.exprStatement(opaque('decorated', r(n), decorators), r(n))];
        return def.type === 'class_definition' ? [this.classDef(def, decorators, r(n))] : [this.functionDef(def, decorators, r(n))];
      }
      case 'delete_statement': {
        const targets = named(n).flatMap((c) => (c.type === 'expression_list' ? named(c) : [c]));
        return targets.map((t) => this.exprStatement(mk('UnaryExpression', r(t), { operator: 'delete', prefix: true, argument: this.target(t) }), r(n)));
      }
      case 'block':
        return this.statements(n.children);
      default: {
        // assert, match, print (Python 2), exec, type aliases: their parts, opaque.
        const parts = named(n).flatMap((c) => (c.type === 'block' || /_statement$|_clause$|^case_clause$/.test(c.type) ? [] : [this.expr(c)]));
        const blocks = named(n).filter((c) => c.type === 'block' || /_clause$|^case_clause$/.test(c.type));
        const body: Node[] = [this.exprStatement(opaque(n.type, r(n), parts), r(n))];
        for (const b of blocks) body.push(...this.statement(b));
        return body.length === 1 ? body : [mk('BlockStatement', r(n), { body })];
      }
    }
  }

  private expressionStatement(n: CNode): Node[] {
    const kids = named(n);
    if (kids.length !== 1) return [this.exprStatement(kids.length ? opaque('expression-list', r(n), kids.map((k) => this.expr(k))) : opaque('empty', r(n), []), r(n))];
    const e = kids[0];
    if (e.type === 'assignment') return [this.assignment(e, r(n))];
    if (e.type === 'augmented_assignment') {
      const left = field(e, 'left') as CNode;
      const op = (e.children.find((c) => !c.named && c.field === 'operator') ?? e.children.find((c) => !c.named))?.type ?? '+=';
      const lhs = this.target(left);
      const a = mk('AssignmentExpression', r(e), { operator: op, left: lhs, right: this.expr(field(e, 'right') as CNode) });
      this.bindTarget(lhs, a);
      return [this.exprStatement(a, r(n))];
    }
    return [this.exprStatement(this.expr(e), r(n))];
  }

  private assignment(a: CNode, stmtRange: Range): Node {
    const left = field(a, 'left') as CNode;
    const right = field(a, 'right');
    const annotation = field(a, 'type');
    if (!right) {
      // `x: int` declares nothing at run time.
      return mk('EmptyStatement', stmtRange);
    }
    if (left.type === 'identifier' && right.type !== 'assignment') {
      const name = this.text.slice(left.start, left.end);
      if (this.boundOnce(name)) {
        const id = identifier(name, r(left));
        if (annotation) (id as { typeAnnotation?: unknown }).typeAnnotation = this.typeAnnotation(annotation);
        const init = this.expr(right);
        const decl = mk<TSESTree.VariableDeclarator>('VariableDeclarator', [a.start, a.end], { id, init, definite: false });
        this.bind(name, { kind: 'const', id, declaration: decl, init: init as TSESTree.Expression });
        return mk('VariableDeclaration', stmtRange, { kind: 'const', declarations: [decl], declare: false });
      }
    }
    // Chained `a = b = v`: each target gets v.
    const targets: CNode[] = [left];
    let value: CNode = right;
    while (value.type === 'assignment' && field(value, 'right')) {
      targets.push(field(value, 'left') as CNode);
      value = field(value, 'right') as CNode;
    }
    let rhs: Node = this.expr(value);
    for (let i = targets.length - 1; i >= 0; i--) {
      const lhs = this.target(targets[i]);
      if (i === 0 && annotation && lhs.type === 'Identifier') (lhs as { typeAnnotation?: unknown }).typeAnnotation = this.typeAnnotation(annotation);
      const asg = mk('AssignmentExpression', [targets[i].start, value.end], { operator: '=', left: lhs, right: rhs });
      this.bindTarget(lhs, asg);
      rhs = asg;
    }
    return this.exprStatement(rhs, stmtRange);
  }

  private importStatement(n: CNode): Node[] {
    const out: Node[] = [];
    for (const c of named(n)) {
      const dotted = c.type === 'aliased_import' ? field(c, 'name') : c;
      if (!dotted) continue;
      const module = this.text.slice(dotted.start, dotted.end).replace(/\s+/g, '');
      const alias = c.type === 'aliased_import' ? field(c, 'alias') : null;
      // `import a.b` binds `a` (the package); `import a.b as c` binds c to a.b.
      const localNode = alias ?? named(dotted)[0] ?? dotted;
      const local = identifier(this.text.slice(localNode.start, localNode.end), r(localNode));
      const spec = mk<TSESTree.ImportNamespaceSpecifier>('ImportNamespaceSpecifier', r(c), { local });
      const source = mk('Literal', r(dotted), { value: alias ? module : module.split('.')[0], raw: JSON.stringify(module) });
      const decl = mk('ImportDeclaration', r(n), { source, specifiers: [spec], importKind: 'value', attributes: [], phase: undefined });
      this.bind(local.name, { kind: 'import', id: local, declaration: spec, init: null });
      this.imports.push(decl);
      out.push(decl);
    }
    return out;
  }

  private importFrom(n: CNode): Node[] {
    const moduleNode = field(n, 'module_name');
    const module = moduleNode ? this.text.slice(moduleNode.start, moduleNode.end).replace(/\s+/g, '') : '__future__';
    const specifiers: Node[] = [];
    for (const c of fieldAll(n, 'name')) {
      const nameNode = c.type === 'aliased_import' ? field(c, 'name') : c;
      if (!nameNode) continue;
      const importedName = this.text.slice(nameNode.start, nameNode.end);
      const aliasNode = c.type === 'aliased_import' ? field(c, 'alias') : null;
      const localNode = aliasNode ?? nameNode;
      const local = identifier(this.text.slice(localNode.start, localNode.end), r(localNode));
      const spec = mk('ImportSpecifier', r(c), { imported: identifier(importedName, r(nameNode)), local, importKind: 'value' });
      this.bind(local.name, { kind: 'import', id: local, declaration: spec, init: null });
      specifiers.push(spec);
    }
    const source = mk('Literal', moduleNode ? r(moduleNode) : r(n), { value: module, raw: JSON.stringify(module) });
    const decl = mk('ImportDeclaration', r(n), { source, specifiers, importKind: 'value', attributes: [], phase: undefined });
    this.imports.push(decl);
    return [decl];
  }

  private ifStatement(n: CNode): Node {
    const alternatives = fieldAll(n, 'alternative');
    const build = (test: CNode, body: CNode | null, range: Range, i: number): Node => {
      const alt = alternatives[i];
      let alternate: Node | null = null;
      if (alt && alt.type === 'elif_clause') alternate = build(field(alt, 'condition') as CNode, field(alt, 'consequence'), [alt.start, n.end], i + 1);
      else if (alt) alternate = this.block(field(alt, 'body'));
      return mk('IfStatement', range, { test: this.expr(test), consequent: this.block(body), alternate });
    };
    return build(field(n, 'condition') as CNode, field(n, 'consequence'), r(n), 0);
  }

  private forStatement(n: CNode): Node[] {
    const leftC = field(n, 'left') as CNode;
    const right = this.expr(field(n, 'right') as CNode);
    const left = this.target(leftC);
    const loop = mk('ForOfStatement', r(n), { left, right, body: this.block(field(n, 'body')), await: hasToken(n, 'async') });
    this.bindTarget(left, loop);
    const alt = field(n, 'alternative');
    return alt ? [loop, ...this.statements(field(alt, 'body')?.children ?? [])] : [loop];
  }

  /**
   * `try: … except: … else: … finally: …` → `try { body } catch (e) { … }` followed by the `else` block under
   * an opaque `if` (it runs only when the body raised nothing, and nothing the excepts catch protects it);
   * with a `finally`, both sit in an outer `try { … } finally { … }`, so the finally still runs after `else`.
   */
  private tryStatement(n: CNode): Node[] {
    const body = field(n, 'body');
    const block = this.block(body);
    const excepts = n.children.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const elseC = n.children.find((c) => c.type === 'else_clause');
    const fin = n.children.find((c) => c.type === 'finally_clause');
    const handler = excepts.length ? this.catchClause(excepts) : null;
    const elseBody = elseC ? field(elseC, 'body') : null;
    const elseIf = elseC ? this.tryElse(elseC, elseBody) : null;
    const finalizer = fin ? this.block(named(fin).find((c) => c.type === 'block') ?? null) : null;
    if (!elseIf) return [mk('TryStatement', r(n), { block, handler, finalizer })];
    const end = (elseC as CNode).end;
    const guarded = mk('TryStatement', [n.start, excepts.length ? excepts[excepts.length - 1].end : (body ?? n).end], { block, handler, finalizer: null });
    if (!finalizer) return [guarded, elseIf];
    const outer = mk<TSESTree.BlockStatement>('BlockStatement', [n.start, end], { body: [guarded, elseIf] });
    return [mk('TryStatement', r(n), { block: outer, handler: null, finalizer })];
  }

  /** The `else` of a try: `if (<the body raised nothing>) { … }`, the `if` marked pyTryElse. */
  private tryElse(elseC: CNode, bodyC: CNode | null): Node {
    const test = opaque('try-else', [elseC.start, elseC.start + 4], []);
    const consequent = this.block(bodyC, bodyC ? r(bodyC) : r(elseC));
    const ifs = mk('IfStatement', r(elseC), { test, consequent, alternate: null }) as PyNode;
    ifs.pyTryElse = true;
    return ifs;
  }

  /** All the except clauses as one catch: `if (e instanceof A) {…} else if (e instanceof B) {…} else throw e`. */
  private catchClause(excepts: CNode[]): Node {
    let errName: string | null = null;
    for (const x of excepts) {
      const v = named(x).find((c) => c.type !== 'block');
      if (v && v.type === 'as_pattern') {
        const alias = field(v, 'alias');
        if (alias) errName = this.text.slice(alias.start, alias.end).trim();
        break;
      }
    }
    const range: Range = [excepts[0].start, excepts[excepts.length - 1].end];
    const param = errName ? identifier(errName, range) : null;
    const chain = (i: number): Node | null => {
      if (i >= excepts.length) return mk('ThrowStatement', range, { argument: errName ? identifier(errName, range) : null });
      const x = excepts[i];
      const v = named(x).find((c) => c.type !== 'block') ?? null;
      const types = v ? (v.type === 'as_pattern' ? (named(v)[0] ?? null) : v) : null;
      const bodyC = named(x).find((c) => c.type === 'block') ?? null;
      const body = this.block(bodyC, r(x));
      if (!types) return body; // bare `except:` catches everything
      const typeNode = this.expr(types);
      const classes = typeNode.type === 'ArrayExpression' ? (typeNode as TSESTree.ArrayExpression).elements : [typeNode];
      let test: Node | null = null;
      for (const cls of classes) {
        if (!cls) continue;
        const one = mk('BinaryExpression', cls.range, { operator: 'instanceof', left: identifier(errName ?? 'error', cls.range), right: cls });
        test = test ? mk('LogicalExpression', [types.start, types.end], { operator: '||', left: test, right: one }) : one;
      }
      const ifs = mk('IfStatement', r(x), { test: test ?? typeNode, consequent: body, alternate: chain(i + 1) }) as PyNode;
      ifs.pyExceptTypes = typeNode;
      if (!test) (typeNode as { parent?: Node }).parent = ifs;
      return ifs;
    };
    const first = chain(0) as Node;
    const catchBody = first.type === 'BlockStatement' ? first : mk('BlockStatement', range, { body: [first] });
    const clause = mk('CatchClause', range, { param, body: catchBody });
    if (param) this.bind(param.name, { kind: 'let', id: param, declaration: clause, init: null });
    return clause;
  }

  private withStatement(n: CNode): Node {
    const clause = n.children.find((c) => c.type === 'with_clause');
    const items = clause ? named(clause).filter((c) => c.type === 'with_item') : [];
    const body: Node[] = [];
    for (const it of items) {
      let v = field(it, 'value') ?? named(it)[0];
      if (!v) continue;
      if (v.type === 'parenthesized_expression' && named(v).length === 1 && named(v)[0].type === 'as_pattern') v = named(v)[0];
      if (v.type === 'as_pattern') {
        const ctx = named(v)[0];
        const alias = field(v, 'alias');
        const aliasTarget = alias ? named(alias)[0] ?? alias : null;
        if (ctx && aliasTarget && aliasTarget.type === 'identifier' && this.boundOnce(this.text.slice(aliasTarget.start, aliasTarget.end))) {
          const id = identifier(this.text.slice(aliasTarget.start, aliasTarget.end), r(aliasTarget));
          const init = this.expr(ctx);
          const decl = mk<TSESTree.VariableDeclarator>('VariableDeclarator', r(v), { id, init, definite: false });
          this.bind(id.name, { kind: 'const', id, declaration: decl, init: init as TSESTree.Expression });
          body.push(mk('VariableDeclaration', r(it), { kind: 'const', declarations: [decl], declare: false }));
        } else if (ctx && aliasTarget) {
          const lhs = this.target(aliasTarget);
          const asg = mk('AssignmentExpression', r(v), { operator: '=', left: lhs, right: this.expr(ctx) });
          this.bindTarget(lhs, asg);
          body.push(this.exprStatement(asg, r(it)));
        } else if (ctx) body.push(this.exprStatement(this.expr(ctx), r(it)));
      } else {
        body.push(this.exprStatement(this.expr(v), r(it)));
      }
    }
    const inner = field(n, 'body');
    body.push(...(inner ? this.statements(inner.children) : []));
    const b = mk('BlockStatement', r(n), { body }) as PyNode;
    b.pyWith = hasToken(n, 'async') ? 'async' : 'sync';
    return b;
  }

  // ---------------------------------------------------------------------------------------------------
  // functions and classes

  /** Lowers the parameters and body of a def or lambda inside a new scope. */
  override functionParts(n: CNode, bodyC: CNode | null, dropFirst: boolean, fn: PyNode, selfName: string | null): { params: Node[]; body: Node } {
    const outer = this.scope;
    const outerSelf = this.selfName;
    const paramsC = field(n, 'parameters');
    const root = bodyC ? (bodyC.type === 'block' ? bodyC : { ...bodyC, children: [bodyC] }) : null;
    const counts = root ? countBindings(root, this.text, this.forced).counts : new Map<string, number>();
    const outside = root ? declaredOutside(root, this.text) : new Set<string>();
    for (const name of outside) counts.delete(name);
    this.scope = { node: fn, counts, bindings: new Map(), outside };
    fn.pyScope = this.scope.bindings;
    this.selfName = selfName;
    try {
      const params: Node[] = [];
      let list = paramsC ? named(paramsC) : [];
      if (dropFirst) list = list.slice(1);
      for (const p of list) {
        const lowered = this.parameter(p, outer);
        if (!lowered) continue;
        params.push(lowered.node);
        counts.set(lowered.id.name, (counts.get(lowered.id.name) ?? 0) + 1);
        this.bind(lowered.id.name, { kind: 'param', id: lowered.id, declaration: lowered.node, init: null });
      }
      let body: Node;
      if (!bodyC) body = mk('BlockStatement', r(n), { body: [] });
      else if (bodyC.type === 'block') body = this.block(bodyC);
      else body = this.expr(bodyC);
      return { params, body };
    } finally {
      this.scope = outer;
      this.selfName = outerSelf;
    }
  }

  /** One parameter; defaults are evaluated in the enclosing scope. */
  private parameter(p: CNode, outer: Scope): { node: Node; id: TSESTree.Identifier } | null {
    const inOuter = <T>(f: () => T): T => {
      const inner = this.scope;
      this.scope = outer;
      try {
        return f();
      } finally {
        this.scope = inner;
      }
    };
    const nameOf = (c: CNode | null): TSESTree.Identifier | null => (c && c.type === 'identifier' ? identifier(this.text.slice(c.start, c.end), r(c)) : null);
    switch (p.type) {
      case 'identifier': {
        const id = nameOf(p) as TSESTree.Identifier;
        return { node: id, id };
      }
      case 'typed_parameter': {
        const inner = named(p)[0];
        if (inner && (inner.type === 'list_splat_pattern' || inner.type === 'dictionary_splat_pattern')) {
          const id = nameOf(named(inner)[0] ?? null);
          return id ? { node: mk('RestElement', r(p), { argument: id, decorators: [] }), id } : null;
        }
        const id = nameOf(inner ?? null);
        if (!id) return null;
        const t = field(p, 'type');
        if (t) (id as { typeAnnotation?: unknown }).typeAnnotation = inOuter(() => this.typeAnnotation(t));
        return { node: id, id };
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const id = nameOf(field(p, 'name'));
        const v = field(p, 'value');
        if (!id) return null;
        const t = field(p, 'type');
        if (t) (id as { typeAnnotation?: unknown }).typeAnnotation = inOuter(() => this.typeAnnotation(t));
        if (!v) return { node: id, id };
        const right = inOuter(() => this.expr(v));
        return { node: mk('AssignmentPattern', r(p), { left: id, right, decorators: [] }), id };
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const id = nameOf(named(p)[0] ?? null);
        return id ? { node: mk('RestElement', r(p), { argument: id, decorators: [] }), id } : null;
      }
      default:
        return null; // `*`, `/` separators
    }
  }

  private functionDef(n: CNode, decorators: Node[], range?: Range): Node {
    const nameC = field(n, 'name');
    const id = nameC ? identifier(this.text.slice(nameC.start, nameC.end), r(nameC)) : null;
    const fn = mk('FunctionDeclaration', range ?? r(n), { id, async: hasToken(n, 'async'), generator: false, expression: false, declare: false }) as PyNode & TSESTree.FunctionDeclaration;
    const { params, body } = this.functionParts(n, field(n, 'body'), false, fn, null);
    this.attachFunction(fn, params, body, n, decorators);
    if (id) this.bind(id.name, { kind: 'function', id, declaration: fn, init: null });
    return fn;
  }

  private attachFunction(fn: PyNode & TSESTree.FunctionLike, params: Node[], body: Node, n: CNode, decorators: Node[]): void {
    const rt = field(n, 'return_type');
    const props: Record<string, unknown> = { params, body };
    if (rt) props.returnType = this.typeAnnotation(rt);
    Object.assign(fn, props);
    for (const p of params) (p as { parent?: Node }).parent = fn;
    (body as { parent?: Node }).parent = fn;
    if (decorators.length) {
      fn.pyDecorators = decorators;
      for (const d of decorators) (d as { parent?: Node }).parent = fn;
    }
  }

  private classDef(n: CNode, decorators: Node[], range?: Range): Node {
    const nameC = field(n, 'name');
    const id = nameC ? identifier(this.text.slice(nameC.start, nameC.end), r(nameC)) : null;
    const supers = field(n, 'superclasses');
    const superList = supers ? named(supers).map((c) => this.expr(c)) : [];
    const members: Node[] = [];
    const bodyC = field(n, 'body');
    for (const s of bodyC ? named(bodyC) : []) members.push(...this.classMember(s));
    const body = mk('ClassBody', bodyC ? r(bodyC) : r(n), { body: members });
    const cls = mk('ClassDeclaration', range ?? r(n), {
      id,
      superClass: superList[0] ?? null,
      body,
      decorators,
      implements: [],
      abstract: false,
      declare: false,
      superTypeArguments: undefined,
      typeParameters: undefined,
    });
    if (superList.length > 1) (cls as PyNode).pyOpaque = 'bases';
    for (const extra of superList.slice(1)) (extra as { parent?: Node }).parent = cls;
    if (id) this.bind(id.name, { kind: 'class', id, declaration: cls, init: null });
    return cls;
  }

  private classMember(s: CNode): Node[] {
    let def = s;
    let decorators: Node[] = [];
    if (s.type === 'decorated_definition') {
      decorators = named(s).filter((c) => c.type === 'decorator').map((d) => this.expr(named(d)[0] ?? d));
      def = field(s, 'definition') ?? s;
    }
    if (def.type === 'function_definition') {
      const names = decorators.map((d) => (d.type === 'Identifier' ? d.name : ''));
      const isStatic = names.includes('staticmethod');
      const isClassMethod = names.includes('classmethod');
      const nameC = field(def, 'name');
      const name = nameC ? this.text.slice(nameC.start, nameC.end) : '';
      const paramsC = field(def, 'parameters');
      const first = paramsC ? named(paramsC)[0] : undefined;
      const selfName = !isStatic && first && first.type === 'identifier' ? this.text.slice(first.start, first.end) : null;
      const fn = mk('FunctionExpression', r(def), { id: null, async: hasToken(def, 'async'), generator: false, expression: false, declare: false }) as PyNode & TSESTree.FunctionExpression;
      // `self` stands for the instance (ThisExpression); `cls` of a classmethod is left as a name.
      const { params, body } = this.functionParts(def, field(def, 'body'), !isStatic, fn, isClassMethod ? null : selfName);
      this.attachFunction(fn, params, body, def, decorators);
      const key = identifier(name, nameC ? r(nameC) : r(def));
      const kind = name === '__init__' ? 'constructor' : 'method';
      return [mk('MethodDefinition', s === def ? r(def) : r(s), { key, value: fn, kind, static: isStatic || isClassMethod, computed: false, override: false, optional: false, decorators: [] })];
    }
    if (def.type === 'expression_statement' && named(def).length === 1 && named(def)[0].type === 'assignment') {
      const a = named(def)[0];
      const left = field(a, 'left');
      const right = field(a, 'right');
      if (left && left.type === 'identifier') {
        const key = identifier(this.text.slice(left.start, left.end), r(left));
        const t = field(a, 'type');
        const value = right ? this.expr(right) : null;
        const p = mk('PropertyDefinition', r(def), { key, value, static: false, computed: false, declare: false, override: false, optional: false, readonly: false, definite: false, decorators: [] });
        if (t) (p as { typeAnnotation?: unknown }).typeAnnotation = this.typeAnnotation(t);
        return [p];
      }
    }
    // Anything else in a class body (docstrings, nested classes, if-blocks): its statements, in a block.
    return [mk('StaticBlock', r(s), { body: this.statement(s) })];
  }
}
