// When Claude models stop answering: model ID → the date it is retired (every call fails from that day on)
// and the model to move to. Data in one place; update it when a deprecation is announced.
//
// Sources:
//  - the deprecated-models table the SDKs ship, which they warn about on every call: `DEPRECATED_MODELS` in
//    anthropic (Python) 1.13.0, anthropic/resources/messages/messages.py, and in @anthropic-ai/sdk 1.12.0,
//    resources/messages/messages.ts (the TypeScript table lists only the Claude Sonnet 4.5 IDs);
//  - the model deprecations page, https://docs.anthropic.com/en/docs/resources/model-deprecations, which the
//    SDK warning links to.
// Successors are the current model of the same family in src/core/api/models.ts (null: no clear successor,
// so no fix is offered).

export interface ModelRetirement {
  /** The first day (UTC) on which every call to the model fails, YYYY-MM-DD. */
  retires: string;
  /** The model ID to move to, or null when there is no clear successor. */
  successor: string | null;
  /** Where the date comes from. */
  source: string;
}

const PY_SDK = 'anthropic 1.13.0 DEPRECATED_MODELS';
const BOTH_SDKS = 'anthropic 1.13.0 and @anthropic-ai/sdk 1.12.0 DEPRECATED_MODELS';

export const MODEL_RETIREMENTS: Readonly<Record<string, ModelRetirement>> = {
  'claude-1.3': { retires: '2024-11-06', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-1.3-100k': { retires: '2024-11-06', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-instant-1.1': { retires: '2024-11-06', successor: 'claude-haiku-4-5', source: PY_SDK },
  'claude-instant-1.1-100k': { retires: '2024-11-06', successor: 'claude-haiku-4-5', source: PY_SDK },
  'claude-instant-1.2': { retires: '2024-11-06', successor: 'claude-haiku-4-5', source: PY_SDK },
  'claude-2.0': { retires: '2025-07-21', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-2.1': { retires: '2025-07-21', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-3-sonnet-20240229': { retires: '2025-07-21', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-3-opus-20240229': { retires: '2026-01-05', successor: 'claude-opus-4-7', source: PY_SDK },
  'claude-3-7-sonnet-latest': { retires: '2026-02-19', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-3-7-sonnet-20250219': { retires: '2026-02-19', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-3-5-haiku-latest': { retires: '2026-02-19', successor: 'claude-haiku-4-5', source: PY_SDK },
  'claude-3-5-haiku-20241022': { retires: '2026-02-19', successor: 'claude-haiku-4-5', source: PY_SDK },
  'claude-opus-4-0': { retires: '2026-06-15', successor: 'claude-opus-4-7', source: PY_SDK },
  'claude-opus-4-20250514': { retires: '2026-06-15', successor: 'claude-opus-4-7', source: PY_SDK },
  'claude-sonnet-4-0': { retires: '2026-06-15', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-sonnet-4-20250514': { retires: '2026-06-15', successor: 'claude-sonnet-4-6', source: PY_SDK },
  'claude-mythos-preview': { retires: '2026-06-30', successor: null, source: PY_SDK },
  'claude-sonnet-4-5': { retires: '2026-11-30', successor: 'claude-sonnet-4-6', source: BOTH_SDKS },
  'claude-sonnet-4-5-20250929': { retires: '2026-11-30', successor: 'claude-sonnet-4-6', source: BOTH_SDKS },
};

/** The retirement of a model ID exactly as written, or undefined when none is known. */
export function findRetirement(id: string): ModelRetirement | undefined {
  return Object.prototype.hasOwnProperty.call(MODEL_RETIREMENTS, id) ? MODEL_RETIREMENTS[id] : undefined;
}

/** Whether every call to the model ID fails on `day` (YYYY-MM-DD, UTC): its retirement date has come. */
export function isRetiredOn(id: string, day: string): boolean {
  const info = findRetirement(id);
  return info !== undefined && day >= info.retires;
}
