// Finds the Anthropic call sites: `X.messages.create|stream(…)` and `X.beta.messages.create|stream(…)` where X
// is an Anthropic client, and resolves the client to its construction when it can.
//
// X counts as a client when it is traced, within the file, to:
//   - `new C(…)` where C is an SDK client class (Anthropic, AnthropicBedrock, AnthropicVertex, AnthropicFoundry)
//     imported or required from an Anthropic SDK package (default, named, namespace, `.default`, dynamic import);
//   - a variable (`const`/`let`/`var`), a parameter default, a class field (`this.client`, `this.#client`,
//     initialised in the field or assigned in the constructor, or a constructor parameter property), or the
//     return value of a local factory function;
//   - a parameter, field, variable or factory annotated with an SDK client type (`client: Anthropic`).
//
// Unresolvable receivers. When X cannot be traced (an import from another file, an untyped parameter, a
// property of some other object), the call counts only if the file itself imports an Anthropic SDK package,
// nothing contradicts it (X is not traced to some other construction, package or value), and either X's name
// says so (`anthropic`, `claude`, `anthropicClient`, `this.claude`…) or X is imported from a module whose path
// says so (`import { client } from './anthropic'`). Precision over recall: a generic `client.messages.create`
// in such a file with an untyped `client` is not checked, and nothing is checked in a file that never imports
// the SDK (Twilio's `client.messages.create` stays silent).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, CallSite, ClientInfo, Node, SdkImport, Value } from './ruleContext';
import type { Evaluator } from './requestModel';
import { getProp, keyName, unknownValue, unwrap } from './requestModel';
import { SDK_MODULE, propName } from './scan';
import type { ScopeResolver } from './scope';
import type { ClientSetting } from './project/model';
import type { ProjectIndex } from './project/projectIndex';
import { isFunction } from './scope';

export const CLIENT_CLASSES = new Set(['Anthropic', 'AnthropicBedrock', 'AnthropicVertex', 'AnthropicFoundry']);
const NAME_SAYS_ANTHROPIC = /anthropic|claude/i;
const MAX_DEPTH = 8;

function defaultClassFor(module: string): string {
  if (module.startsWith('@anthropic-ai/bedrock-sdk')) return 'AnthropicBedrock';
  if (module.startsWith('@anthropic-ai/vertex-sdk')) return 'AnthropicVertex';
  if (module.startsWith('@anthropic-ai/foundry-sdk')) return 'AnthropicFoundry';
  return 'Anthropic';
}

/** Names imported or required from an SDK package. */
export function collectSdkImports(
  ast: TSESTree.Program,
  requires: ReadonlyArray<TSESTree.CallExpression | TSESTree.ImportExpression>,
): SdkImport[] {
  const out: SdkImport[] = [];
  for (const s of ast.body) {
    if (s.type === 'ImportDeclaration' && typeof s.source.value === 'string' && SDK_MODULE.test(s.source.value)) {
      const module = s.source.value;
      for (const spec of s.specifiers) {
        const imported =
          spec.type === 'ImportDefaultSpecifier'
            ? 'default'
            : spec.type === 'ImportNamespaceSpecifier'
              ? '*'
              : spec.imported.type === 'Identifier'
                ? spec.imported.name
                : String(spec.imported.value);
        out.push({ local: spec.local.name, imported, module, node: spec });
      }
      if (s.specifiers.length === 0) out.push({ local: '', imported: '*', module, node: s });
    } else if (
      s.type === 'TSImportEqualsDeclaration' &&
      s.moduleReference.type === 'TSExternalModuleReference' &&
      s.moduleReference.expression.type === 'Literal' &&
      typeof s.moduleReference.expression.value === 'string' &&
      SDK_MODULE.test(s.moduleReference.expression.value)
    ) {
      out.push({ local: s.id.name, imported: '*', module: s.moduleReference.expression.value, node: s });
    }
  }
  for (const r of requires) {
    const src = r.type === 'ImportExpression' ? r.source : r.arguments[0];
    const module = String((src as TSESTree.StringLiteral).value);
    // Climb `await`, `.default`, `.X` to the declarator.
    let n: Node = r;
    let member: string | null = null;
    for (let p = n.parent; p; n = p, p = p.parent) {
      if (p.type === 'AwaitExpression' || p.type === 'TSAsExpression' || p.type === 'TSNonNullExpression') continue;
      if (p.type === 'MemberExpression' && p.object === n && member === null) {
        member = propName(p);
        continue;
      }
      break;
    }
    const decl = n.parent;
    if (!decl || decl.type !== 'VariableDeclarator' || decl.init !== n) {
      out.push({ local: '', imported: member ?? '*', module, node: r });
      continue;
    }
    if (decl.id.type === 'Identifier') {
      out.push({ local: decl.id.name, imported: member ?? '*', module, node: decl });
    } else if (decl.id.type === 'ObjectPattern' && member === null) {
      for (const prop of decl.id.properties) {
        if (prop.type !== 'Property') continue;
        const key = keyName(prop);
        const v = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
        if (key && v.type === 'Identifier') out.push({ local: v.name, imported: key, module, node: decl });
      }
    } else {
      out.push({ local: '', imported: member ?? '*', module, node: r });
    }
  }
  return out;
}

export interface Classified {
  how: ClientInfo['how'];
  className: string | null;
  newExpression: TSESTree.NewExpression | null;
  /** For a client made in another file of the project: its retry setting there. */
  external?: ClientSetting;
}

/** The project index as the call-site finder sees it (absent in the file-by-file mode). */
export interface ProjectLink {
  index: ProjectIndex;
  /** The linted file's absolute path. */
  file: string;
}

/** Something known not to be an Anthropic client (another construction, another package, a literal). */
const NOT_A_CLIENT = 'not-a-client' as const;
export type Trace = Classified | typeof NOT_A_CLIENT | null;

export class CallSiteFinder {
  private readonly importsByLocal = new Map<string, SdkImport>();
  private readonly traceCache = new Map<Node, Trace>();

  constructor(
    private readonly scopes: ScopeResolver,
    private readonly evaluator: Evaluator,
    readonly sdkImports: readonly SdkImport[],
    /** The SDK client classes of the file's language (the Python front end passes its own). */
    protected readonly clientClasses: ReadonlySet<string> = CLIENT_CLASSES,
    private readonly project: ProjectLink | null = null,
  ) {
    for (const i of sdkImports) if (i.local) this.importsByLocal.set(i.local, i);
  }

  get fileUsesSdk(): boolean {
    return this.sdkImports.length > 0;
  }

  /** The SDK import a local name refers to at `from`, if any (respecting shadowing). */
  sdkImportFor(name: string, from: Node): SdkImport | null {
    const imp = this.importsByLocal.get(name);
    if (!imp) return null;
    const b = this.scopes.resolveName(name, from);
    if (!b) return null;
    // The import's own binding: an import specifier, or the declarator of the require.
    if (b.declaration === imp.node || b.declaration.parent === imp.node || (imp.node.type === 'VariableDeclarator' && b.declaration === imp.node)) return imp;
    return null;
  }

  /**
   * If `callee` (of a `new` or a type reference) names an SDK client class, its class name.
   * `Anthropic` (default/named/require), `sdk.Anthropic`, `Anthropic.default`, `sdk.default`.
   */
  clientClassOf(callee: Node): string | null {
    const c = unwrap(callee);
    if (c.type === 'Identifier') {
      const imp = this.sdkImportFor(c.name, c);
      if (!imp) return null;
      if (imp.imported === 'default' || imp.imported === '*') return defaultClassFor(imp.module);
      return CLIENT_CLASSES.has(imp.imported) ? imp.imported : null;
    }
    if (c.type === 'MemberExpression' && c.object.type === 'Identifier') {
      const imp = this.sdkImportFor(c.object.name, c.object);
      if (!imp) return null;
      const m = propName(c);
      if (imp.imported !== '*' && imp.imported !== 'default') return null;
      if (m === 'default') return defaultClassFor(imp.module);
      return m && CLIENT_CLASSES.has(m) ? m : null;
    }
    return null;
  }

  /** Whether a type annotation names an SDK client type (`Anthropic`, `sdk.Anthropic`, `AnthropicBedrock`). */
  private typeNamesClient(t: TSESTree.TypeNode | undefined, from: Node): string | null {
    if (!t) return null;
    if (t.type === 'TSTypeReference') {
      const n = t.typeName;
      if (n.type === 'Identifier') {
        const imp = this.sdkImportFor(n.name, from);
        if (!imp) return null;
        if (imp.imported === 'default' || imp.imported === '*') return defaultClassFor(imp.module);
        return this.clientClasses.has(imp.imported) ? imp.imported : null;
      }
      if (n.type === 'TSQualifiedName' && n.left.type === 'Identifier') {
        const imp = this.sdkImportFor(n.left.name, from);
        if (!imp || (imp.imported !== '*' && imp.imported !== 'default')) return null;
        return this.clientClasses.has(n.right.name) ? n.right.name : null;
      }
    }
    if (t.type === 'TSUnionType') {
      // `Anthropic | undefined`, `Anthropic | null`
      let found: string | null = null;
      for (const u of t.types) {
        if (u.type === 'TSUndefinedKeyword' || u.type === 'TSNullKeyword') continue;
        const c = this.typeNamesClient(u, from);
        if (!c) return null;
        found = c;
      }
      return found;
    }
    return null;
  }

  /** Traces an expression to an Anthropic client, to something that is certainly not one, or to nothing. */
  trace(expr: Node, depth = 0): Trace {
    if (depth > MAX_DEPTH) return null;
    const e = unwrap(expr);
    const cached = this.traceCache.get(e);
    if (cached !== undefined) return cached;
    this.traceCache.set(e, null); // cycle guard
    const r = this.traceUncached(e, depth);
    this.traceCache.set(e, r);
    return r;
  }

  private traceUncached(e: Node, depth: number): Trace {
    switch (e.type) {
      case 'NewExpression': {
        const cls = this.clientClassOf(e.callee);
        if (cls) return { how: 'constructed', className: cls, newExpression: e };
        return NOT_A_CLIENT;
      }
      case 'AwaitExpression':
        return this.trace(e.argument, depth + 1);
      case 'Literal':
      case 'TemplateLiteral':
      case 'ObjectExpression':
      case 'ArrayExpression':
        return NOT_A_CLIENT;
      case 'LogicalExpression':
        // `cached ?? new Anthropic()`: the right side tells.
        if (e.operator === '??' || e.operator === '||') {
          const r = this.trace(e.right, depth + 1);
          if (r && r !== NOT_A_CLIENT) return r;
          return this.trace(e.left, depth + 1);
        }
        return null;
      case 'AssignmentExpression':
        // `return client ??= new Anthropic()`, `return (this.api = new Anthropic())`: the assigned value.
        if (e.operator === '=' || e.operator === '??=' || e.operator === '||=') return this.trace(e.right, depth + 1);
        return null;
      case 'Identifier':
        return this.traceIdentifier(e, depth);
      case 'CallExpression':
        return this.traceCall(e, depth);
      case 'MemberExpression': {
        if (e.object.type === 'ThisExpression') return this.traceThisMember(e, depth);
        // `lib.client` where lib is a namespace import of a project module
        const m = propName(e);
        if (e.object.type === 'Identifier' && m && this.isProjectImport(e.object)) return this.imported(e.object.name, m, 'client');
        return null;
      }
      default:
        return null;
    }
  }

  private traceIdentifier(id: TSESTree.Identifier, depth: number): Trace {
    const b = this.scopes.resolve(id);
    if (!b) return null;
    switch (b.kind) {
      case 'import': {
        const d = b.declaration;
        if (d.type === 'ImportSpecifier' || d.type === 'ImportDefaultSpecifier' || d.type === 'ImportNamespaceSpecifier') {
          const src = (d.parent as TSESTree.ImportDeclaration).source.value;
          if (this.isSdkSource(src)) return NOT_A_CLIENT; // the class or namespace itself, not an instance
          return this.imported(id.name, null, 'client');
        }
        return null;
      }
      case 'const':
      case 'let':
      case 'var': {
        const decl = b.declaration as TSESTree.VariableDeclarator;
        const typed = decl.id === b.id ? this.typeNamesClient(b.id.typeAnnotation?.typeAnnotation, b.id) : null;
        if (b.init && decl.id === b.id && b.kind !== 'const' && isNullish(b.init)) {
          // `let client: Anthropic | null = null` filled in later (a lazy singleton): the assignments decide.
          const r = this.traceAssignments(b.id, depth);
          if (r) return r;
          if (typed) return { how: 'typed', className: typed, newExpression: null };
          return null;
        }
        if (b.init && decl.id === b.id) {
          const r = this.trace(b.init, depth + 1);
          if (r && r !== NOT_A_CLIENT) return r;
          if (typed) return { how: 'typed', className: typed, newExpression: null };
          if (r === NOT_A_CLIENT) return r;
          return this.requiresOtherPackage(b.init) ? NOT_A_CLIENT : null;
        }
        if (!b.init && b.kind !== 'const') {
          const assigned = this.traceAssignments(b.id, depth);
          if (assigned) return assigned;
        }
        if (typed) return { how: 'typed', className: typed, newExpression: null };
        return null;
      }
      case 'param': {
        const p = b.declaration;
        let param: Node = p.type === 'TSParameterProperty' ? p.parameter : p;
        if (param.type === 'AssignmentPattern') {
          if (param.left === b.id) {
            const typed = this.typeNamesClient(b.id.typeAnnotation?.typeAnnotation, b.id);
            if (typed) return { how: 'typed', className: typed, newExpression: null };
            const r = this.trace(param.right, depth + 1);
            return r === NOT_A_CLIENT ? null : r;
          }
          param = param.left;
        }
        if (param === b.id) {
          const typed = this.typeNamesClient(b.id.typeAnnotation?.typeAnnotation, b.id);
          const fromCallers = this.traceFromCallers(b, depth);
          if (fromCallers) return fromCallers;
          if (typed) return { how: 'typed', className: typed, newExpression: null };
        }
        return null;
      }
      case 'function':
      case 'class':
        return NOT_A_CLIENT;
    }
    return null;
  }

  /**
   * `let client; … client = new Anthropic()`: the assignments in the binding's scope, if all agree.
   * Assignments of `null` / `undefined` (a reset) are ignored; anything else that is not a client makes it unknown.
   */
  private traceAssignments(id: TSESTree.Identifier, depth: number): Trace {
    const b = this.scopes.resolve(id);
    if (!b) return null;
    const scope = this.scopes.scopeOf(b);
    if (!scope) return null;
    const values: Node[] = [];
    walkLinked(scope, (n) => {
      if (n.type === 'AssignmentExpression' && isClientAssignOp(n.operator) && n.left.type === 'Identifier' && n.left.name === id.name && this.scopes.resolve(n.left) === b) {
        values.push(n.right);
      }
    });
    return this.agreeing(values, depth);
  }

  /**
   * A plain parameter of a function that is only ever called in this file (not exported, never passed on as a
   * value), by callers that all pass the same client: that client. `async function ask(client) {…}` called as
   * `ask(anthropic)`.
   */
  private traceFromCallers(b: Binding, depth: number): Trace {
    const fn = b.declaration.parent as Node | undefined;
    if (!fn || !isFunction(fn)) return null;
    const index = fn.params.indexOf(b.declaration as TSESTree.Parameter);
    if (index < 0) return null;
    const fnBinding = this.functionBinding(fn);
    if (!fnBinding) return null;
    const scope = this.scopes.scopeOf(fnBinding);
    if (!scope) return null;
    const args: Node[] = [];
    let escapes = false;
    walkLinked(scope, (n) => {
      if (escapes || n.type !== 'Identifier' || n.name !== fnBinding.id.name || n === fnBinding.id) return;
      if (this.scopes.resolve(n) !== fnBinding) return;
      const p = n.parent as Node | undefined;
      if (p && p.type === 'CallExpression' && p.callee === n) {
        const a = p.arguments[index];
        if (!a || a.type === 'SpreadElement' || p.arguments.slice(0, index).some((x) => x.type === 'SpreadElement')) escapes = true;
        else args.push(a);
      } else if (p && (p.type === 'ExportSpecifier' || p.type === 'ExportDefaultDeclaration')) escapes = true;
      else if (!p || (p.type !== 'FunctionDeclaration' && p.type !== 'VariableDeclarator')) escapes = true;
    });
    if (escapes || args.length === 0) return null;
    const r = this.agreeing(args, depth);
    return r === NOT_A_CLIENT ? null : r;
  }

  /** The binding that names a function (`function f`, `const f = () => …`), when it is not exported. */
  private functionBinding(fn: Node): Binding | null {
    let id: TSESTree.Identifier | null = null;
    if (fn.type === 'FunctionDeclaration' && fn.id) id = fn.id;
    else if ((fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') && fn.parent?.type === 'VariableDeclarator' && fn.parent.init === fn && fn.parent.id.type === 'Identifier') {
      id = fn.parent.id;
    }
    if (!id) return null;
    for (let p = fn.parent as Node | undefined; p && p.type !== 'Program'; p = p.parent as Node | undefined) {
      if (p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration') return null;
      if (p.type === 'BlockStatement') break;
    }
    const b = this.scopes.resolve(id);
    return b && b.id === id ? b : null;
  }

  /**
   * The client that every one of `values` traces to, skipping `null` / `undefined`. When they are all
   * constructions that disagree on `maxRetries`, the client is known but its setting is not.
   */
  private agreeing(values: readonly Node[], depth: number): Trace {
    let found: Classified | null = null;
    for (const v of values) {
      if (isNullish(v)) continue;
      const r = this.trace(v, depth + 1);
      if (!r || r === NOT_A_CLIENT) return null;
      if (!found) found = r;
      else if (!this.sameSetting(found, r)) {
        return { how: 'typed', className: found.className === r.className ? found.className : null, newExpression: null };
      }
    }
    return found;
  }

  /** Two traced clients with the same retry setting (`maxRetries` as written, or both absent). */
  private sameSetting(a: Classified, b: Classified): boolean {
    if (a.newExpression === b.newExpression) return true;
    if (!a.newExpression || !b.newExpression) return false;
    const ra = getProp(this.constructorOptions(a.newExpression), 'maxRetries');
    const rb = getProp(this.constructorOptions(b.newExpression), 'maxRetries');
    if (ra === undefined || rb === undefined) return ra === rb;
    if (ra.kind === 'number' && rb.kind === 'number') return ra.value === rb.value;
    return false;
  }

  /** A name imported from a module of the project that the index knows as a client (or a client factory). */
  protected imported(local: string, member: string | null, want: 'client' | 'factory'): Trace {
    if (!this.project) return null;
    const found = this.project.index.importedEntity(this.project.file, local, member);
    if (!found || found.entity.kind !== want) return null;
    const setting = found.entity.client;
    return { how: 'imported', className: setting.className, newExpression: null, external: setting };
  }

  /** Whether `id` names a whole module of the project (a namespace import; in Python also `from pkg import mod`). */
  protected isProjectImport(id: TSESTree.Identifier): boolean {
    const b = this.scopes.resolve(id);
    if (!b || b.kind !== 'import') return false;
    const d = b.declaration;
    return d.type === 'ImportNamespaceSpecifier' && !this.isSdkSource((d.parent as TSESTree.ImportDeclaration).source.value);
  }

  /** Whether a module specifier names the SDK (the Python front end has its own). */
  protected isSdkSource(specifier: string): boolean {
    return SDK_MODULE.test(specifier);
  }

  /** `makeClient()` where makeClient is a local function returning a client, or a factory imported from the project. */
  private traceCall(call: TSESTree.CallExpression, depth: number): Trace {
    const callee = unwrap(call.callee);
    if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && this.isProjectImport(callee.object)) {
      const m = propName(callee);
      return m ? this.imported(callee.object.name, m, 'factory') : null;
    }
    if (callee.type !== 'Identifier') return null;
    const b = this.scopes.resolve(callee);
    if (!b) return null;
    let fn: Node | null = null;
    if (b.kind === 'function') fn = b.declaration;
    else if (b.kind === 'const' && b.init) {
      const init = unwrap(b.init);
      if (isFunction(init)) fn = init;
    } else if (b.kind === 'import') {
      const d = b.declaration;
      if (d.type === 'ImportSpecifier' || d.type === 'ImportDefaultSpecifier' || d.type === 'ImportNamespaceSpecifier') {
        const src = (d.parent as TSESTree.ImportDeclaration).source.value;
        const factory = this.imported(callee.name, null, 'factory');
        if (factory) return factory;
        if (!src.startsWith('.') && !src.startsWith('/') && !this.isSdkSource(src) && !this.project?.index.resolvesInProject(src, this.project.file)) return NOT_A_CLIENT;
      }
      return null;
    }
    if (!fn || !isFunction(fn)) return null;
    return this.clientReturnedBy(fn, depth);
  }

  /** The client a function returns (its body first, then its declared return type). */
  clientReturnedBy(fn: TSESTree.FunctionLike, depth = 0): Trace {
    // The body first (it may show the construction and its options), then the declared return type.
    const typed = fn.returnType ? this.typeNamesClient(unwrapPromise(fn.returnType.typeAnnotation), fn) : null;
    const asTyped: Trace = typed ? { how: 'typed', className: typed, newExpression: null } : null;
    if (!fn.body) return asTyped;
    if (fn.body.type !== 'BlockStatement') {
      const r = this.trace(fn.body, depth + 1);
      return r && r !== NOT_A_CLIENT ? r : (asTyped ?? r);
    }
    const returned = returnsOf(fn.body).flatMap((ret) => (ret.argument ? [ret.argument] : []));
    const r = this.agreeing(returned, depth);
    if (r && r !== NOT_A_CLIENT) return r;
    if (asTyped) return asTyped;
    return returned.length > 0 && returned.every((a) => this.trace(a, depth + 1) === NOT_A_CLIENT) ? NOT_A_CLIENT : null;
  }

  /**
   * `this.client` / `this.#client` inside a class: the field initialiser, the constructor's parameter property,
   * and every `this.client = …` in the class's methods (constructor, an init method, a lazy getter), if they
   * agree; else the field's declared type.
   */
  private traceThisMember(m: TSESTree.MemberExpression, depth: number): Trace {
    const name = propName(m);
    if (!name) return null;
    const cls = enclosingClassBody(m);
    if (!cls) return null;
    const values: Node[] = [];
    let typed: string | null = null;
    for (const el of cls.body) {
      if ((el.type === 'PropertyDefinition' || el.type === 'AccessorProperty') && !el.static && keyName(el as TSESTree.PropertyDefinition) === name) {
        if (el.value) values.push(el.value);
        typed = typed ?? this.typeNamesClient(el.typeAnnotation?.typeAnnotation, el);
      }
      if (el.type === 'MethodDefinition' && el.kind === 'constructor') {
        for (const p of el.value.params) {
          if (p.type !== 'TSParameterProperty') continue;
          const inner = p.parameter.type === 'AssignmentPattern' ? p.parameter.left : p.parameter;
          if (inner.type === 'Identifier' && inner.name === name) {
            typed = typed ?? this.typeNamesClient(inner.typeAnnotation?.typeAnnotation, el.value);
            // A parameter property is set by whoever constructs the class: unknown unless typed.
            if (p.parameter.type !== 'AssignmentPattern') return typed ? { how: 'typed', className: typed, newExpression: null } : null;
            values.push(p.parameter.right);
          }
        }
      }
    }
    walkLinked(cls, (n) => {
      if (
        n.type === 'AssignmentExpression' &&
        isClientAssignOp(n.operator) &&
        n.left.type === 'MemberExpression' &&
        n.left.object.type === 'ThisExpression' &&
        propName(n.left) === name &&
        enclosingClassBody(n) === cls
      ) {
        values.push(n.right);
      }
    });
    const r = this.agreeing(values, depth);
    if (r) return r;
    if (typed) return { how: 'typed', className: typed, newExpression: null };
    // A field that only ever holds something else (`this.client = twilio(…)`) is not an Anthropic client.
    const traced = values.filter((v) => !isNullish(v)).map((v) => this.trace(v, depth + 1));
    return traced.length > 0 && traced.every((t) => t === NOT_A_CLIENT) ? NOT_A_CLIENT : null;
  }

  /** `require('twilio')(…)`, `new Twilio(…)`-style values from some other package. */
  private requiresOtherPackage(init: Node): boolean {
    let e = unwrap(init);
    while (e.type === 'CallExpression' || e.type === 'MemberExpression' || e.type === 'AwaitExpression') {
      if (e.type === 'CallExpression') {
        if (e.callee.type === 'Identifier' && e.callee.name === 'require') {
          const a = e.arguments[0];
          return !!a && a.type === 'Literal' && typeof a.value === 'string' && !SDK_MODULE.test(a.value) && !a.value.startsWith('.');
        }
        e = unwrap(e.callee);
      } else if (e.type === 'MemberExpression') e = unwrap(e.object);
      else e = unwrap(e.argument);
    }
    return false;
  }

  /** The assumed route for untraceable receivers (see the header comment). */
  private assumed(receiver: Node): boolean {
    if (!this.fileUsesSdk) return false;
    const r = unwrap(receiver);
    let name: string | null = null;
    if (r.type === 'Identifier') {
      name = r.name;
      const b = this.scopes.resolve(r);
      if (b && b.kind === 'import') {
        const d = b.declaration;
        if (d.type === 'ImportSpecifier' || d.type === 'ImportDefaultSpecifier' || d.type === 'ImportNamespaceSpecifier') {
          const src = (d.parent as TSESTree.ImportDeclaration).source.value;
          if (NAME_SAYS_ANTHROPIC.test(src)) return true;
        }
      }
    } else if (r.type === 'MemberExpression') {
      name = propName(r);
    } else if (r.type === 'CallExpression') {
      const c = unwrap(r.callee);
      name = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' ? propName(c) : null;
    }
    return !!name && NAME_SAYS_ANTHROPIC.test(name);
  }

  /** Builds the call site for a candidate `….messages.create|stream(…)`, or null when X is not a client. */
  callSite(call: TSESTree.CallExpression): CallSite | null {
    const callee = call.callee as TSESTree.MemberExpression;
    const method = propName(callee) as 'create' | 'stream';
    const messages = callee.object as TSESTree.MemberExpression;
    let receiver = messages.object as TSESTree.Expression;
    let beta = false;
    const ru = unwrap(receiver);
    if (ru.type === 'MemberExpression' && propName(ru) === 'beta') {
      beta = true;
      receiver = ru.object as TSESTree.Expression;
    }
    if (receiver.type === 'Super') return null;
    const t = this.trace(receiver);
    let client: ClientInfo;
    if (t && t !== NOT_A_CLIENT) {
      client = {
        how: t.how,
        className: t.className,
        newExpression: t.newExpression,
        options: t.newExpression ? this.constructorOptions(t.newExpression) : unknownValue(null),
      };
      if (t.external) client.external = t.external;
    } else if (t === null && this.assumed(receiver)) {
      client = { how: 'assumed', className: null, newExpression: null, options: unknownValue(null) };
    } else {
      return null;
    }
    const args = call.arguments;
    const first = args[0] && args[0].type !== 'SpreadElement' ? this.evaluator.valueOf(args[0]) : unknownValue(args[0] ?? null);
    const second: Value =
      args.length < 2
        ? args.length === 1 && args[0].type !== 'SpreadElement'
          ? { kind: 'object', props: [], complete: true, literal: null, node: null, start: call.range[1], end: call.range[1] }
          : unknownValue(null)
        : args[1].type === 'SpreadElement'
          ? unknownValue(args[1])
          : this.evaluator.valueOf(args[1]);
    return {
      kind: method,
      beta,
      method: `${beta ? 'beta.' : ''}messages.${method}`,
      node: call,
      callee,
      receiver,
      client,
      request: first,
      options: second,
      shared: new Map(),
    };
  }

  constructorOptions(n: TSESTree.NewExpression): Value {
    if (n.arguments.length === 0) return { kind: 'object', props: [], complete: true, literal: null, node: null, start: n.range[1], end: n.range[1] };
    const a = n.arguments[0];
    if (a.type === 'SpreadElement') return unknownValue(a);
    return this.evaluator.valueOf(a);
  }
}

function isNullish(e: Node): boolean {
  const u = unwrap(e);
  return (u.type === 'Literal' && u.value === null && !('regex' in u)) || (u.type === 'Identifier' && u.name === 'undefined');
}

function isClientAssignOp(op: string): boolean {
  return op === '=' || op === '??=' || op === '||=';
}

function unwrapPromise(t: TSESTree.TypeNode): TSESTree.TypeNode {
  if (t.type === 'TSTypeReference' && t.typeName.type === 'Identifier' && t.typeName.name === 'Promise' && t.typeArguments?.params.length === 1) {
    return t.typeArguments.params[0];
  }
  return t;
}

function enclosingClassBody(n: Node): TSESTree.ClassBody | null {
  // `this` inside an arrow function still refers to the class; inside a plain function it does not.
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'FunctionDeclaration') return null;
    if (p.type === 'FunctionExpression' && p.parent?.type !== 'MethodDefinition' && p.parent?.type !== 'Property') return null;
    if (p.type === 'ClassBody') return p;
  }
  return null;
}

/** Return statements of a function body, not those of nested functions. */
function returnsOf(body: TSESTree.BlockStatement): TSESTree.ReturnStatement[] {
  const out: TSESTree.ReturnStatement[] = [];
  walkLinked(body, (n) => {
    if (n.type === 'ReturnStatement') out.push(n);
  }, true);
  return out;
}

/** Walks statements and expressions below `root`; `skipFunctions` stops at nested functions. */
function walkLinked(root: Node, fn: (n: Node) => void, skipFunctions = false): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop() as Node;
    fn(n);
    if (skipFunctions && n !== root && isFunction(n)) continue;
    for (const k in n) {
      if (k === 'parent' || k === 'range' || k === 'typeAnnotation' || k === 'returnType' || k === 'typeArguments' || k === 'typeParameters') continue;
      const v = (n as unknown as Record<string, unknown>)[k];
      if (!v || typeof v !== 'object') continue;
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof (c as Node).type === 'string') stack.push(c as Node);
      } else if (typeof (v as Node).type === 'string') stack.push(v as Node);
    }
  }
}
