// The messages between the playground's host (extension) and its webview, in both directions, in one file
// imported by both sides. The host trusts nothing it receives: `validateWebviewMessage` checks every message
// from the webview strictly (known type, exact keys, value types and sizes) and explains what is wrong.
// No imports of `vscode` or the DOM here, and no dependencies.
import type { AttemptRecord, FieldFinding, KeyStatus, RequestDraft, RunResult, ScenarioSummary } from '../core/playground/types';

export type { AttemptRecord, FieldFinding, KeyStatus, RequestDraft, RunResult, ScenarioSummary };

/** The webview panel's view type (also used by the serializer and the activation event). */
export const PLAYGROUND_VIEW_TYPE = 'claudeRequestLint.playground';

/** What the webview keeps with `setState` (never a key): the draft and the last run as shown. */
export interface WebviewState {
  draft: RequestDraft;
  run?: RunSnapshot;
}

/** A run as the webview shows it: complete (with `result`) or still going. */
export interface RunSnapshot {
  runId: number;
  endpointLabel: string;
  startedAt: number;
  running: boolean;
  attempts: AttemptRecord[];
  text: string;
  result?: RunResult;
}

// ---------------------------------------------------------------------------------------------------------
// Webview → host
// ---------------------------------------------------------------------------------------------------------

/** What "copy" puts on the clipboard: TypeScript, Python or a curl command. */
export type CopyFormat = 'code' | 'python' | 'curl';
const COPY_FORMATS: readonly string[] = ['code', 'python', 'curl'];

export type WebviewToHost =
  /** webview → host: the page has loaded and listens; the host answers with `init`. */
  | { type: 'ready' }
  /** webview → host: the draft changed (debounced); the host lints it and answers with `lintResult`. */
  | { type: 'draftChanged'; seq: number; draft: RequestDraft }
  /** webview → host: send the draft (Send button or Ctrl+Enter). */
  | { type: 'send'; draft: RequestDraft }
  /** webview → host: cancel the run in progress (a request in flight or a wait). */
  | { type: 'cancel' }
  /** webview → host: put the draft on the clipboard as TypeScript (`withRetry`), Python (`with_retry`) or a curl command. */
  | { type: 'copy'; format: CopyFormat; draft: RequestDraft }
  /** webview → host: ask the user for an API key (runs "Claude: Set API Key"). */
  | { type: 'setApiKey' }
  /** webview → host: whether the codicon font loaded under the page's CSP (the host logs a failure). */
  | { type: 'fontStatus'; codicons: 'loaded' | 'failed' };

// ---------------------------------------------------------------------------------------------------------
// Host → webview
// ---------------------------------------------------------------------------------------------------------

export type HostToWebview =
  /** host → webview: answer to `ready`: what the page needs to render; `draft` replaces the saved one when set. */
  | {
      type: 'init';
      scenarios: ScenarioSummary[];
      models: string[];
      keyStatus: KeyStatus;
      draft: RequestDraft | null;
      /** The run the host knows about (e.g. one that went on while the panel was hidden). */
      run: RunSnapshot | null;
    }
  /** host → webview: replace the draft (Send Test Request from a call in the editor); `note` says what was left out. */
  | { type: 'loadDraft'; draft: RequestDraft; note?: string }
  /** host → webview: lint findings for the draft of `draftChanged` number `seq`. */
  | { type: 'lintResult'; seq: number; findings: FieldFinding[] }
  /** host → webview: whether a key is available now (after Set/Clear API Key). */
  | { type: 'keyStatus'; keyStatus: KeyStatus }
  /** host → webview: a run started. */
  | { type: 'runStarted'; runId: number; endpointLabel: string; startedAt: number }
  /** host → webview: an attempt of the run started, ended or got its wait (the record as it is now). */
  | { type: 'attempt'; runId: number; attempt: AttemptRecord }
  /** host → webview: streamed text of the run, as it arrives. */
  | { type: 'text'; runId: number; delta: string }
  /** host → webview: the run is over (success, error or cancelled). */
  | { type: 'runFinished'; result: RunResult }
  /** host → webview: something to tell the user (a rejected message, a missing key, a copy done). */
  | { type: 'notice'; level: 'error' | 'info'; message: string; action?: 'setApiKey' };

// ---------------------------------------------------------------------------------------------------------
// Validation of what the webview sends
// ---------------------------------------------------------------------------------------------------------

export type Validated<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Longest text accepted in one draft field (the messages editor included). */
export const MAX_TEXT_LENGTH = 1_000_000;

const ENDPOINTS: readonly string[] = ['simulated', 'anthropic', 'custom'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Exactly these keys (the optional ones may be absent), else the reason. */
function checkKeys(obj: Record<string, unknown>, where: string, required: readonly string[], optional: readonly string[] = []): string | null {
  for (const k of required) if (!(k in obj)) return `${where} is missing "${k}".`;
  for (const k of Object.keys(obj)) {
    if (!required.includes(k) && !optional.includes(k)) return `${where} has an unexpected field "${k}".`;
  }
  return null;
}

function checkString(v: unknown, where: string, maxLength = MAX_TEXT_LENGTH): string | null {
  if (typeof v !== 'string') return `${where} must be a string, got ${typeName(v)}.`;
  if (v.length > maxLength) return `${where} is too long (${v.length} characters, at most ${maxLength}).`;
  return null;
}

function checkInteger(v: unknown, where: string, min: number, max: number): string | null {
  if (typeof v !== 'number' || !Number.isInteger(v)) return `${where} must be a whole number, got ${typeof v === 'number' ? String(v) : typeName(v)}.`;
  if (v < min || v > max) return `${where} must be between ${min} and ${max}, got ${v}.`;
  return null;
}

/** Checks a draft received from the webview (or restored from its saved state). */
export function validateDraft(raw: unknown, where = 'draft'): Validated<RequestDraft> {
  if (!isPlainObject(raw)) return { ok: false, reason: `${where} must be an object, got ${typeName(raw)}.` };
  const keys = checkKeys(raw, where, ['endpoint', 'scenario', 'scenarioOptionsJson', 'baseURL', 'model', 'maxTokens', 'system', 'messagesJson', 'stream', 'retry']);
  if (keys) return { ok: false, reason: keys };
  if (typeof raw.endpoint !== 'string' || !ENDPOINTS.includes(raw.endpoint)) {
    return { ok: false, reason: `${where}.endpoint must be one of ${ENDPOINTS.join(', ')}, got ${JSON.stringify(raw.endpoint)}.` };
  }
  const problems = [
    checkString(raw.scenario, `${where}.scenario`, 100),
    checkString(raw.scenarioOptionsJson, `${where}.scenarioOptionsJson`, 10_000),
    checkString(raw.baseURL, `${where}.baseURL`, 2_000),
    checkString(raw.model, `${where}.model`, 200),
    raw.maxTokens === null ? null : checkInteger(raw.maxTokens, `${where}.maxTokens`, -1_000_000_000, 1_000_000_000),
    checkString(raw.system, `${where}.system`),
    checkString(raw.messagesJson, `${where}.messagesJson`),
    typeof raw.stream === 'boolean' ? null : `${where}.stream must be true or false, got ${typeName(raw.stream)}.`,
  ];
  const first = problems.find((p) => p !== null);
  if (first) return { ok: false, reason: first };
  const retry = raw.retry;
  if (!isPlainObject(retry)) return { ok: false, reason: `${where}.retry must be an object, got ${typeName(retry)}.` };
  const rk = checkKeys(retry, `${where}.retry`, ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxElapsedMs']);
  if (rk) return { ok: false, reason: rk };
  const day = 86_400_000;
  const rp = [
    checkInteger(retry.maxAttempts, `${where}.retry.maxAttempts`, 1, 20),
    checkInteger(retry.baseDelayMs, `${where}.retry.baseDelayMs`, 0, day),
    checkInteger(retry.maxDelayMs, `${where}.retry.maxDelayMs`, 0, day),
    checkInteger(retry.maxElapsedMs, `${where}.retry.maxElapsedMs`, 0, day),
  ].find((p) => p !== null);
  if (rp) return { ok: false, reason: rp };
  return {
    ok: true,
    value: {
      endpoint: raw.endpoint as RequestDraft['endpoint'],
      scenario: raw.scenario as string,
      scenarioOptionsJson: raw.scenarioOptionsJson as string,
      baseURL: raw.baseURL as string,
      model: raw.model as string,
      maxTokens: raw.maxTokens as number | null,
      system: raw.system as string,
      messagesJson: raw.messagesJson as string,
      stream: raw.stream as boolean,
      retry: {
        maxAttempts: retry.maxAttempts as number,
        baseDelayMs: retry.baseDelayMs as number,
        maxDelayMs: retry.maxDelayMs as number,
        maxElapsedMs: retry.maxElapsedMs as number,
      },
    },
  };
}

/** Checks one message from the webview. The reason names the message type and the field at fault. */
export function validateWebviewMessage(raw: unknown): Validated<WebviewToHost> {
  if (!isPlainObject(raw)) return { ok: false, reason: `A message must be an object, got ${typeName(raw)}.` };
  const type = raw.type;
  if (typeof type !== 'string') return { ok: false, reason: `A message needs a string "type", got ${typeName(type)}.` };
  const where = `Message "${type.slice(0, 40)}"`;
  switch (type) {
    case 'ready':
    case 'cancel':
    case 'setApiKey': {
      const k = checkKeys(raw, where, ['type']);
      return k ? { ok: false, reason: k } : { ok: true, value: { type } };
    }
    case 'draftChanged': {
      const k = checkKeys(raw, where, ['type', 'seq', 'draft']);
      if (k) return { ok: false, reason: k };
      const s = checkInteger(raw.seq, `${where}: seq`, 0, Number.MAX_SAFE_INTEGER);
      if (s) return { ok: false, reason: s };
      const d = validateDraft(raw.draft, `${where}: draft`);
      return d.ok ? { ok: true, value: { type, seq: raw.seq as number, draft: d.value } } : d;
    }
    case 'send': {
      const k = checkKeys(raw, where, ['type', 'draft']);
      if (k) return { ok: false, reason: k };
      const d = validateDraft(raw.draft, `${where}: draft`);
      return d.ok ? { ok: true, value: { type, draft: d.value } } : d;
    }
    case 'fontStatus': {
      const k = checkKeys(raw, where, ['type', 'codicons']);
      if (k) return { ok: false, reason: k };
      if (raw.codicons !== 'loaded' && raw.codicons !== 'failed') {
        return { ok: false, reason: `${where}: codicons must be "loaded" or "failed", got ${JSON.stringify(raw.codicons)}.` };
      }
      return { ok: true, value: { type, codicons: raw.codicons } };
    }
    case 'copy': {
      const k = checkKeys(raw, where, ['type', 'format', 'draft']);
      if (k) return { ok: false, reason: k };
      if (typeof raw.format !== 'string' || !COPY_FORMATS.includes(raw.format)) {
        return { ok: false, reason: `${where}: format must be "code", "python" or "curl", got ${JSON.stringify(raw.format)}.` };
      }
      const d = validateDraft(raw.draft, `${where}: draft`);
      return d.ok ? { ok: true, value: { type, format: raw.format as CopyFormat, draft: d.value } } : d;
    }
    default:
      return { ok: false, reason: `Unknown message type ${JSON.stringify(type.slice(0, 40))}.` };
  }
}

/** Checks the state the webview saved (given back by the serializer after a reload). Bad parts are dropped. */
export function validateWebviewState(raw: unknown): { draft: RequestDraft | null } {
  if (!isPlainObject(raw)) return { draft: null };
  const d = validateDraft(raw.draft);
  return { draft: d.ok ? d.value : null };
}
