// The Python front end: parse with tree-sitter, lower to the generic tree, and hand the engine what the
// JS/TS front end hands it (the tree, the scan, the SDK imports, scopes and a call-site finder), so the
// rules run unchanged. Python's scoping and its client classes are the only things that differ here.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, CallSite, Node, ObjectValue, SdkImport, Value } from '../ruleContext';
import { CallSiteFinder } from '../callSites';
import type { ProjectLink } from '../callSites';
import type { Evaluator } from '../requestModel';
import { unknownValue, unwrap } from '../requestModel';
import { loadVisitorKeys, propName } from '../scan';
import type { ScanResult } from '../scan';
import { ScopeResolver } from '../scope';
import { firstError, toPlain } from './cst';
import { PY_CLIENT_CLASSES, PY_CLIENT_COPY_METHODS, PY_SDK_MODULE } from './facts';
import { Lowerer } from './lower';
import type { PyNode } from './nodes';
import { parsePythonTree } from './parser';

export function isPythonFile(fileName: string | undefined): boolean {
  return !!fileName && /\.pyi?$/i.test(fileName);
}

export interface PythonParse {
  ast: TSESTree.Program;
  scan: ScanResult;
}

/** Parses and lowers a Python file (the parser must be loaded); a syntax error gives its offset. */
export function parsePython(text: string): PythonParse | { error: { message: string; index: number } } {
  const tree = parsePythonTree(text);
  let cst;
  try {
    cst = toPlain(tree);
  } finally {
    tree.delete();
  }
  const err = firstError(cst);
  if (err) {
    const what = err.type === 'ERROR' ? 'invalid syntax' : `missing ${JSON.stringify(err.type)}`;
    return { error: { message: what, index: Math.min(err.start, text.length) } };
  }
  loadVisitorKeys();
  const lowered = new Lowerer(text).lowerModule(cst);
  return {
    ast: lowered.ast,
    scan: { messageCalls: lowered.messageCalls, newExpressions: lowered.newExpressions, sdkRequires: [], keyLiterals: lowered.keyLiterals },
  };
}

/** Names imported from the `anthropic` package, anywhere in the file (also inside functions and `try`). */
export function collectPythonSdkImports(ast: TSESTree.Program): SdkImport[] {
  const out: SdkImport[] = [];
  for (const n of (ast as PyNode).pyImports ?? []) {
    if (n.type !== 'ImportDeclaration') continue;
    const module = String(n.source.value);
    if (!PY_SDK_MODULE.test(module)) continue;
    for (const spec of n.specifiers) {
      const imported = spec.type === 'ImportSpecifier' ? (spec.imported as TSESTree.Identifier).name : '*';
      out.push({ local: spec.local.name, imported, module, node: spec });
    }
    if (n.specifiers.length === 0) out.push({ local: '', imported: '*', module, node: n });
  }
  return out;
}

const NO_BINDINGS = new Map<string, Binding>();

/** Python scoping: the module, functions and lambdas hold the names bound anywhere in them; blocks hold none. */
export class PythonScopeResolver extends ScopeResolver {
  override declarations(scope: Node): Map<string, Binding> {
    return (scope as PyNode).pyScope ?? NO_BINDINGS;
  }
}

type Trace = ReturnType<CallSiteFinder['trace']>;

/**
 * Call sites in Python: the `anthropic` package's classes, `import anthropic`, and `client.with_options(…)`;
 * with the project index, clients and factories imported from the project's other modules.
 */
export class PythonCallSiteFinder extends CallSiteFinder {
  constructor(
    private readonly pyScopes: ScopeResolver,
    private readonly pyEvaluator: Evaluator,
    sdkImports: readonly SdkImport[],
    project: ProjectLink | null = null,
  ) {
    super(pyScopes, pyEvaluator, sdkImports, PY_CLIENT_CLASSES, project);
  }

  protected override isSdkSource(specifier: string): boolean {
    return PY_SDK_MODULE.test(specifier);
  }

  /** `mod.client` after `import pkg.mod as mod` or `from pkg import mod` (a submodule of the project). */
  protected override isProjectImport(id: TSESTree.Identifier): boolean {
    const b = this.pyScopes.resolve(id);
    if (!b || b.kind !== 'import') return false;
    const d = b.declaration;
    return (d.type === 'ImportNamespaceSpecifier' || d.type === 'ImportSpecifier') && !this.isSdkSource(String((d.parent as TSESTree.ImportDeclaration).source.value));
  }

  override clientClassOf(callee: Node): string | null {
    const c = unwrap(callee);
    if (c.type === 'Identifier') {
      const imp = this.sdkImportFor(c.name, c);
      return imp && imp.imported !== '*' && PY_CLIENT_CLASSES.has(imp.imported) ? imp.imported : null;
    }
    if (c.type === 'MemberExpression' && c.object.type === 'Identifier') {
      const imp = this.sdkImportFor(c.object.name, c.object);
      if (!imp || imp.imported !== '*') return null;
      const m = propName(c);
      return m && PY_CLIENT_CLASSES.has(m) ? m : null;
    }
    return null;
  }

  override trace(expr: Node, depth = 0): Trace {
    const e = unwrap(expr);
    if (e.type === 'Identifier') {
      const b = this.pyScopes.resolve(e);
      if (b && b.kind === 'import') {
        // The `anthropic` module or one of its names is not a client instance; another module's name is
        // what the project index knows of it (unknown without the index, or when it does not resolve).
        const imp = this.sdkImportFor(e.name, e);
        return imp ? ('not-a-client' as Trace) : super.trace(expr, depth);
      }
      if (b && b.kind === 'let' && depth <= 8) return this.traceAssigned(b, depth);
    }
    // `app.clients.client` / `app.clients.get_client()` after `import app.clients`
    const member = e.type === 'MemberExpression' ? e : e.type === 'CallExpression' ? unwrap(e.callee) : null;
    if (member && member.type === 'MemberExpression' && member.object.type === 'MemberExpression') {
      const found = this.dottedImport(member, e.type === 'MemberExpression' ? 'client' : 'factory');
      if (found) return found;
    }
    if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression') {
      const m = propName(e.callee);
      if (m && PY_CLIENT_COPY_METHODS.has(m)) {
        const t = this.trace(e.callee.object, depth + 1);
        return t && t !== ('not-a-client' as Trace) ? t : null;
      }
    }
    return super.trace(expr, depth);
  }

  /** `a.b.name` where `import a.b` names a module of the project: what the index knows of `name` there. */
  private dottedImport(m: TSESTree.MemberExpression, want: 'client' | 'factory'): Trace {
    const name = propName(m);
    const parts: string[] = [];
    let o: Node = unwrap(m.object);
    while (o.type === 'MemberExpression' && !o.computed && o.property.type === 'Identifier') {
      parts.unshift(o.property.name);
      o = unwrap(o.object);
    }
    if (!name || o.type !== 'Identifier') return null;
    const b = this.pyScopes.resolve(o);
    if (!b || b.kind !== 'import' || b.declaration.type !== 'ImportNamespaceSpecifier') return null;
    return this.imported([o.name, ...parts].join('.'), name, want);
  }

  /**
   * A name bound more than once: a client when every assignment to it is one, `None` aside (the lazy
   * `_client = None` … `global _client; _client = Anthropic()` pattern).
   */
  private traceAssigned(b: Binding, depth: number): Trace {
    const scope = this.pyScopes.scopeOf(b);
    if (!scope) return null;
    let found: Trace = null;
    let conflict = false;
    const visit = (n: Node): void => {
      if (conflict) return;
      if (n.type === 'AssignmentExpression' && n.operator === '=' && n.left.type === 'Identifier' && n.left.name === b.id.name && this.pyScopes.resolve(n.left) === b) {
        const right = unwrap(n.right);
        if (!(right.type === 'Literal' && right.value === null)) {
          const t = this.trace(right, depth + 1);
          if (!t || t === ('not-a-client' as Trace)) conflict = true;
          else found = t;
        }
      }
      for (const k in n) {
        if (k === 'parent' || k === 'range' || k === 'typeAnnotation' || k === 'returnType') continue;
        const v = (n as unknown as Record<string, unknown>)[k];
        if (!v || typeof v !== 'object') continue;
        if (Array.isArray(v)) {
          for (const c of v) if (c && typeof (c as Node).type === 'string') visit(c as Node);
        } else if (typeof (v as Node).type === 'string') visit(v as Node);
      }
    };
    visit(scope);
    return conflict ? null : found;
  }

  override callSite(call: TSESTree.CallExpression): CallSite | null {
    const site = super.callSite(call);
    if (!site) return null;
    const overrides = this.optionOverrides(site.receiver, 0);
    if (overrides.length) {
      let options: Value = site.client.options;
      for (const o of overrides) options = mergeOptions(options, o);
      site.client = { ...site.client, options };
    }
    return site;
  }

  /** The options of `with_options(…)` calls on the way from a receiver to its client, innermost first. */
  private optionOverrides(receiver: Node, depth: number): Value[] {
    if (depth > 8) return [];
    const e = unwrap(receiver);
    if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression') {
      const m = propName(e.callee);
      if (m && PY_CLIENT_COPY_METHODS.has(m)) {
        const inner = this.optionOverrides(e.callee.object, depth + 1);
        const kw = e.arguments.find((a) => a.type === 'ObjectExpression');
        const v = e.arguments.length === 0 ? emptyObject(e) : kw && e.arguments.length === 1 ? this.pyEvaluator.valueOf(kw) : unknownValue(e);
        return [...inner, v];
      }
      return [];
    }
    if (e.type === 'Identifier') {
      const b = this.pyScopes.resolve(e);
      if (b && b.kind === 'const' && b.init) return this.optionOverrides(b.init, depth + 1);
    }
    return [];
  }
}

function emptyObject(n: Node): ObjectValue {
  return { kind: 'object', props: [], complete: true, literal: null, node: null, start: n.range[1], end: n.range[1] };
}

/** Client options after `with_options(...)`: its keys replace the client's; unknown stays unknown. */
function mergeOptions(base: Value, over: Value): Value {
  if (over.kind !== 'object') return unknownValue(over.node);
  if (base.kind !== 'object') return { ...over, complete: false };
  const keys = new Set(over.props.map((p) => p.key));
  return { ...over, props: [...base.props.filter((p) => !keys.has(p.key)), ...over.props], complete: base.complete && over.complete };
}
