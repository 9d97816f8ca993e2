// The draft's checks (validation as you type, with positions), the snippets, the request read from a call,
// and the lint of a draft.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { checkMessagesJson, checkScenarioOptionsJson, defaultDraft, elementOffset, parseJson, requestBody } from '../../../src/core/playground/draft';
import { requestDraftFromCall } from '../../../src/core/playground/fromCall';
import { draftSource, lintDraft } from '../../../src/core/playground/lintDraft';
import { codeSnippet, curlSnippet, shellQuote } from '../../../src/core/playground/snippets';
import type { RequestDraft } from '../../../src/core/playground/types';

/** The project root: the nearest folder above with the project's package.json. */
function projectRoot(): string {
  for (let d = __dirname; ; d = path.dirname(d)) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'claude-request-lint') return d;
    if (path.dirname(d) === d) throw new Error('project root not found');
  }
}
const root = projectRoot();

describe('playground draft: JSON checks with positions', () => {
  it('reports the line and column of a syntax error', () => {
    const text = '[\n  {"role": "user", "content": "hi"},\n  {"role": "assistant" "content": "x"}\n]';
    const r = checkMessagesJson(text);
    assert.strictEqual(r.ok, false);
    if (r.ok) return;
    assert.strictEqual(r.problem.line, 3);
    assert.strictEqual(r.problem.column, 24);
    assert.strictEqual(text[r.problem.offset], '"');
    assert.match(r.problem.message, /^Invalid JSON/);
  });

  it('an unfinished text points at its end', () => {
    const r = parseJson('[{"role": "user"');
    assert.strictEqual(r.ok, false);
    if (!r.ok) assert.strictEqual(r.problem.offset, 16);
  });

  it('checks the shape: an array of messages with a role and content', () => {
    const bad = (text: string, message: RegExp, line?: number): void => {
      const r = checkMessagesJson(text);
      assert.strictEqual(r.ok, false, text);
      if (r.ok) return;
      assert.match(r.problem.message, message);
      if (line !== undefined) assert.strictEqual(r.problem.line, line);
    };
    bad('', /messages is empty/);
    bad('{"role": "user"}', /must be a JSON array/);
    bad('[]', /at least one message/);
    bad('[\n  {"role": "user", "content": "a"},\n  {"role": "system", "content": "b"}\n]', /messages\[1\]\.role must be "user" or "assistant"/, 3);
    bad('[{"role": "user"}]', /messages\[0\]\.content must be a string or an array/);
    bad('[1]', /messages\[0\] must be an object/);
    assert.ok(checkMessagesJson('[{"role":"user","content":[{"type":"text","text":"a"}]}]').ok);
  });

  it('elementOffset finds each element of the top-level array', () => {
    const text = '[ {"a": [1, 2]}, "x,y" , 3 ]';
    assert.strictEqual(text.slice(elementOffset(text, 0), elementOffset(text, 0) + 3), '{"a');
    assert.strictEqual(text[elementOffset(text, 1)], '"');
    assert.strictEqual(text[elementOffset(text, 2)], '3');
  });

  it('scenario options are empty or a JSON object', () => {
    assert.deepStrictEqual(checkScenarioOptionsJson('  '), { ok: true, value: {} });
    assert.ok(checkScenarioOptionsJson('{"failures": 2}').ok);
    assert.strictEqual(checkScenarioOptionsJson('[1]').ok, false);
    assert.strictEqual(checkScenarioOptionsJson('{failures: 2}').ok, false);
  });

  it('requestBody leaves out empty fields and names what blocks sending', () => {
    const d: RequestDraft = { ...defaultDraft(), maxTokens: null, system: '' };
    const b = requestBody(d);
    assert.ok(b.ok);
    if (b.ok) assert.deepStrictEqual(Object.keys(b.body), ['model', 'messages']);
    const bad = requestBody({ ...d, model: ' ', endpoint: 'custom', baseURL: 'gateway', messagesJson: '[' });
    assert.strictEqual(bad.ok, false);
    if (!bad.ok) assert.deepStrictEqual(bad.errors.map((e) => e.field), ['model', 'messages', 'baseURL']);
  });
});

describe('playground snippets', () => {
  const draft: RequestDraft = {
    ...defaultDraft(),
    endpoint: 'anthropic',
    system: "Answer like a pirate, it's fun",
    messagesJson: JSON.stringify([{ role: 'user', content: "What's the weather?" }]),
  };

  it('curl uses the $ANTHROPIC_API_KEY placeholder, quotes the body for the shell, and carries the scenario for the simulated endpoint', () => {
    const c = curlSnippet(draft);
    assert.ok(c.includes('"x-api-key: $ANTHROPIC_API_KEY"'));
    assert.ok(!/sk-ant-/.test(c));
    assert.ok(c.includes("'https://api.anthropic.com/v1/messages'"));
    assert.ok(c.includes(`it'\\''s fun`), 'single quotes escaped for the shell');
    const sim = curlSnippet({ ...draft, endpoint: 'simulated', scenario: 'rate-limited', scenarioOptionsJson: '{ "failures": 2 }' }, 'http://127.0.0.1:4567');
    assert.ok(sim.includes("'http://127.0.0.1:4567/v1/messages'"));
    assert.ok(sim.includes(`--header 'x-simulate-scenario: rate-limited'`));
    assert.ok(sim.includes(`--header 'x-simulate-options: {"failures":2}'`));
    assert.strictEqual(shellQuote("a'b"), `'a'\\''b'`);
  });

  it('the curl body is the request as JSON (with stream when streaming)', () => {
    const c = curlSnippet({ ...draft, stream: true });
    const body = /--data '([\s\S]*)'\n$/.exec(c)?.[1].replace(/'\\''/g, "'");
    assert.ok(body, c);
    const parsed = JSON.parse(body!);
    assert.strictEqual(parsed.stream, true);
    assert.strictEqual(parsed.system, "Answer like a pirate, it's fun");
    assert.strictEqual(parsed.max_tokens, 1024);
  });

  it('"copy as code" type-checks against the SDK with the shared retry core beside it, streaming or not', function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-snippet-'));
    try {
      fs.copyFileSync(path.join(root, 'src/core/retry/claudeRetry.ts'), path.join(dir, 'claudeRetry.ts'));
      const files = [
        ['plain.ts', codeSnippet({ ...draft, stream: false })],
        ['stream.ts', codeSnippet({ ...draft, stream: true, endpoint: 'custom', baseURL: 'https://gw.example' })],
      ];
      for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), `${text}\nexport {};\n`);
      assert.ok(files[0][1].includes('withRetry('));
      assert.ok(files[1][1].includes('withStreamRetry('));
      assert.ok(files[1][1].includes('baseURL: "https://gw.example"'));
      for (const [, text] of files) assert.ok(text.includes('maxRetries: 0') && !/sk-ant-/.test(text));
      const program = ts.createProgram(
        files.map(([n]) => path.join(dir, n)),
        {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ES2022,
          moduleResolution: ts.ModuleResolutionKind.Bundler,
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(root, 'node_modules/@types')],
          baseUrl: dir,
          paths: { '@anthropic-ai/sdk': [path.join(root, 'node_modules/@anthropic-ai/sdk')] },
        },
      );
      const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepStrictEqual(diags, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('playground: the request of a call in the editor', () => {
  const file = `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
const SYSTEM = 'You are terse.';
export async function ask(question: string, history: Anthropic.MessageParam[]) {
  const a = await client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 512,
    system: SYSTEM,
    messages: [{ role: 'user', content: 'Say hi' }],
  });
  const b = client.messages.stream({
    model: process.env.MODEL!,
    max_tokens: 100,
    system: [{ type: 'text', text: 'Part one.' }, { type: 'text', text: 'Part two.' }],
    messages: [...history, { role: 'user', content: question }, { role: 'user', content: 'fixed' }],
  });
  return [a, b];
}
`;

  it('reads the literal fields of the call under the cursor, following consts', () => {
    const at = file.indexOf('max_tokens: 512');
    const r = requestDraftFromCall(file, at, 'ask.ts');
    assert.ok(r);
    assert.strictEqual(r!.method, 'messages.create');
    assert.strictEqual(r!.model, 'claude-haiku-4-5');
    assert.strictEqual(r!.max_tokens, 512);
    assert.strictEqual(r!.system, 'You are terse.');
    assert.deepStrictEqual(r!.messages, [{ role: 'user', content: 'Say hi' }]);
    assert.deepStrictEqual(r!.unknown, []);
    assert.strictEqual(file.slice(r!.start, r!.start + 22), 'client.messages.create');
  });

  it('leaves out what cannot be known and names it; a stream call streams', () => {
    const r = requestDraftFromCall(file, file.indexOf('max_tokens: 100'), 'ask.ts');
    assert.ok(r);
    assert.strictEqual(r!.method, 'messages.stream');
    assert.strictEqual(r!.model, undefined);
    assert.strictEqual(r!.max_tokens, 100);
    assert.strictEqual(r!.system, 'Part one.\n\nPart two.');
    assert.deepStrictEqual(r!.messages, [{ role: 'user', content: 'fixed' }]);
    assert.deepStrictEqual(r!.unknown.sort(), ['messages', 'model']);
    assert.strictEqual(r!.stream, true);
  });

  it('null outside any call or for a file that does not parse', () => {
    assert.strictEqual(requestDraftFromCall(file, 0, 'ask.ts'), null);
    assert.strictEqual(requestDraftFromCall('client.messages.create({ model: ', 5, 'bad.ts'), null);
  });
});

describe('playground: lint of a draft', () => {
  it('lints the draft as the playground sends it and maps findings to fields', () => {
    const d: RequestDraft = { ...defaultDraft(), maxTokens: -5, messagesJson: JSON.stringify([{ role: 'assistant', content: 'hi' }]) };
    const src = draftSource(d);
    for (const f of src.fields) assert.ok(src.text.slice(f.start, f.end).startsWith(`"${f.field}"`), f.field);
    const findings = lintDraft(d);
    const ids = findings.map((f) => `${f.field}:${f.ruleId}`);
    assert.ok(ids.includes('max_tokens:invalid-max-tokens'), ids.join(', '));
    assert.ok(ids.includes('messages:role-order'), ids.join(', '));
    // the playground's own sending is retried and has SDK retries off: no retry-safety finding
    assert.ok(!findings.some((f) => f.ruleId.startsWith('retry-') || f.ruleId === 'unguarded-retry'), ids.join(', '));
    for (const f of findings) assert.match(f.docsUrl, new RegExp(`${f.ruleId}`));
  });

  it('a sound draft has no findings; invalid messages JSON is left to the editor', () => {
    assert.deepStrictEqual(lintDraft(defaultDraft()), []);
    const broken = lintDraft({ ...defaultDraft(), messagesJson: '[{' });
    assert.ok(!broken.some((f) => f.field === 'messages'));
  });
});
