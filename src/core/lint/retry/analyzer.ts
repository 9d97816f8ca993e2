// The retry stack of a Claude API call: everything that may send the same request again when it fails.
//
//   SDK retries (maxRetries on the request, else on the client, else the SDK default 2)
//   inside whatever wraps the call in this file, innermost first:
//     - the product's retry helper (`withRetry` / `withStreamRetry` imported from the inserted claudeRetry file)
//       and extra wrapper names from the config,
//     - retry libraries: p-retry, async-retry, exponential-backoff, cockatiel policies, LangChain's AsyncCaller,
//     - hand-written retries: a loop or a recursion whose `catch` around the call leads to another attempt.
//
// The wrappers are found in the call's own function and through its callers in the same file (paths.ts). From
// each hand-written retry the analysis reads whether it is bounded, whether it tells retryable errors from final
// ones, whether it waits, whether the wait grows, is jittered, and whether it reads `retry-after` (loops.ts,
// recursion.ts, delays.ts, regionFacts.ts); libraries.ts knows the libraries' options and defaults.
//
// Everything works on the tree the engine already has (parents linked by its single walk); callers of a
// function are found by a text search for the name followed by a descent to that offset, so no second walk
// of the whole tree is needed. Results are memoized per file and per function, in the analyzer object below.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Binding } from '../ruleContext';
import type { ProjectLink } from '../callSites';
import { childKeys } from '../scan';
import { ScopeResolver } from '../scope';
import { isFn, isIdent, isWordChar, keyOf, propName, unwrapExpr } from './ast';
import type { N, PartialPath, RetryLayer, RetryShapeOptions, RetryStack, SdkRetrySetting, StreamHandling } from './model';
import { analyzeCall } from './paths';
import type { RegionFacts } from './regionFacts';
import { analyzeStream } from './streams';
import { PY_HELPER_MODULE, PY_TIME_UNIT_MS } from './pythonFacts';
import { PythonScopeResolver } from '../python/frontEnd';

/** Whole-text indexOf scans for names before the word index is built (see occurrences). */
const WORD_INDEX_AFTER = 48;

const analyzers = new WeakMap<object, Map<string, RetryShapeAnalyzer>>();

/** The analyzer of a program (memoized per program and options). */
export function retryShapeFor(program: TSESTree.Program, text: string, options: RetryShapeOptions = {}): RetryShapeAnalyzer {
  const key = `${options.retryHelperModule ?? ''}\u0000${(options.retryWrappers ?? []).join(',')}\u0000${options.project?.file ?? ''}\u0000${options.language ?? ''}`;
  let byKey = analyzers.get(program);
  if (!byKey) {
    byKey = new Map();
    analyzers.set(program, byKey);
  }
  let a = byKey.get(key);
  if (!a) {
    a = new RetryShapeAnalyzer(program, text, options);
    byKey.set(key, a);
  }
  return a;
}

/**
 * What the analysis of one file shares: the tree, its text, the options, the scope resolver, name lookups by
 * text search, the file's imports, and the memos of the analysis steps (which live in the sibling modules as
 * functions taking this object first).
 */
export class RetryShapeAnalyzer {
  readonly program: N;
  readonly helperModule: string;
  readonly wrappers: Set<string>;
  readonly options: RetryShapeOptions;
  /** The project index, when the analysis may follow wrappers and callers into other files. */
  readonly project: ProjectLink | null;
  /** The tree was lowered from Python (see pythonFacts.ts for what that changes). */
  readonly python: boolean;
  /** Milliseconds per unit of the waits and budgets written in the code (1 in JS, 1000 in Python). */
  readonly timeUnitMs: number;
  readonly outerMemo = new Map<N, PartialPath[]>();
  readonly loopMemo = new Map<N, Map<N | null, RetryLayer | null>>();
  readonly localWrapperMemo = new Map<string, RetryLayer[]>();
  readonly functionFactsMemo = new Map<N, RegionFacts>();
  /** Functions whose callers are being followed (a cycle guard of one analysis). */
  visiting = new Set<N>();
  private readonly scopes: ScopeResolver;
  private readonly namedRefsMemo = new Map<string, N[]>();
  private readonly methodsMemo = new Map<string, N[]>();
  private imports: Map<string, { source: string; imported: string }> | null = null;
  private wordIndex: Map<string, number[]> | null = null;
  /** How much of the text name scans have read, in whole texts (see occurrences). */
  private scanned = 0;

  constructor(
    program: TSESTree.Program,
    readonly text: string,
    options: RetryShapeOptions = {},
  ) {
    this.program = program as unknown as N;
    this.helperModule = options.retryHelperModule || 'claudeRetry';
    this.wrappers = new Set(options.retryWrappers ?? []);
    this.options = options;
    this.project = options.project ?? null;
    this.python = options.language === 'python';
    this.timeUnitMs = this.python ? PY_TIME_UNIT_MS : 1;
    // Python's scopes: the names bound anywhere in a module or function (see python/frontEnd.ts)
    this.scopes = this.python ? new PythonScopeResolver() : new ScopeResolver();
    const first = this.program.body[0] as N | undefined;
    if (first && first.parent !== this.program) throw new Error('retry analysis: parent links missing (run the engine walk first)');
  }

  /** The retry stack of an Anthropic call. */
  analyze(callNode: TSESTree.CallExpression, sdk: SdkRetrySetting): RetryStack {
    return analyzeCall(this, callNode as unknown as N, sdk);
  }

  /** How the errors of a streaming call are handled (see StreamHandling). */
  streamHandling(callNode: TSESTree.CallExpression): StreamHandling {
    return analyzeStream(this, callNode as unknown as N);
  }

  resolveName(name: string, from: N): Binding | null {
    return this.scopes.resolveName(name, from as unknown as TSESTree.Node);
  }

  /**
   * Identifiers named `name` in the file (text search, then a descent to each hit). Strings and comments
   * never yield an Identifier, so they drop out by themselves.
   */
  references(name: string): N[] {
    const memo = this.namedRefsMemo.get(name);
    if (memo) return memo;
    const out: N[] = [];
    const [lo, hi] = this.program.range;
    for (const i of this.occurrences(name)) {
      if (i < lo || i >= hi) continue;
      const n = this.nodeAt(i);
      if (n && (n.type === 'Identifier' || n.type === 'PrivateIdentifier') && n.range[0] === i) out.push(n);
      if (out.length > 500) break;
    }
    this.namedRefsMemo.set(name, out);
    return out;
  }

  /** The references(name) that lie within [lo, hi] (only the occurrences there are descended to). */
  referencesWithin(name: string, lo: number, hi: number): N[] {
    const memo = this.namedRefsMemo.get(name);
    if (memo) return memo.filter((n) => n.range[0] >= lo && n.range[1] <= hi);
    const out: N[] = [];
    for (const i of this.occurrences(name, lo, hi)) {
      if (i < lo || i >= hi) continue;
      const n = this.nodeAt(i);
      if (n && (n.type === 'Identifier' || n.type === 'PrivateIdentifier') && n.range[0] === i && n.range[1] <= hi) out.push(n);
      if (out.length > 500) break;
    }
    return out;
  }

  /**
   * Offsets where `name` occurs as a whole word. The first lookups scan with indexOf (a native scan of the
   * text costs far less than building the index: dozens of scans break even); a file that needs
   * more gets a word index built in one pass (cheaper than many scans of a large file). With `from` / `to`,
   * a scan reads only that part of the text (offsets outside it may be returned or not).
   */
  private occurrences(name: string, from = 0, to = Infinity): number[] {
    const text = this.text;
    // the text read by scans so far, in whole-text units
    if (!this.wordIndex && (this.scanned += (Math.min(to, text.length) - Math.min(from, text.length)) / Math.max(1, text.length)) <= WORD_INDEX_AFTER) {
      const out: number[] = [];
      for (let i = text.indexOf(name, from); i >= 0 && i < to; i = text.indexOf(name, i + 1)) {
        if (i > 0 && isWordChar(text.charCodeAt(i - 1))) continue;
        const after = i + name.length;
        if (after < text.length && isWordChar(text.charCodeAt(after))) continue;
        out.push(i);
      }
      return out;
    }
    if (!this.wordIndex) {
      const index = new Map<string, number[]>();
      const n = text.length;
      let i = 0;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (isWordChar(c)) {
          let j = i + 1;
          while (j < n && isWordChar(text.charCodeAt(j)) && text.charCodeAt(j) !== 35) j++;
          if (!(c >= 48 && c <= 57)) {
            const w = text.slice(i, j);
            const list = index.get(w);
            if (list) list.push(i);
            else index.set(w, [i]);
          }
          i = j;
        } else i++;
      }
      this.wordIndex = index;
    }
    return this.wordIndex.get(name) ?? [];
  }

  /** The innermost node whose range contains `offset` (descending from the program). */
  private nodeAt(offset: number): N | null {
    let cur: N = this.program;
    for (;;) {
      const ks = childKeys(cur.type);
      let next: N | null = null;
      for (const k of ks) {
        const c = cur[k];
        if (!c) continue;
        if (Array.isArray(c)) {
          // children are in source order: binary search
          let a = 0;
          let b = c.length - 1;
          while (a <= b) {
            const mid = (a + b) >> 1;
            const x = c[mid];
            if (!x) {
              // holes in array patterns: fall back to a scan
              next = c.find((y: N | null) => y && y.range[0] <= offset && offset < y.range[1]) ?? null;
              break;
            }
            if (offset < x.range[0]) b = mid - 1;
            else if (offset >= x.range[1]) a = mid + 1;
            else {
              next = x;
              break;
            }
          }
        } else if (typeof c.type === 'string' && c.range && c.range[0] <= offset && offset < c.range[1]) {
          next = c;
        }
        if (next) break;
      }
      if (!next) return cur;
      if (!next.parent) next.parent = cur;
      cur = next;
    }
  }

  importsMap(): Map<string, { source: string; imported: string }> {
    if (this.imports) return this.imports;
    const m = new Map<string, { source: string; imported: string }>();
    const requireSource = (e: N | null | undefined): string | null => {
      if (!e) return null;
      let x = unwrapExpr(e);
      if (x.type === 'AwaitExpression') x = unwrapExpr(x.argument);
      if (x.type === 'MemberExpression' && propName(x) === 'default') x = unwrapExpr(x.object);
      if (x.type === 'CallExpression' && isIdent(x.callee, 'require') && x.arguments[0]?.type === 'Literal') return String(x.arguments[0].value);
      if (x.type === 'ImportExpression' && x.source.type === 'Literal') return String(x.source.value);
      return null;
    };
    const addDecl = (d: N) => {
      if (d.type !== 'VariableDeclaration') return;
      for (const v of d.declarations) {
        const src = requireSource(v.init);
        if (!src) continue;
        if (v.id.type === 'Identifier') m.set(v.id.name, { source: src, imported: 'default' });
        else if (v.id.type === 'ObjectPattern') {
          for (const p of v.id.properties) {
            if (p.type !== 'Property') continue;
            const local = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
            const k = keyOf(p);
            if (local.type === 'Identifier' && k) m.set(local.name, { source: src, imported: k });
          }
        }
      }
    };
    for (const s of this.program.body as N[]) {
      if (s.type === 'ImportDeclaration') {
        for (const sp of s.specifiers) {
          const imported = sp.type === 'ImportDefaultSpecifier' ? 'default' : sp.type === 'ImportNamespaceSpecifier' ? '*' : (sp.imported.name ?? sp.imported.value);
          m.set(sp.local.name, { source: String(s.source.value), imported });
        }
      } else if (s.type === 'VariableDeclaration') addDecl(s);
      else if (s.type === 'ExportNamedDeclaration' && s.declaration) addDecl(s.declaration);
    }
    this.imports = m;
    return m;
  }

  isHelperImport(name: string): boolean {
    const imp = this.importsMap().get(name);
    return !!imp && this.isHelperModule(imp.source);
  }

  /** Whether a module specifier names the inserted helper (`./claudeRetry`; in Python also `claude_retry`). */
  isHelperModule(source: string): boolean {
    return source.includes(this.helperModule) || (this.python && source.split('.').includes(PY_HELPER_MODULE));
  }

  functionOfBinding(b: Binding): N | null {
    const d = b.declaration as unknown as N;
    if (b.kind === 'function' && isFn(d)) return d;
    if ((b.kind === 'const' || b.kind === 'let' || b.kind === 'var') && b.init) {
      const init = unwrapExpr(b.init as unknown as N);
      if (isFn(init)) return init;
    }
    return null;
  }

  /** The function an expression denotes: a function literal or a same-file function by name. */
  functionOf(v: N): N | null {
    const e = unwrapExpr(v);
    if (isFn(e)) return e;
    if (e.type === 'Identifier') {
      const b = this.resolveName(e.name, e);
      return b ? this.functionOfBinding(b) : null;
    }
    return null;
  }

  /** Same-file class or object methods named `name`. */
  methods(name: string): N[] {
    const memo = this.methodsMemo.get(name);
    if (memo) return memo;
    const out: N[] = [];
    for (const ref of this.references(name)) {
      const p = ref.parent as N;
      if ((p.type === 'MethodDefinition' || p.type === 'Property' || p.type === 'PropertyDefinition') && p.key === ref && isFn(p.value)) out.push(p.value);
    }
    this.methodsMemo.set(name, out);
    return out;
  }
}
