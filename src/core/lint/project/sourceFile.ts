// A parsed source file as the project index's summariser reads it, whatever its language: the tree (ESTree
// shaped; Python is lowered to it), the engine's resolvers for it, and the few facts that differ by
// language. JsFile (jsSummary.ts) and PyFile (pySummary.ts) implement it.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { CallSiteFinder } from '../callSites';
import type { RetryLayer } from '../retry';
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
