// The playground's data, shared by the host (session, panel) and the webview through the protocol.
// Plain data only: no imports, nothing that needs Node or the DOM.

/** Where a playground request goes. */
export type EndpointKind = 'simulated' | 'anthropic' | 'custom';

/** The retry policy the request runs under (the shared retry core's options). */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Backoff cap for the first retry, doubling each time (ms). */
  baseDelayMs: number;
  /** Largest backoff wait (ms); a server's retry-after may be longer. */
  maxDelayMs: number;
  /** Wall-clock budget for the whole call, waits included (ms). */
  maxElapsedMs: number;
}

/**
 * What the user edits in the playground. `messagesJson` and `scenarioOptionsJson` are kept as typed, so a
 * draft with a syntax error is never lost. Never holds an API key.
 */
export interface RequestDraft {
  endpoint: EndpointKind;
  /** Scenario of the simulated endpoint (a name from the simulated server's list). */
  scenario: string;
  /** Options of that scenario as JSON text ('' for the defaults). */
  scenarioOptionsJson: string;
  /** Base URL of a gateway (endpoint 'custom'). */
  baseURL: string;
  model: string;
  /** null when the field is empty (the request is then sent without max_tokens, and the lint says so). */
  maxTokens: number | null;
  /** '' for no system prompt. */
  system: string;
  /** The `messages` array as JSON text. */
  messagesJson: string;
  stream: boolean;
  retry: RetryPolicy;
}

/** A lint finding on the draft, attached to the field it concerns. */
export interface FieldFinding {
  /** 'model', 'max_tokens', 'system', 'messages', 'stream', or 'request' for the request as a whole. */
  field: string;
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Link to the rule's documentation. */
  docsUrl: string;
}

/** A scenario of the simulated endpoint, as listed in the playground. */
export interface ScenarioSummary {
  name: string;
  description: string;
  /** "name (default): description" lines for the options this scenario accepts. */
  options: string[];
}

/** Whether an API key is available to the host (the key itself never leaves the host). */
export interface KeyStatus {
  available: boolean;
  /** Where it comes from. */
  source: 'secret-storage' | 'environment' | null;
}

export type AttemptOutcome = 'pending' | 'ok' | 'error' | 'stream-error' | 'cancelled';

/** One attempt of a run, as the timeline shows it. */
export interface AttemptRecord {
  /** 1-based. */
  attempt: number;
  /** Epoch ms when the attempt started. */
  startedAt: number;
  /** Ms since the run started. */
  offsetMs: number;
  /** How long the attempt took (until the response, the first stream event or the error). */
  durationMs?: number;
  outcome: AttemptOutcome;
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** API error type (`overloaded_error`, ...) or the error's class name when there is none. */
  errorType?: string;
  /** Finer API error code, e.g. `enforced_spend_limit_reached`. */
  errorCode?: string;
  errorMessage?: string;
  requestId?: string;
  /** The retry core's reason for its decision, e.g. 'http-status', 'spend-limit', 'connection-error'. */
  classification?: string;
  retryable?: boolean;
  /** The wait that followed this attempt, when it was retried. */
  wait?: { ms: number; reason: 'retry-after' | 'backoff' };
}

export interface UsageSummary {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** The final message of a successful run (text blocks joined; other blocks listed by type). */
export interface FinalMessage {
  id?: string;
  model?: string;
  role?: string;
  text: string;
  /** Types of the content blocks, e.g. ['text']. */
  contentTypes: string[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: UsageSummary;
}

export type RunOutcome = 'success' | 'error' | 'cancelled';

export interface RunError {
  message: string;
  status?: number;
  errorType?: string;
  requestId?: string;
  /** Why the retry core stopped: 'final-error', 'attempts-exhausted', 'budget-exceeded', 'aborted', ... */
  giveUpReason?: string;
  /** The error happened after output had started (a stream error): it was not retried. */
  midStream?: boolean;
}

/** Everything a finished run produced. */
export interface RunResult {
  runId: number;
  outcome: RunOutcome;
  attempts: AttemptRecord[];
  /** Text as it was delivered (for streams, the deltas joined, each delivered once). */
  text: string;
  message?: FinalMessage;
  error?: RunError;
  /** `anthropic-ratelimit-*`, `retry-after`, `request-id` from the last response seen. */
  rateLimitHeaders: Record<string, string>;
  totalMs: number;
  /** Where the request went (no key, no secret), e.g. "Simulated (rate-limited)". */
  endpointLabel: string;
}
