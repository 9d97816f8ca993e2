// "Copy as code" and "Copy as curl" for a playground draft. Neither ever contains a key: the code reads
// ANTHROPIC_API_KEY through the SDK, the curl command uses the `$ANTHROPIC_API_KEY` shell variable.
import { requestBody, type RequestBody } from './draft';
import { ANTHROPIC_BASE_URL } from './session';
import type { RequestDraft } from './types';

export const KEY_PLACEHOLDER = '$ANTHROPIC_API_KEY';

/** The body to show: the draft's, or a placeholder one when the draft cannot be sent yet. */
function bodyOf(draft: RequestDraft): { body: RequestBody; note?: string } {
  const b = requestBody(draft);
  if (b.ok) return { body: b.body };
  const body: RequestBody = { model: draft.model || 'MODEL', messages: [] };
  if (draft.maxTokens !== null) body.max_tokens = draft.maxTokens;
  if (draft.system) body.system = draft.system;
  return { body, note: `the draft has problems: ${b.errors.map((e) => e.message).join(' ')}` };
}

/** A TypeScript snippet that sends the draft through `withRetry` (or `withStreamRetry`) with the same policy. */
export function codeSnippet(draft: RequestDraft): string {
  const { body, note } = bodyOf(draft);
  const p = draft.retry;
  const lines: string[] = [];
  lines.push(`import Anthropic from '@anthropic-ai/sdk';`);
  lines.push(`import { ${draft.stream ? 'withStreamRetry' : 'withRetry'} } from './claudeRetry';`);
  lines.push('');
  if (note) lines.push(`// Note: ${note}`);
  if (draft.endpoint === 'simulated') {
    lines.push(`// Tried in the playground against the simulated endpoint (scenario "${draft.scenario}"); this sends to the Anthropic API.`);
  }
  const clientOptions = ['maxRetries: 0'];
  if (draft.endpoint === 'custom' && draft.baseURL.trim()) clientOptions.push(`baseURL: ${JSON.stringify(draft.baseURL.trim())}`);
  lines.push(`// The API key is read from the ANTHROPIC_API_KEY environment variable.`);
  lines.push(`const client = new Anthropic({ ${clientOptions.join(', ')} }); // retries happen in claudeRetry, not in the SDK`);
  lines.push('');
  const policy = [
    `maxAttempts: ${p.maxAttempts}`,
    `baseDelayMs: ${p.baseDelayMs}`,
    `maxDelayMs: ${p.maxDelayMs}`,
    `maxElapsedMs: ${p.maxElapsedMs}`,
    'onRetry: (e) => console.warn(`attempt ${e.attempt} failed (${e.status ?? e.errorType}), retrying in ${e.delayMs} ms (${e.reason})`),',
  ];
  lines.push(`const request = ${JSON.stringify(body, null, 2)} satisfies Anthropic.MessageCreateParams;`);
  lines.push('');
  const options = ['  {', ...policy.map((l) => `    ${l.endsWith(',') ? l : l + ','}`), '  },', ');'];
  if (draft.stream) {
    lines.push(`const events = withStreamRetry(`, `  () => client.messages.create({ ...request, stream: true }),`, ...options);
    lines.push(`for await (const event of events) {`);
    lines.push(`  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text);`);
    lines.push(`}`);
  } else {
    lines.push(`const message = await withRetry(`, `  () => client.messages.create(request),`, ...options);
    lines.push(`console.log(message.content);`);
  }
  return lines.join('\n') + '\n';
}

/** Quotes a string for a POSIX shell (single quotes). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command for the draft. The key is the `$ANTHROPIC_API_KEY` shell variable, never the key itself.
 * `simulatedUrl` is the running simulated server's address (when the endpoint is the simulated one).
 */
export function curlSnippet(draft: RequestDraft, simulatedUrl?: string): string {
  const { body, note } = bodyOf(draft);
  const payload = draft.stream ? { ...body, stream: true } : body;
  let base = ANTHROPIC_BASE_URL;
  if (draft.endpoint === 'custom' && draft.baseURL.trim()) base = draft.baseURL.trim().replace(/\/+$/, '');
  if (draft.endpoint === 'simulated') base = simulatedUrl ?? 'http://127.0.0.1:PORT';
  const lines: string[] = [];
  if (note) lines.push(`# Note: ${note}`);
  if (draft.endpoint === 'simulated') {
    lines.push(`# The playground's simulated endpoint${simulatedUrl ? '' : ' (start it by sending once from the playground, then use its port)'}; for the Anthropic API use ${ANTHROPIC_BASE_URL}`);
  }
  lines.push(`curl ${shellQuote(`${base}/v1/messages`)}${draft.stream ? ' --no-buffer' : ''} \\`);
  lines.push(`  --header "x-api-key: ${KEY_PLACEHOLDER}" \\`);
  lines.push(`  --header 'anthropic-version: 2023-06-01' \\`);
  lines.push(`  --header 'content-type: application/json' \\`);
  if (draft.endpoint === 'simulated') {
    lines.push(`  --header ${shellQuote(`x-simulate-scenario: ${draft.scenario}`)} \\`);
    if (draft.scenarioOptionsJson.trim()) {
      let opts = draft.scenarioOptionsJson.trim();
      try {
        opts = JSON.stringify(JSON.parse(opts));
      } catch {
        // left as typed
      }
      lines.push(`  --header ${shellQuote(`x-simulate-options: ${opts}`)} \\`);
    }
  }
  lines.push(`  --data ${shellQuote(JSON.stringify(payload, null, 2))}`);
  return lines.join('\n') + '\n';
}

/** A JSON value written as a Python literal (True, False, None; strings and numbers as in JSON). */
export function pythonLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => `${inner}${pythonLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}

/** Seconds as Python writes them (500 ms → 0.5). */
function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}.0` : String(s);
}

/**
 * A Python snippet (the `anthropic` SDK) that sends the draft through `with_retry` (or `with_stream_retry`) from
 * claude_retry.py with the same policy. The key is read from `os.environ`, never written.
 */
export function pythonSnippet(draft: RequestDraft): string {
  const { body, note } = bodyOf(draft);
  const p = draft.retry;
  const lines: string[] = [];
  if (note) lines.push(`# Note: ${note}`);
  lines.push('import os', '', 'import anthropic', '', `from claude_retry import ${draft.stream ? 'with_stream_retry' : 'with_retry'}`, '');
  if (draft.endpoint === 'simulated') {
    lines.push(`# Tried in the playground against the simulated endpoint (scenario "${draft.scenario}"); this sends to the Anthropic API.`);
  }
  const clientOptions = ['api_key=os.environ["ANTHROPIC_API_KEY"]', 'max_retries=0'];
  if (draft.endpoint === 'custom' && draft.baseURL.trim()) clientOptions.push(`base_url=${JSON.stringify(draft.baseURL.trim())}`);
  lines.push('# The API key is read from the ANTHROPIC_API_KEY environment variable; retries happen in claude_retry, not in the SDK.');
  lines.push(`client = anthropic.Anthropic(${clientOptions.join(', ')})`);
  lines.push('');
  lines.push(`request = ${pythonLiteral(body)}`);
  lines.push('');
  const policy = [
    `max_attempts=${p.maxAttempts}`,
    `base_delay=${seconds(p.baseDelayMs)}`,
    `max_delay=${seconds(p.maxDelayMs)}`,
    `max_elapsed=${seconds(p.maxElapsedMs)}`,
    'on_retry=lambda e: print(f"attempt {e.attempt} failed ({e.status or e.error_type}), retrying in {e.delay:.1f} s ({e.reason})"),',
  ].map((l) => `    ${l.endsWith(',') ? l : `${l},`}`);
  if (draft.stream) {
    lines.push('for event in with_stream_retry(', '    lambda: client.messages.create(**request, stream=True),', ...policy, '):');
    lines.push('    if event.type == "content_block_delta" and event.delta.type == "text_delta":');
    lines.push('        print(event.delta.text, end="", flush=True)');
    lines.push('print()');
  } else {
    lines.push('message = with_retry(', '    lambda: client.messages.create(**request),', ...policy, ')');
    lines.push('print(message.content)');
  }
  return lines.join('\n') + '\n';
}
