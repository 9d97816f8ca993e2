// The data a rule reports. Everything is plain data with character offsets into the linted text, so the
// CLI and the editor layer share it; the editor converts offsets to ranges in one place.

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** Replace text[start, end) with `text`. Offsets are into the original text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /**
   * Absolute path of another file of the project the edit applies to (a fix that acts where a client is
   * made); absent: the linted file. Offsets are then into that file's text.
   */
  file?: string;
  /**
   * With `file`: the content version (project/version.ts) of the text the offsets were computed on. The
   * edit is applied only while that file still has this text; otherwise its whole fix is skipped.
   */
  fileVersion?: string;
}

export interface Fix {
  /** Shown in the quick fix menu, e.g. "Add max_tokens: 1024". */
  title: string;
  edits: TextEdit[];
  /**
   * `true` when the fix cannot change what a correct program means and is applied by `--fix` and by
   * fix-all. Suggestions (`false`) are offered only one at a time in the editor.
   */
  safe: boolean;
  /**
   * Set when the fix needs the shared retry helper in the project: the editor (or the CLI) writes the
   * helper file and adds its import; the text edits only wrap the call.
   */
  needsRetryHelper?: boolean;
  /** What the edits use from the retry helper, for the import it needs; absent: `['withRetry']`. */
  helperNames?: string[];
}

export interface RelatedLocation {
  start: number;
  end: number;
  message: string;
  /** Absolute path of another file the offsets belong to; absent: the linted file. */
  file?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

export interface RuleMeta {
  /** Fixed id, also the file name under rules/ and the doc page docs/rules/<id>.md. */
  id: string;
  defaultSeverity: Severity;
  /** One line, used by --list-rules, SARIF and the settings schema. */
  description: string;
  /** Message templates by id; `{{name}}` placeholders are filled from the report's data. */
  messages: Record<string, string>;
  fixable: boolean;
}

export const DOCS_BASE_URL = 'https://github.com/claude-request-lint/claude-request-lint/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
