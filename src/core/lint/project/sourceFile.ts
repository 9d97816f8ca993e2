// A parsed source file as the project index's summariser reads it, whatever its language: the tree (ESTree
// shaped; Python is lowered to it), the engine's resolvers for it, and the few facts that differ by
// language. JsFile (jsSummary.ts) and PyFile (pySummary.ts) implement it.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { CallSiteFinder } from '../callSites';
import { retryShapeFor } from '../retry';
import type { RetryLayer } from '../retry';
import { forEachNode } from '../scan';
import type { ScopeResolver } from '../scope';

export interface SourceFile {
  readonly language: 'js' | 'python';
  readonly file: string;
  readonly text: string;
  readonly ast: TSESTree.Program;
  readonly messageCalls: readonly TSESTree.CallExpression[];
  readonly scopes: ScopeResolver;
  readonly finder: CallSiteFinder;
  /** The client option that sets the SDK's retries (`maxRetries`, `max_retries`). */
  readonly retriesOption: string;
  /** Whether a module specifier names the Anthropic SDK in this language. */
  isSdkModule(specifier: string): boolean;
  /** The retry layers around a call node, innermost first, on every path within this file. */
  layersAround(call: TSESTree.CallExpression): { layers: RetryLayer[]; unknownWrapper: boolean };
  /** The call expression exactly at [start, end), if any. */
  callAt(start: number, end: number): TSESTree.CallExpression | null;
}

/** The retry layers around a call node of a file's tree, innermost first, on every path within that file. */
export function layersAroundIn(
  file: Pick<SourceFile, 'ast' | 'text' | 'language'>,
  call: TSESTree.CallExpression,
): { layers: RetryLayer[]; unknownWrapper: boolean } {
  const analyzer = file.language === 'python' ? retryShapeFor(file.ast, file.text, { language: 'python' }) : retryShapeFor(file.ast, file.text);
  const stack = analyzer.analyze(call, { maxRetries: null, source: 'unknown' });
  return { layers: stack.worst.layers, unknownWrapper: stack.unknownWrapper };
}

/** The call expression of a tree exactly at [start, end), if any. */
export function callAtIn(ast: TSESTree.Program, start: number, end: number): TSESTree.CallExpression | null {
  let found: TSESTree.CallExpression | null = null;
  forEachNode(ast, (n) => {
    if (found || n.range[1] < start || n.range[0] > end) return false;
    if (n.type === 'CallExpression' && n.range[0] === start && n.range[1] === end) found = n;
  });
  return found;
}
