// A small rule tester in the style of typescript-eslint's RuleTester: tables of valid code (no finding of the
// rule) and invalid code (exactly these findings, in order, and optionally the text after applying fixes).

import * as assert from 'assert';
import { applyFixes, lintText, loadPythonParser, ruleMetas } from '../../../src/core/lint/index';
import type { LintConfig } from '../../../src/core/lint/index';
import type { Finding } from '../../../src/core/lint/rule';
import { typeErrors } from './typeCheckFixed';

export interface CaseOptions {
  /** Default 'test.ts' ('test.py' with language 'python'). */
  fileName?: string;
  /** 'python': the code is Python (file name test.py unless given). */
  language?: 'python';
  /** SDK version in use; default none (unknown = the newest rules). */
  sdkVersion?: string | null;
  config?: LintConfig;
  /** A name for the test; defaults to the first line of code. */
  name?: string;
  /** The runtime dependencies of the file's package.json; default unknown. */
  dependencies?: string[];
}

export type ValidCase = string | (CaseOptions & { code: string });

export interface ExpectedError {
  /** Key of the rule's meta.messages: the message must match that template. */
  messageId?: string;
  /** A substring of the message. */
  message?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: Finding['severity'];
  /** The exact text of the finding's range. */
  text?: string;
}

export interface InvalidCase extends CaseOptions {
  code: string;
  errors: ExpectedError[];
  /**
   * The text after applying the first fix of every finding of this rule (null: no finding has a fix).
   * Omitted: not checked.
   */
  output?: string | null;
  /** Only apply fixes marked safe when computing `output` (what --fix does). */
  safeOnly?: boolean;
  /**
   * Also type-check `output` against the real SDK types and the retry helper (imported as the fix needs);
   * the code must have no type error.
   */
  typeCheck?: boolean;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function templateMatches(template: string, message: string): boolean {
  const re = new RegExp('^' + template.split(/\{\{\s*\w+\s*\}\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*') + '$');
  return re.test(message);
}

function label(c: CaseOptions & { code: string; name?: string }): string {
  const tag = c.language === 'python' || /\.pyi?$/.test(c.fileName ?? '') ? '[python] ' : '';
  if (c.name) return tag + c.name;
  const line = c.code.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('import') && !l.startsWith('//') && !l.startsWith('#') && l !== 'client = anthropic.Anthropic()').join(' ');
  return tag + (line.length > 90 ? `${line.slice(0, 87)}...` : line);
}

function fileNameOf(c: CaseOptions): string {
  return c.fileName ?? (c.language === 'python' ? 'test.py' : 'test.ts');
}

export function lintCase(ruleId: string, c: CaseOptions & { code: string }): Finding[] {
  const r = lintText(c.code, { fileName: fileNameOf(c), sdkVersion: c.sdkVersion ?? null, config: c.config, dependencies: c.dependencies });
  assert.deepStrictEqual(r.internalErrors ?? [], [], 'the engine reported internal errors');
  assert.ok(!r.pending, 'the parser for this file was not loaded');
  return r.findings.filter((f) => f.ruleId === ruleId);
}

export const ruleTester = {
  run(ruleId: string, tests: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
    const meta = ruleMetas.find((m) => m.id === ruleId);
    describe(ruleId, () => {
      before(() => loadPythonParser());
      it('is in the rule table', () => assert.ok(meta, `no rule ${ruleId}`));
      describe('valid', () => {
        for (const v of tests.valid) {
          const c = typeof v === 'string' ? { code: v } : v;
          it(label(c), () => {
            const found = lintCase(ruleId, c);
            assert.deepStrictEqual(
              found.map((f) => `${position(c.code, f.start).line}: ${f.message}`),
              [],
              'expected no finding',
            );
          });
        }
      });
      describe('invalid', () => {
        for (const c of tests.invalid) {
          it(label(c), function () {
            // the first type check loads the SDK's declarations: slow on a busy machine
            if (c.typeCheck) this.timeout(120_000);
            const found = lintCase(ruleId, c);
            assert.strictEqual(
              found.length,
              c.errors.length,
              `expected ${c.errors.length} finding(s), got ${found.length}:\n${found.map((f) => `  ${position(c.code, f.start).line}:${position(c.code, f.start).column} ${f.message}`).join('\n')}`,
            );
            c.errors.forEach((e, i) => {
              const f = found[i];
              const at = position(c.code, f.start);
              const endAt = position(c.code, f.end);
              if (e.messageId) {
                const template = meta?.messages[e.messageId];
                assert.ok(template, `unknown messageId ${e.messageId}`);
                assert.ok(templateMatches(template, f.message), `finding ${i}: "${f.message}" is not message ${e.messageId}`);
              }
              if (e.message) assert.ok(f.message.includes(e.message), `finding ${i}: "${f.message}" lacks "${e.message}"`);
              if (e.line !== undefined) assert.strictEqual(at.line, e.line, `finding ${i}: line`);
              if (e.column !== undefined) assert.strictEqual(at.column, e.column, `finding ${i}: column`);
              if (e.endLine !== undefined) assert.strictEqual(endAt.line, e.endLine, `finding ${i}: end line`);
              if (e.endColumn !== undefined) assert.strictEqual(endAt.column, e.endColumn, `finding ${i}: end column`);
              if (e.severity) assert.strictEqual(f.severity, e.severity, `finding ${i}: severity`);
              if (e.text !== undefined) assert.strictEqual(c.code.slice(f.start, f.end), e.text, `finding ${i}: range text`);
            });
            if (c.output !== undefined) {
              const fixes = found
                .map((f) => (f.fixes ?? []).filter((x) => !c.safeOnly || x.safe)[0])
                .filter((x): x is NonNullable<typeof x> => !!x);
              if (c.output === null) {
                assert.strictEqual(fixes.length, 0, 'expected no fix');
              } else {
                assert.ok(fixes.length > 0, 'expected a fix');
                const out = applyFixes(c.code, fixes).text;
                assert.strictEqual(out, c.output);
                // A fix must leave code that still parses.
                const again = lintText(out, { fileName: fileNameOf(c), sdkVersion: c.sdkVersion ?? null, config: c.config });
                assert.ok(!again.findings.some((f) => f.ruleId === 'parse-error'), 'the fixed code does not parse');
                if (c.typeCheck) {
                  const names = [...new Set(fixes.flatMap((f) => (f.needsRetryHelper ? f.helperNames ?? ['withRetry'] : [])))];
                  assert.deepStrictEqual(typeErrors(out, names, fileNameOf(c)), [], 'the fixed code does not type-check');
                }
              }
            }
          });
        }
      });
    });
  },
};

/** Common file heads. */
export const ESM = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\n';
/** The Python head: `import anthropic` and a module-level client. */
export const PY = 'import anthropic\n\nclient = anthropic.Anthropic()\n';
