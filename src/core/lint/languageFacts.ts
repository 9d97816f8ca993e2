// What differs between the languages the rules read, in one small table per language. The rules stay
// language-neutral: they read the generic tree and ask these facts how a fix is printed, which package
// name to put in a message, and where the SDK version thresholds lie. The Python table is in python/facts.ts.

import type { TSESTree } from '@typescript-eslint/typescript-estree';

export interface LanguageFacts {
  id: 'javascript' | 'python';
  /** The SDK package as users know it, for messages: '@anthropic-ai/sdk' or 'anthropic'. */
  sdkPackage: string;
  /** SDK client classes (constructed to make a client). */
  clientClasses: ReadonlySet<string>;
  /** Client option names in this language's SDK. */
  options: { maxRetries: string; apiKey: string; timeout: string };
  /** The property carrying the HTTP status on an SDK error. */
  statusProperty: 'status' | 'status_code';
  /** Functions that wait (for retry analysis). */
  sleepFunctions: readonly string[];
  /** One field as written in the object literal `literal` (e.g. `max_tokens: 1024`, `max_tokens=1024`). */
  fieldText(literal: TSESTree.ObjectExpression | null, key: string, valueText: string): string;
  /** The expression that reads the API key from the environment. */
  envKeyExpression: string;
  /** The module `envKeyExpression` needs imported (added by the fix when missing), or null. */
  envKeyImport: string | null;
  /** Length of the comment opener before a comment's `value` (`//` → 2, `#` → 1). */
  commentOpenerLength: number;
  /** SDK versions where temperature / top_p became deprecated and left the request types (null: never). */
  sampling: { deprecatedSince: [number, number] | null; removedSince: [number, number] };
}

export const JS_FACTS: LanguageFacts = {
  id: 'javascript',
  sdkPackage: '@anthropic-ai/sdk',
  clientClasses: new Set(['Anthropic', 'AnthropicBedrock', 'AnthropicVertex', 'AnthropicFoundry']),
  options: { maxRetries: 'maxRetries', apiKey: 'apiKey', timeout: 'timeout' },
  statusProperty: 'status',
  sleepFunctions: ['setTimeout', 'sleep', 'delay', 'wait'],
  fieldText: (_literal, key, valueText) => `${key}: ${valueText}`,
  envKeyExpression: 'process.env.ANTHROPIC_API_KEY',
  envKeyImport: null,
  commentOpenerLength: 2,
  sampling: { deprecatedSince: [0, 137], removedSince: [1, 12] },
};
