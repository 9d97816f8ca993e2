// The project index's summariser: what a file offers to the others (clients, client factories, retry
// wrappers, functions that reach the API), what it imports, and where it calls imported functions. Built
// from one parse with the same machinery the rules use (scopes, client tracing, the retry analysis). It reads
// any SourceFile: the JS/TS front end is here (JsFile), Python's (PyFile) in pySummary.ts, which hands the
// module's names and imports to the same classification.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node, Value } from '../ruleContext';
import { CallSiteFinder, collectSdkImports } from '../callSites';
import { Evaluator, getEntry, getProp, unwrap } from '../requestModel';
import { forEachNode, parse, propName, SDK_MODULE, walkProgram } from '../scan';
import { ScopeResolver, isFunction } from '../scope';
import type { RetryLayer } from '../retry';
import type { ClientSetting, ExportedEntity, FileSummary, ImportedCall, ImportedName, WrapperFacts } from './model';
import { callAtIn, layersAroundIn } from './sourceFile';
import type { SourceFile } from './sourceFile';
import { contentVersion } from './version';

export { contentVersion };

/** Whether a file may matter to the index (it mentions a client, a retry, an export or the SDK). */
export function mayMatterJs(text: string): boolean {
  return /\bexport\b|module\.exports|\bexports\./.test(text);
}

/** A parsed JS/TS file with the engine's resolvers, for summaries and for analysing calls on demand. */
export class JsFile implements SourceFile {
  readonly language = 'js' as const;
  readonly retriesOption = 'maxRetries';
  readonly scopes = new ScopeResolver();
  readonly finder: CallSiteFinder;
  private readonly evaluator: Evaluator;

  private constructor(
    readonly file: string,
    readonly text: string,
    readonly ast: TSESTree.Program,
    readonly messageCalls: readonly TSESTree.CallExpression[],
  ) {
    this.evaluator = new Evaluator(this.scopes, new Set<Node>(messageCalls));
    const scan = { sdkRequires: [] as Array<TSESTree.CallExpression | TSESTree.ImportExpression> };
    forEachNode(ast, (n) => {
      if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require') {
        const a = n.arguments[0];
        if (a && a.type === 'Literal' && typeof a.value === 'string' && SDK_MODULE.test(a.value)) scan.sdkRequires.push(n);
      }
    });
    this.finder = new CallSiteFinder(this.scopes, this.evaluator, collectSdkImports(ast, scan.sdkRequires));
  }

  isSdkModule(specifier: string): boolean {
    return SDK_MODULE.test(specifier);
  }

  static parse(file: string, text: string): JsFile | { error: string } {
    const p = parse(text, file);
    if ('error' in p) return { error: p.error.message.split('\n')[0] };
    const scan = walkProgram(p.ast, text);
    return new JsFile(file, text, p.ast, scan.messageCalls);
  }

  /** The retry layers around a call node, innermost first, on every path within this file. */
  layersAround(call: TSESTree.CallExpression): { layers: RetryLayer[]; unknownWrapper: boolean } {
    return layersAroundIn(this, call);
  }

  /** The call expression exactly at [start, end), if any. */
  callAt(start: number, end: number): TSESTree.CallExpression | null {
    return callAtIn(this.ast, start, end);
  }

  summary(): FileSummary {
    return summarize(this);
  }
}

export function summarizeJs(file: string, text: string): FileSummary {
  const parsed = JsFile.parse(file, text);
  if ('error' in parsed) {
    return { file, version: contentVersion(text), language: 'js', imports: [], starExports: [], exports: {}, importedCalls: [], parseError: parsed.error };
  }
  return parsed.summary();
}

/** What a front end found at the top of a file: its imports, re-exports, and the nodes its names stand for. */
export interface ModuleNames {
  imports: ImportedName[];
  starExports: string[];
  /** Names already known (re-exports of other modules). */
  exports: Record<string, ExportedEntity>;
  /** exported name → the local node it stands for (classified here). */
  locals: Map<string, Node>;
}

/** The summary of a parsed file from the names its front end collected. */
export function summarizeSource(f: SourceFile, names: ModuleNames): FileSummary {
  const { imports, starExports, exports, locals } = names;
  const calls = importedCalls(f, imports);
  for (const [name, node] of locals) exports[name] = classify(f, node, imports, calls);
  return {
    file: f.file,
    version: contentVersion(f.text),
    language: f.language,
    imports,
    starExports,
    exports,
    importedCalls: calls,
  };
}

function summarize(f: JsFile): FileSummary {
  const imports: ImportedName[] = [];
  const starExports: string[] = [];
  const exports: Record<string, ExportedEntity> = {};
  /** exported name → the local node it stands for. */
  const locals = new Map<string, Node>();

  for (const s of f.ast.body) {
    if (s.type === 'ImportDeclaration') {
      for (const spec of s.specifiers) {
        const imported = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
        imports.push({ local: spec.local.name, imported, specifier: s.source.value });
      }
    } else if (s.type === 'ExportNamedDeclaration') {
      if (s.source) {
        for (const spec of s.specifiers) {
          const local = nameOf(spec.local);
          const exported = nameOf(spec.exported);
          exports[exported] = { kind: 're-export', specifier: s.source.value, imported: local };
        }
      } else if (s.declaration) {
        const d = s.declaration;
        if (d.type === 'VariableDeclaration') {
          for (const v of d.declarations) if (v.id.type === 'Identifier') locals.set(v.id.name, v.init ?? v);
        } else if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) locals.set(d.id.name, d);
      } else {
        for (const spec of s.specifiers) {
          const local = nameOf(spec.local);
          const exported = nameOf(spec.exported);
          locals.set(exported, spec.local);
        }
      }
    } else if (s.type === 'ExportAllDeclaration') {
      if (s.exported) {
        const name = nameOf(s.exported);
        exports[name] = { kind: 're-export', specifier: s.source.value, imported: '*' };
      } else starExports.push(s.source.value);
    } else if (s.type === 'ExportDefaultDeclaration') {
      locals.set('default', s.declaration as Node);
    } else if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression') {
      commonJsExport(s.expression, locals);
    } else if (s.type === 'VariableDeclaration') {
      for (const v of s.declarations) requireImports(v, imports);
    }
  }

  return summarizeSource(f, { imports, starExports, exports, locals });
}

/** `module.exports = { a, b: c }`, `module.exports = fn`, `exports.a = x`, `module.exports.a = x`. */
function commonJsExport(a: TSESTree.AssignmentExpression, locals: Map<string, Node>): void {
  const l = a.left;
  if (l.type !== 'MemberExpression') return;
  const name = propName(l);
  const obj = l.object;
  const isModuleExports = (e: Node): boolean => e.type === 'MemberExpression' && e.object.type === 'Identifier' && e.object.name === 'module' && propName(e) === 'exports';
  if (isModuleExports(l)) {
    const r = unwrap(a.right);
    if (r.type === 'ObjectExpression') {
      for (const p of r.properties) {
        if (p.type !== 'Property') continue;
        const key = p.key.type === 'Identifier' && !p.computed ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : null;
        if (key) locals.set(key, p.value as Node);
      }
    } else locals.set('default', r);
    return;
  }
  if (name && ((obj.type === 'Identifier' && obj.name === 'exports') || isModuleExports(obj))) locals.set(name, a.right);
}

/** `const { a } = require('./x')`, `const x = require('./x')`. */
function requireImports(v: TSESTree.VariableDeclarator, imports: ImportedName[]): void {
  const init = v.init ? unwrap(v.init) : null;
  if (!init || init.type !== 'CallExpression' || init.callee.type !== 'Identifier' || init.callee.name !== 'require') return;
  const a = init.arguments[0];
  if (!a || a.type !== 'Literal' || typeof a.value !== 'string') return;
  if (v.id.type === 'Identifier') imports.push({ local: v.id.name, imported: '*', specifier: a.value });
  else if (v.id.type === 'ObjectPattern') {
    for (const p of v.id.properties) {
      if (p.type !== 'Property' || p.key.type !== 'Identifier') continue;
      const val = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
      if (val.type === 'Identifier') imports.push({ local: val.name, imported: p.key.name, specifier: a.value });
    }
  }
}

function rangeOf(f: SourceFile, n: { range: [number, number] }): { file: string; start: number; end: number } {
  return { file: f.file, start: n.range[0], end: n.range[1] };
}

/** The retry setting of a client construction. */
function settingOf(f: SourceFile, ne: TSESTree.NewExpression, className: string | null): ClientSetting {
  const opts: Value = f.finder.constructorOptions(ne);
  const v = getProp(opts, f.retriesOption);
  if (v === undefined) {
    if (opts.kind === 'object' && opts.complete) return { className, maxRetries: null, source: 'default', at: rangeOf(f, ne) };
    return { className, maxRetries: null, source: 'unknown', at: rangeOf(f, ne) };
  }
  const e = opts.kind === 'object' ? getEntry(opts, f.retriesOption) : undefined;
  const at = e ? { file: f.file, start: e.start, end: e.end } : rangeOf(f, ne);
  if (v.kind === 'number') return { className, maxRetries: v.value, source: 'client', at };
  return { className, maxRetries: null, source: 'unknown', at };
}

export function classify(f: SourceFile, node: Node, imports: ImportedName[], calls: ImportedCall[]): ExportedEntity {
  let n = unwrap(node);
  if (n.type === 'Identifier') {
    const id = n;
    const b = f.scopes.resolve(id);
    if (b && (b.kind === 'import' || isRequire(b.init))) {
      const imp = imports.find((i) => i.local === id.name && !f.isSdkModule(i.specifier));
      return imp ? { kind: 're-export', specifier: imp.specifier, imported: imp.imported } : { kind: 'other' };
    }
    if (b && b.kind === 'function') n = b.declaration;
    else if (b && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var') && b.init && isFunction(unwrap(b.init))) n = unwrap(b.init);
  }
  if (isFunction(n)) return classifyFunction(f, n as TSESTree.FunctionLike, calls);
  if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') return { kind: 'other' };
  const t = f.finder.trace(n);
  if (t && t !== 'not-a-client' && t.newExpression) return { kind: 'client', client: settingOf(f, t.newExpression, t.className) };
  if (t && t !== 'not-a-client') return { kind: 'client', client: { className: t.className, maxRetries: null, source: 'unknown', at: rangeOf(f, n) } };
  return { kind: 'other' };
}

function classifyFunction(f: SourceFile, fn: TSESTree.FunctionLike, calls: ImportedCall[]): ExportedEntity {
  // A function that reaches the API.
  for (const c of f.messageCalls) {
    if (c.range[0] >= fn.range[0] && c.range[1] <= fn.range[1] && f.finder.callSite(c)) return { kind: 'api-function', at: rangeOf(f, fn) };
  }
  // Python: a call on a client imported from another module of the project (`client.messages.create` after
  // `from .client import client`, `get_client().messages.create`): the index tells later whether it is one
  if (f.language === 'python' && f.messageCalls.some((c) => c.range[0] >= fn.range[0] && c.range[1] <= fn.range[1] && receiverIsProjectImport(f, c))) {
    return { kind: 'api-function', at: rangeOf(f, fn), indirect: true };
  }
  // A retry wrapper: a parameter called inside a retry within this function.
  const wrapper = wrapperFacts(f, fn);
  if (wrapper) return { kind: 'wrapper', wrapper };
  // A client factory.
  const ret = f.finder.clientReturnedBy(fn);
  if (ret && ret !== 'not-a-client') {
    if (ret.newExpression) return { kind: 'factory', client: settingOf(f, ret.newExpression, ret.className) };
    return { kind: 'factory', client: { className: ret.className, maxRetries: null, source: 'unknown', at: rangeOf(f, fn) } };
  }
  // A function that calls an imported function may reach the API through it: its callers elsewhere count.
  if (calls.some((c) => c.start >= fn.range[0] && c.end <= fn.range[1])) return { kind: 'api-function', at: rangeOf(f, fn), indirect: true };
  return { kind: 'other' };
}

function wrapperFacts(f: SourceFile, fn: TSESTree.FunctionLike): WrapperFacts | null {
  const params = fn.params.map((p) => (p.type === 'AssignmentPattern' ? p.left : p.type === 'TSParameterProperty' ? p.parameter : p));
  if (!fn.body || !params.length) return null;
  let result: WrapperFacts | null = null;
  forEachNode(fn.body as Node, (n) => {
    if (result) return false;
    if (n.type !== 'CallExpression') return;
    const callee = unwrap(n.callee);
    if (callee.type !== 'Identifier') return;
    const b = f.scopes.resolve(callee);
    if (!b || b.kind !== 'param') return;
    const index = params.findIndex((p) => p === b.id || (p.type === 'Identifier' && p.name === callee.name && b.declaration === p));
    if (index < 0) return;
    const { layers } = f.layersAround(n);
    const inside = layers.filter((l) => l.start >= fn.range[0] && l.end <= fn.range[1]);
    if (!inside.length) return;
    const l = inside[inside.length - 1];
    result = {
      fnParam: index,
      label: l.label,
      attempts: l.attempts,
      bounded: l.bounded,
      budgetMs: l.budgetMs,
      statusAware: l.statusAware,
      retries429: l.retries429,
      waits: l.waits,
      grows: l.grows,
      jittered: l.jittered,
      readsRetryAfter: l.readsRetryAfter,
      waitMs: l.waitMs,
      ...(l.misses ? { misses: l.misses } : {}),
      at: { file: f.file, start: l.start, end: l.end },
    };
  });
  return result;
}

/** Calls of imported names: `ask()`, `lib.ask()`, `await ask()`. */
function importedCalls(f: SourceFile, imports: ImportedName[]): ImportedCall[] {
  if (!imports.length) return [];
  const byLocal = new Map(imports.map((i) => [i.local, i]));
  const out: ImportedCall[] = [];
  forEachNode(f.ast, (n) => {
    if (n.type !== 'CallExpression') return;
    const c = unwrap(n.callee, true);
    if (c.type === 'Identifier' && byLocal.has(c.name)) {
      const b = f.scopes.resolve(c);
      if (b && (b.kind === 'import' || isRequire(b.init))) out.push({ local: c.name, member: null, start: n.range[0], end: n.range[1] });
    } else if (c.type === 'MemberExpression' && c.object.type === 'Identifier' && byLocal.get(c.object.name)?.imported === '*') {
      const b = f.scopes.resolve(c.object);
      const m = propName(c);
      if (b && (b.kind === 'import' || isRequire(b.init)) && m) out.push({ local: c.object.name, member: m, start: n.range[0], end: n.range[1] });
    } else if (f.language === 'python' && c.type === 'MemberExpression') {
      // `mod.ask()` after `from pkg import mod`; `a.b.ask()` after `import a.b`
      const m = propName(c);
      const dotted = dottedName(c.object);
      const root = rootIdentifier(c.object);
      const b = root ? f.scopes.resolve(root) : null;
      if (m && dotted && byLocal.has(dotted) && b && b.kind === 'import') out.push({ local: dotted, member: m, start: n.range[0], end: n.range[1] });
    }
  });
  return out;
}

/** `a.b.c` for a chain of names, else null. */
function dottedName(n: Node): string | null {
  const e = unwrap(n);
  if (e.type === 'Identifier') return e.name;
  if (e.type === 'MemberExpression' && !e.computed && e.property.type === 'Identifier') {
    const left = dottedName(e.object);
    return left === null ? null : `${left}.${e.property.name}`;
  }
  return null;
}

/** The name a chain of members and calls starts from (`client` in `client.messages`, `get` in `get().x`). */
function rootIdentifier(n: Node): TSESTree.Identifier | null {
  let e = unwrap(n);
  for (let i = 0; i < 16; i++) {
    if (e.type === 'Identifier') return e;
    if (e.type === 'MemberExpression') e = unwrap(e.object);
    else if (e.type === 'CallExpression') e = unwrap(e.callee);
    else if (e.type === 'AwaitExpression') e = unwrap(e.argument);
    else return null;
  }
  return null;
}

/** Whether the receiver of an API call starts from a name imported from a module other than the SDK. */
function receiverIsProjectImport(f: SourceFile, call: TSESTree.CallExpression): boolean {
  const root = rootIdentifier(call.callee);
  const b = root ? f.scopes.resolve(root) : null;
  if (!b || b.kind !== 'import') return false;
  const decl = b.declaration.parent as TSESTree.ImportDeclaration | undefined;
  return !!decl && decl.type === 'ImportDeclaration' && !f.isSdkModule(String(decl.source.value));
}

function nameOf(n: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return n.type === 'Identifier' ? n.name : String(n.value);
}

function isRequire(init: Node | null): boolean {
  let e = init ? unwrap(init) : null;
  if (e && e.type === 'MemberExpression') e = unwrap(e.object);
  return !!e && e.type === 'CallExpression' && e.callee.type === 'Identifier' && e.callee.name === 'require';
}
