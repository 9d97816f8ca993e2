// The retry analysis's data: what a retry layer is, the SDK's own setting, the paths and the stack of one
// call, and the small internal shapes the analysis passes around.

/**
 * Nodes are read loosely (field access by name) inside this analysis; the public API takes typescript-estree
 * nodes. `parent` is set by the engine's walk.
 */
import type { ProjectLink } from '../callSites';

export interface N {
  type: string;
  range: [number, number];
  parent?: N;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export type RetryLayerKind =
  | 'helper'
  | 'configured-wrapper'
  | 'p-retry'
  | 'async-retry'
  | 'exponential-backoff'
  | 'cockatiel'
  | 'langchain'
  /** Python: tenacity (`@retry`, `Retrying` loops), backoff (`@backoff.on_exception`), stamina (`@stamina.retry`). */
  | 'tenacity'
  | 'backoff'
  | 'stamina'
  | 'loop'
  | 'recursion'
  /** A retry wrapper exported by another file of the project (`withAnthropicRetry` from `lib/retry.ts`). */
  | 'project-wrapper';

/** One thing that retries the call. `null` in a field means "not statically known". */
export interface RetryLayer {
  kind: RetryLayerKind;
  /** Short description for messages and hovers: "for loop", "pRetry", "withRetry", "recursive retry". */
  label: string;
  /** Where a finding about this layer points: the loop keyword, the wrapper's callee, the recursive call. */
  start: number;
  end: number;
  /** The same-file function through which this layer reaches the API call (e.g. "ask"), if any. */
  via: string | null;
  /**
   * The file the layer is in, when it is not the linted file (a caller in another file retries the call);
   * `start` and `end` are then offsets into that file.
   */
  file?: string;
  /** For a project wrapper: where its retry is written (another file). */
  definedAt?: { file: string; start: number; end: number };
  /** For a layer written in another file: "lib/retry.ts:13" (relative to the linted file's folder). */
  where?: string;
  /** Total attempts it makes (first try included); null when unknown or unbounded. */
  attempts: number | null;
  /** Where a count that is not a literal comes from (`this.options.retries`, `opts`), for messages. */
  attemptsFrom?: string | null;
  /** The final statuses (400, 401, 403, 404, 413, 422) it still retries while it stops on others. */
  retriesFinal?: number[];
  /** Transient failures it is known never to retry (see Transient); absent when none is known. */
  misses?: Transient[];
  /**
   * Transients it never retries from an SDK version on only (Python: a 529 raises OverloadedError, outside
   * InternalServerError, from `anthropic` 0.47): the rule decides with the version in use.
   */
  missesFrom?: { version: [number, number]; misses: Transient[] };
  /** A loop that moves to another model, key, region, client or provider on each attempt. */
  failover?: Failover;
  /** false: no attempt cap and no time budget. */
  bounded: boolean | null;
  /** Time budget in ms when one is known. */
  budgetMs: number | null;
  /** It tells retryable failures (429, 5xx, connection) from final ones (400, 401, 403, 404, 413, 422…). */
  statusAware: boolean | null;
  /** It handles rate limits (429) explicitly, or retries every error (429s included). */
  retries429: boolean | null;
  /**
   * A library layer told to retry rate limits by name (`RateLimitError` in its exception list): it is judged
   * on retry-after like a hand-written retry.
   */
  names429?: boolean;
  /** It waits before trying again. */
  waits: boolean | null;
  /** The wait grows from one attempt to the next. */
  grows: boolean | null;
  jittered: boolean | null;
  readsRetryAfter: boolean | null;
  /** Upper bound of the total time it waits between its own attempts (ms), when computable. */
  waitMs: number | null;
  /** For a library or helper wrapper: the wrapper call and the function it retries (for fixes). */
  wrapper?: {
    callStart: number;
    callEnd: number;
    /** The retried function argument. */
    fnStart: number;
    fnEnd: number;
    /** true when the retried function takes no parameters (it can be handed to withRetry unchanged). */
    fnTakesNoArgs: boolean;
  };
}

/**
 * A transient failure that will come to any caller of the API: an overload (529), a rate limit (429), a server
 * error (500), a dropped connection (no status) or a timeout (a connection error's subclass).
 */
export type Transient = 529 | 429 | 500 | 'connection' | 'timeout';

/** A failover loop: what it moves across. */
export interface Failover {
  /** What the loop moves across: "models", "API keys", "regions", "providers", "clients", "endpoints". */
  noun: string;
  /** How many alternatives, when the list is a literal. */
  count: number | null;
}

/** The SDK's own retries for the call. */
export interface SdkRetrySetting {
  /** null when not statically known (unknown never produces a finding). */
  maxRetries: number | null;
  source: 'default' | 'client' | 'request' | 'unknown';
  /** Where `maxRetries` was set (the property), when it was. */
  start?: number;
  end?: number;
  /** The file where it was set, when it is not the linted file (a client made in another module). */
  file?: string;
  /** Where it was set, for messages and the hover: "line 4", "lib/anthropic.ts:6". */
  where?: string;
  /** How "retries off" is written in the file's language, for the hover (default `maxRetries: 0`). */
  offText?: string;
}

/** One way the call can be reached, with the retry layers on it (innermost first). */
export interface RetryPath {
  layers: RetryLayer[];
  /** The call is handed to a function this file cannot show and whose name suggests it may retry. */
  unknownWrapper: boolean;
  /** Where the path comes in from another file, e.g. "ask() called in ../agents/runner.ts:14". */
  entry?: string;
}

export interface RetryStack {
  sdk: SdkRetrySetting;
  /** Every retry layer on any path, innermost first, without duplicates. */
  layers: RetryLayer[];
  paths: RetryPath[];
  /** Some path hands the call to an opaque function that may retry. */
  unknownWrapper: boolean;
  /** The path that can send the most requests. */
  worst: RetryPath;
  /** Upper bound of requests for one call on the worst path; null when unknown or unbounded. */
  totalRequests: number | null;
  /** Upper bound of time spent waiting between those requests (ms), without retry-after waits; null when unknown. */
  worstCaseWaitMs: number | null;
}

/** Plain-data summary for the editor (CallSummary.retryStack). */
export interface RetryStackSummary {
  /** e.g. "SDK 2 retries inside a 5-attempt for loop: up to 15 requests, worst-case wait ~37.5 s". */
  text: string;
  sdkMaxRetries: number | null;
  sdkSource: SdkRetrySetting['source'];
  /** Where the SDK setting comes from: "line 4", "lib/anthropic.ts:6" (absent for the SDK default). */
  sdkWhere?: string;
  /**
   * Layers of the worst path; `where` is set for a layer written in another file; attemptsFrom: where a count
   * that is not a literal comes from (`this.options.retries`).
   */
  layers: Array<{ kind: RetryLayerKind; label: string; attempts: number | null; attemptsFrom?: string; via: string | null; start: number; end: number; file?: string; where?: string }>;
  /** Where the worst path comes in from another file, when it does. */
  entry?: string;
  totalRequests: number | null;
  worstCaseWaitMs: number | null;
}

export interface RetryShapeOptions {
  /** Module specifier fragment of the inserted helper (default 'claudeRetry'). */
  retryHelperModule?: string;
  /** Extra function names that count as a (good) retry wrapper. */
  retryWrappers?: readonly string[];
  /** The project index and the analysed file's path in it: wrappers and callers in other files. */
  project?: ProjectLink | null;
  /** The language of the tree (default 'javascript'); Python's waits are in seconds (see pythonFacts.ts). */
  language?: 'javascript' | 'python';
}

/** How errors of a streaming call are handled. */
export interface StreamHandling {
  streaming: boolean;
  /**
   * 'handled': a catch, `.catch`, an 'error' listener, or every same-file caller catches;
   * 'unhandled': errors during the stream reach nobody;
   * 'unknown': the stream leaves the function (returned, passed on, stored) or is not consumed here.
   */
  status: 'handled' | 'unhandled' | 'unknown';
  /** The unprotected consumption (for-await, finalMessage(), an event listener), when unhandled. */
  consumption?: { start: number; end: number; what: string };
}

export type Env = Map<string, number>;

export interface TryFrame {
  /** The guarded part: the try block, or the promise whose `.catch(cb)` handles it. */
  block: N;
  /** The handler body (catch clause block, or the `.catch` callback). */
  handler: N;
  /** The catch clause or the `.catch(...)` call. */
  node: N;
}

export interface PartialPath {
  layers: RetryLayer[];
  unknownWrapper: boolean;
  entry?: string;
}

export function baseLayer(kind: RetryLayerKind, label: string, at: N): RetryLayer {
  return {
    kind,
    label,
    start: at.range[0],
    end: at.range[1],
    via: null,
    attempts: null,
    bounded: null,
    budgetMs: null,
    statusAware: null,
    retries429: null,
    waits: null,
    grows: null,
    jittered: null,
    readsRetryAfter: null,
    waitMs: null,
  };
}
