// Every rule, in a stable order: this table drives the engine, the docs, the settings schema and
// `--list-rules`. Add a rule by writing rules/<id>.ts (exporting a `Rule`) and listing it here.

import type { RuleMeta } from '../rule';
import type { CallAnalyzer, Rule } from '../ruleContext';
import { retryStackAnalyzer } from '../retry';
import { hardcodedApiKey } from './hardcoded-api-key';
import { retiredModel } from './retired-model';
import { invalidMaxTokens } from './invalid-max-tokens';
import { missingMaxTokens } from './missing-max-tokens';
import { roleOrder } from './role-order';
import { samplingParams } from './sampling-params';
import { systemInMessages } from './system-in-messages';
import { unguardedRetry } from './unguarded-retry';
import { retryNonRetryable } from './retry-non-retryable';
import { retryNoBackoff } from './retry-no-backoff';
import { retryUnbounded } from './retry-unbounded';
import { retryIgnoresRetryAfter } from './retry-ignores-retry-after';
import { retryAmplification } from './retry-amplification';
import { streamErrorUnhandled } from './stream-error-unhandled';
import { uncheckedTruncation } from './unchecked-truncation';
import { unboundedFanOut } from './unbounded-fan-out';
import { retryIncomplete } from './retry-incomplete';

export const rules: Rule[] = [
  // Request shape
  missingMaxTokens,
  invalidMaxTokens,
  roleOrder,
  systemInMessages,
  samplingParams,
  hardcodedApiKey,
  retiredModel,
  // Retry safety
  unguardedRetry,
  retryNonRetryable,
  retryNoBackoff,
  retryUnbounded,
  retryIgnoresRetryAfter,
  retryAmplification,
  retryIncomplete,
  streamErrorUnhandled,
  // Using the responses
  uncheckedTruncation,
  // Load
  unboundedFanOut,
];

/** Per-call analyses that run before the rules whatever rules are enabled (see `CallAnalyzer`). */
export const callAnalyzers: CallAnalyzer[] = [retryStackAnalyzer];

/** Reported by the engine itself when a file does not parse; listed last in the rule table. */
export const parseErrorMeta: RuleMeta = {
  id: 'parse-error',
  defaultSeverity: 'warning',
  description: 'The file could not be parsed, so its Claude API calls were not checked.',
  messages: {
    parseError: 'This file could not be parsed ({{message}}), so its Claude API calls were not checked. Fix the syntax error to get them checked again.',
  },
  fixable: false,
};
