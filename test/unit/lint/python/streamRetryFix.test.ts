// "Wrap in with_stream_retry" for Python: the fix plus the import the editor adds (the names come from
// pythonHelperNamesOf, the edit from pythonHelperImportEdit) compile, and a fixed snippet run with the real
// `anthropic` SDK against the simulated server retries a 529 sent before the first event and delivers the text once.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSimulatedServer } from '../../../../src/core/api/simulatedServer';
import type { SimulatedServer } from '../../../../src/core/api/simulatedServer';
import { applyFixes, lintText, loadPythonParser } from '../../../../src/core/lint/index';
import type { Fix } from '../../../../src/core/lint/rule';
import { pythonHelperImportEdit } from '../../../../src/core/lint/python/helperImport';
import { pythonHelperNamesOf } from '../../../../src/core/lint/python/retryFixes';
import { ensurePythonEnv } from '../../pythonEnv';
import { assertCompiles } from './pyKit';

const REQ = 'model="claude-haiku-4-5", max_tokens=256, messages=[{"role": "user", "content": "Tell me a story"}]';
const HEAD = (cls: string) => `import os\nimport anthropic\n\nclient = anthropic.${cls}(base_url=os.environ["BASE_URL"], api_key="test-key", max_retries=0)\n`;

const SYNC_WITH =
  HEAD('Anthropic') +
  `\n\ndef main():\n    parts = []\n    with client.messages.stream(${REQ}) as stream:\n        for event in stream:\n            if event.type == "content_block_delta" and event.delta.type == "text_delta":\n                parts.append(event.delta.text)\n    print("TEXT:" + "".join(parts))\n\n\nmain()\n`;
const ASYNC_CREATE =
  HEAD('AsyncAnthropic') +
  `import asyncio\n\n\nasync def main():\n    parts = []\n    async for event in await client.messages.create(${REQ}, stream=True):\n        if event.type == "content_block_delta" and event.delta.type == "text_delta":\n            parts.append(event.delta.text)\n    print("TEXT:" + "".join(parts))\n\n\nasyncio.run(main())\n`;
const SYNC_VARIABLE = HEAD('Anthropic') + `\n\ndef main():\n    stream = client.messages.create(${REQ}, stream=True)\n    for event in stream:\n        print(event.type)\n`;

/** The unguarded-retry fix of the text's one finding, applied with the import the editor would add. */
function fixWithImport(text: string): { out: string; fix: Fix } {
  const found = lintText(text, { fileName: 'story.py', sdkVersion: null }).findings.filter((f) => f.ruleId === 'unguarded-retry');
  assert.strictEqual(found.length, 1, 'one unguarded-retry finding');
  const fix = (found[0].fixes ?? [])[0];
  assert.ok(fix && fix.needsRetryHelper, 'a fix that needs the retry helper');
  const edit = pythonHelperImportEdit(text, 'claude_retry', pythonHelperNamesOf(fix));
  assert.ok(edit, 'an import to add');
  return { out: applyFixes(text, [{ ...fix, edits: [...fix.edits, edit] }]).text, fix };
}

function runPython(python: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(python, args, { env: { ...process.env, ...env }, timeout: 120000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('Python: wrap a stream in with_stream_retry', () => {
  before(() => loadPythonParser());

  it('the editor imports the stream helper the fix calls, and the fixed files compile', () => {
    const cases: Record<string, [string, string]> = {
      sync_with: [SYNC_WITH, 'with_stream_retry'],
      async_create: [ASYNC_CREATE, 'async_with_stream_retry'],
      sync_variable: [SYNC_VARIABLE, 'with_stream_retry'],
    };
    const fixed: Record<string, string> = {};
    for (const [name, [text, helper]] of Object.entries(cases)) {
      const { out, fix } = fixWithImport(text);
      assert.deepStrictEqual(pythonHelperNamesOf(fix), [helper], name);
      assert.ok(out.startsWith(`import os\nimport anthropic\nfrom claude_retry import ${helper}\n`), `${name}: the import follows the leading imports\n${out}`);
      assert.ok(out.includes(`${helper}(lambda: client.messages.`), name);
      fixed[name] = out;
    }
    assert.ok(!fixed.sync_with.includes('with client.messages.stream'), 'the with statement is gone');
    assert.ok(!fixed.async_create.includes('await client.messages.create'), 'the await is gone');
    assertCompiles(fixed);
  });

  describe('a fixed snippet runs with the anthropic SDK', function () {
    this.timeout(600000); // the first run creates the virtual environment
    let python: string;
    let dir: string;
    const servers: SimulatedServer[] = [];
    before(() => {
      python = ensurePythonEnv();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pystream-'));
      fs.copyFileSync(path.join(__dirname, '..', '..', '..', '..', '..', 'src', 'core', 'retry', 'claude_retry.py'), path.join(dir, 'claude_retry.py'));
    });
    after(async () => {
      await Promise.all(servers.map((s) => s.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const [name, text] of [['with messages.stream(...)', SYNC_WITH], ['async for over create(stream=True)', ASYNC_CREATE]] as const) {
      it(`${name}: a 529 before the first event is retried, the text arrives once`, async () => {
        const server = await startSimulatedServer({ scenario: 'overloaded-burst', scenarioOptions: { failures: 1, retryAfter: 1 }, timeScale: 0.05 });
        const file = path.join(dir, `story_${servers.length}.py`);
        // unfixed, the 529 fails the call at once
        fs.writeFileSync(file, text);
        const before = await runPython(python, [file], { BASE_URL: server.url }).finally(() => server.close());
        assert.notStrictEqual(before.code, 0, before.out);
        assert.match(before.out, /OverloadedError|529/);
        const fresh = await startSimulatedServer({ scenario: 'overloaded-burst', scenarioOptions: { failures: 1, retryAfter: 1 }, timeScale: 0.05 });
        servers.push(fresh);
        fs.writeFileSync(file, fixWithImport(text).out);
        const r = await runPython(python, [file], { BASE_URL: fresh.url });
        assert.strictEqual(r.code, 0, r.out);
        const lines = r.out.split('\n').filter((l) => l.startsWith('TEXT:'));
        assert.strictEqual(lines.length, 1, r.out);
        assert.match(lines[0], /^TEXT:Simulated reply to: "Tell me a story"\./);
        assert.strictEqual(lines[0].split('Simulated reply to').length, 2, 'the text once');
        assert.strictEqual(fresh.stats.total, 2, 'one 529, then the stream');
      });
    }
  });
});
