// Every rule, in a stable order: this table drives the engine, the docs, the settings schema and
// `--list-rules`. Add a rule by writing rules/<id>.ts (exporting a `Rule`) and listing it here.

import type { CallAnalyzer, Rule } from '../ruleContext';

export const rules: Rule[] = [];

/** Per-call analyses that run before the rules whatever rules are enabled (see `CallAnalyzer`). */
export const callAnalyzers: CallAnalyzer[] = [];
