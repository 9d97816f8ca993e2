// retry-incomplete across files: a retry wrapper imported from another file is judged by what its own catch
// leaves out, and the finding at the call names the wrapper's file and line.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintText } from '../../../src/core/lint/index';
import { ProjectIndex } from '../../../src/core/lint/project/projectIndex';
import { ModuleResolver, nodeProjectHost } from '../../../src/core/lint/project/resolve';

const WRAPPER = (check: string) =>
  'export async function withAnthropicRetry<T>(fn: () => Promise<T>): Promise<T> {\n' +
  '  for (let attempt = 0; ; attempt++) {\n' +
  '    try { return await fn(); }\n' +
  `    catch (e: any) {\n      if (${check} || attempt >= 4) throw e;\n` +
  '      const ra = Number(e.headers?.get?.("retry-after"));\n' +
  '      await new Promise((r) => setTimeout(r, ra ? ra * 1000 : Math.random() * 1000 * 2 ** attempt));\n    }\n  }\n}\n';

const PROVIDER =
  'import Anthropic from "@anthropic-ai/sdk";\nimport { withAnthropicRetry } from "./lib/retry";\nconst client = new Anthropic({ maxRetries: 0 });\n' +
  'export const ask = (prompt: string) => withAnthropicRetry(() => client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 256, messages: [{ role: "user", content: prompt }] }));\n';

describe('retry-incomplete across files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-incomplete-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "incomplete", "private": true }\n');
    fs.mkdirSync(path.join(dir, 'src/lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src/provider.ts'), PROVIDER);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function lintProvider(wrapperCheck: string) {
    fs.writeFileSync(path.join(dir, 'src/lib/retry.ts'), WRAPPER(wrapperCheck));
    const files = ['src/provider.ts', 'src/lib/retry.ts'].map((f) => path.join(dir, f));
    const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined));
    index.add(files);
    const r = lintText(PROVIDER, { fileName: files[0], project: index, sdkVersion: '1.12.0' });
    assert.deepStrictEqual(r.internalErrors ?? [], []);
    return r.findings;
  }

  it('an imported wrapper that leaves out 529 and connection errors is reported at the call, naming the wrapper', () => {
    const findings = lintProvider('![429, 500, 502, 503].includes(e.status)');
    assert.deepStrictEqual(findings.map((f) => f.ruleId), ['retry-incomplete']);
    const f = findings[0];
    assert.ok(f.message.includes('withAnthropicRetry'), f.message);
    assert.ok(f.message.includes('never retries 529 (overloaded_error), connection errors or timeouts'), f.message);
    assert.strictEqual(PROVIDER.slice(f.start, f.end), 'withAnthropicRetry');
    assert.ok((f.related ?? []).some((r) => r.file === path.join(dir, 'src/lib/retry.ts')), JSON.stringify(f.related));
  });

  it('the same wrapper retrying connection errors and every 5xx is silent', () => {
    const findings = lintProvider('e.status !== undefined && e.status !== 429 && e.status < 500');
    assert.deepStrictEqual(findings.map((f) => `${f.ruleId}: ${f.message}`), []);
  });
});
