// What the simulated server reads from a request body and what it answers with: the body checked the way the
// Messages API checks it, and the deterministic reply text.

const FILLER =
  'This answer comes from the simulated Messages API and its words are chosen to be predictable so tests can check them exactly'.split(
    ' ',
  );

export interface ParsedBody {
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
export function parseMessagesBody(raw: string): ParsedBody | { error: string } {
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
