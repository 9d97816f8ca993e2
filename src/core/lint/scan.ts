// Parsing (once per lint; the text prefilter that decides whether to parse is in prefilter.ts) and the single walk over the tree that sets `.parent` links and
// collects what the later stages need, so nothing walks the whole tree again.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node } from './ruleContext';

export { prefilter } from './prefilter';

type Estree = typeof import('@typescript-eslint/typescript-estree');
type VisitorKeys = Record<string, readonly string[] | undefined>;

let estree: Estree | null = null;
let visitorKeys: VisitorKeys | null = null;

/** Loads the parser on first use, so that activating the extension does not pay for it. */
function parser(): Estree {
  if (!estree) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    estree = require('@typescript-eslint/typescript-estree') as Estree;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    visitorKeys = (require('@typescript-eslint/visitor-keys') as { visitorKeys: VisitorKeys }).visitorKeys;
  }
  return estree;
}

/** Loads the generic tree's visitor keys (for walking a tree another front end built). */
export function loadVisitorKeys(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  visitorKeys ??= (require('@typescript-eslint/visitor-keys') as { visitorKeys: VisitorKeys }).visitorKeys;
}

export interface ParseFailure {
  message: string;
  /** Offset of the error, clamped into the text. */
  index: number;
}

const KNOWN_EXT = /\.(?:[cm]?[jt]sx?)$/i;

/** Parses with typescript-estree: ranges on, loc and tokens off, comments kept, JSX by file extension. */
export function parse(text: string, fileName: string): { ast: TSESTree.Program } | { error: ParseFailure } {
  const p = parser();
  // typescript-estree picks JSX support from a known extension; anything else is read as TSX-capable TS.
  const filePath = KNOWN_EXT.test(fileName) ? fileName : `${fileName || 'file'}.tsx`;
  try {
    const ast = p.parse(text, {
      filePath,
      range: true,
      loc: false,
      comment: true,
      tokens: false,
      jsx: true,
      jsDocParsingMode: 'none',
      suppressDeprecatedPropertyWarnings: true,
    } as Parameters<Estree['parse']>[1]);
    return { ast };
  } catch (e) {
    const err = e as { message?: string; index?: number };
    const index = typeof err.index === 'number' ? Math.max(0, Math.min(err.index, text.length)) : 0;
    return { error: { message: String(err.message ?? e), index } };
  }
}

/** What the walk collects. */
export interface ScanResult {
  /** `….messages.create(…)` / `….messages.stream(…)` calls (any receiver), in source order. */
  messageCalls: TSESTree.CallExpression[];
  /** `new X(…)` expressions (filtered to Anthropic clients later). */
  newExpressions: TSESTree.NewExpression[];
  /** `require('…')` calls and `import('…')` expressions whose source is an Anthropic SDK package. */
  sdkRequires: Array<TSESTree.CallExpression | TSESTree.ImportExpression>;
  /** String literals and template elements whose text contains `sk-ant-` (only collected when the text does). */
  keyLiterals: Array<TSESTree.Literal | TSESTree.TemplateElement>;
}

export const SDK_MODULE = /^@anthropic-ai\/(?:sdk|bedrock-sdk|vertex-sdk|foundry-sdk)(?:\/|$)/;

/** Type-only subtrees: nothing in them is a call, a value or a key. */
const SKIP_KEYS = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'superTypeArguments', 'implements']);
const SKIP_TYPES = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction']);

const filteredKeys = new Map<string, readonly string[]>();

/** The child keys of a node type, without the type-only ones. */
export function childKeys(type: string): readonly string[] {
  let ks = filteredKeys.get(type);
  if (!ks) {
    ks = ((visitorKeys as VisitorKeys)[type] ?? []).filter((k) => !SKIP_KEYS.has(k));
    filteredKeys.set(type, ks);
  }
  return ks;
}

/** Walks the whole program once: sets `.parent` on every visited node and collects the ScanResult. */
export function walkProgram(ast: TSESTree.Program, text: string): ScanResult {
  const res: ScanResult = { messageCalls: [], newExpressions: [], sdkRequires: [], keyLiterals: [] };
  const wantKeys = text.includes('sk-ant-');

  const visit = (node: Node, parent: Node | undefined): void => {
    (node as { parent?: Node }).parent = parent;
    switch (node.type) {
      case 'CallExpression': {
        const callee = node.callee;
        if (callee.type === 'MemberExpression') {
          const obj = callee.object;
          if (obj.type === 'MemberExpression' && propName(obj) === 'messages') {
            const m = propName(callee);
            if (m === 'create' || m === 'stream') res.messageCalls.push(node);
          }
        } else if (callee.type === 'Identifier' && callee.name === 'require' && node.arguments.length > 0) {
          const a = node.arguments[0];
          if (a.type === 'Literal' && typeof a.value === 'string' && SDK_MODULE.test(a.value)) res.sdkRequires.push(node);
        }
        break;
      }
      case 'ImportExpression': {
        const s = node.source;
        if (s.type === 'Literal' && typeof s.value === 'string' && SDK_MODULE.test(s.value)) res.sdkRequires.push(node);
        break;
      }
      case 'NewExpression':
        res.newExpressions.push(node);
        break;
      case 'Literal':
        if (wantKeys && typeof node.value === 'string' && node.value.includes('sk-ant-')) res.keyLiterals.push(node);
        return;
      case 'TemplateElement':
        if (wantKeys && node.value.raw.includes('sk-ant-')) res.keyLiterals.push(node);
        return;
      case 'Identifier':
      case 'PrivateIdentifier':
      case 'ThisExpression':
      case 'Super':
        return;
    }
    const ks = childKeys(node.type);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      const child = (node as unknown as Record<string, unknown>)[k];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let j = 0; j < child.length; j++) {
          const c = child[j] as Node | null;
          if (c && !SKIP_TYPES.has(c.type)) visit(c, node);
        }
      } else if (typeof (child as Node).type === 'string' && !SKIP_TYPES.has((child as Node).type)) {
        visit(child as Node, node);
      }
    }
  };
  visit(ast, undefined);
  return res;
}

/** Sets `.parent` in a subtree that the main walk skipped (type annotations), on demand. */
export function linkSubtree(node: Node, parent: Node | undefined): void {
  const keys = visitorKeys as VisitorKeys;
  (node as { parent?: Node }).parent = parent;
  const ks = keys[node.type];
  if (!ks) return;
  for (const k of ks) {
    const child = (node as unknown as Record<string, unknown>)[k];
    if (!child) continue;
    if (Array.isArray(child)) {
      for (const c of child as Array<Node | null>) if (c) linkSubtree(c, node);
    } else if (typeof (child as Node).type === 'string') linkSubtree(child as Node, node);
  }
}

/** Visits every node of a subtree (parents already linked). Return false from `fn` to skip a node's children. */
export function forEachNode(node: Node, fn: (n: Node) => boolean | void): void {
  if (fn(node) === false) return;
  const ks = childKeys(node.type);
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i];
    const child = (node as unknown as Record<string, unknown>)[k];
    if (!child) continue;
    if (Array.isArray(child)) {
      for (const c of child as Array<Node | null>) if (c && !SKIP_TYPES.has(c.type)) forEachNode(c, fn);
    } else if (typeof (child as Node).type === 'string' && !SKIP_TYPES.has((child as Node).type)) forEachNode(child as Node, fn);
  }
}

/** The static name of a member expression's property (`a.b`, `a.#b`, `a['b']`), or null. */
export function propName(m: TSESTree.MemberExpression): string | null {
  const p = m.property;
  if (!m.computed) return p.type === 'Identifier' || p.type === 'PrivateIdentifier' ? (p.type === 'PrivateIdentifier' ? `#${p.name}` : p.name) : null;
  if (p.type === 'Literal' && typeof p.value === 'string') return p.value;
  if (p.type === 'TemplateLiteral' && p.expressions.length === 0) return p.quasis[0].value.cooked ?? null;
  return null;
}
