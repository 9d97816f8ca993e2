// Lexical name resolution within one file, computed lazily: a scope's declarations are collected the first
// time a name is looked up through it, by reading its direct statements (no deep walk). Good enough for
// following `const` bindings, imports, parameters and local functions; `var` hoisting out of nested blocks
// and `with`/`eval` are not modelled (a name that does not resolve is simply unknown).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, Node } from './ruleContext';

type Decls = Map<string, Binding>;

export class ScopeResolver {
  private readonly cache = new WeakMap<Node, Decls>();

  /** The binding a name refers to, looking outwards from `from` (whose `.parent` chain must be set). */
  resolveName(name: string, from: Node): Binding | null {
    for (let n: Node | undefined = from; n; n = n.parent as Node | undefined) {
      if (!isScopeNode(n)) continue;
      const b = this.declarations(n).get(name);
      if (b) return b;
    }
    return null;
  }

  resolve(id: TSESTree.Identifier): Binding | null {
    return this.resolveName(id.name, id);
  }

  /** The node whose scope holds the binding (where references to it can appear). */
  scopeOf(binding: Binding): Node | null {
    for (let n: Node | undefined = binding.id; n; n = n.parent as Node | undefined) {
      if (isScopeNode(n) && this.declarations(n).get(binding.id.name) === binding) return n;
    }
    return null;
  }

  declarations(scope: Node): Decls {
    let d = this.cache.get(scope);
    if (d) return d;
    d = new Map();
    this.cache.set(scope, d);
    switch (scope.type) {
      case 'Program':
      case 'BlockStatement':
      case 'StaticBlock':
      case 'TSModuleBlock':
        for (const s of scope.body) addStatement(d, s as Node);
        break;
      case 'SwitchStatement':
        for (const c of scope.cases) for (const s of c.consequent) addStatement(d, s);
        break;
      case 'ForStatement':
        if (scope.init && scope.init.type === 'VariableDeclaration') addStatement(d, scope.init);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        if (scope.left.type === 'VariableDeclaration') addStatement(d, scope.left);
        break;
      case 'CatchClause':
        if (scope.param) addPattern(d, scope.param, 'let', scope, null);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        for (const p of scope.params) {
          if (p.type === 'TSParameterProperty') addPattern(d, p.parameter, 'param', p, null);
          else addPattern(d, p, 'param', p, null);
        }
        if (scope.type === 'FunctionExpression' && scope.id && !d.has(scope.id.name)) {
          d.set(scope.id.name, { kind: 'function', id: scope.id, declaration: scope, init: null });
        }
        // Function declarations and `var`s of the body are found through the body block.
        break;
      case 'ClassExpression':
        if (scope.id) d.set(scope.id.name, { kind: 'class', id: scope.id, declaration: scope, init: null });
        break;
    }
    return d;
  }
}

export function isFunction(n: Node): n is TSESTree.FunctionLike {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
}

function isScopeNode(n: Node): boolean {
  switch (n.type) {
    case 'Program':
    case 'BlockStatement':
    case 'StaticBlock':
    case 'TSModuleBlock':
    case 'SwitchStatement':
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'CatchClause':
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassExpression':
      return true;
    default:
      return false;
  }
}

function addStatement(d: Decls, s: Node): void {
  switch (s.type) {
    case 'VariableDeclaration': {
      const kind = s.kind === 'const' || s.kind === 'let' || s.kind === 'var' ? s.kind : 'const';
      for (const decl of s.declarations) addPattern(d, decl.id, kind, decl, decl.init ?? null);
      break;
    }
    case 'FunctionDeclaration':
      if (s.id) d.set(s.id.name, { kind: 'function', id: s.id, declaration: s, init: null });
      break;
    case 'ClassDeclaration':
      if (s.id) d.set(s.id.name, { kind: 'class', id: s.id, declaration: s, init: null });
      break;
    case 'ImportDeclaration':
      for (const spec of s.specifiers) d.set(spec.local.name, { kind: 'import', id: spec.local, declaration: spec, init: null });
      break;
    case 'TSImportEqualsDeclaration':
      d.set(s.id.name, { kind: 'import', id: s.id, declaration: s, init: null });
      break;
    case 'ExportNamedDeclaration':
      if (s.declaration) addStatement(d, s.declaration);
      break;
    case 'ExportDefaultDeclaration':
      if (s.declaration.type === 'FunctionDeclaration' || s.declaration.type === 'ClassDeclaration') addStatement(d, s.declaration);
      break;
    case 'LabeledStatement':
      addStatement(d, s.body);
      break;
  }
}

function addPattern(
  d: Decls,
  p: Node,
  kind: Binding['kind'],
  declaration: Node,
  init: TSESTree.Expression | null,
): void {
  switch (p.type) {
    case 'Identifier':
      d.set(p.name, { kind, id: p, declaration, init });
      break;
    case 'ObjectPattern':
      for (const prop of p.properties) {
        if (prop.type === 'RestElement') addPattern(d, prop.argument, kind, declaration, init);
        else addPattern(d, prop.value, kind, declaration, init);
      }
      break;
    case 'ArrayPattern':
      for (const el of p.elements) if (el) addPattern(d, el, kind, declaration, init);
      break;
    case 'AssignmentPattern':
      addPattern(d, p.left, kind, declaration, init);
      break;
    case 'RestElement':
      addPattern(d, p.argument, kind, declaration, init);
      break;
  }
}
