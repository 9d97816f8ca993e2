import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyFixes, lintText, parseSdkVersion, prefilter, ruleMetas } from '../../../src/core/lint/index';
import type { LintOptions } from '../../../src/core/lint/index';

const ROOT = path.resolve(__dirname, '../../../..');
const lint = (code: string, o: Partial<LintOptions> = {}) => lintText(code, { fileName: 'a.ts', ...o });
const methods = (code: string, fileName = 'a.ts') => lint(code, { fileName }).calls.map((c) => c.method);
const REQ = '{ model: "m", max_tokens: 1, messages: [{ role: "user", content: "x" }] }';

describe('lint engine', () => {
  describe('prefilter', () => {
    it('lets through calls, split chains, keys and browser clients', () => {
      assert.ok(prefilter('client.messages.create({})'));
      assert.ok(prefilter('client\n  .messages\n  .stream({})'));
      assert.ok(prefilter('client.messages?.create({})'));
      assert.ok(prefilter('const k = "sk-ant-abc"'));
      assert.ok(prefilter('new Anthropic({ dangerouslyAllowBrowser: true })'));
    });
    it('rejects files that cannot contain a finding', () => {
      assert.ok(!prefilter('export const add = (a: number, b: number) => a + b;'));
      assert.ok(!prefilter('import Anthropic from "@anthropic-ai/sdk"; export default new Anthropic();'));
    });
    it('does not parse a file the prefilter rejects', () => {
      const r = lint('this is not ( valid code');
      assert.deepStrictEqual(r, { findings: [], calls: [], parsed: false });
    });
  });

  describe('parse errors and robustness', () => {
    it('reports a file that does not parse as one parse-error warning', () => {
      const code = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\nclient.messages.create({ model: "m", \n  oops oops });';
      const r = lint(code);
      assert.strictEqual(r.parsed, true);
      assert.strictEqual(r.findings.length, 1);
      assert.strictEqual(r.findings[0].ruleId, 'parse-error');
      assert.strictEqual(r.findings[0].severity, 'warning');
      assert.ok(r.findings[0].start > 0 && r.findings[0].start <= code.length);
    });
    it('never throws, whatever the input', () => {
      const inputs = ['messages.create(', '\u0000messages.create\uffff', 'messages.create'.repeat(1000), '<div>{messages.create(</div>', '#!/usr/bin/env node\nclient.messages.create()'];
      for (const s of inputs) for (const fileName of ['a.ts', 'a.tsx', 'a.js', 'a.mjs', 'noext']) assert.doesNotThrow(() => lint(s, { fileName }));
    });
    it('parse-error can be turned off', () => {
      assert.deepStrictEqual(lint('client.messages.create(', { config: { rules: { 'parse-error': 'off' } } }).findings, []);
    });
  });

  describe('finding the calls', () => {
    const cases: Array<[string, string, string[], string?]> = [
      ['default import', `import Anthropic from "@anthropic-ai/sdk";\nconst c = new Anthropic();\nc.messages.create(${REQ});`, ['messages.create']],
      ['named import', `import { Anthropic } from "@anthropic-ai/sdk";\nconst c = new Anthropic();\nc.messages.stream(${REQ});`, ['messages.stream']],
      ['namespace import', `import * as sdk from "@anthropic-ai/sdk";\nconst c = new sdk.Anthropic();\nc.beta.messages.stream(${REQ});`, ['beta.messages.stream']],
      ['.default on the default import', `import Anthropic from "@anthropic-ai/sdk";\nconst c = new Anthropic.default();\nc.messages.create(${REQ});`, ['messages.create']],
      ['require(...).default', `const Anthropic = require("@anthropic-ai/sdk").default;\nconst c = new Anthropic();\nc.messages.create(${REQ});`, ['messages.create'], 'a.js'],
      ['destructured require', `const { Anthropic } = require("@anthropic-ai/sdk");\nconst c = new Anthropic();\nc.messages.create(${REQ});`, ['messages.create'], 'a.cjs'],
      ['dynamic import', `const Anthropic = (await import("@anthropic-ai/sdk")).default;\nconst c = new Anthropic();\nc.messages.create(${REQ});`, ['messages.create'], 'a.mjs'],
      ['AnthropicVertex', `import { AnthropicVertex } from "@anthropic-ai/vertex-sdk";\nconst c = new AnthropicVertex({ region: "us-east5" });\nc.messages.create(${REQ});`, ['messages.create']],
      ['typed parameter', `import Anthropic from "@anthropic-ai/sdk";\nexport const f = (client: Anthropic) => client.messages.create(${REQ});`, ['messages.create']],
      ['qualified type', `import * as sdk from "@anthropic-ai/sdk";\nexport function f(client?: sdk.Anthropic) { return client!.messages.create(${REQ}); }`, ['messages.create']],
      ['class field initialiser', `import Anthropic from "@anthropic-ai/sdk";\nclass S { client = new Anthropic(); go() { return this.client.messages.create(${REQ}); } }`, ['messages.create']],
      ['constructor parameter property', `import Anthropic from "@anthropic-ai/sdk";\nclass S { constructor(private readonly llm: Anthropic) {} go = () => this.llm.messages.create(${REQ}); }`, ['messages.create']],
      ['arrow factory', `import Anthropic from "@anthropic-ai/sdk";\nconst make = () => new Anthropic({ maxRetries: 0 });\nmake().messages.create(${REQ});`, ['messages.create']],
      ['late assignment', `import Anthropic from "@anthropic-ai/sdk";\nlet c;\nc = new Anthropic();\nc.messages.create(${REQ});`, ['messages.create']],
      ['cached ?? new', `import Anthropic from "@anthropic-ai/sdk";\nlet cached: any;\nconst c = cached ?? new Anthropic();\nc.messages.create(${REQ});`, ['messages.create']],
      // The assumed route: untraceable receivers in a file that imports the SDK.
      ['imported from a module named for the API', `import type Anthropic from "@anthropic-ai/sdk";\nimport { client } from "./lib/anthropic";\nclient.messages.create(${REQ});`, ['messages.create']],
      ['a name that says anthropic', `import Anthropic from "@anthropic-ai/sdk";\ndeclare const deps: { anthropic: Anthropic };\ndeps.anthropic.messages.create(${REQ});`, ['messages.create']],
      // Not calls.
      ['the assumed route needs the SDK import', `import { anthropic } from "./lib/anthropic";\nanthropic.messages.create(${REQ});`, []],
      ['a generic untyped name is not assumed', `import Anthropic from "@anthropic-ai/sdk";\nimport { client } from "./lib/db";\nclient.messages.create(${REQ});`, []],
      ['Twilio client from require', `const Anthropic = require("@anthropic-ai/sdk");\nconst client = require("twilio")(sid, token);\nclient.messages.create({ body: "x" });`, [], 'a.js'],
      ['Twilio without Anthropic', `import twilio from "twilio";\nconst anthropicAlerts = twilio("a", "b");\nanthropicAlerts.messages.create({ body: "x" });`, []],
      ['another class named Anthropic', `class Anthropic { messages = { create(x: unknown) { return x; } } }\nconst c = new Anthropic();\nc.messages.create({});`, []],
      ['shadowed import', `import Anthropic from "@anthropic-ai/sdk";\nfunction f(Anthropic: any) { const c = new Anthropic(); return c.messages.create({}); }`, []],
      ['a call in a string or comment', `import Anthropic from "@anthropic-ai/sdk";\nconst c = new Anthropic();\nconst s = "c.messages.create({})"; // c.messages.create({})`, []],
      ['messages.create on something else', `import Anthropic from "@anthropic-ai/sdk";\nconst c = new Anthropic();\nc.messages.list(); c.models.create?.({});`, []],
    ];
    for (const [name, code, expected, fileName] of cases) {
      it(name, () => assert.deepStrictEqual(methods(code, fileName), expected));
    }

    it('summarises each call with its range', () => {
      const code = `import Anthropic from "@anthropic-ai/sdk";\nconst c = new Anthropic();\nc.messages\n  .create(${REQ});`;
      const [call] = lint(code).calls;
      assert.strictEqual(code.slice(call.start, call.end), `c.messages\n  .create(${REQ})`);
    });
  });

  describe('suppression comments', () => {
    const bad = 'client.messages.create({ model: "m", messages: [] });';
    const head = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\n';
    const ids = (code: string) => lint(code).findings.map((f) => f.ruleId);
    it('baseline: two findings', () => assert.deepStrictEqual(ids(head + bad), ['missing-max-tokens', 'role-order']));
    it('disable-next-line with an id', () => {
      assert.deepStrictEqual(ids(head + '// claude-request-lint-disable-next-line missing-max-tokens\n' + bad), ['role-order']);
    });
    it('disable-next-line with several ids and a reason', () => {
      assert.deepStrictEqual(ids(head + '// claude-request-lint-disable-next-line missing-max-tokens, role-order -- fixture\n' + bad), []);
    });
    it('disable-next-line without ids silences every rule on that line only', () => {
      assert.deepStrictEqual(ids(head + '// claude-request-lint-disable-next-line\n' + bad + '\n' + bad), ['missing-max-tokens', 'role-order']);
    });
    it('file-level block comment', () => {
      assert.deepStrictEqual(ids('/* claude-request-lint-disable role-order */\n' + head + bad), ['missing-max-tokens']);
      assert.deepStrictEqual(ids('/* claude-request-lint-disable */\n' + head + bad), []);
    });
    it('another id does not silence', () => {
      assert.deepStrictEqual(ids(head + '// claude-request-lint-disable-next-line sampling-params\n' + bad), ['missing-max-tokens', 'role-order']);
    });
  });

  describe('configuration', () => {
    const code = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\nclient.messages.create({ model: "m", messages: [{ role: "user", content: "a" }, { role: "user", content: "b" }] });';
    it('turns a rule off', () => {
      const r = lint(code, { config: { rules: { 'missing-max-tokens': 'off' } } });
      assert.deepStrictEqual(r.findings.map((f) => f.ruleId), ['role-order']);
    });
    it('overrides a severity, including a rule that reports several', () => {
      const r = lint(code, { config: { rules: { 'missing-max-tokens': 'info', 'role-order': 'error' } } });
      assert.deepStrictEqual(r.findings.map((f) => f.severity), ['info', 'error']);
    });
    it('config.sdkVersion wins over the project version', () => {
      const sys = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\nclient.messages.create({ model: "m", max_tokens: 1, messages: [{ role: "system", content: "a" }, { role: "user", content: "b" }] });';
      assert.strictEqual(lint(sys, { sdkVersion: '0.137.0' }).findings.length, 1);
      assert.strictEqual(lint(sys, { sdkVersion: '0.137.0', config: { sdkVersion: '1.12.0' } }).findings.length, 0);
    });
    it('parses SDK version ranges', () => {
      assert.deepStrictEqual(parseSdkVersion('^0.137.2'), { major: 0, minor: 137, patch: 2, raw: '^0.137.2' });
      assert.deepStrictEqual(parseSdkVersion('1.12'), { major: 1, minor: 12, patch: 0, raw: '1.12' });
      assert.strictEqual(parseSdkVersion('latest'), null);
      assert.strictEqual(parseSdkVersion(null), null);
    });
  });

  describe('applyFixes', () => {
    it('applies fixes in the order of their position and skips one that overlaps an earlier one', () => {
      const a = { title: 'a', safe: true, edits: [{ start: 0, end: 3, text: 'AAA' }] };
      const b = { title: 'b', safe: true, edits: [{ start: 2, end: 5, text: 'B' }] };
      const c = { title: 'c', safe: true, edits: [{ start: 6, end: 6, text: '+' }, { start: 8, end: 9, text: 'C' }] };
      const r = applyFixes('0123456789', [b, a, c]);
      assert.strictEqual(r.text, 'AAA345+67C9');
      assert.deepStrictEqual(r.applied.map((f) => f.title), ['a', 'c']);
      assert.deepStrictEqual(r.skipped.map((f) => f.title), ['b']);
    });
    it('skips a fix with an edit out of range', () => {
      const r = applyFixes('abc', [{ title: 'x', safe: true, edits: [{ start: 2, end: 10, text: '' }] }]);
      assert.strictEqual(r.text, 'abc');
      assert.strictEqual(r.skipped.length, 1);
    });
  });

  describe('rule table', () => {
    it('lists the request-shape rules first, in a stable order, and parse-error last', () => {
      const ids = ruleMetas.map((m) => m.id);
      assert.deepStrictEqual(ids.slice(0, 6), ['missing-max-tokens', 'invalid-max-tokens', 'role-order', 'system-in-messages', 'sampling-params', 'hardcoded-api-key']);
      assert.strictEqual(ids[ids.length - 1], 'parse-error');
      assert.strictEqual(new Set(ids).size, ids.length);
    });
    it('every rule has a doc page, a description and messages', () => {
      for (const m of ruleMetas) {
        assert.ok(m.description.length > 10, m.id);
        assert.ok(Object.keys(m.messages).length > 0, m.id);
        const doc = path.join(ROOT, 'docs', 'rules', `${m.id}.md`);
        assert.ok(fs.existsSync(doc), `missing ${doc}`);
        const text = fs.readFileSync(doc, 'utf8');
        assert.ok(text.startsWith(`# ${m.id}\n`), `${m.id}.md starts with its id`);
        assert.ok(text.includes(`**Default severity:** ${m.defaultSeverity}`), `${m.id}.md states the default severity ${m.defaultSeverity}`);
      }
    });
    it('the README table lists every rule with its default severity and links its page', () => {
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      for (const m of ruleMetas) {
        assert.ok(readme.includes(`| [${m.id}](docs/rules/${m.id}.md) | ${m.defaultSeverity} |`), `README row for ${m.id} (${m.defaultSeverity})`);
      }
    });
  });

  describe('boundaries', () => {
    it('src/core never imports vscode', () => {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (/\.[cm]?[jt]sx?$/.test(e.name)) files.push(p);
        }
      };
      walk(path.join(ROOT, 'src', 'core'));
      assert.ok(files.length > 5);
      const offenders = files.filter((f) => /(?:from\s+|require\(\s*|import\(\s*|^\s*import\s+)['"]vscode['"]/m.test(fs.readFileSync(f, 'utf8')));
      assert.deepStrictEqual(offenders, []);
    });
    it('the lint engine does not load the parser until a file passes the prefilter', () => {
      const src = fs.readFileSync(path.join(ROOT, 'src', 'core', 'lint', 'scan.ts'), 'utf8');
      assert.ok(!/^import\s+(?!type)[^;]*typescript-estree/m.test(src), 'scan.ts imports the parser eagerly');
    });
  });

  describe('precision: correct code stays silent', () => {
    const dir = path.join(ROOT, 'test', 'fixtures', 'correct');
    const files = fs.readdirSync(dir).filter((f) => /\.[cm]?[jt]sx?$/.test(f));
    it('has a corpus', () => assert.ok(files.length >= 5));
    for (const f of files) {
      it(f, () => {
        const r = lintText(fs.readFileSync(path.join(dir, f), 'utf8'), { fileName: f, sdkVersion: '1.12.0' });
        assert.ok(r.parsed);
        assert.ok(r.calls.length > 0, 'the corpus file should contain calls');
        assert.deepStrictEqual(r.internalErrors ?? [], []);
        assert.deepStrictEqual(r.findings.map((x) => `${x.ruleId}: ${x.message}`), []);
      });
    }
  });
});
