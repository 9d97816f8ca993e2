// The playground's send logic, without any editor: builds an `@anthropic-ai/sdk` client with its own retries
// off (`maxRetries: 0`), runs the request through the shared retry core (`withRetry`, or `withStreamRetry`
// when streaming) and records what happened: one timeline entry per attempt (when, status or error type,
// request id, the wait that followed and why), the text as it streams, the final message, the rate-limit
// headers of the last response and the total time. An AbortSignal cancels a request in flight or a wait.
//
// The built-in simulated endpoint is started lazily, once per session, on 127.0.0.1; each run picks its
// scenario with the `x-simulate-scenario` header and gets its own fault counter (`key` option), so every
// send of a fault scenario shows the faults again.
import Anthropic from '@anthropic-ai/sdk';
import { startSimulatedServer, validateScenario, type SimulatedServer, type SimulatedServerOptions } from '../api/simulatedServer';
import { classifyError, withRetry, withStreamRetry, type GiveUpEvent, type RetryEvent, type RetryOptions } from '../retry/claudeRetry';
import { requestBody, type RequestBody } from './draft';
import type { AttemptRecord, FinalMessage, RequestDraft, RunError, RunResult, UsageSummary } from './types';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Sent as the API key to the simulated endpoint (which only checks that one is present). */
const SIMULATED_KEY = 'simulated-endpoint-no-key';

export interface RunListener {
  /** An attempt started, ended, or got its wait: the record as it is now (a copy). */
  onAttempt?(attempt: AttemptRecord): void;
  /** Streamed text as it arrives; each piece is delivered once. */
  onText?(delta: string): void;
}

export interface RunOptions {
  runId: number;
  /** The key for the Anthropic API or a custom endpoint (unused by the simulated endpoint). */
  apiKey?: string;
  signal?: AbortSignal;
  listener?: RunListener;
}

export interface SessionOptions {
  /** Options for the built-in simulated server (tests pass a timeScale); host and port default to 127.0.0.1:any. */
  simulated?: Pick<SimulatedServerOptions, 'timeScale' | 'onRequest'>;
  /** Overrides for the retry core (tests pass a deterministic `random`). */
  retry?: Pick<RetryOptions, 'random'>;
  /** A simulated server owned elsewhere (the editor's fault lab), asked for on every send and never closed here. */
  server?: () => Promise<SimulatedServer>;
}

/** Headers worth showing after a response: rate limits, retry hints, the request id. */
export function isRateLimitHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('anthropic-ratelimit-') || n === 'retry-after' || n === 'retry-after-ms' || n === 'request-id' || n === 'x-should-retry';
}

/** The rate-limit headers of a fetch `Headers`, a Map-like or a plain object. */
export function pickRateLimitHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const add = (k: string, v: unknown): void => {
    if (isRateLimitHeader(k) && v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  };
  const h = headers as { forEach?: (cb: (v: unknown, k: string) => void) => void };
  if (typeof h.forEach === 'function' && !Array.isArray(headers)) h.forEach((v, k) => add(k, v));
  else for (const [k, v] of Object.entries(headers as Record<string, unknown>)) add(k, v);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const ctor = (err as { constructor?: { name?: string } }).constructor;
    if (ctor && typeof ctor.name === 'string' && ctor.name !== 'Object') return ctor.name;
    const n = (err as { name?: unknown }).name;
    if (typeof n === 'string') return n;
  }
  return 'Error';
}

/** The API's own message when the error carries one (not the SDK's "429 {json}" text), else the error's message. */
function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { apiMessage?: unknown; error?: { error?: { message?: unknown } }; message?: unknown };
    if (typeof e.apiMessage === 'string' && e.apiMessage) return e.apiMessage;
    const body = e.error?.error?.message;
    if (typeof body === 'string' && body) return body;
    if (typeof e.message === 'string' && e.message) return e.message;
  }
  return String(err);
}

/** A readable endpoint label (never a key). */
export function endpointLabel(draft: RequestDraft): string {
  switch (draft.endpoint) {
    case 'simulated':
      return `Simulated (${draft.scenario})`;
    case 'anthropic':
      return 'Anthropic API';
    case 'custom':
      return `Custom (${draft.baseURL.trim()})`;
  }
}

interface StreamEvent {
  type: string;
  message?: { id?: string; model?: string; role?: string; usage?: UsageSummary };
  content_block?: { type?: string };
  delta?: { type?: string; text?: string; stop_reason?: string | null; stop_sequence?: string | null };
  usage?: UsageSummary;
}

interface MessageLike {
  id?: string;
  model?: string;
  role?: string;
  content?: Array<{ type?: string; text?: string }>;
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: UsageSummary;
}

function usageOf(u: unknown): UsageSummary | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const out: UsageSummary = {};
  for (const k of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    const v = (u as Record<string, unknown>)[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}

export class PlaygroundSession {
  private server: Promise<SimulatedServer> | undefined;
  private disposed = false;

  constructor(private readonly options: SessionOptions = {}) {}

  /** The built-in simulated server, started on first use (once). */
  simulatedServer(): Promise<SimulatedServer> {
    if (this.disposed) return Promise.reject(new Error('The playground session is closed.'));
    if (this.options.server) return this.options.server();
    if (!this.server) {
      this.server = startSimulatedServer({ host: '127.0.0.1', port: 0, ...this.options.simulated });
      this.server.catch(() => (this.server = undefined));
    }
    return this.server;
  }

  /** The simulated server's URL when it is running (for "copy as curl"). */
  async simulatedUrl(): Promise<string | undefined> {
    if (this.options.server) return (await this.options.server()).url;
    return this.server ? (await this.server).url : undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const s = this.server;
    this.server = undefined;
    if (s) await (await s).close();
  }

  /** Sends the draft. Never rejects: failures and cancellations are part of the result. */
  async run(draft: RequestDraft, opts: RunOptions): Promise<RunResult> {
    const t0 = Date.now();
    const attempts: AttemptRecord[] = [];
    let rateLimitHeaders: Record<string, string> = {};
    let text = '';
    const label = endpointLabel(draft);
    const listener = opts.listener ?? {};
    const signal = opts.signal;
    const emit = (a: AttemptRecord): void => {
      try {
        listener.onAttempt?.({ ...a, wait: a.wait ? { ...a.wait } : undefined });
      } catch {
        // a listener's failure must not change the run
      }
    };
    const result = (outcome: RunResult['outcome'], extra: Partial<RunResult> = {}): RunResult => ({
      runId: opts.runId,
      outcome,
      attempts: attempts.map((a) => ({ ...a })),
      text,
      rateLimitHeaders,
      totalMs: Date.now() - t0,
      endpointLabel: label,
      ...extra,
    });
    const failBeforeStart = (message: string): RunResult => result('error', { error: { message } });

    const built = requestBody(draft);
    if (!built.ok) return failBeforeStart(built.errors.map((e) => e.message).join(' '));
    const body: RequestBody = built.body;

    // The client: the SDK with its own retries off; our retry core decides.
    let client: Anthropic;
    const headers: Record<string, string> = {};
    try {
      if (draft.endpoint === 'simulated') {
        let scenario;
        try {
          const raw = draft.scenarioOptionsJson.trim() ? (JSON.parse(draft.scenarioOptionsJson) as unknown) : {};
          scenario = validateScenario(draft.scenario, raw);
        } catch (e) {
          return failBeforeStart(errorMessage(e));
        }
        const server = await this.simulatedServer();
        client = new Anthropic({ apiKey: SIMULATED_KEY, baseURL: server.url, maxRetries: 0 });
        headers['x-simulate-scenario'] = scenario.name;
        const given = draft.scenarioOptionsJson.trim() ? (JSON.parse(draft.scenarioOptionsJson) as Record<string, unknown>) : {};
        // a counter of its own per run, so the scripted faults happen again on every send
        headers['x-simulate-options'] = JSON.stringify({ ...given, key: `run-${opts.runId}-${t0}` });
      } else {
        // a custom base URL may be a keyless gateway: without a key, no key header is sent at all
        if (!opts.apiKey && draft.endpoint !== 'custom') {
          return failBeforeStart('No API key: set one with "Claude: Set API Key" or the ANTHROPIC_API_KEY environment variable.');
        }
        const baseURL = draft.endpoint === 'custom' ? draft.baseURL.trim().replace(/\/+$/, '') : ANTHROPIC_BASE_URL;
        client = opts.apiKey
          ? new Anthropic({ apiKey: opts.apiKey, baseURL, maxRetries: 0 })
          : new Anthropic({ apiKey: null, authToken: null, baseURL, maxRetries: 0, defaultHeaders: { 'x-api-key': null, authorization: null } });
      }
    } catch (e) {
      return failBeforeStart(errorMessage(e));
    }

    const begin = (attempt: number): AttemptRecord => {
      const now = Date.now();
      const rec: AttemptRecord = { attempt, startedAt: now, offsetMs: now - t0, outcome: 'pending' };
      attempts.push(rec);
      emit(rec);
      return rec;
    };
    const succeed = (rec: AttemptRecord, status: number | undefined, requestId: string | null | undefined): void => {
      rec.outcome = 'ok';
      rec.durationMs = Date.now() - rec.startedAt;
      if (status !== undefined) rec.status = status;
      if (requestId) rec.requestId = requestId;
      emit(rec);
    };
    const fail = (rec: AttemptRecord, err: unknown, midStream: boolean): void => {
      const c = classifyError(err);
      const cancelled = c.reason === 'aborted' || (signal?.aborted ?? false);
      rec.outcome = cancelled ? 'cancelled' : midStream ? 'stream-error' : 'error';
      if (rec.durationMs === undefined) rec.durationMs = Date.now() - rec.startedAt;
      if (c.status !== undefined) rec.status = c.status;
      rec.errorType = c.errorType ?? errorName(err);
      if (c.errorCode) rec.errorCode = c.errorCode;
      if (c.requestId) rec.requestId = c.requestId;
      rec.errorMessage = errorMessage(err);
      rec.classification = c.reason;
      rec.retryable = midStream ? false : c.retryable;
      const h = pickRateLimitHeaders((err as { headers?: unknown })?.headers);
      if (Object.keys(h).length) rateLimitHeaders = h;
      emit(rec);
    };

    let giveUp: GiveUpEvent | undefined;
    const retryOptions: RetryOptions = {
      ...draft.retry,
      ...this.options.retry,
      signal,
      onRetry: (e: RetryEvent) => {
        const rec = attempts[e.attempt - 1];
        if (!rec) return;
        rec.wait = { ms: e.delayMs, reason: e.reason };
        emit(rec);
      },
      onGiveUp: (e: GiveUpEvent) => {
        giveUp = e;
      },
    };
    const requestOptions = { signal, headers };

    const errorResult = (err: unknown, midStream: boolean): RunResult => {
      const c = classifyError(err);
      const cancelled = signal?.aborted ?? false;
      const error: RunError = { message: cancelled ? 'Cancelled.' : errorMessage(err) };
      if (c.status !== undefined) error.status = c.status;
      const type = c.errorType ?? (cancelled ? undefined : errorName(err));
      if (type) error.errorType = type;
      if (c.requestId) error.requestId = c.requestId;
      if (giveUp && !midStream) error.giveUpReason = giveUp.reason;
      if (midStream) error.midStream = true;
      // an attempt still marked pending (cancelled before its answer) is closed as cancelled
      for (const a of attempts) {
        if (a.outcome === 'pending') {
          a.outcome = cancelled ? 'cancelled' : 'error';
          a.durationMs = Date.now() - a.startedAt;
          emit(a);
        }
      }
      return result(cancelled ? 'cancelled' : 'error', { error });
    };

    if (!draft.stream) {
      try {
        const message = (await withRetry(async (attempt) => {
          const rec = begin(attempt);
          try {
            const { data, response, request_id } = await client.messages.create(body as never, requestOptions).withResponse();
            rateLimitHeaders = pickRateLimitHeaders(response.headers);
            succeed(rec, response.status, request_id);
            return data as unknown as MessageLike;
          } catch (err) {
            fail(rec, err, false);
            throw err;
          }
        }, retryOptions)) as MessageLike;
        const blocks = Array.isArray(message.content) ? message.content : [];
        text = blocks.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
        if (text) listener.onText?.(text);
        const final: FinalMessage = {
          id: message.id,
          model: message.model,
          role: message.role,
          text,
          contentTypes: blocks.map((b) => String(b.type)),
          stop_reason: message.stop_reason ?? null,
          stop_sequence: message.stop_sequence ?? null,
          usage: usageOf(message.usage),
        };
        return result('success', { message: final });
      } catch (err) {
        return errorResult(err, false);
      }
    }

    // Streaming: retried only until the first event; after that an error surfaces and nothing repeats.
    let current: AttemptRecord | undefined;
    let started = false;
    const open = async (attempt: number): Promise<AsyncIterable<StreamEvent>> => {
      const rec = begin(attempt);
      current = rec;
      let stream: AsyncIterable<StreamEvent>;
      let status: number;
      let requestId: string | null | undefined;
      try {
        const r = await client.messages.create({ ...(body as object), stream: true } as never, requestOptions).withResponse();
        stream = r.data as unknown as AsyncIterable<StreamEvent>;
        status = r.response.status;
        requestId = r.request_id;
        rateLimitHeaders = pickRateLimitHeaders(r.response.headers);
      } catch (err) {
        fail(rec, err, false);
        throw err;
      }
      // Watch the stream: its first event makes the attempt a success; an error is recorded on this attempt.
      return {
        [Symbol.asyncIterator]: () => {
          const it = stream[Symbol.asyncIterator]();
          let first = true;
          return {
            next: async () => {
              try {
                const n = await it.next();
                if (first) {
                  first = false;
                  succeed(rec, status, requestId);
                }
                return n;
              } catch (err) {
                fail(rec, err, !first);
                throw err;
              }
            },
            return: async () => (it.return ? it.return() : { done: true as const, value: undefined }),
          };
        },
      };
    };

    const final: FinalMessage = { text: '', contentTypes: [] };
    try {
      for await (const ev of withStreamRetry(open, retryOptions)) {
        started = true;
        switch (ev.type) {
          case 'message_start':
            if (ev.message) {
              final.id = ev.message.id;
              final.model = ev.message.model;
              final.role = ev.message.role;
              final.usage = usageOf(ev.message.usage);
            }
            break;
          case 'content_block_start':
            if (ev.content_block?.type) final.contentTypes.push(ev.content_block.type);
            break;
          case 'content_block_delta':
            if (ev.delta?.type === 'text_delta' && typeof ev.delta.text === 'string') {
              text += ev.delta.text;
              try {
                listener.onText?.(ev.delta.text);
              } catch {
                // a listener's failure must not change the run
              }
            }
            break;
          case 'message_delta':
            if (ev.delta && 'stop_reason' in ev.delta) final.stop_reason = ev.delta.stop_reason ?? null;
            if (ev.delta && 'stop_sequence' in ev.delta) final.stop_sequence = ev.delta.stop_sequence ?? null;
            if (ev.usage) final.usage = { ...final.usage, ...usageOf(ev.usage) };
            break;
        }
      }
      final.text = text;
      return result('success', { message: final });
    } catch (err) {
      const r = errorResult(err, started);
      // the text delivered before a mid-stream error stays (it was shown once and is not repeated)
      if (started && current && current.outcome === 'stream-error' && r.error) r.error.midStream = true;
      return r;
    }
  }
}
