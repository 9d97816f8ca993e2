// The simulated server itself: listens on 127.0.0.1, reads each request, picks the scenario that answers it
// (the server's, or the request's own x-simulate-* headers), injects the scenario's fault or lets the request
// through to the simulated answer (or to the forwarder), and records every answered request.

import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { createHash } from 'crypto';
import { FaultCounters } from './counters';
import { RATE_LIMIT_MESSAGE, SPEND_LIMIT_MESSAGE, writeError } from './errorReplies';
import { RateLimitWindow, randomId, secondsHeader } from './headers';
import { parseMessagesBody } from './messagesBody';
import { ScenarioError, validateScenario } from './scenarios';
import { writeAnswer } from './streaming';
import type { RequestOutcome, RequestRecord, SimulatedServer, SimulatedServerOptions, SimulatedServerStats } from './types';

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
  const counters = new FaultCounters();
  const rateLimits = new RateLimitWindow();
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
    let faulted = false;
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
        faulted,
        forwarded: false,
        ...extra,
      });
    const forwardNow = async () => {
      const r = await options.forward!(req, body, res);
      note(r.status, r.outcome, { textDelivered: r.textDelivered, retryAfter: r.retryAfter, retryAfterMs: r.retryAfterMs, forwarded: true });
    };

    const sendError = (status: number, type: string, message: string, extraHeaders: Record<string, string> = {}, extraError?: object) => {
      writeError(res, requestId, status, type, message, extraHeaders, extraError);
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
    // under `share`, the faults leave some calls alone: those go straight to the answer
    const share = typeof o.share === 'number' ? o.share : 1;
    const spared = share < 1 && counters.spare(counterKey, scenarioKey, share, typeof o.seed === 'number' ? o.seed : undefined, options.faultsPerCall === true);
    const seen = spared ? 0 : counters.next(counterKey);
    const failing = (failures: unknown) => {
      const fails = !spared && (failures === 'always' || (typeof failures === 'number' && seen < failures));
      if (fails) {
        laterWouldPass = typeof failures === 'number';
        faulted = true;
      }
      return fails;
    };

    const now = Date.now();
    rateLimits.add(now);
    const retryHeaders = (): Record<string, string> => {
      const h: Record<string, string> = {};
      if (typeof o.retryAfter === 'number') h['retry-after'] = secondsHeader(o.retryAfter * timeScale);
      if (typeof o.retryAfterMs === 'number') h['retry-after-ms'] = secondsHeader(scaled(o.retryAfterMs));
      return h;
    };
    const overloaded = () =>
      sendError(529, 'overloaded_error', 'Overloaded', { ...rateLimits.headers(now, false), ...retryHeaders() });

    const scenario = spared ? 'ok' : active.name;
    switch (scenario) {
      case 'rate-limited':
        if (failing(o.failures)) {
          sendError(429, 'rate_limit_error', RATE_LIMIT_MESSAGE, { ...rateLimits.headers(now, true), ...retryHeaders() });
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
          sendError(500, 'api_error', 'Internal server error', { ...rateLimits.headers(now, false), ...retryHeaders() });
          return;
        }
        break;
      case 'spend-limit':
        if (failing(o.failures)) {
          laterWouldPass = false; // a spend limit is final: no later attempt is expected
          sendError(429, 'rate_limit_error', SPEND_LIMIT_MESSAGE, rateLimits.headers(now, true), {
            details: { error_code: 'enforced_spend_limit_reached' },
          });
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
        const times = counters.window(scenarioKey, now - scaled(o.windowMs as number));
        if (times.length >= (o.capacity as number)) {
          laterWouldPass = true;
          faulted = true;
          if (o.countRejected) times.push(now);
          overloaded();
          return;
        }
        times.push(now);
        const latency = scaled(o.latencyMs as number);
        if (latency > 0) {
          faulted = true;
          await delay(latency);
        }
        break;
      }
      case 'mid-stream-error':
        if (!parsed.stream && o.nonStream === 'overloaded' && failing(o.failures)) {
          overloaded();
          return;
        }
        break;
      case 'slow':
        if ((o.delayMs as number) > 0 || (o.deltaDelayMs as number) > 0) faulted = true;
        await delay(scaled(o.delayMs as number));
        break;
      case 'ok':
        break;
    }
    if (closed || res.destroyed) return;
    const failMidStream = parsed.stream && active.name === 'mid-stream-error' && failing(o.failures);
    // this attempt gets through: the next request with the same body is a new logical call
    if (options.faultsPerCall && !failMidStream) counters.forget(counterKey);
    if (options.forward && !failMidStream) {
      await forwardNow();
      return;
    }

    // A successful answer (or a stream that may fail part-way).
    const end = await writeAnswer(
      res,
      {
        parsed,
        replyWords: o.replyWords as number,
        wordsPerDelta: o.wordsPerDelta as number,
        headers: { 'request-id': requestId, ...rateLimits.headers(now, false) },
        betweenEventsMs: scenario === 'slow' ? scaled(o.deltaDelayMs as number) : 0,
        failMidStream: failMidStream ? { deltasBeforeError: o.deltasBeforeError as number, errorType: o.errorType as string } : undefined,
      },
      { delay, closed: () => closed },
    );
    if (end) note(200, end.outcome, end.outcome === 'stream-error' ? { textDelivered: end.textDelivered } : {});
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
      counters.clear();
    },
    reset() {
      stats.total = 0;
      stats.byStatus = {};
      stats.requests.length = 0;
      rateLimits.clear();
      counters.clear();
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
