// The simulated Messages API's scenarios as data: their names, their options with kinds and defaults, and the
// check that turns a caller's name and options into a valid scenario (or a ScenarioError that lists what is
// valid). The server, the CLI, the playground and the docs all read this one table.

export type ScenarioName =
  | 'ok'
  | 'rate-limited'
  | 'overloaded-burst'
  | 'overloaded-storm'
  | 'server-error'
  | 'mid-stream-error'
  | 'spend-limit'
  | 'connection-reset'
  | 'slow';

/**
 * The kinds of option values: `count` is a non-negative integer or the string "always";
 * `ms`/`seconds` are non-negative numbers of (unscaled) time that `timeScale` multiplies; `fraction` is a
 * number from 0 to 1.
 */
export type OptionKind = 'count' | 'integer' | 'ms' | 'seconds' | 'boolean' | 'string' | 'fraction';

export interface ScenarioOptionSpec {
  readonly name: string;
  readonly kind: OptionKind;
  /** `undefined` means "not sent / off unless given". */
  readonly default: number | string | boolean | undefined;
  readonly description: string;
  /** For `string` options with a closed set of values. */
  readonly values?: readonly string[];
  /** Smallest allowed value for numeric kinds (default 0). */
  readonly min?: number;
}

export interface ScenarioInfo {
  readonly name: ScenarioName;
  /** One line, for lists in the playground, the docs and `simulate --list`. */
  readonly description: string;
  readonly options: readonly ScenarioOptionSpec[];
}

const retryAfterMsOption: ScenarioOptionSpec = {
  name: 'retryAfterMs',
  kind: 'ms',
  default: undefined,
  description: 'also send a retry-after-ms header with this value (scaled by timeScale)',
};

/** Options every scenario accepts: the shape of the successful answer and the counter key. */
export const COMMON_SCENARIO_OPTIONS: readonly ScenarioOptionSpec[] = [
  { name: 'replyWords', kind: 'integer', default: 12, min: 1, description: 'words in the reply (1 word = 1 output token)' },
  { name: 'wordsPerDelta', kind: 'integer', default: 2, min: 1, description: 'words per text_delta event when streaming' },
  { name: 'key', kind: 'string', default: undefined, description: 'separate fault counter for requests that carry the same key' },
  {
    name: 'share',
    kind: 'fraction',
    default: undefined,
    description: 'the share (0 to 1) of calls the faults apply to, chosen at random per call; the others pass untouched (unset: all)',
  },
  { name: 'seed', kind: 'integer', default: undefined, description: 'seed for choosing the calls under share: the same seed, the same choice' },
];

export const SCENARIOS: readonly ScenarioInfo[] = [
  {
    name: 'ok',
    description: 'every request succeeds',
    options: [],
  },
  {
    name: 'rate-limited',
    description: '429 rate_limit_error with retry-after for the first N requests, then ok',
    options: [
      { name: 'failures', kind: 'count', default: 1, description: 'how many requests fail ("always" for all)' },
      { name: 'retryAfter', kind: 'seconds', default: 1, description: 'retry-after header in seconds (scaled by timeScale)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'overloaded-burst',
    description: '529 overloaded_error for the first N requests, then ok',
    options: [
      { name: 'failures', kind: 'count', default: 2, description: 'how many requests fail ("always" for all)' },
      { name: 'retryAfter', kind: 'seconds', default: undefined, description: 'send a retry-after header in seconds (scaled)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'overloaded-storm',
    description: '529 overloaded_error whenever more than `capacity` requests arrive within a sliding window',
    options: [
      { name: 'capacity', kind: 'integer', default: 10, min: 1, description: 'requests accepted per window' },
      { name: 'windowMs', kind: 'ms', default: 1000, min: 1, description: 'length of the sliding window (scaled by timeScale)' },
      { name: 'latencyMs', kind: 'ms', default: 0, description: 'time an accepted request takes before it answers (scaled)' },
      {
        name: 'countRejected',
        kind: 'boolean',
        default: false,
        description: 'rejected requests also occupy the window (retries then prolong the overload)',
      },
      { name: 'retryAfter', kind: 'seconds', default: undefined, description: 'send a retry-after header in seconds (scaled)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'server-error',
    description: '500 api_error for the first N requests (or always), then ok',
    options: [
      { name: 'failures', kind: 'count', default: 1, description: 'how many requests fail ("always" for all)' },
      { name: 'retryAfter', kind: 'seconds', default: undefined, description: 'send a retry-after header in seconds (scaled)' },
      retryAfterMsOption,
    ],
  },
  {
    name: 'mid-stream-error',
    description: 'streams start with 200 and some text, then an SSE error event (overloaded_error); non-streaming requests get 529',
    options: [
      { name: 'failures', kind: 'count', default: 'always', description: 'how many requests fail ("always" for all)' },
      { name: 'deltasBeforeError', kind: 'integer', default: 2, description: 'text_delta events sent before the error event' },
      {
        name: 'errorType',
        kind: 'string',
        default: 'overloaded_error',
        values: ['overloaded_error', 'api_error', 'rate_limit_error'],
        description: 'error.type of the error event',
      },
      {
        name: 'nonStream',
        kind: 'string',
        default: 'overloaded',
        values: ['overloaded', 'ok'],
        description: 'what a non-streaming request gets: a 529 before any output, or a normal answer',
      },
    ],
  },
  {
    name: 'spend-limit',
    description: '429 rate_limit_error with error_code enforced_spend_limit_reached and no retry-after',
    options: [{ name: 'failures', kind: 'count', default: 'always', description: 'how many requests fail ("always" for all)' }],
  },
  {
    name: 'connection-reset',
    description: 'reads the request, then resets the connection without a response, N times, then ok',
    options: [{ name: 'failures', kind: 'count', default: 1, description: 'how many requests are reset ("always" for all)' }],
  },
  {
    name: 'slow',
    description: 'waits before answering, and between stream events',
    options: [
      { name: 'delayMs', kind: 'ms', default: 2000, description: 'wait before the response starts (scaled by timeScale)' },
      { name: 'deltaDelayMs', kind: 'ms', default: 200, description: 'wait between stream events (scaled)' },
    ],
  },
];

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS.map((s) => s.name);

/** Option values as given by a caller (before defaults). */
export type ScenarioOptions = Record<string, number | string | boolean>;

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function scenarioInfo(name: string): ScenarioInfo {
  const info = SCENARIOS.find((s) => s.name === name);
  if (!info) {
    throw new ScenarioError(`Unknown scenario "${name}". Valid scenarios: ${SCENARIO_NAMES.join(', ')}.`);
  }
  return info;
}

/** The options of a scenario with their defaults, common options included. */
export function scenarioDefaults(name: ScenarioName): ScenarioOptions {
  const out: ScenarioOptions = {};
  for (const spec of [...scenarioInfo(name).options, ...COMMON_SCENARIO_OPTIONS]) {
    if (spec.default !== undefined) out[spec.name] = spec.default;
  }
  return out;
}

/**
 * Checks a scenario name and its options; returns the options with defaults filled in.
 * Throws ScenarioError with a message that lists what is valid.
 */
export function validateScenario(name: string, options: unknown = {}): { name: ScenarioName; options: ScenarioOptions } {
  const info = scenarioInfo(name);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ScenarioError(`Options for scenario "${name}" must be an object, got ${JSON.stringify(options)}.`);
  }
  const specs = [...info.options, ...COMMON_SCENARIO_OPTIONS];
  const result = scenarioDefaults(info.name);
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    if (value === undefined) continue;
    const spec = specs.find((s) => s.name === key);
    if (!spec) {
      throw new ScenarioError(
        `Unknown option "${key}" for scenario "${name}". Valid options: ${specs.map((s) => s.name).join(', ')}.`,
      );
    }
    result[key] = checkOptionValue(name, spec, value);
  }
  return { name: info.name, options: result };
}

function checkOptionValue(scenario: string, spec: ScenarioOptionSpec, value: unknown): number | string | boolean {
  const where = `Option "${spec.name}" of scenario "${scenario}"`;
  const min = spec.min ?? 0;
  switch (spec.kind) {
    case 'count':
      if (value === 'always') return value;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
      throw new ScenarioError(`${where} must be a non-negative integer or "always", got ${JSON.stringify(value)}.`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
      throw new ScenarioError(`${where} must be an integer >= ${min}, got ${JSON.stringify(value)}.`);
    case 'ms':
    case 'seconds':
      if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
      throw new ScenarioError(
        `${where} must be a number >= ${min} (${spec.kind === 'ms' ? 'milliseconds' : 'seconds'}), got ${JSON.stringify(value)}.`,
      );
    case 'fraction':
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return value;
      throw new ScenarioError(`${where} must be a number from 0 to 1, got ${JSON.stringify(value)}.`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw new ScenarioError(`${where} must be true or false, got ${JSON.stringify(value)}.`);
    case 'string':
      if (typeof value === 'string' && (!spec.values || spec.values.includes(value))) return value;
      throw new ScenarioError(
        `${where} must be ${spec.values ? `one of ${spec.values.join(', ')}` : 'a string'}, got ${JSON.stringify(value)}.`,
      );
  }
}
