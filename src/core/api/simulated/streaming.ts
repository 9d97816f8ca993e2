// The answer a request gets when the scenario lets it through (or breaks it part-way): a JSON message, or an
// SSE stream (message_start, content_block_start, ping, text deltas, content_block_stop, message_delta,
// message_stop) that can instead end with an error event after some text, as the API does after HTTP 200.

import type * as http from 'http';
import { streamErrorMessage } from './errorReplies';
import { randomId } from './headers';
import { ParsedBody, simulatedReplyWords } from './messagesBody';

export interface AnswerPlan {
  parsed: ParsedBody;
  replyWords: number;
  wordsPerDelta: number;
  /** request-id and rate-limit headers. */
  headers: Record<string, string>;
  /** Wait between stream events (ms). */
  betweenEventsMs: number;
  /** Break the stream after this many text deltas with an error event of this type. */
  failMidStream?: { deltasBeforeError: number; errorType: string };
}

export interface AnswerIo {
  delay(ms: number): Promise<void>;
  /** The server is closing. */
  closed(): boolean;
}

/** How the answer ended; undefined when the connection went away before it ended. */
export type AnswerEnd = { outcome: 'ok' | 'stream-error'; textDelivered: boolean } | undefined;

export async function writeAnswer(res: http.ServerResponse, plan: AnswerPlan, io: AnswerIo): Promise<AnswerEnd> {
  const { parsed } = plan;
  const words = simulatedReplyWords(parsed.lastUserText, plan.replyWords);
  const emitted = words.slice(0, parsed.maxTokens);
  const stopReason = emitted.length < words.length ? 'max_tokens' : 'end_turn';
  const messageId = randomId('msg_');

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
    res.writeHead(200, { 'content-type': 'application/json', ...plan.headers });
    res.end(JSON.stringify(message));
    return { outcome: 'ok', textDelivered: false };
  }

  const betweenEvents = plan.betweenEventsMs;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...plan.headers,
  });
  const send = async (event: string, data: object) => {
    if (io.closed() || res.destroyed) return false;
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (betweenEvents > 0) await io.delay(betweenEvents);
    return !io.closed() && !res.destroyed;
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
  if (!ok) return undefined;
  const per = plan.wordsPerDelta;
  const fail = plan.failMidStream;
  let deltas = 0;
  for (let i = 0; i < emitted.length; i += per) {
    if (fail && deltas >= fail.deltasBeforeError) break;
    const chunk = emitted.slice(i, i + per).join(' ');
    const text = i === 0 ? chunk : ' ' + chunk;
    if (!(await send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }))) return undefined;
    deltas++;
  }
  if (fail) {
    const type = fail.errorType;
    res.write(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message: streamErrorMessage(type) } })}\n\n`);
    res.end();
    return { outcome: 'stream-error', textDelivered: deltas > 0 };
  }
  const finished =
    (await send('content_block_stop', { type: 'content_block_stop', index: 0 })) &&
    (await send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: emitted.length },
    })) &&
    (await send('message_stop', { type: 'message_stop' }));
  if (!finished) return undefined;
  res.end();
  return { outcome: 'ok', textDelivered: false };
}
