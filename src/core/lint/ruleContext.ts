// The contract between the engine and the rules. A rule is a file under rules/ that exports a `Rule`;
// rules/index.ts lists them. The engine parses once, finds the Anthropic call sites, models each request as
// data and hands every call site to every enabled rule through a `RuleContext`.
//
// AST nodes are typescript-estree (ESTree) nodes parsed with `range: true` and `loc: false`: positions are
// character offsets (`node.range`), never line/column. The engine sets `node.parent` on every node it
// walks (the whole program), so `node.parent` is available in rules.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, RelatedLocation, RuleMeta, Severity, SeveritySetting } from './rule';
import type { ClientSetting } from './project/model';
import type { ProjectLink } from './callSites';
import type { LanguageFacts } from './languageFacts';

export type Node = TSESTree.Node;

// ---------------------------------------------------------------------------------------------------------
// Values: what the engine knows statically about an expression.
// ---------------------------------------------------------------------------------------------------------

interface ValueBase {
  /** The expression the value was read from (after unwrapping `as`, `satisfies`, `!`, parentheses). */
  node: Node | null;
  start: number;
  end: number;
}

/** Anything the engine cannot evaluate. Unknown never produces a finding. */
export interface UnknownValue extends ValueBase {
  kind: 'unknown';
  /** Set on an array element that stands for a spread of something unknown (`...history`). */
  spread?: boolean;
}

export interface StringValue extends ValueBase { kind: 'string'; value: string }
export interface NumberValue extends ValueBase { kind: 'number'; value: number }
export interface BooleanValue extends ValueBase { kind: 'boolean'; value: boolean }
export interface NullValue extends ValueBase { kind: 'null' }
/** `undefined` written out (or `void 0`). */
export interface UndefinedValue extends ValueBase { kind: 'undefined' }

export interface PropertyEntry {
  key: string;
  value: Value;
  /** The `key: value` property node, or null when the entry came from somewhere without one. */
  property: TSESTree.Property | null;
  start: number;
  end: number;
}

export interface ObjectValue extends ValueBase {
  kind: 'object';
  /** Known properties in source order; a later entry with the same key has already replaced an earlier one. */
  props: PropertyEntry[];
  /**
   * false when an unknown spread or a computed key could add fields: a missing key is then unknown, not
   * absent. A key written before an unknown spread is itself unknown (the spread may override it).
   */
  complete: boolean;
  /** The object literal the fields are written in (where a fix can add a property), if any. */
  literal: TSESTree.ObjectExpression | null;
}

export interface ArrayValue extends ValueBase {
  kind: 'array';
  /**
   * Elements in order, known spreads flattened in place. An unknown spread is one `UnknownValue` with
   * `spread: true` standing for any number (zero or more) of elements.
   */
  elements: Value[];
  /** The array literal the elements are written in, if any. */
  literal: TSESTree.ArrayExpression | null;
}

export type Value =
  | UnknownValue
  | StringValue
  | NumberValue
  | BooleanValue
  | NullValue
  | UndefinedValue
  | ObjectValue
  | ArrayValue;

// ---------------------------------------------------------------------------------------------------------
// Bindings: what an identifier refers to, within the file.
// ---------------------------------------------------------------------------------------------------------

export interface Binding {
  kind: 'const' | 'let' | 'var' | 'param' | 'function' | 'class' | 'import';
  /** The declaring identifier. */
  id: TSESTree.Identifier;
  /** The declaration: VariableDeclarator, function/class declaration, parameter, or import specifier. */
  declaration: Node;
  /** The initialiser of a variable declarator (`const x = init`), if any. */
  init: TSESTree.Expression | null;
}

/** A name imported or required from an Anthropic SDK package in this file. */
export interface SdkImport {
  /** Local name. */
  local: string;
  /** 'default', '*' (namespace or the whole `require(...)`), or the imported member name. */
  imported: string;
  /** '@anthropic-ai/sdk', '@anthropic-ai/bedrock-sdk', '@anthropic-ai/vertex-sdk' (or a subpath of them). */
  module: string;
  node: Node;
}

// ---------------------------------------------------------------------------------------------------------
// Call sites
// ---------------------------------------------------------------------------------------------------------

export interface ClientInfo {
  /**
   * How the receiver was recognised:
   * - 'constructed': traced to a `new Anthropic(...)` (or Bedrock/Vertex) expression in this file;
   * - 'typed': a parameter, field or variable annotated with an SDK client type;
   * - 'assumed': the file imports the SDK and the receiver is an untraceable name (see callSites.ts);
   * - 'imported': a client (or a client factory's result) exported by another file of the project.
   */
  how: 'constructed' | 'typed' | 'assumed' | 'imported';
  /** 'Anthropic', 'AnthropicBedrock', 'AnthropicVertex', or null when unknown. */
  className: string | null;
  /** The `new Anthropic({...})` expression, when found. */
  newExpression: TSESTree.NewExpression | null;
  /**
   * The constructor options as data (`maxRetries`, `timeout`, `apiKey`, `dangerouslyAllowBrowser`...).
   * An empty complete object for `new Anthropic()`; unknown when the client was not traced to its
   * construction. Read with `getProp(options, 'maxRetries')` from requestModel.ts.
   */
  options: Value;
  /** For an imported client: its retry setting where it is made (the project index's summary). */
  external?: ClientSetting;
}

export interface CallSite {
  /** 'create' or 'stream'. */
  kind: 'create' | 'stream';
  /** true for `X.beta.messages.*`. */
  beta: boolean;
  /** e.g. 'messages.create', 'beta.messages.stream'. */
  method: string;
  /** The call expression `X.messages.create(...)`. */
  node: TSESTree.CallExpression;
  /** The callee member expression (`X.messages.create`); the fallback range of a finding. */
  callee: TSESTree.MemberExpression;
  /** The receiver expression X (the client). */
  receiver: TSESTree.Expression;
  client: ClientInfo;
  /** The request (first argument) as data; unknown when missing or not evaluable. */
  request: Value;
  /**
   * The per-request options (second argument: `maxRetries`, `timeout`, `signal`, `headers`) as data;
   * an empty complete object when there is no second argument.
   */
  options: Value;
  /**
   * Set by a call analyzer (see `CallAnalyzer`): the retry stack summary, copied to the call's summary in
   * the lint result (hover data for the editor).
   */
  retryStack?: unknown;
  /** Per-call scratch space shared by analyzers and rules (compute once, read in several rules). */
  shared: Map<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------
// Rule context
// ---------------------------------------------------------------------------------------------------------

export interface SdkVersion {
  major: number;
  minor: number;
  patch: number;
  /** As given, e.g. "^0.137.0" or "1.12". */
  raw: string;
}

export interface ResolvedLintConfig {
  /** Per-rule severity from the config; absent = the rule's default. */
  rules: Record<string, SeveritySetting>;
  /** Value the add-max_tokens fix inserts. Default 1024. */
  maxTokensDefault: number;
  /** Extra function names that count as a retry wrapper. */
  retryWrappers: string[];
  /** Module specifier / path fragment of the inserted retry helper. Default 'claudeRetry'. */
  retryHelperModule: string;
}

export interface ReportDescriptor {
  /** Key into the rule's `meta.messages`. */
  messageId: string;
  /** Values for `{{name}}` placeholders in the message. */
  data?: Record<string, string | number>;
  /** Range as offsets; give either `node` or `start` and `end`. */
  node?: Node;
  start?: number;
  end?: number;
  /**
   * Severity of this finding when the config does not set one for the rule; defaults to
   * `meta.defaultSeverity`. Lets one rule report a warning and an error (role-order).
   */
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

/** What every rule sees (file-level and call-level). */
export interface FileContext {
  /** The linted file name (used for the extension only; nothing is read from disk). */
  readonly fileName: string;
  /** What differs by language: how a fix is printed, the SDK package name, version thresholds. */
  readonly language: LanguageFacts;
  /** The whole source text; node ranges index into it. */
  readonly sourceText: string;
  /** The parsed program. Every node has `.parent` set (undefined on the Program). */
  readonly ast: TSESTree.Program;
  /** All comments of the file (block and line). */
  readonly comments: readonly TSESTree.Comment[];
  /** The SDK version in use, or null when unknown (then apply the newest known rules). */
  readonly sdk: SdkVersion | null;
  /** The runtime dependencies the file's package.json declares, or null when unknown (then fixes that need one are not offered). */
  readonly dependencies: ReadonlySet<string> | null;
  /** true when the SDK in use is at least major.minor; an unknown SDK counts as the newest (true). */
  sdkAtLeast(major: number, minor?: number): boolean;
  readonly config: ResolvedLintConfig;
  /** The project index and this file's path in it, when linting with the whole project in view. */
  readonly project: ProjectLink | null;
  /** Every Anthropic call site found in the file, in source order. */
  readonly calls: readonly CallSite[];
  /** Names imported or required from the Anthropic SDK packages. Empty when the file does not use them. */
  readonly sdkImports: readonly SdkImport[];
  /** Every `new Anthropic(…)` (or Bedrock/Vertex) expression in the file, in source order. */
  readonly clientConstructions: readonly TSESTree.NewExpression[];
  /** String literals and template parts whose text contains `sk-ant-`. */
  readonly keyLiterals: ReadonlyArray<TSESTree.Literal | TSESTree.TemplateElement>;
  /** If a `new` callee (or any expression) names an SDK client class, that class name ('Anthropic'…). */
  clientClassOf(callee: Node): string | null;
  /** The options of a client construction as data (see `ClientInfo.options`). */
  constructorOptions(n: TSESTree.NewExpression): Value;
  /** The parent of a node (null for the Program). */
  parent(node: Node): Node | null;
  /** Ancestors from the nearest parent outwards to the Program. */
  ancestors(node: Node): Node[];
  /** The innermost function (declaration, expression, arrow) containing the node, or null at top level. */
  enclosingFunction(node: Node): TSESTree.FunctionLike | null;
  /** What an identifier refers to in this file (lexical scoping), or null for globals and unresolved names. */
  resolve(id: TSESTree.Identifier): Binding | null;
  /**
   * Evaluates an expression to a `Value`: literals, object/array literals, `const` identifiers followed to
   * their initialiser, known spreads merged; anything else is unknown.
   */
  valueOf(expr: Node | null | undefined): Value;
  /** Report a finding for the current rule. */
  report(descriptor: ReportDescriptor): void;
}

/** What a call-level rule sees: the file, plus the call being checked. */
export interface RuleContext extends FileContext {
  readonly call: CallSite;
}

export interface Rule {
  meta: RuleMeta;
  /** Called once per call site. */
  check?(ctx: RuleContext): void;
  /** Called once per file that parsed (hardcoded-api-key scans the whole file). */
  checkFile?(ctx: FileContext): void;
}

/**
 * Runs once per call site before the rules, whatever rules are enabled (e.g. the retry-stack analysis,
 * which feeds both its rules and the hover). It may set `call.retryStack` and fill `call.shared`.
 * Registered in rules/index.ts next to the rules.
 */
export type CallAnalyzer = (ctx: RuleContext) => void;
