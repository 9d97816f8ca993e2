// The Python front end of the project index: a Python file parsed and lowered to the engine's tree (PyFile),
// and the names the module offers to the others. Python has no `export`: every module-level name not
// starting with `_` counts, and `__all__` (a list or tuple of strings), when written, restricts it. What
// each name is (client, factory, retry wrapper, function that reaches the API) is decided by the same
// classification as for JS/TS (jsSummary.ts).
//
// Import specifiers are written as in Python, the level as leading dots: `from ..lib.client import c` →
// specifier `..lib.client`, imported `c`; `import a.b` → local `a.b`, the whole module (`*`) of `a.b`;
// `from . import mod` → specifier `.`, imported `mod` (a name of the package or its submodule: the index
// tries both). The module resolver resolves them with Python's rules (python.ts).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding, Node } from '../ruleContext';
import { Evaluator } from '../requestModel';
import type { ScopeResolver } from '../scope';
import type { RetryLayer } from '../retry';
import { PY_SDK_MODULE } from '../python/facts';
import { PythonCallSiteFinder, PythonScopeResolver, collectPythonSdkImports, parsePython } from '../python/frontEnd';
import type { PyNode } from '../python/nodes';
import { pythonParserReady } from '../python/parser';
import { summarizeSource } from './jsSummary';
import type { ModuleNames } from './jsSummary';
import type { ExportedEntity, FileSummary, ImportedName } from './model';
import { callAtIn, layersAroundIn } from './sourceFile';
import type { SourceFile } from './sourceFile';
import { contentVersion } from './version';

export const PY_FILE = /\.py$/i;

/** A parsed Python file with the engine's resolvers, for summaries and for analysing calls on demand. */
export class PyFile implements SourceFile {
  readonly language = 'python' as const;
  readonly retriesOption = 'max_retries';
  readonly scopes: ScopeResolver = new PythonScopeResolver();
  readonly finder: PythonCallSiteFinder;

  private constructor(
    readonly file: string,
    readonly text: string,
    readonly ast: TSESTree.Program,
    readonly messageCalls: readonly TSESTree.CallExpression[],
  ) {
    const evaluator = new Evaluator(this.scopes, new Set<Node>(messageCalls));
    this.finder = new PythonCallSiteFinder(this.scopes, evaluator, collectPythonSdkImports(ast));
  }

  /** The parsed file; `pending` while the Python parser is still loading (nothing is known yet). */
  static parse(file: string, text: string): PyFile | { error: string; pending?: true } {
    if (!pythonParserReady()) return { error: 'the Python parser is not loaded', pending: true };
    const p = parsePython(text);
    if ('error' in p) return { error: p.error.message };
    return new PyFile(file, text, p.ast, p.scan.messageCalls);
  }

  isSdkModule(specifier: string): boolean {
    return PY_SDK_MODULE.test(specifier);
  }

  layersAround(call: TSESTree.CallExpression): { layers: RetryLayer[]; unknownWrapper: boolean } {
    return layersAroundIn(this, call);
  }

  callAt(start: number, end: number): TSESTree.CallExpression | null {
    return callAtIn(this.ast, start, end);
  }

  summary(): FileSummary {
    return summarizeSource(this, moduleNames(this));
  }
}

/** The summary of a Python file; null while the parser is loading (the caller must not keep anything). */
export function summarizePy(file: string, text: string): FileSummary | null {
  const parsed = PyFile.parse(file, text);
  if ('error' in parsed) {
    if (parsed.pending) return null;
    return { file, version: contentVersion(text), language: 'python', imports: [], starExports: [], exports: {}, importedCalls: [], parseError: parsed.error };
  }
  return parsed.summary();
}

/** The module's imports (wherever written: a lazy import inside a function counts) and its public names. */
function moduleNames(f: PyFile): ModuleNames {
  const program = f.ast as PyNode;
  const imports: ImportedName[] = [];
  const starExports: string[] = [];
  for (const d of program.pyImports ?? []) {
    if (d.type !== 'ImportDeclaration') continue;
    const source = String(d.source.value);
    if (d.specifiers.length === 0) {
      if (/\bimport\s*\*/.test(f.text.slice(d.range[0], d.range[1]))) starExports.push(source);
      continue;
    }
    for (const spec of d.specifiers) {
      if (spec.type === 'ImportSpecifier') {
        imports.push({ local: spec.local.name, imported: (spec.imported as TSESTree.Identifier).name, specifier: source });
      } else if (spec.type === 'ImportNamespaceSpecifier') {
        // `import a.b` binds `a` but names the module `a.b` (the source holds `a`, the raw text `a.b`)
        const written = rawModule(d) ?? source;
        const aliased = written === source;
        imports.push({ local: aliased ? spec.local.name : written, imported: '*', specifier: written });
      }
    }
  }
  const exports: Record<string, ExportedEntity> = {};
  const locals = new Map<string, Node>();
  const bindings = program.pyScope ?? new Map<string, Binding>();
  const all = dunderAll(f, bindings.get('__all__'));
  for (const [name, b] of bindings) {
    if (all ? !all.has(name) : name.startsWith('_')) continue;
    if (b.kind === 'import') {
      const imp = imports.find((i) => i.local === name);
      if (imp && !f.isSdkModule(imp.specifier) && imp.imported !== '*') exports[name] = { kind: 're-export', specifier: imp.specifier, imported: imp.imported };
      else exports[name] = { kind: 'other' };
    } else if (b.kind === 'function') locals.set(name, b.declaration);
    else if (b.kind === 'const' && b.init) locals.set(name, b.init);
    else if (b.kind === 'let') locals.set(name, b.id);
    else exports[name] = { kind: 'other' };
  }
  return { imports, starExports, exports, locals };
}

function rawModule(d: TSESTree.ImportDeclaration): string | null {
  try {
    const v: unknown = JSON.parse(d.source.raw);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The names of `__all__ = [...]` / `(...)` when it is a literal list of strings, else null. */
function dunderAll(f: PyFile, b: Binding | undefined): Set<string> | null {
  if (!b || b.kind !== 'const' || !b.init) return null;
  const e = b.init as Node;
  if (e.type !== 'ArrayExpression') return null;
  const out = new Set<string>();
  for (const el of e.elements) {
    if (!el || el.type !== 'Literal' || typeof el.value !== 'string') return null;
    out.add(el.value);
  }
  return out;
}

/** A Python module that may offer the others a client, factory, retry wrapper or API function, or re-export one. */
export function mayDefinePy(file: string, text: string): boolean {
  return PY_MATTERS.test(text) || (/__init__\.py$/i.test(file) && /^\s*from\s+\S+\s+import\b/m.test(text));
}

const PY_MATTERS = /^\s*(?:import\s+anthropic\b|from\s+anthropic\b)|retr(?:y|ies|ied|ying)|backoff|stamina|messages\s*\.\s*(?:create|stream)/im;

/** A module whose importers may reach what it re-exports (a package's `__init__.py`, a module with `__all__`). */
export function mayReexportPy(file: string, text: string): boolean {
  return /__init__\.py$/i.test(file) || /^__all__\s*[:=]/m.test(text);
}

const PY_FROM = /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\(?[^\n#]*)/gm;
const PY_IMPORT = /^[ \t]*import[ \t]+([\w. \t,]+)/gm;

/**
 * The module specifiers a Python file imports (a text scan, no parse): `from X import a, b` gives X, and
 * X.a and X.b (which may be submodules); `import a.b as c, d` gives a.b and d.
 */
export function pyImportSpecifiers(text: string): string[] {
  const out = new Set<string>();
  PY_FROM.lastIndex = 0;
  for (let m = PY_FROM.exec(text); m; m = PY_FROM.exec(text)) {
    const mod = m[1];
    if (!mod) continue;
    out.add(mod);
    for (const part of m[2].replace(/[()\\]/g, '').split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name && /^\w+$/.test(name)) out.add(mod.endsWith('.') ? mod + name : `${mod}.${name}`);
    }
  }
  PY_IMPORT.lastIndex = 0;
  for (let m = PY_IMPORT.exec(text); m; m = PY_IMPORT.exec(text)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name) out.add(name);
    }
  }
  return [...out];
}
