// The prefilter's lexer stage must never hide a call, a key or a browser client that the parse would find.
// The parser is the oracle: every "lets through" case is also linted and must yield the call.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintText, lintUnfiltered, needsParse, prefilter } from '../../../src/core/lint/index';
import type { LintOptions, LintResult } from '../../../src/core/lint/index';
import { coarsePrefilter, decodeEscapes, escapedFormsSource, scanCode } from '../../../src/core/lint/prefilter';

const ROOT = path.resolve(__dirname, '../../../..');
const REQ = '{ model: "claude-sonnet-4-5", max_tokens: 1, messages: [{ role: "user", content: "x" }] }';
const IMPORT = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\n';
const CALL = `client.messages.create(${REQ});`;

/** [name, code (after IMPORT), file name] */
const CALL_IN_CODE: Array<[string, string, string?]> = [
  ['after a line comment holding quotes', `// don't "quote \`tick\n${CALL}`],
  ['after a block comment holding quotes', `/* it's a \`tick" */ ${CALL}`],
  ['after a regular expression holding //', `const url = /https?:\\/\\//;\n${CALL}`],
  ['after a regular expression holding quotes', `const q = /["'\`]/g;\n${CALL}`],
  ['after a regular expression holding /* in a class', `const r = /[/*]+/;\n${CALL}`],
  ['after a regular expression with an escaped ] in a class', `const re = /a\\/b[\\]/']/;\n${CALL}`],
  ['after regular expressions after !, && and =>', `const ok = (s: string) => !/^'/.test(s) && /"$/.test(s);\n${CALL}`],
  ['after a regular expression after if (…)', `if (Math.random()) /'/.test("x");\n${CALL}`],
  ['after a regular expression after return', `function f() { return /'/; }\n${CALL}`],
  ['between divisions of names', `const a = 4, b = 2, g = 1;\nconst r = a / b; ${CALL} const t = a / g;`],
  ['between divisions of parenthesized values', `const a = 4, b = 2;\nconst r = (a) / b; ${CALL} const t = (a) / b;`],
  ['between divisions of indexed values', `const a = [4], b = 2;\nconst r = a[0] / b; ${CALL} const t = a[0] / b;`],
  ['between divisions after non-null assertions', `declare const m: number | undefined;\nconst r = m! / 2; ${CALL} const t = m! / 3;`],
  ['between division assignments', `let n = 8;\nn /= 2; ${CALL} n /= 2;`],
  ['between divisions of keyword-named properties', `const o = { return: 4 };\nconst r = o.return / 2; ${CALL} const t = o.return / 2;`],
  ['after generic type arguments', `const m = new Map<string, Array<number>>();\nconst r = m.size / 2; ${CALL}`],
  ['inside ${} of a template', `const s = \`result: \${${CALL.slice(0, -1)}}\`;`],
  ['inside nested templates', `const s = \`a \${\`b \${"}"} \${${CALL.slice(0, -1)}}\`} c\`;`],
  ['inside ${} after an object literal', `const s = \`\${ { a: 1 }.a } \${${CALL.slice(0, -1)}}\`;`],
  ['inside ${} after template text holding // and /*', `const s = \`http://x /* \${${CALL.slice(0, -1)}}\`;`],
  ['after a template with an escaped backtick', `const s = \`\\\`'\`;\n${CALL}`],
  ['after a string with escaped quotes', `const s = 'it\\'s "x" \\\\';\n${CALL}`],
  ['after a string with a line continuation', `const s = 'a\\\nb';\n${CALL}`],
  ['after a string holding ${', `const s = "\${";\n${CALL} const t = "}";`],
  ['after a string holding U+2028', `const s = "a\u2028b";\n${CALL}`],
  ['with CRLF line ends', `// it's\r\nconst a = 1;\r\n${CALL}\r\n`],
  ['split across lines with comments', `client.messages // the API\n  /* no streaming */ .create(${REQ});`],
  ['through bracket access', `client["messages"]["create"](${REQ});`],
  ['through optional bracket access', `client.messages?.["stream"](${REQ});`],
  ['through a parenthesized object', `(client.messages).create(${REQ});`],
  ['with escaped names (and the pattern in a comment)', `// see messages.create\nclient.m\\u0065ssages.cre\\u0061te(${REQ});`],
  ['after a comparison in a .js file', `const a = 1, b = 2;\nif (a < b) ${CALL}`, 'a.js'],
  ['after JSX text holding an apostrophe (.tsx)', `const el = <p>Don't "stop"</p>;\n${CALL}`, 'a.tsx'],
  ['inside a JSX expression container (.jsx)', `const el = <div title="it's">{${CALL.slice(0, -1)} && null}</div>;`, 'a.jsx'],
  ['after JSX in a .js file', `const el = <p>it's</p>;\n${CALL}`, 'a.js'],
  ['after a block whose } precedes a regular expression', `function f() {}\n/"/.test("x");\n${CALL}`],
  ['after a postfix increment before a division', `let i = 0;\nconst h = i++ / 2;\n${CALL}`],
];

describe('prefilter: the lexer stage', () => {
  describe('lets through a call in code, whatever comes before it (the parse confirms the call)', () => {
    for (const [name, code, fileName = 'a.ts'] of CALL_IN_CODE) {
      it(name, () => {
        const text = IMPORT + code;
        assert.ok(coarsePrefilter(text), 'the regular expression stage lets it through');
        assert.ok(prefilter(text, fileName), 'prefilter');
        assert.ok(prefilter(text), 'prefilter without a file name');
        assert.ok(needsParse(text, fileName), 'needsParse');
        const r = lintText(text, { fileName, sdkVersion: '1.12.0' });
        assert.ok(r.parsed);
        assert.deepStrictEqual(r.findings.filter((f) => f.ruleId === 'parse-error'), [], 'the case is valid code');
        assert.strictEqual(r.calls.length, 1, 'the parse finds the call');
      });
    }
    it('after a hashbang line', () => {
      const text = `#!/usr/bin/env node\n${IMPORT}${CALL}`;
      assert.ok(needsParse(text, 'cli.js'));
      assert.strictEqual(lintText(text, { fileName: 'cli.js' }).calls.length, 1);
    });
  });

  describe('keeps out files whose only mentions are in comments, strings and regular expressions', () => {
    const cases: Array<[string, string]> = [
      ['a JSDoc example', `/**\n * @example\n * const message = await client.messages.create({ ... });\n */\nexport function f() {}\n`],
      ['a line comment', `// client.messages.create(...)\nexport const x = 1;\n`],
      ['a string', `export const doc = "client.messages.create(...)";\n`],
      ['a quoted bracket chain in a string', `export const doc = 'client["messages"]["create"]()';\n`],
      ['template text', `const x = 1;\nexport const doc = \`client.messages.stream(\${x})\`;\n`],
      ['a regular expression', `export const re = /client.messages.create/;\n`],
      ['a comment after a division', `const a = 4, b = 2;\nexport const r = a / b; // messages.create\n`],
      ['dangerouslyAllowBrowser in a comment', `// new Anthropic({ dangerouslyAllowBrowser: true })\nexport const x = 1;\n`],
    ];
    for (const [name, code] of cases) {
      it(name, () => {
        assert.ok(coarsePrefilter(code), 'the regular expression stage alone would parse it');
        assert.ok(!prefilter(code, 'a.ts'));
        assert.ok(!needsParse(code, 'a.ts'));
        assert.deepStrictEqual(lintText(code, { fileName: 'a.ts' }), { findings: [], calls: [], parsed: false });
        const forced = lintUnfiltered(code, { fileName: 'a.ts' });
        assert.deepStrictEqual([forced.findings, forced.calls], [[], []], 'the parse finds nothing either');
      });
    }
  });

  describe('the lint engine also needs an SDK module named in code', () => {
    it('a call in a file that imports no SDK package: prefilter yes, parse no, and the parse would find nothing', () => {
      for (const code of [
        `import twilio from "twilio";\nconst client = twilio();\nclient.messages.create({ to: "+1", body: "hi" });\n`,
        `// npm install @anthropic-ai/sdk\nimport { client } from "./client";\nclient.messages.create(${REQ});\n`,
        `/** Wraps the @anthropic-ai/sdk client. */\nconst anthropic = (globalThis as any).c;\nanthropic.messages.create({ model: "m", messages: [] });\n`,
      ]) {
        assert.ok(prefilter(code, 'a.ts'), code);
        assert.ok(!needsParse(code, 'a.ts'), code);
        const forced = lintUnfiltered(code, { fileName: 'a.ts' });
        assert.deepStrictEqual([forced.findings, forced.calls], [[], []], `the call-site finder counts no call without an SDK import:\n${code}`);
      }
    });
    it('an SDK module name written with escape sequences still counts', () => {
      // (legacy octal escapes are not allowed in modules; the escaped-forms test below covers them)
      for (const spec of ['\\x40anthropic-ai/sdk', '\\u0040anthropic\\u002dai\\/sdk', '@anthr\\u{6F}pic-ai/sdk']) {
        const code = `import Anthropic from "${spec}";\nconst client = new Anthropic();\n${CALL}`;
        assert.ok(needsParse(code, 'a.ts'), spec);
        assert.strictEqual(lintText(code, { fileName: 'a.ts' }).calls.length, 1, spec);
      }
    });
    it('a template literal naming the SDK counts too (conservatively)', () => {
      assert.ok(needsParse(`const m = \`@anthropic-ai/sdk\`;\nclient.messages.create(${REQ});\n`, 'a.ts'));
    });
    it('a browser client needs the option in code: a quoted key counts, a comment does not', () => {
      const quoted = `import Anthropic from "@anthropic-ai/sdk";\nexport const c = new Anthropic({ apiKey: process.env.NEXT_PUBLIC_KEY, "dangerouslyAllowBrowser": true });\n`;
      assert.ok(needsParse(quoted, 'a.ts'));
      assert.deepStrictEqual(lintText(quoted, { fileName: 'a.ts' }).findings.map((f) => f.ruleId), ['hardcoded-api-key']);
      const commented = `import Anthropic from "@anthropic-ai/sdk";\n// dangerouslyAllowBrowser: true would leak NEXT_PUBLIC_KEY\nexport const c = new Anthropic({ apiKey: process.env.NEXT_PUBLIC_KEY });\n`;
      assert.ok(!needsParse(commented, 'a.ts'));
      assert.deepStrictEqual(lintUnfiltered(commented, { fileName: 'a.ts' }).findings, []);
    });
    it('a placeholder key in a comment: prefilter yes (any sk-ant-), parse no (no key of a reportable length)', () => {
      const code = `// ANTHROPIC_API_KEY=sk-ant-... then call client.messages.create\nexport const x = 1;\n`;
      assert.ok(prefilter(code, 'a.ts'));
      assert.ok(!needsParse(code, 'a.ts'));
      assert.deepStrictEqual(lintUnfiltered(code, { fileName: 'a.ts' }).findings, []);
    });
    it('keys are looked for everywhere, comments and escape sequences included', () => {
      const key = 'sk-ant-api03-Qx7vR2mN9pL4kT8wZ1cY6bH3dF5gJ0sAeU2iO';
      const texts = [
        `// old key: ${key}\n// client.messages.create\nexport const x = 1;\n`,
        `export const k = "${key.slice(0, 20)}\\x77${key.slice(21)}";\n`,
        `export const k = "\\x73k-ant-api03-Qx7vR2mN9pL4kT8wZ1cY6bH3dF5gJ0sAeU2iO"; // sk-ant-\n`,
      ];
      for (const text of texts) {
        assert.ok(needsParse(text, 'a.ts'), text);
        assert.ok(prefilter(text, 'a.ts'), text);
      }
      assert.deepStrictEqual(lintText(texts[0], { fileName: 'a.ts' }).findings.map((f) => f.ruleId), ['hardcoded-api-key']);
      assert.deepStrictEqual(lintText(texts[1], { fileName: 'a.ts' }).findings.map((f) => f.ruleId), ['hardcoded-api-key']);
    });
  });

  describe('stops (and the file is parsed) where it cannot tell how the text goes on', () => {
    const cases: Array<[string, string, boolean]> = [
      ['a / after }', 'const v = function () {} / 2; // messages.create', false],
      ['a / after ++', 'let i = 0; i++ / 2; // messages.create', false],
      ['a / after the > of type arguments', 'const v = x as Array<number> / 2; // messages.create', false],
      ['possible JSX in a .tsx file', 'const el = <p>x</p>; // messages.create', true],
      ['an unterminated string', 'const s = "abc\n// messages.create', false],
      ['an unterminated comment', '/* messages.create', false],
      ['an unterminated template', 'const s = `messages.create', false],
      ['a regular expression that runs into a line break', 'const r = (1, /abc\n); // messages.create', false],
    ];
    for (const [name, code, jsx] of cases) {
      it(name, () => {
        const s = scanCode(code, jsx, false);
        assert.ok(s.undecided);
        assert.ok(prefilter(code, jsx ? 'a.tsx' : 'a.ts'));
      });
    }
    it('but not on a < in a .ts file, where JSX cannot occur', () => {
      const s = scanCode('const v = <number>(1 as unknown); // messages.create', false, false);
      assert.deepStrictEqual(s, { call: false, browserOption: false, sdkModule: false, undecided: false });
    });
  });

  describe('escape sequences', () => {
    it('decodes string and name escapes as the language does', () => {
      assert.strictEqual(decodeEscapes('m\\x65ss\\u0061g\\u{65}s'), 'messages');
      assert.strictEqual(decodeEscapes('\\101\\x42\\C\\\nD\\\r\nE\\n'), 'ABCDE\n');
    });
    it('the escaped-forms pattern matches every spelling that decodes to the name', () => {
      const re = new RegExp(escapedFormsSource('@anthropic-ai/'));
      const forms = (ch: string): string[] => {
        const c = ch.charCodeAt(0);
        const out = [ch, `\\x${c.toString(16).padStart(2, '0')}`, `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`, `\\u{00${c.toString(16)}}`, `\\${c.toString(8)}`];
        if (!/[nrt]/.test(ch)) out.push(`\\${ch}`);
        return out;
      };
      const name = '@anthropic-ai/';
      for (let seed = 0; seed < 200; seed++) {
        let raw = '';
        for (let i = 0; i < name.length; i++) {
          const f = forms(name[i]);
          raw += f[(seed * 7 + i * 13 + ((seed * i) % 5)) % f.length];
          if ((seed + i) % 17 === 0) raw += '\\\n';
        }
        assert.strictEqual(decodeEscapes(raw), name, raw);
        assert.ok(re.test(`"${raw}sdk"`), raw);
      }
      assert.ok(!re.test('"@anthropic_ai/sdk"'));
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Every fixture and example, as written and in variants: the prefilter changes nothing but the parse count.

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') sourceFiles(p, out);
    } else if (/\.[cm]?[jt]sx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const PREFIXES = [
  '// it\'s "quoted" `ticked`\n',
  'const __re = /["\'`]\\/\\//g;\n',
  'const __t = `${"}"} ${`${1}`}`;\n',
  'const __a = 4, __b = 2;\nconst __d = __a / __b; /* don\'t */\n',
];

function variants(text: string): Array<[string, string]> {
  return [
    ['as written', text],
    ...PREFIXES.map((p, i): [string, string] => [`prefix ${i + 1}`, p + text]),
    ['commented out', `/*\n${text.replace(/\*\//g, '* /')}\n*/\nexport {};\n`],
    ['in a string', `export const source = ${JSON.stringify(text)};\n`],
  ];
}

/** What lintText must return: the forced parse's result, or nothing at all when the prefilter skips the file. */
function expected(forced: LintResult, passes: boolean): Pick<LintResult, 'findings' | 'calls'> {
  // a file the prefilter skips is not parsed, so a syntax error in it is not reported (as for any skipped file)
  if (!passes) return { findings: forced.findings.filter((f) => f.ruleId !== 'parse-error'), calls: forced.calls };
  return { findings: forced.findings, calls: forced.calls };
}

describe('prefilter: fixtures and examples give the same findings as a forced parse', function () {
  this.timeout(120_000);
  const files = [...sourceFiles(path.join(ROOT, 'test', 'fixtures')), ...sourceFiles(path.join(ROOT, 'examples'))];
  let skippedByLexer = 0;
  it('has a corpus', () => assert.ok(files.length >= 20, `${files.length} files`));
  for (const file of files) {
    it(path.relative(ROOT, file), () => {
      const text = fs.readFileSync(file, 'utf8');
      for (const [label, v] of variants(text)) {
        for (const options of [{ fileName: file, sdkVersion: '1.12.0' }, { fileName: file, sdkVersion: '0.30.0' }] as LintOptions[]) {
          const passes = needsParse(v, file);
          if (coarsePrefilter(v) && !passes) skippedByLexer++;
          const r = lintText(v, options);
          const forced = lintUnfiltered(v, options);
          assert.strictEqual(r.parsed, passes, label);
          assert.deepStrictEqual({ findings: r.findings, calls: r.calls }, expected(forced, passes), `${label}, SDK ${options.sdkVersion}`);
          if (!passes) assert.deepStrictEqual(expected(forced, passes), { findings: [], calls: [] }, `${label}: skipped, yet the parse finds something`);
        }
      }
    });
  }
  it('the variants exercise the lexer stage (some files skipped after the regular expression let them through)', () => {
    assert.ok(skippedByLexer > 10, `${skippedByLexer} skipped by the lexer stage`);
  });
});
