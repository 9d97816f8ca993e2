// Error answers as the Messages API sends them: `{ type: "error", error: { type, message }, request_id }` with
// a request-id header, and the texts of the errors the scenarios inject.

import type * as http from 'http';

/** Writes an error answer and ends it. */
export function writeError(
  res: http.ServerResponse,
  requestId: string,
  status: number,
  type: string,
  message: string,
  extraHeaders: Record<string, string> = {},
  extraError?: object,
): void {
  const body = { type: 'error', error: { type, message, ...(extraError ?? {}) }, request_id: requestId };
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...extraHeaders });
  res.end(JSON.stringify(body));
}

export const RATE_LIMIT_MESSAGE =
  'Number of request tokens has exceeded your per-minute rate limit. Please retry after the time in the retry-after header.';
export const SPEND_LIMIT_MESSAGE = 'You have reached your specified workspace API usage limits. You will regain access when the limit resets.';

/** The message of an SSE error event of the given type. */
export function streamErrorMessage(type: string): string {
  return type === 'overloaded_error' ? 'Overloaded' : type === 'api_error' ? 'Internal server error' : 'Rate limited';
}
