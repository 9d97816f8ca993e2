// The Python column of the language table (see ../languageFacts.ts): the `anthropic` package's names and
// how a fix is written in Python.

import type { LanguageFacts } from '../languageFacts';
import { isKwargsObject } from './nodes';

/** `anthropic`, `anthropic.lib.bedrock`, … */
export const PY_SDK_MODULE = /^anthropic(?:\.|$)/;

export const PY_CLIENT_CLASSES = new Set([
  'Anthropic',
  'AsyncAnthropic',
  'AnthropicBedrock',
  'AsyncAnthropicBedrock',
  'AnthropicVertex',
  'AsyncAnthropicVertex',
  'AnthropicFoundry',
  'AsyncAnthropicFoundry',
]);

/** Methods of a client that return a client with other options (`client.with_options(max_retries=0)`). */
export const PY_CLIENT_COPY_METHODS = new Set(['with_options', 'copy']);

export const PYTHON_FACTS: LanguageFacts = {
  id: 'python',
  sdkPackage: 'anthropic',
  clientClasses: PY_CLIENT_CLASSES,
  options: { maxRetries: 'max_retries', apiKey: 'api_key', timeout: 'timeout' },
  statusProperty: 'status_code',
  sleepFunctions: ['time.sleep', 'asyncio.sleep', 'anyio.sleep', 'trio.sleep', 'sleep'],
  // Keyword arguments are written `key=value`; a dict literal `"key": value`.
  fieldText: (literal, key, valueText) => (literal && isKwargsObject(literal) ? `${key}=${valueText}` : `${JSON.stringify(key)}: ${valueText}`),
  envKeyExpression: 'os.environ["ANTHROPIC_API_KEY"]',
  envKeyImport: 'os',
  commentOpenerLength: 1,
  // `temperature` / `top_p` are gone from the request types of `anthropic` 1.13; no deprecation before.
  sampling: { deprecatedSince: null, removedSince: [1, 13] },
};
