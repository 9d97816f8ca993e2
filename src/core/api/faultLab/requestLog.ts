// The fault lab's request log: one entry per request the app sent, as the JSON report holds it.
// An entry keeps what judging the app's retries needs (times, status, retry-after, the SDK's retry count,
// a hash of the body) and nothing secret: no headers besides those, no body, never a key.

import type { RequestRecord } from '../simulatedServer';

export interface LabRequest {
  /** Position in the log (0-based); verdicts refer to requests by it. */
  index: number;
  /** ISO time the request arrived. */
  time: string;
  /** ISO time its answer ended (or the connection was reset). */
  answeredAt: string;
  method: string;
  path: string;
  streamed: boolean;
  /** HTTP status answered; 0 for a reset connection. */
  status: number;
  /** ok, error, stream-error (an error event after HTTP 200) or reset. */
  outcome: RequestRecord['outcome'];
  /** The retry-after / retry-after-ms headers it was answered with. */
  retryAfter?: string;
  retryAfterMs?: string;
  /** The SDK's own `x-stainless-retry-count` request header. */
  retryCount?: number;
  /** sha256 of the request body, first 16 hex digits. */
  bodyHash: string;
  /** A stream that had delivered text when it failed. */
  textDelivered: boolean;
  /** The scenario would have let a later attempt of the same call through. */
  laterWouldPass: boolean;
  /** The scenario injected a fault into the answer (an error, a reset, a broken stream, a delay). */
  faulted: boolean;
  /** The answer came from the --proxy endpoint. */
  forwarded: boolean;
  scenario: string;
  /** The simulation's id for the request (its request-id header unless the answer was proxied). */
  requestId: string;
}

export interface Verdict {
  kind: VerdictKind;
  message: string;
  /** Indices into the report's requests. */
  requests: number[];
}

export const VERDICT_KINDS = [
  'retry-before-retry-after',
  'retry-non-retryable',
  'retry-amplified',
  'no-retry',
  'no-backoff',
  'stream-replayed',
] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

export interface LabReport {
  requests: LabRequest[];
  verdicts: Verdict[];
}

export function toLabRequest(r: RequestRecord, index: number): LabRequest {
  const entry: LabRequest = {
    index,
    time: new Date(r.time).toISOString(),
    answeredAt: new Date(r.answeredAt).toISOString(),
    method: r.method,
    path: r.path,
    streamed: r.stream,
    status: r.status,
    outcome: r.outcome,
    bodyHash: r.bodyHash,
    textDelivered: r.textDelivered,
    laterWouldPass: r.laterWouldPass,
    faulted: r.faulted,
    forwarded: r.forwarded,
    scenario: r.scenario,
    requestId: r.requestId,
  };
  if (r.retryAfter !== undefined) entry.retryAfter = r.retryAfter;
  if (r.retryAfterMs !== undefined) entry.retryAfterMs = r.retryAfterMs;
  if (r.retryCount !== undefined) entry.retryCount = r.retryCount;
  return entry;
}

/** Collects the requests as they are answered. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];
  private readonly listeners: ((entry: LabRequest) => void)[] = [];

  add(r: RequestRecord): LabRequest {
    this.records.push(r);
    const entry = toLabRequest(r, this.records.length - 1);
    for (const l of this.listeners) l(entry);
    return entry;
  }

  onRequest(listener: (entry: LabRequest) => void): void {
    this.listeners.push(listener);
  }

  clear(): void {
    this.records.length = 0;
  }

  get size(): number {
    return this.records.length;
  }

  /** The entries in the order their answers ended (the indices the verdicts use). */
  entries(): LabRequest[] {
    return this.records.map(toLabRequest);
  }
}
