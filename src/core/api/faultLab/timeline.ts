// The live view's data: the report as logical calls on one time axis (ms since the first request), with the
// wait before each retry and the retry-after each answer gave. Plain data, posted to the webview as is.

import type { LabReport, Verdict } from './requestLog';
import { askedWaitMs, logicalCalls } from './verdicts';

export interface TimelineAttempt {
  index: number;
  /** ms since the first request of the run. */
  start: number;
  end: number;
  status: number;
  outcome: string;
  streamed: boolean;
  /** The scenario injected a fault into this answer (an error, a reset, a broken stream, a delay), as in the report. */
  faulted: boolean;
  /** The answer came from the --proxy endpoint, as in the report. */
  forwarded: boolean;
  /** The wait the answer asked for (retry-after-ms / retry-after), in ms. */
  retryAfterMs?: number;
  /** ms between the previous attempt's answer and this request (retries only). */
  waitBefore?: number;
}

export interface TimelineCall {
  label: string;
  attempts: TimelineAttempt[];
}

export interface Timeline {
  /** ms from the first request to the last answer. */
  span: number;
  calls: TimelineCall[];
  verdicts: Verdict[];
}

export function timelineOf(report: LabReport): Timeline {
  if (report.requests.length === 0) return { span: 0, calls: [], verdicts: report.verdicts };
  const t0 = Math.min(...report.requests.map((r) => Date.parse(r.time)));
  const rel = (iso: string) => Date.parse(iso) - t0;
  const calls = logicalCalls(report.requests).map((c) => ({
    label: `${c.attempts[0].method} ${c.attempts[0].path} · body ${c.attempts[0].bodyHash.slice(0, 8)}`,
    attempts: c.attempts.map((a, i) => {
      const entry: TimelineAttempt = { index: a.index, start: rel(a.time), end: rel(a.answeredAt), status: a.status, outcome: a.outcome, streamed: a.streamed, faulted: a.faulted, forwarded: a.forwarded };
      const asked = askedWaitMs(a);
      if (asked !== undefined) entry.retryAfterMs = Math.round(asked);
      if (i > 0) entry.waitBefore = rel(a.time) - rel(c.attempts[i - 1].answeredAt);
      return entry;
    }),
  }));
  const span = Math.max(...report.requests.map((r) => rel(r.answeredAt)));
  return { span, calls, verdicts: report.verdicts };
}
