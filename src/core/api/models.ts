// Known Claude models and their output ceilings (the upper bound of `max_tokens`). Data in one place:
// update this table when models change. Aliases and dated IDs name the same model. A model that is not
// here has no known ceiling, and no check is made against it.

export interface ModelInfo {
  /** Display name. */
  name: string;
  /** The largest `max_tokens` the model accepts. */
  maxOutputTokens: number;
  /** Model IDs that name it: the alias and dated snapshots. */
  ids: string[];
}

export const MODELS: readonly ModelInfo[] = [
  { name: 'Claude Fable 5.1', maxOutputTokens: 128_000, ids: ['claude-fable-5-1'] },
  { name: 'Claude Opus 5.5', maxOutputTokens: 128_000, ids: ['claude-opus-5-5'] },
  { name: 'Claude Sonnet 5', maxOutputTokens: 128_000, ids: ['claude-sonnet-5', 'claude-sonnet-5-0'] },
  { name: 'Claude Opus 4.8', maxOutputTokens: 128_000, ids: ['claude-opus-4-8'] },
  { name: 'Claude Opus 4.7', maxOutputTokens: 128_000, ids: ['claude-opus-4-7'] },
  { name: 'Claude Opus 4.6', maxOutputTokens: 128_000, ids: ['claude-opus-4-6'] },
  { name: 'Claude Sonnet 4.6', maxOutputTokens: 128_000, ids: ['claude-sonnet-4-6'] },
  { name: 'Claude Sonnet 4.5', maxOutputTokens: 64_000, ids: ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'] },
  { name: 'Claude Haiku 4.5', maxOutputTokens: 64_000, ids: ['claude-haiku-4-5', 'claude-haiku-4-5-20251001'] },
  { name: 'Claude Sonnet 4', maxOutputTokens: 64_000, ids: ['claude-sonnet-4-0', 'claude-sonnet-4-20250514'] },
  { name: 'Claude Opus 4.1', maxOutputTokens: 32_000, ids: ['claude-opus-4-1', 'claude-opus-4-1-20250805'] },
  { name: 'Claude Opus 4', maxOutputTokens: 32_000, ids: ['claude-opus-4-0', 'claude-opus-4-20250514'] },
  {
    name: 'Claude 3.5 Sonnet',
    maxOutputTokens: 8_192,
    ids: ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-20240620'],
  },
  { name: 'Claude 3.5 Haiku', maxOutputTokens: 8_192, ids: ['claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022'] },
  { name: 'Claude 3 Opus', maxOutputTokens: 4_096, ids: ['claude-3-opus-latest', 'claude-3-opus-20240229'] },
  { name: 'Claude 3 Haiku', maxOutputTokens: 4_096, ids: ['claude-3-haiku-20240307'] },
];

/**
 * Model IDs for which the SDK refuses a non-streaming `messages.create` above this many `max_tokens`
 * without an explicit timeout (the SDK's own per-model table).
 */
export const NONSTREAMING_MAX_TOKENS: Readonly<Record<string, number>> = {
  'claude-opus-4@20250514': 8_192,
  'anthropic.claude-opus-4-1-20250805-v1:0': 8_192,
  'claude-opus-4-1@20250805': 8_192,
};

/**
 * The SDK refuses a non-streaming `messages.create` without an explicit timeout when its expected time,
 * 3600 s * max_tokens / 128 000, exceeds 600 s: max_tokens above this.
 */
export const NONSTREAMING_TOKEN_LIMIT = Math.floor((600 * 128_000) / 3600); // 21 333

const byId = new Map<string, ModelInfo>();
for (const m of MODELS) for (const id of m.ids) byId.set(id, m);

/**
 * The model a model ID names, or undefined when unknown. Also reads provider spellings of known IDs:
 * Vertex `claude-haiku-4-5@20251001` and Bedrock `anthropic.claude-haiku-4-5-20251001-v1:0` (with an optional
 * region prefix such as `us.`).
 */
export function findModel(id: string): ModelInfo | undefined {
  const direct = byId.get(id);
  if (direct) return direct;
  let s = id;
  const bedrock = /^(?:[a-z]{2,4}\.)?anthropic\.(claude-[a-z0-9-]+?)(?:-v\d+(?::\d+)?)?$/.exec(s);
  if (bedrock) s = bedrock[1];
  s = s.replace('@', '-');
  return byId.get(s);
}

/** The output ceiling of a model ID, or undefined when the model is unknown. */
export function maxOutputTokens(id: string): number | undefined {
  return findModel(id)?.maxOutputTokens;
}
