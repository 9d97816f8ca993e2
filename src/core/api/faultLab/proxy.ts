// `simulate --proxy URL`: the answers a scenario lets through come from a real endpoint (the API or a
// gateway) instead of the simulation. The app's own headers, its key included, are passed on untouched and
// never logged or written; the lab's x-simulate-* headers stay behind.

import * as http from 'http';
import * as https from 'https';
import type { ForwardResult, Forwarder } from '../simulatedServer';

/** Headers that belong to one connection, not to the request (RFC 9110 section 7.6.1), plus ours. */
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  // asking for an uncompressed answer lets the lab see whether a stream delivered text before an error
  'accept-encoding',
  'x-simulate-scenario',
  'x-simulate-options',
]);
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'proxy-connection']);

/** Checks a --proxy value; returns the URL or throws with a message for the user. */
export function parseUpstream(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--proxy must be an http or https URL, got "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--proxy must be an http or https URL, got "${value}".`);
  }
  return url;
}

export function proxyTo(upstream: URL): Forwarder {
  const base = upstream.pathname.replace(/\/+$/, '');
  const client = upstream.protocol === 'https:' ? https : http;
  return (req, body, res) =>
    new Promise<ForwardResult>((resolve) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
      }
      const payload = Buffer.from(body, 'utf8');
      if (req.method !== 'GET' && req.method !== 'HEAD') headers['content-length'] = payload.length;
      const out = client.request(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
          port: upstream.port || undefined,
          method: req.method,
          path: base + (req.url ?? '/'),
          headers,
        },
        (answer) => {
          const status = answer.statusCode ?? 502;
          const responseHeaders: http.OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = value;
          }
          res.writeHead(status, responseHeaders);
          const streamed = /text\/event-stream/i.test(String(answer.headers['content-type'] ?? ''));
          let textDelivered = false;
          let streamError = false;
          let tail = '';
          answer.on('data', (chunk: Buffer) => {
            if (streamed) {
              // look for events across chunk boundaries: keep the end of the previous chunk
              const text = tail + chunk.toString('utf8');
              if (/"type"\s*:\s*"text_delta"/.test(text)) textDelivered = true;
              if (/^event:\s*error\s*$/m.test(text)) streamError = true;
              tail = text.slice(-64);
            }
            res.write(chunk);
          });
          const finish = (ok: boolean) =>
            resolve({
              status,
              outcome: !ok ? 'reset' : status >= 400 ? 'error' : streamError ? 'stream-error' : 'ok',
              textDelivered: streamError && textDelivered,
              retryAfter: single(answer.headers['retry-after']),
              retryAfterMs: single(answer.headers['retry-after-ms']),
            });
          answer.on('end', () => {
            res.end();
            finish(true);
          });
          answer.on('error', () => {
            res.destroy();
            finish(false);
          });
        },
      );
      out.on('error', (e) => {
        if (!res.headersSent) {
          const message = `The fault lab could not reach ${upstream.origin}: ${e.message}`;
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message } }));
          resolve({ status: 502, outcome: 'error', textDelivered: false });
        } else {
          res.destroy();
          resolve({ status: 0, outcome: 'reset', textDelivered: false });
        }
      });
      out.end(req.method !== 'GET' && req.method !== 'HEAD' ? payload : undefined);
    });
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
