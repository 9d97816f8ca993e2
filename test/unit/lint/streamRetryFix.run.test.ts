// The "Wrap in withStreamRetry" fix, run: the fixed code (compiled from the fix's output, with the helper as it
// ships) drives the real SDK against the simulated Messages API. A stream refused before its first event is
// sent again; the listeners see the answer once; finalMessage() reads the attempt that went through; an error
// after the first event reaches the code unchanged and is not retried.

import * as assert from 'assert';
import * as ts from 'typescript';
import { applyFixes, lintText } from '../../../src/core/lint/index';
import * as helper from '../../../src/core/retry/claudeRetry';
import { SimulatedServer, startSimulatedServer } from '../../../src/core/api/simulatedServer';

const SOURCE = `import Anthropic from "@anthropic-ai/sdk";
export async function run(baseURL: string, texts: string[]) {
  const client = new Anthropic({ apiKey: "test", baseURL, maxRetries: 0 });
  const stream = client.messages.stream({ model: "claude-sonnet-5", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] });
  stream.on("text", (t) => texts.push(t));
  const message = await stream.finalMessage();
  return message;
}
`;

type Run = (baseURL: string, texts: string[]) => Promise<{ content: Array<{ type: string; text?: string }> }>;

/** The fixed source, compiled to CommonJS and loaded with the SDK and the retry helper. */
function fixedRun(): { text: string; run: Run } {
  const findings = lintText(SOURCE, { fileName: 'chat.ts', sdkVersion: null }).findings.filter((f) => f.ruleId === 'unguarded-retry');
  assert.strictEqual(findings.length, 1);
  const fix = findings[0].fixes?.find((f) => f.title.startsWith('Wrap in withStreamRetry'));
  assert.ok(fix, 'expected the withStreamRetry fix');
  assert.deepStrictEqual(fix.helperNames, ['withStreamRetry']);
  const text = `import { withStreamRetry } from "./claudeRetry";\n${applyFixes(SOURCE, [fix]).text}`;
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const mod: { exports: { run?: Run } } = { exports: {} };
  const load = (name: string): unknown => (name === './claudeRetry' ? helper : require(name));
  new Function('require', 'module', 'exports', js)(load, mod, mod.exports);
  assert.ok(mod.exports.run);
  return { text, run: mod.exports.run };
}

describe('unguarded-retry: the withStreamRetry fix at run time', () => {
  let server: SimulatedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('the fixed code drains the stream through withStreamRetry', () => {
    const { text } = fixedRun();
    assert.match(text, /for await \(const _event of withStreamRetry\(\(\) => \(stream = client\.messages\.stream\(/);
  });

  it('a 529 before the first event is retried; the listener sees the answer once; finalMessage() reads it', async () => {
    server = await startSimulatedServer({ scenario: 'overloaded-burst', scenarioOptions: { failures: 1 } });
    const texts: string[] = [];
    const message = await fixedRun().run(server.url, texts);
    assert.deepStrictEqual(server.stats.requests.map((r) => r.status), [529, 200]);
    const answer = message.content.map((b) => b.text ?? '').join('');
    assert.ok(answer.length > 0);
    assert.strictEqual(texts.join(''), answer);
  });

  it('an error after the first event is not retried and reaches the caller', async () => {
    server = await startSimulatedServer({ scenario: 'mid-stream-error', scenarioOptions: { deltasBeforeError: 2 } });
    const texts: string[] = [];
    await assert.rejects(fixedRun().run(server.url, texts), (e: unknown) => (e as { type?: string }).type === 'overloaded_error');
    assert.strictEqual(server.stats.total, 1);
    assert.ok(texts.length > 0, 'the text before the error reached the listener');
  });
});
