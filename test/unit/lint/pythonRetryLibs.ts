// Python sources for the retry-library rows of the rule tables: a client, a request, and a function decorated
// by a retry library (tenacity, backoff, stamina), or looping over one.

/** A client with the SDK's retries off (the library decides alone). */
export const PY_OFF = 'import anthropic\n\nclient = anthropic.Anthropic(max_retries=0)\n';
/** A client with the SDK's default retries (2). */
export const PY_DEFAULT = 'import anthropic\n\nclient = anthropic.Anthropic()\n';

export const PY_CALL = 'client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])';

/** `imports`, then the client, then `ask(prompt)` under `decorator` (one or more lines, each with its `@`). */
export function pyDecorated(imports: string, decorator: string, client = PY_OFF): { language: 'python'; code: string; name: string } {
  return {
    language: 'python',
    name: `${decorator.split('\n').join(' ')}`,
    code: `${imports}\n${client}\n\n${decorator}\ndef ask(prompt):\n    return ${PY_CALL}\n`,
  };
}

/** `imports`, then the client, then `ask(prompt)` looping `for attempt in <head>: with attempt:`. */
export function pyLoop(imports: string, head: string, client = PY_OFF): { language: 'python'; code: string; name: string } {
  const isAsync = head.startsWith('async ');
  const loop = isAsync ? `async for attempt in ${head.slice('async '.length)}` : `for attempt in ${head}`;
  return {
    language: 'python',
    name: loop,
    code: `${imports}\n${client}\n\n${isAsync ? 'async ' : ''}def ask(prompt):\n    ${loop}:\n        with attempt:\n            return ${isAsync ? 'await ' : ''}${PY_CALL}\n`,
  };
}

export const TENACITY = 'from tenacity import retry, Retrying, AsyncRetrying, stop_after_attempt, stop_after_delay, stop_never, wait_exponential, wait_random, wait_random_exponential, wait_fixed, wait_chain, wait_exponential_jitter, wait_exception, retry_if_exception_type, retry_if_not_exception_type, retry_if_exception, retry_if_result';
export const BACKOFF = 'import backoff';
export const STAMINA = 'import stamina';
