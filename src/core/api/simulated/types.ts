// The simulated server's public types: its options, the record of each answered request, its statistics and
// the handle `startSimulatedServer` returns; and the forwarding hook the fault lab's proxy plugs in.

import type * as http from 'http';
import type { ScenarioName, ScenarioOptions } from './scenarios';

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
  /**
   * The scenario injected a fault into this answer: an error, a reset, a broken stream or a delay. False for
   * requests it let through untouched (also those left out by the `share` option) and for requests refused
   * before a scenario applied.
   */
  faulted: boolean;
  /** The answer came from the `forward` endpoint (the fault lab's proxy), not from the simulation. */
  forwarded: boolean;
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
