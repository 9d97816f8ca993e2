// The fault lab: the simulated Messages API with faults counted per logical call, a request log, and the
// verdicts on what the app did. Used by `simulate` on the command line and by the editor's fault simulator.

import * as fs from 'fs';
import { SimulatedServer, SimulatedServerOptions, startSimulatedServer } from '../simulatedServer';
import { proxyTo } from './proxy';
import { LabReport, LabRequest, RequestLog, Verdict } from './requestLog';
import { DEFAULT_MAX_ATTEMPTS, judge } from './verdicts';

export interface FaultLabOptions extends Omit<SimulatedServerOptions, 'onRequest' | 'faultsPerCall' | 'forward'> {
  /** One logical call sent more often than this is a `retry-amplified` verdict (default 8). */
  maxAttempts?: number;
  /** Forward what the scenario lets through to this endpoint. */
  proxy?: URL;
  /** Called for each request as its answer ends. */
  onRequest?: (entry: LabRequest) => void;
}

export interface FaultLab {
  readonly server: SimulatedServer;
  readonly url: string;
  readonly maxAttempts: number;
  /** The requests so far and the verdicts on them. */
  report(): LabReport;
  /** Forgets the requests so far (and the server's fault counters). */
  clear(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

export async function startFaultLab(options: FaultLabOptions = {}): Promise<FaultLab> {
  const { maxAttempts = DEFAULT_MAX_ATTEMPTS, proxy, onRequest, ...serverOptions } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be an integer >= 1, got ${maxAttempts}.`);
  const log = new RequestLog();
  if (onRequest) log.onRequest(onRequest);
  const server = await startSimulatedServer({
    ...serverOptions,
    // behind a proxy the real endpoint checks the key; a keyless gateway needs none
    requireApiKey: proxy ? false : serverOptions.requireApiKey,
    faultsPerCall: true,
    forward: proxy ? proxyTo(proxy) : undefined,
    onRequest: (r) => log.add(r),
  });
  return {
    server,
    url: server.url,
    maxAttempts,
    report() {
      const requests = log.entries();
      return { requests, verdicts: judge(requests, { maxAttempts }) };
    },
    clear() {
      log.clear();
      server.reset();
    },
    close: () => server.close(),
  };
}

/** Writes the report as JSON (2-space indent, newline at the end). */
export function writeReport(file: string, report: LabReport): void {
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
}

/** The verdicts as lines for a terminal. */
export function formatVerdicts(verdicts: readonly Verdict[], requestCount: number): string {
  if (verdicts.length === 0) return `fault lab: ${requestCount} request(s), no verdicts\n`;
  const lines = [`fault lab: ${requestCount} request(s), ${verdicts.length} verdict(s):`];
  for (const v of verdicts) lines.push(`  ${v.kind}: ${v.message} [requests ${v.requests.join(', ')}]`);
  return lines.join('\n') + '\n';
}
