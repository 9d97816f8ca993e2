// The project index's data: what one source file offers to the others. Plain data, language-neutral (a
// front end builds it from its own tree), keyed by the file's content, never holding AST nodes, so the editor
// can keep summaries across edits and the CLI can build them once per run.

import type { RetryLayer } from '../retry/model';

/** A range in a named file (offsets into that file's text). */
export interface FileRange {
  file: string;
  start: number;
  end: number;
}

/** The SDK retry setting of a client made in some file. */
export interface ClientSetting {
  /** 'Anthropic', 'AnthropicBedrock', … (null when only known to be a client). */
  className: string | null;
  /** The client's `maxRetries` (`max_retries`): a number, or null when not statically known. */
  maxRetries: number | null;
  /** 'client' when the option is written, 'default' when the construction leaves it out. */
  source: 'client' | 'default' | 'unknown';
  /** Where the option is written, else the construction. */
  at: FileRange;
}

/** What a retry wrapper does to the function it is given (the same facts as a retry layer). */
export type WrapperFacts = Pick<
  RetryLayer,
  'label' | 'attempts' | 'bounded' | 'budgetMs' | 'statusAware' | 'retries429' | 'waits' | 'grows' | 'jittered' | 'readsRetryAfter' | 'waitMs' | 'misses'
> & {
  /** Index of the parameter that receives the function to retry. */
  fnParam: number;
  /** Where the retry is (the loop keyword, the library call). */
  at: FileRange;
};

/** One exported name and what it is, as far as the file alone can tell. */
export type ExportedEntity =
  | { kind: 'client'; client: ClientSetting }
  | { kind: 'factory'; client: ClientSetting }
  | { kind: 'wrapper'; wrapper: WrapperFacts }
  /**
   * A function that reaches `messages.create` / `messages.stream` (callers elsewhere may retry it); `indirect`
   * when it does so through a function it imports.
   */
  | { kind: 'api-function'; at: FileRange; indirect?: boolean }
  /** `export { x } from './y'` / `export * from './y'` / an exported import: look there. */
  | { kind: 're-export'; specifier: string; imported: string }
  /** Anything else: known not to be one of the above. */
  | { kind: 'other' };

/** A name this file imports from another module of the project (or an npm package). */
export interface ImportedName {
  local: string;
  /** 'default', '*' (namespace / whole require), or the exported name. */
  imported: string;
  specifier: string;
}

/** A call in this file to an imported function (a possible caller of an API function elsewhere). */
export interface ImportedCall {
  /** The local name called (`ask` in `ask()`, `lib` in `lib.ask()`). */
  local: string;
  /** The member called on a namespace import (`ask` in `lib.ask()`), else null. */
  member: string | null;
  start: number;
  end: number;
}

export interface FileSummary {
  file: string;
  /** The content version it was built from (a hash of the text). */
  version: string;
  language: 'js' | 'python';
  imports: ImportedName[];
  /** `export * from './x'` specifiers. */
  starExports: string[];
  exports: Record<string, ExportedEntity>;
  /** Calls to imported names (for the reverse direction: who calls an API function). */
  importedCalls: ImportedCall[];
  /** Set when the file could not be parsed (the index keeps the rest). */
  parseError?: string;
}
