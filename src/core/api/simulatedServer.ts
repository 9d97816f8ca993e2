// A simulated Claude Messages API: a real HTTP server on 127.0.0.1 that answers `POST /v1/messages` the way
// the real API does (JSON bodies and SSE streams, error bodies, request-id and rate-limit headers) and injects
// faults on demand: rate limits, overload bursts and storms, server errors, errors in the middle of a stream,
// spend limits, reset connections and slow answers. Used by the tests, the benchmarks, the playground's
// built-in endpoint and the `simulate` command.
//
// Scenario selection: per server (`options.scenario`, `setScenario`) or per request with the headers
// `x-simulate-scenario: NAME` and `x-simulate-options: {json}`; a per-request choice overrides the server's.
// Fault counters ("fail the first N requests") are kept per server and per scenario key (the scenario name,
// its options, and the optional `key` option), so a client's retries see the scripted sequence. `reset()` and
// `setScenario()` clear them. With `faultsPerCall` the key also holds the method, path and body hash, and a
// success clears it: every logical call (the same request sent again) fails its first N attempts.
// With `forward`, the answers the scenario lets through come from another server (the fault lab's proxy).

import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { createHash, randomBytes } from 'crypto';

// ---------------------------------------------------------------------------------------------------------
// Scenarios as data
// ---------------------------------------------------------------------------------------------------------

export type ScenarioName =
  | 'ok'
  | 'rate-limited'
  | 'overloaded-burst'
  | 'overloaded-storm'
  | 'server-error'
  | 'mid-stream-error'
  | 'spend-limit'
  | 'connection-reset'
  | 'slow';

/**
 * The kinds of option values: `count` is a non-negative integer or the string "always";
 * `ms`/`seconds` are non-negative numbers of (unscaled) time that `timeScale` multiplies.
 */
export type OptionKind = 'count' | 'integer' | 'ms' | 'seconds' | 'boolean' | 'string';

export interface ScenarioOptionSpec {
  readonly name: string;
  readonly kind: OptionKind;
  /** `undefined` means "not sent / off unless given". */
  readonly default: number | string | boolean | undefined;
  readonly description: string;
  /** For `string` options with a closed set of values. */
  readonly values?: readonly string[];
  /** Smallest allowed value for numeric kinds (default 0). */
  readonly min?: number;
}

export interface ScenarioInfo {
  readonly name: ScenarioName;
  /** One line, for lists in the playground, the docs and `simulate --list`. */
  readonly description: string;
  readonly options: readonly ScenarioOptionSpec[];
}

const retryAfterMsOption: ScenarioOptionSpec = {
  name: 'retryAfterMs',
  kind: 'ms',
  default: undefined,
  description: 'also send a retry-after-ms header with this value (scaled by timeScale)',
};

/** Options every scenario accepts: the shape of the successful answer and the counter key. */
export const COMMON_SCENARIO_OPTIONS: readonly ScenarioOptionSpec[] = [
  { name: 'replyWords', kind: 'integer', default: 12, min: 1, description: 'words in the reply (1 word = 1 output token)' },
  { name: 'wordsPerDelta', kind: 'integer', default: 2, min: 1, description: 'words per text_delta event when streaming' },
  { name: 'key', kind: 'string', default: undefined, description: 'separate fault counter for requests that carry the same key' },
];

export const SCENARIOS: readonly ScenarioInfo[] = [
  {
    name: 'ok',
    description: 'every request succeeds',
    options: [],
  },
  {
    name: 'rate-limited',
    description: '429 rate_limit_error with retry-after for the first N requests, then ok',
    options: [
      { name: 'failures', kind: 'count', default: 1, description: 'how many requests fail ("always" for all)' },
      { name: 'retryAfter', kind: 'seconds', default: 1, description: 'retry-after header in seconds (scaled by timeScale)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'overloaded-burst',
    description: '529 overloaded_error for the first N requests, then ok',
    options: [
      { name: 'failures', kind: 'count', default: 2, description: 'how many requests fail ("always" for all)' },
      { name: 'retryAfter', kind: 'seconds', default: undefined, description: 'send a retry-after header in seconds (scaled)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'overloaded-storm',
    description: '529 overloaded_error whenever more than `capacity` requests arrive within a sliding window',
    options: [
      { name: 'capacity', kind: 'integer', default: 10, min: 1, description: 'requests accepted per window' },
      { name: 'windowMs', kind: 'ms', default: 1000, min: 1, description: 'length of the sliding window (scaled by timeScale)' },
      { name: 'latencyMs', kind: 'ms', default: 0, description: 'time an accepted request takes before it answers (scaled)' },
      {
        name: 'countRejected',
        kind: 'boolean',
        default: false,
        description: 'rejected requests also occupy the window (retries then prolong the overload)',
      },
      { name: 'retryAfter', kind: 'seconds', default: undefined, description: 'send a retry-after header in seconds (scaled)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'server-error',
    description: '500 api_error for the first N requests (or always), then ok',
    options: [
      { name: 'failures', kind: 'count', default: 1, description: 'how many requests fail ("always" for all)' },
      { name: 'retryAfter', kind: 'seconds', default: undefined, description: 'send a retry-after header in seconds (scaled)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'mid-stream-error',
    description: 'streams start with 200 and some text, then an SSE error event (overloaded_error); non-streaming requests get 529',
    options: [
      { name: 'failures', kind: 'count', default: 'always', description: 'how many requests fail ("always" for all)' },
      { name: 'deltasBeforeError', kind: 'integer', default: 2, description: 'text_delta events sent before the error event' },
      {
        name: 'errorType',
        kind: 'string',
        default: 'overloaded_error',
        values: ['overloaded_error', 'api_error', 'rate_limit_error'],
        description: 'error.type of the error event',
      },
      {
        name: 'nonStream',
        kind: 'string',
        default: 'overloaded',
        values: ['overloaded', 'ok'],
        description: 'what a non-streaming request gets: a 529 before any output, or a normal answer',
      },
    ],
  },
  {
    name: 'spend-limit',
    description: '429 rate_limit_error with error_code enforced_spend_limit_reached and no retry-after',
    options: [{ name: 'failures', kind: 'count', default: 'always', description: 'how many requests fail ("always" for all)' }],
  },
  {
    name: 'connection-reset',
    description: 'reads the request, then resets the connection without a response, N times, then ok',
    options: [{ name: 'failures', kind: 'count', default: 1, description: 'how many requests are reset ("always" for all)' }],
  },
  {
    name: 'slow',
    description: 'waits before answering, and between stream events',
    options: [
      { name: 'delayMs', kind: 'ms', default: 2000, description: 'wait before the response starts (scaled by timeScale)' },
      { name: 'deltaDelayMs', kind: 'ms', default: 200, description: 'wait between stream events (scaled)' },
    ],
  },
];

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS.map((s) => s.name);

/** Option values as given by a caller (before defaults). */
export type ScenarioOptions = Record<string, number | string | boolean>;

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function scenarioInfo(name: string): ScenarioInfo {
  const info = SCENARIOS.find((s) => s.name === name);
  if (!info) {
    throw new ScenarioError(`Unknown scenario "${name}". Valid scenarios: ${SCENARIO_NAMES.join(', ')}.`);
  }
  return info;
}

/** The options of a scenario with their defaults, common options included. */
export function scenarioDefaults(name: ScenarioName): ScenarioOptions {
  const out: ScenarioOptions = {};
  for (const spec of [...scenarioInfo(name).options, ...COMMON_SCENARIO_OPTIONS]) {
    if (spec.default !== undefined) out[spec.name] = spec.default;
  }
  return out;
}

/**
 * Checks a scenario name and its options; returns the options with defaults filled in.
 * Throws ScenarioError with a message that lists what is valid.
 */
export function validateScenario(name: string, options: unknown = {}): { name: ScenarioName; options: ScenarioOptions } {
  const info = scenarioInfo(name);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ScenarioError(`Options for scenario "${name}" must be an object, got ${JSON.stringify(options)}.`);
  }
  const specs = [...info.options, ...COMMON_SCENARIO_OPTIONS];
  const result = scenarioDefaults(info.name);
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    if (value === undefined) continue;
    const spec = specs.find((s) => s.name === key);
    if (!spec) {
      throw new ScenarioError(
        `Unknown option "${key}" for scenario "${name}". Valid options: ${specs.map((s) => s.name).join(', ')}.`,
      );
    }
    result[key] = checkOptionValue(name, spec, value);
  }
  return { name: info.name, options: result };
}

function checkOptionValue(scenario: string, spec: ScenarioOptionSpec, value: unknown): number | string | boolean {
  const where = `Option "${spec.name}" of scenario "${scenario}"`;
  const min = spec.min ?? 0;
  switch (spec.kind) {
    case 'count':
      if (value === 'always') return value;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
      throw new ScenarioError(`${where} must be a non-negative integer or "always", got ${JSON.stringify(value)}.`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
      throw new ScenarioError(`${where} must be an integer >= ${min}, got ${JSON.stringify(value)}.`);
    case 'ms':
    case 'seconds':
      if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
      throw new ScenarioError(
        `${where} must be a number >= ${min} (${spec.kind === 'ms' ? 'milliseconds' : 'seconds'}), got ${JSON.stringify(value)}.`,
      );
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw new ScenarioError(`${where} must be true or false, got ${JSON.stringify(value)}.`);
    case 'string':
      if (typeof value === 'string' && (!spec.values || spec.values.includes(value))) return value;
      throw new ScenarioError(
        `${where} must be ${spec.values ? `one of ${spec.values.join(', ')}` : 'a string'}, got ${JSON.stringify(value)}.`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Server types
// ---------------------------------------------------------------------------------------------------------

export interface SimulatedServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default "ok". */
  scenario?: ScenarioName | string;
  scenarioOptions?: ScenarioOptions;
  /** Multiplies every delay and retry-after value (default 1); 0.01 makes a 1 s retry-after 10 ms. */
  timeScale?: number;
  /** Answer 401 when the request has neither an x-api-key header nor `Authorization: Bearer` (default true). */
  requireApiKey?: boolean;
  /** Called once per answered (or reset) request, e.g. to log it. */
  onRequest?: (record: RequestRecord) => void;
  /** How many request records `stats.requests` keeps (default 10 000; older ones are dropped). */
  maxRecords?: number;
  /** Count "fail the first N" per logical call (method, path, body) instead of per scenario (default false). */
  faultsPerCall?: boolean;
  /** Answers what the scenario lets through (and every other path) from elsewhere instead of simulating it. */
  forward?: Forwarder;
}

/** What a forwarded answer looked like, for the request record. */
export interface ForwardResult {
  status: number;
  outcome: RequestOutcome;
  textDelivered: boolean;
  retryAfter?: string;
  retryAfterMs?: string;
}

export type Forwarder = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => Promise<ForwardResult>;

export type RequestOutcome = 'ok' | 'error' | 'stream-error' | 'reset';

export interface RequestRecord {
  /** Epoch milliseconds when the request arrived. */
  time: number;
  /** The scenario that answered it ("-" when the request was refused before a scenario applied). */
  scenario: string;
  /** HTTP status; 0 when the connection was reset without a response. */
  status: number;
  requestId: string;
  method: string;
  path: string;
  stream: boolean;
  outcome: RequestOutcome;
  /** Epoch milliseconds when the answer ended (or the connection was reset). */
  answeredAt: number;
  /** sha256 of the request body (first 16 hex digits); the body itself is never kept. */
  bodyHash: string;
  /** The retry-after / retry-after-ms headers the answer carried. */
  retryAfter?: string;
  retryAfterMs?: string;
  /** The SDK's own `x-stainless-retry-count` request header, when sent. */
  retryCount?: number;
  /** A stream that delivered text before it failed. */
  textDelivered: boolean;
  /** A failure after which the scenario would let a later attempt of the same call through. */
  laterWouldPass: boolean;
}

export interface SimulatedServerStats {
  total: number;
  /** Count of responses by HTTP status (0 for reset connections). */
  byStatus: Record<number, number>;
  requests: RequestRecord[];
}

export interface SimulatedServer {
  /** e.g. http://127.0.0.1:PORT — usable as the SDK's baseURL. */
  readonly url: string;
  readonly port: number;
  readonly stats: SimulatedServerStats;
  readonly scenario: { name: ScenarioName; options: ScenarioOptions };
  /** Switches the server's scenario and clears the fault counters. Throws ScenarioError for bad input. */
  setScenario(name: ScenarioName | string, options?: ScenarioOptions): void;
  /** Clears the statistics and the fault counters. */
  reset(): void;
  /** Stops listening and drops open connections (pending answers included). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let s = prefix;
  for (let i = 0; i < length; i++) s += ALPHABET[bytes[i] % ALPHABET.length];
  return s;
}

/** RFC 3339 without fractional seconds, as the API sends it. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Seconds as a header value: whole numbers stay whole, fractions keep up to 3 decimals. */
function secondsHeader(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

const FILLER =
  'This answer comes from the simulated Messages API and its words are chosen to be predictable so tests can check them exactly'.split(
    ' ',
  );

interface ParsedBody {
  model: string;
  maxTokens: number;
  stream: boolean;
  lastUserText: string;
  inputTokens: number;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((b) => (b && typeof b === 'object' && (b as { type?: unknown }).type === 'text' ? String((b as { text?: unknown }).text ?? '') : ''))
      .filter(Boolean)
      .join(' ');
  }
  return '';
}

/** Validates a request body like the API does; returns the parsed request or an error message. */
function parseMessagesBody(raw: string): ParsedBody | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { error: 'There was an error parsing the body of your request: invalid JSON.' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { error: 'The request body must be a JSON object.' };
  }
  const b = body as Record<string, unknown>;
  if (b.model === undefined) return { error: 'model: Field required' };
  if (typeof b.model !== 'string' || b.model.length === 0) return { error: 'model: Input should be a non-empty string' };
  if (b.max_tokens === undefined) return { error: 'max_tokens: Field required' };
  if (typeof b.max_tokens !== 'number' || !Number.isInteger(b.max_tokens) || b.max_tokens < 0) {
    return { error: 'max_tokens: Input should be a non-negative integer' };
  }
  if (b.messages === undefined) return { error: 'messages: Field required' };
  if (!Array.isArray(b.messages)) return { error: 'messages: Input should be a valid list' };
  if (b.messages.length === 0) return { error: 'messages: at least one message is required' };
  let inputChars = typeof b.system === 'string' ? b.system.length : textOf(b.system).length;
  let lastUserText = '';
  for (let i = 0; i < b.messages.length; i++) {
    const m = b.messages[i] as Record<string, unknown> | null;
    if (!m || typeof m !== 'object') return { error: `messages.${i}: Input should be an object` };
    if (m.role !== 'user' && m.role !== 'assistant') {
      return { error: `messages.${i}.role: Input should be 'user' or 'assistant'` };
    }
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
      return { error: `messages.${i}.content: Input should be a string or a list of content blocks` };
    }
    const text = textOf(m.content);
    inputChars += text.length;
    if (m.role === 'user') lastUserText = text;
  }
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return { error: 'stream: Input should be a valid boolean' };
  return {
    model: b.model,
    maxTokens: b.max_tokens,
    stream: b.stream === true,
    lastUserText,
    inputTokens: Math.max(1, Math.ceil(inputChars / 4)),
  };
}

/**
 * The deterministic reply: `Simulated reply to: "<last user message, up to 60 characters>".` followed by
 * filler, exactly `replyWords` space-separated words (one word counts as one output token).
 */
export function simulatedReplyWords(lastUserText: string, replyWords: number): string[] {
  const snippet = lastUserText.replace(/\s+/g, ' ').trim().slice(0, 60).trim();
  const quoted = snippet ? snippet.split(' ') : ['an', 'empty', 'message'];
  if (snippet) {
    quoted[0] = '"' + quoted[0];
    quoted[quoted.length - 1] += '".';
  } else {
    quoted[quoted.length - 1] += '.';
  }
  const words = ['Simulated', 'reply', 'to:', ...quoted];
  for (let i = 0; words.length < replyWords; i++) words.push(FILLER[i % FILLER.length]);
  return words.slice(0, replyWords);
}

// ---------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------

export async function startSimulatedServer(options: SimulatedServerOptions = {}): Promise<SimulatedServer> {
  const timeScale = options.timeScale ?? 1;
  if (typeof timeScale !== 'number' || !Number.isFinite(timeScale) || timeScale < 0) {
    throw new ScenarioError(`timeScale must be a finite number >= 0, got ${JSON.stringify(options.timeScale)}.`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ScenarioError(`port must be an integer from 0 to 65535, got ${JSON.stringify(options.port)}.`);
  }
  const host = options.host ?? '127.0.0.1';
  const requireApiKey = options.requireApiKey ?? true;
  const maxRecords = options.maxRecords ?? 10_000;
  let current = validateScenario(options.scenario ?? 'ok', options.scenarioOptions ?? {});

  const stats: SimulatedServerStats = { total: 0, byStatus: {}, requests: [] };
  /** Requests seen per scenario key: drives "fail the first N". */
  const counters = new Map<string, number>();
  /** Arrival times of requests inside the storm window, per scenario key. */
  const windows = new Map<string, number[]>();
  /** Recent request times for the ratelimit-remaining headers. */
  let recentRequests: number[] = [];
  const sockets = new Set<Socket>();
  let closed = false;

  const scaled = (ms: number) => ms * timeScale;
  /** Pending waits, ended early by close() so that no timer outlives the server. */
  const waits = new Map<NodeJS.Timeout, () => void>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waits.delete(timer);
        resolve();
      }, ms);
      waits.set(timer, resolve);
    });

  function record(r: RequestRecord): void {
    stats.total++;
    stats.byStatus[r.status] = (stats.byStatus[r.status] ?? 0) + 1;
    stats.requests.push(r);
    if (stats.requests.length > maxRecords) stats.requests.splice(0, stats.requests.length - maxRecords);
    options.onRequest?.(r);
  }

  function resetCounters(): void {
    counters.clear();
    windows.clear();
  }

  function rateLimitHeaders(now: number, limited: boolean): Record<string, string> {
    recentRequests = recentRequests.filter((t) => t > now - 60_000);
    const reset = rfc3339(now + 60_000);
    const requestsLimit = 1000;
    const tokensLimit = 480_000;
    const inputLimit = 400_000;
    const outputLimit = 80_000;
    const used = recentRequests.length;
    const h: Record<string, string> = {};
    const put = (kind: string, limit: number, remaining: number) => {
      h[`anthropic-ratelimit-${kind}-limit`] = String(limit);
      h[`anthropic-ratelimit-${kind}-remaining`] = String(limited ? 0 : Math.max(0, remaining));
      h[`anthropic-ratelimit-${kind}-reset`] = reset;
    };
    put('requests', requestsLimit, requestsLimit - used);
    put('tokens', tokensLimit, tokensLimit - used * 100);
    put('input-tokens', inputLimit, inputLimit - used * 80);
    put('output-tokens', outputLimit, outputLimit - used * 20);
    return h;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      // A failure inside the simulation itself: answer 500 if we still can.
      if (!res.headersSent && !res.destroyed) {
        const requestId = randomId('req_');
        res.writeHead(500, { 'content-type': 'application/json', 'request-id': requestId });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) }, request_id: requestId }));
      } else if (!res.destroyed) {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = Date.now();
    const requestId = randomId('req_');
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    let scenarioLabel = '-';
    let stream = false;
    let bodyHash = '';
    let laterWouldPass = false;
    const countHeader = req.headers['x-stainless-retry-count'];
    const retryCount = typeof countHeader === 'string' && /^\d+$/.test(countHeader) ? Number(countHeader) : undefined;
    const note = (status: number, outcome: RequestOutcome, extra: Partial<RequestRecord> = {}) =>
      record({
        time: arrived,
        scenario: scenarioLabel,
        status,
        requestId,
        method,
        path,
        stream,
        outcome,
        answeredAt: Date.now(),
        bodyHash,
        retryCount,
        textDelivered: false,
        laterWouldPass,
        ...extra,
      });
    const forwardNow = async () => {
      const r = await options.forward!(req, body, res);
      note(r.status, r.outcome, { textDelivered: r.textDelivered, retryAfter: r.retryAfter, retryAfterMs: r.retryAfterMs });
    };

    const sendError = (status: number, type: string, message: string, extraHeaders: Record<string, string> = {}, extraError?: object) => {
      const body = { type: 'error', error: { type, message, ...(extraError ?? {}) }, request_id: requestId };
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...extraHeaders });
      res.end(JSON.stringify(body));
      note(status, 'error', { retryAfter: extraHeaders['retry-after'], retryAfterMs: extraHeaders['retry-after-ms'] });
    };

    const body = await readBody(req);
    if (closed) return;
    bodyHash = createHash('sha256').update(body).digest('hex').slice(0, 16);

    if (options.forward && (path !== '/v1/messages' || method !== 'POST')) {
      await forwardNow();
      return;
    }
    if (path !== '/v1/messages') {
      sendError(404, 'not_found_error', `Not found: ${method} ${path}`);
      return;
    }
    if (method !== 'POST') {
      sendError(405, 'invalid_request_error', `Method ${method} is not allowed for ${path}; use POST.`, { allow: 'POST' });
      return;
    }
    // SDK 1.x sends `Authorization: Bearer <key>`; older SDKs and curl examples send `x-api-key`.
    const bearer = /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
    if (requireApiKey && !req.headers['x-api-key'] && !bearer) {
      sendError(401, 'authentication_error', 'x-api-key header is required');
      return;
    }

    // Which scenario answers this request.
    let active = current;
    const headerScenario = req.headers['x-simulate-scenario'];
    const headerOptions = req.headers['x-simulate-options'];
    if (headerScenario !== undefined || headerOptions !== undefined) {
      const name = typeof headerScenario === 'string' ? headerScenario.trim() : current.name;
      let opts: unknown = {};
      if (typeof headerOptions === 'string' && headerOptions.trim() !== '') {
        try {
          opts = JSON.parse(headerOptions);
        } catch {
          sendError(400, 'invalid_request_error', `x-simulate-options is not valid JSON: ${headerOptions}`);
          return;
        }
      }
      try {
        // Options given without a scenario header refine the server's scenario.
        const base = headerScenario === undefined ? current.options : {};
        active = validateScenario(name, { ...base, ...(opts as object) });
      } catch (e) {
        sendError(400, 'invalid_request_error', `x-simulate-scenario: ${(e as Error).message}`);
        return;
      }
    }
    scenarioLabel = active.name;

    const parsed = parseMessagesBody(body);
    if ('error' in parsed) {
      // the real endpoint judges a body this simulation does not understand
      if (options.forward) await forwardNow();
      else sendError(400, 'invalid_request_error', parsed.error);
      return;
    }
    stream = parsed.stream;
    const o = active.options;
    const scenarioKey = JSON.stringify([active.name, o]);
    const counterKey = options.faultsPerCall ? JSON.stringify([active.name, o, method, path, bodyHash]) : scenarioKey;
    const seen = counters.get(counterKey) ?? 0;
    counters.set(counterKey, seen + 1);
    const failing = (failures: unknown) => {
      const fails = failures === 'always' || (typeof failures === 'number' && seen < failures);
      if (fails) laterWouldPass = typeof failures === 'number';
      return fails;
    };

    const now = Date.now();
    recentRequests.push(now);
    const retryHeaders = (): Record<string, string> => {
      const h: Record<string, string> = {};
      if (typeof o.retryAfter === 'number') h['retry-after'] = secondsHeader(o.retryAfter * timeScale);
      if (typeof o.retryAfterMs === 'number') h['retry-after-ms'] = secondsHeader(scaled(o.retryAfterMs));
      return h;
    };
    const overloaded = () =>
      sendError(529, 'overloaded_error', 'Overloaded', { ...rateLimitHeaders(now, false), ...retryHeaders() });

    switch (active.name) {
      case 'rate-limited':
        if (failing(o.failures)) {
          sendError(
            429,
            'rate_limit_error',
            'Number of request tokens has exceeded your per-minute rate limit. Please retry after the time in the retry-after header.',
            { ...rateLimitHeaders(now, true), ...retryHeaders() },
          );
          return;
        }
        break;
      case 'overloaded-burst':
        if (failing(o.failures)) {
          overloaded();
          return;
        }
        break;
      case 'server-error':
        if (failing(o.failures)) {
          sendError(500, 'api_error', 'Internal server error', { ...rateLimitHeaders(now, false), ...retryHeaders() });
          return;
        }
        break;
      case 'spend-limit':
        if (failing(o.failures)) {
          laterWouldPass = false; // a spend limit is final: no later attempt is expected
          sendError(
            429,
            'rate_limit_error',
            'You have reached your specified workspace API usage limits. You will regain access when the limit resets.',
            rateLimitHeaders(now, true),
            { details: { error_code: 'enforced_spend_limit_reached' } },
          );
          return;
        }
        break;
      case 'connection-reset':
        if (failing(o.failures)) {
          note(0, 'reset');
          const socket = req.socket;
          if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
          else socket.destroy();
          return;
        }
        break;
      case 'overloaded-storm': {
        const windowMs = scaled(o.windowMs as number);
        const times = (windows.get(scenarioKey) ?? []).filter((t) => t > now - windowMs);
        windows.set(scenarioKey, times);
        if (times.length >= (o.capacity as number)) {
          laterWouldPass = true;
          if (o.countRejected) times.push(now);
          overloaded();
          return;
        }
        times.push(now);
        const latency = scaled(o.latencyMs as number);
        if (latency > 0) await delay(latency);
        break;
      }
      case 'mid-stream-error':
        if (!parsed.stream && o.nonStream === 'overloaded' && failing(o.failures)) {
          overloaded();
          return;
        }
        break;
      case 'slow':
        await delay(scaled(o.delayMs as number));
        break;
      case 'ok':
        break;
    }
    if (closed || res.destroyed) return;
    const failMidStream = parsed.stream && active.name === 'mid-stream-error' && failing(o.failures);
    // this attempt gets through: the next request with the same body is a new logical call
    if (options.faultsPerCall && !failMidStream) counters.delete(counterKey);
    if (options.forward && !failMidStream) {
      await forwardNow();
      return;
    }

    // A successful answer (or a stream that may fail part-way).
    const words = simulatedReplyWords(parsed.lastUserText, o.replyWords as number);
    const emitted = words.slice(0, parsed.maxTokens);
    const stopReason = emitted.length < words.length ? 'max_tokens' : 'end_turn';
    const messageId = randomId('msg_');
    const headers = { 'request-id': requestId, ...rateLimitHeaders(now, false) };

    if (!parsed.stream) {
      const text = emitted.join(' ');
      const message = {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model: parsed.model,
        content: text ? [{ type: 'text', text }] : [],
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: parsed.inputTokens, output_tokens: emitted.length },
      };
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(message));
      note(200, 'ok');
      return;
    }

    const betweenEvents = active.name === 'slow' ? scaled(o.deltaDelayMs as number) : 0;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    const send = async (event: string, data: object) => {
      if (closed || res.destroyed) return false;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (betweenEvents > 0) await delay(betweenEvents);
      return !closed && !res.destroyed;
    };
    const ok =
      (await send('message_start', {
        type: 'message_start',
        message: {
          id: messageId,
          type: 'message',
          role: 'assistant',
          model: parsed.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: parsed.inputTokens, output_tokens: 1 },
        },
      })) &&
      (await send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })) &&
      (await send('ping', { type: 'ping' }));
    if (!ok) return;
    const per = o.wordsPerDelta as number;
    let deltas = 0;
    for (let i = 0; i < emitted.length; i += per) {
      if (failMidStream && deltas >= (o.deltasBeforeError as number)) break;
      const chunk = emitted.slice(i, i + per).join(' ');
      const text = i === 0 ? chunk : ' ' + chunk;
      if (!(await send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }))) return;
      deltas++;
    }
    if (failMidStream) {
      const type = o.errorType as string;
      const message = type === 'overloaded_error' ? 'Overloaded' : type === 'api_error' ? 'Internal server error' : 'Rate limited';
      res.write(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`);
      res.end();
      note(200, 'stream-error', { textDelivered: deltas > 0 });
      return;
    }
    const finished =
      (await send('content_block_stop', { type: 'content_block_stop', index: 0 })) &&
      (await send('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: emitted.length },
      })) &&
      (await send('message_stop', { type: 'message_stop' }));
    if (!finished) return;
    res.end();
    note(200, 'ok');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    stats,
    get scenario() {
      return { name: current.name, options: { ...current.options } };
    },
    setScenario(name, scenarioOptions = {}) {
      current = validateScenario(name, scenarioOptions);
      resetCounters();
    },
    reset() {
      stats.total = 0;
      stats.byStatus = {};
      stats.requests.length = 0;
      recentRequests = [];
      resetCounters();
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        for (const [timer, wake] of waits) {
          clearTimeout(timer);
          wake();
        }
        waits.clear();
      });
    },
  };
}
