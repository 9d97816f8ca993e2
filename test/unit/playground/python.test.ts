// The playground and Python: "Send Test Request" on a Python call fills the draft from its literal keyword
// arguments (unknown values left out and named, never guessed), the draft passes the protocol's validator, and
// "Copy as Python" gives a script that really runs: through the anthropic SDK and claude_retry.py against the
// simulated server, retrying a 429, with the key read from os.environ.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSimulatedServer } from '../../../src/core/api/simulatedServer';
import type { SimulatedServer } from '../../../src/core/api/simulatedServer';
import { loadPythonParser } from '../../../src/core/lint/index';
import { defaultDraft } from '../../../src/core/playground/draft';
import { draftFromCall, requestDraftFromCall } from '../../../src/core/playground/fromCall';
import { pythonLiteral, pythonSnippet } from '../../../src/core/playground/snippets';
import type { RequestDraft } from '../../../src/core/playground/types';
import { validateDraft, validateWebviewMessage } from '../../../src/extension/protocol';
import { ensurePythonEnv } from '../pythonEnv';

const FILE = `import os
import anthropic

MODEL = "claude-haiku-4-5"
SYSTEM = "You are terse."
client = anthropic.Anthropic(max_retries=0)


def ask(question, history):
    first = client.messages.create(
        model=MODEL,
        max_tokens=256,
        system=SYSTEM,
        temperature=0.2,
        messages=[{"role": "user", "content": "Say hi"}, {"role": "assistant", "content": "Hi!"}, {"role": "user", "content": "Again, with \\"quotes\\" and é"}],
    )
    with client.messages.stream(model=os.environ["MODEL"], max_tokens=100, messages=[*history, {"role": "user", "content": f"Q: {question}"}, {"role": "user", "content": "fixed"}]) as s:
        pass
    return first


async def ask_async(aclient: anthropic.AsyncAnthropic, params):
    return await aclient.messages.create(model="claude-sonnet-4-6", stream=False, **params)
`;

const root = path.resolve(__dirname, '..', '..', '..', '..');

function runPython(python: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(python, args, { env: { ...process.env, ...env }, timeout: 120000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('playground: Python calls', () => {
  before(() => loadPythonParser());

  it('fills the draft from the literal keyword arguments, following module constants', () => {
    const r = requestDraftFromCall(FILE, FILE.indexOf('max_tokens=256'), 'chat.py');
    assert.ok(r);
    assert.strictEqual(r.method, 'messages.create');
    assert.strictEqual(r.model, 'claude-haiku-4-5');
    assert.strictEqual(r.max_tokens, 256);
    assert.strictEqual(r.system, 'You are terse.');
    assert.deepStrictEqual(r.messages, [
      { role: 'user', content: 'Say hi' },
      { role: 'assistant', content: 'Hi!' },
      { role: 'user', content: 'Again, with "quotes" and é' },
    ]);
    assert.deepStrictEqual(r.unknown, []);
    assert.deepStrictEqual(r.ignored, ['temperature']);
    assert.strictEqual(FILE.slice(r.start, r.start + 22), 'client.messages.create');
    const { draft, note } = draftFromCall(r, defaultDraft());
    assert.strictEqual(draft.stream, defaultDraft().stream);
    assert.match(note ?? '', /Filled from messages\.create\. Not playground fields, left out: temperature\./);
  });

  it('leaves out what is not literal (environment, f-strings, *history) and names it; a stream call streams', () => {
    const r = requestDraftFromCall(FILE, FILE.indexOf('max_tokens=100'), 'chat.py');
    assert.ok(r);
    assert.strictEqual(r.method, 'messages.stream');
    assert.strictEqual(r.model, undefined);
    assert.strictEqual(r.max_tokens, 100);
    assert.deepStrictEqual(r.messages, [{ role: 'user', content: 'fixed' }]);
    assert.deepStrictEqual([...r.unknown].sort(), ['messages', 'model']);
    assert.strictEqual(r.stream, true);
    const { draft, note } = draftFromCall(r, defaultDraft());
    assert.strictEqual(draft.model, defaultDraft().model, 'an unknown model keeps the playground default');
    assert.match(note ?? '', /not known from the code \(fill in by hand\): (model, messages|messages, model)\./);
  });

  it('an awaited call with **params: nothing is guessed', () => {
    const r = requestDraftFromCall(FILE, FILE.indexOf('stream=False'), 'chat.py');
    assert.ok(r);
    assert.strictEqual(r.method, 'messages.create');
    assert.strictEqual(r.max_tokens, undefined);
    assert.strictEqual(r.messages, undefined);
    assert.strictEqual(r.system, undefined);
  });

  it('null outside a call, for a decoy and for a file that does not parse', () => {
    assert.strictEqual(requestDraftFromCall(FILE, 0, 'chat.py'), null);
    const twilio = 'from twilio.rest import Client\nsms = Client("a", "b")\nsms.messages.create(body="x", to="+1")\n';
    assert.strictEqual(requestDraftFromCall(twilio, twilio.indexOf('body'), 'sms.py'), null);
    assert.strictEqual(requestDraftFromCall('import anthropic\nclient.messages.create(model=\n', 30, 'bad.py'), null);
  });

  it('the Python-filled drafts pass the protocol validator as send and copy messages', () => {
    for (const at of ['max_tokens=256', 'max_tokens=100', 'stream=False']) {
      const found = requestDraftFromCall(FILE, FILE.indexOf(at), 'chat.py');
      assert.ok(found);
      const { draft } = draftFromCall(found, defaultDraft());
      assert.ok(validateDraft(draft).ok, at);
      for (const m of [{ type: 'send', draft }, { type: 'copy', format: 'python', draft }]) {
        const v = validateWebviewMessage(m);
        assert.ok(v.ok, `${at}: ${v.ok ? '' : v.reason}`);
        assert.deepStrictEqual(v.value, m);
      }
    }
  });

  it('writes JSON values as Python literals', () => {
    assert.strictEqual(pythonLiteral({ a: [true, false, null, 1.5, 'x"y'] }), '{\n    "a": [\n        True,\n        False,\n        None,\n        1.5,\n        "x\\"y",\n    ],\n}');
    assert.strictEqual(pythonLiteral([]), '[]');
    assert.strictEqual(pythonLiteral({}), '{}');
  });

  describe('"Copy as Python" runs', function () {
    this.timeout(600000); // the first run creates the virtual environment
    let python: string;
    const servers: SimulatedServer[] = [];
    let dir: string;
    before(async () => {
      python = ensurePythonEnv();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pysnippet-'));
      fs.copyFileSync(path.join(root, 'src', 'core', 'retry', 'claude_retry.py'), path.join(dir, 'claude_retry.py'));
    });
    after(async () => {
      await Promise.all(servers.map((x) => x.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const stream of [false, true]) {
      it(`${stream ? 'streaming' : 'a message'}: through the SDK and with_retry, the 429 retried, the key from the environment`, async () => {
        // one server per case: its first request gets a 429 with retry-after
        const server = await startSimulatedServer({ scenario: 'rate-limited', scenarioOptions: { failures: 1, retryAfter: 1 }, timeScale: 0.05 });
        servers.push(server);
        const found = requestDraftFromCall(FILE, FILE.indexOf('max_tokens=256'), 'chat.py');
        assert.ok(found);
        const base: RequestDraft = { ...defaultDraft(), endpoint: 'custom', baseURL: server.url, stream };
        const { draft } = draftFromCall(found, base);
        draft.stream = stream;
        const code = pythonSnippet(draft);
        assert.ok(!code.includes('sk-ant'), 'no key in the snippet');
        assert.match(code, /api_key=os\.environ\["ANTHROPIC_API_KEY"\], max_retries=0/);
        const file = path.join(dir, `snippet_${stream ? 'stream' : 'create'}.py`);
        fs.writeFileSync(file, code);
        const r = await runPython(python, [file], { ANTHROPIC_API_KEY: 'test-key-from-env' });
        assert.strictEqual(r.code, 0, r.out);
        assert.match(r.out, /attempt 1 failed \(429\), retrying in \d+\.\d s \(retry-after\)/);
        assert.match(r.out, /Simulated reply to: "Again, with \\?"quotes\\?" and é"\./);
        assert.strictEqual(server.stats.total, 2, 'one 429, then the answer');
      });
    }
  });
});
