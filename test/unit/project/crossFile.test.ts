// Cross-file retry analysis on the fixture projects: each file is linted with the project index (the real
// module resolver over the files on disk) and, for contrast, on its own.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintText } from '../../../src/core/lint/index';
import type { Finding } from '../../../src/core/lint/rule';
import { ProjectIndex } from '../../../src/core/lint/project/projectIndex';
import { ModuleResolver, nodeProjectHost } from '../../../src/core/lint/project/resolve';

const PROJECTS = path.resolve(__dirname, '../../../../test/fixtures/projects');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') sourceFiles(p, out);
    else if (/\.[cm]?[jt]sx?$/.test(e.name)) out.push(p);
  }
  return out;
}

interface Linted {
  findings: Finding[];
  text: string;
}

/** Lints every file of a fixture project with the index (or without it), keyed by path relative to the project. */
function lintProject(name: string, opts: { project?: boolean; leaveOut?: string[]; read?: (f: string) => string | undefined } = {}): Map<string, Linted> {
  const root = path.join(PROJECTS, name);
  const files = sourceFiles(root).filter((f) => !(opts.leaveOut ?? []).includes(path.relative(root, f).split(path.sep).join('/')));
  const read = opts.read ?? ((f: string) => (files.includes(f) && fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined));
  const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), read);
  index.add(files);
  const out = new Map<string, Linted>();
  for (const f of files) {
    const text = read(f) as string;
    const result = lintText(text, { fileName: f, project: opts.project === false ? undefined : index, sdkVersion: '1.12.0' });
    assert.deepStrictEqual(result.internalErrors ?? [], [], `internal errors in ${f}`);
    out.set(path.relative(root, f).split(path.sep).join('/'), { findings: result.findings, text });
  }
  return out;
}

function ids(l: Linted | undefined): string[] {
  return (l?.findings ?? []).map((f) => f.ruleId).sort();
}

describe('cross-file retry analysis', () => {
  describe('a Next.js app with @/ paths', () => {
    const withIndex = lintProject('next-app');

    it('a call wrapped by an imported retry wrapper is guarded', () => {
      assert.deepStrictEqual(ids(withIndex.get('app/api/chat/route.ts')), []);
    });

    it('a call through an imported maxRetries: 0 client with no retry is unguarded, pointing at the client file', () => {
      const summary = withIndex.get('app/api/summary/route.ts')!;
      assert.deepStrictEqual(ids(summary), ['unguarded-retry']);
      const f = summary.findings[0];
      assert.strictEqual(summary.text.slice(f.start, f.end), 'anthropic.messages.create');
      const rel = f.related?.find((r) => r.file && r.file.endsWith(path.join('lib', 'anthropic.ts')));
      assert.ok(rel, JSON.stringify(f.related));
      const clientText = fs.readFileSync(rel!.file!, 'utf8');
      assert.strictEqual(clientText.slice(rel!.start, rel!.end), 'maxRetries: 0');
    });

    it('file by file, the imported client is unknown and nothing is reported', () => {
      const alone = lintProject('next-app', { project: false });
      assert.deepStrictEqual(ids(alone.get('app/api/summary/route.ts')), []);
      assert.deepStrictEqual(ids(alone.get('app/api/chat/route.ts')), []);
    });

    it('the hover names the imported wrapper', () => {
      const root = path.join(PROJECTS, 'next-app');
      const files = sourceFiles(root);
      const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined));
      index.add(files);
      const file = path.join(root, 'app/api/chat/route.ts');
      const r = lintText(fs.readFileSync(file, 'utf8'), { fileName: file, project: index });
      assert.strictEqual(r.calls.length, 1);
      const stack = r.calls[0].retryStack!;
      assert.strictEqual(stack.sdkMaxRetries, 0);
      assert.deepStrictEqual(stack.layers.map((l) => [l.kind, l.label]), [['project-wrapper', 'withAnthropicRetry']]);
      assert.ok(stack.text.includes('withAnthropicRetry'), stack.text);
    });
  });

  describe('a monorepo: a maxRetries: 0 provider retried by an agent runner in another package', () => {
    it('a caller elsewhere that skips the retry makes the call unguarded on that path, and the finding says which', () => {
      const res = lintProject('monorepo');
      const provider = res.get('packages/ai/src/provider.ts')!;
      assert.deepStrictEqual(ids(provider), ['unguarded-retry']);
      const f = provider.findings[0];
      assert.ok(f.message.includes('complete() called in ../../../apps/agent/src/title.ts:5'), f.message);
      assert.deepStrictEqual(ids(res.get('apps/agent/src/runner.ts')), []);
    });

    it('with only the runner calling it, the provider is guarded (no false alarm)', () => {
      const res = lintProject('monorepo', { leaveOut: ['apps/agent/src/title.ts'] });
      assert.deepStrictEqual(ids(res.get('packages/ai/src/provider.ts')), []);
    });

    it('file by file, the exported provider with no caller in its file is reported (what the index corrects)', () => {
      const res = lintProject('monorepo', { project: false, leaveOut: ['apps/agent/src/title.ts'] });
      assert.deepStrictEqual(ids(res.get('packages/ai/src/provider.ts')), ['unguarded-retry']);
    });

    it('the retry stack of the provider call shows the runner loop in the other file', () => {
      const root = path.join(PROJECTS, 'monorepo');
      const files = sourceFiles(root).filter((f) => !f.endsWith('title.ts'));
      const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), (f) => (files.includes(f) ? fs.readFileSync(f, 'utf8') : undefined));
      index.add(files);
      const file = path.join(root, 'packages/ai/src/provider.ts');
      const r = lintText(fs.readFileSync(file, 'utf8'), { fileName: file, project: index });
      const layers = r.calls[0].retryStack!.layers;
      assert.strictEqual(layers.length, 1);
      assert.strictEqual(layers[0].kind, 'loop');
      assert.ok(layers[0].file && layers[0].file.endsWith(path.join('apps', 'agent', 'src', 'runner.ts')), JSON.stringify(layers[0]));
      assert.strictEqual(layers[0].attempts, 4);
    });
  });

  describe('an ESM project importing .js for .ts, with a cycle and an import that does not resolve', () => {
    it('terminates, reports no internal error, and an unresolved import stays silent', () => {
      const res = lintProject('esm-app');
      assert.ok(res.size >= 4);
      assert.deepStrictEqual(ids(res.get('src/tools.ts')), []);
    });
  });

  describe('the index follows edits', () => {
    it('editing the wrapper file changes the finding in the caller without touching the caller', () => {
      const root = path.join(PROJECTS, 'next-app');
      const files = sourceFiles(root);
      const overrides = new Map<string, string>();
      const read = (f: string) => overrides.get(f) ?? (files.includes(f) ? fs.readFileSync(f, 'utf8') : undefined);
      const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), read);
      index.add(files);
      const route = path.join(root, 'app/api/chat/route.ts');
      const lintRoute = () => lintText(read(route)!, { fileName: route, project: index }).findings.map((f) => f.ruleId);
      assert.deepStrictEqual(lintRoute(), []);
      // the wrapper stops retrying: the call through it is now unguarded
      const wrapper = path.join(root, 'lib/anthropic-retry.ts');
      overrides.set(wrapper, 'export async function withAnthropicRetry<T>(fn: () => Promise<T>): Promise<T> {\n  return fn();\n}\n');
      index.invalidate(wrapper);
      assert.deepStrictEqual(lintRoute(), ['unguarded-retry']);
      // and the client's retries back on: nothing to report
      const client = path.join(root, 'lib/anthropic.ts');
      overrides.set(client, 'import Anthropic from "@anthropic-ai/sdk";\nexport const anthropic = new Anthropic({ maxRetries: 3 });\n');
      index.invalidate(client);
      assert.deepStrictEqual(lintRoute(), []);
    });
  });
});

describe('cross-file callers two levels deep', () => {
  const os = require('os') as typeof import('os');
  let dir: string;
  const write = (rel: string, text: string) => {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    return f;
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-two-levels-'));
    write('package.json', '{ "name": "two-levels", "private": true }\n');
    write(
      'src/provider.ts',
      'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ maxRetries: 0 });\n' +
        'export async function complete(prompt: string) {\n  return client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 256, messages: [{ role: "user", content: prompt }] });\n}\n',
    );
    write('src/service.ts', 'import { complete } from "./provider";\nexport async function ask(q: string) {\n  return complete(`Q: ${q}`);\n}\n');
    write(
      'src/runner.ts',
      'import { ask } from "./service";\nexport async function run(q: string) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try { return await ask(q); }\n' +
        '    catch (e: any) {\n      if (e.status !== undefined && e.status !== 429 && !(e.status >= 500)) throw e;\n      const ra = Number(e.headers?.get?.("retry-after"));\n      await new Promise((r) => setTimeout(r, ra ? ra * 1000 : Math.random() * 1000 * 2 ** attempt));\n    }\n  }\n  throw new Error("gave up");\n}\n',
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function lintProvider(): Finding[] {
    const files = sourceFiles(path.join(dir, 'src'));
    const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined));
    index.add(files);
    const provider = path.join(dir, 'src/provider.ts');
    return lintText(fs.readFileSync(provider, 'utf8'), { fileName: provider, project: index }).findings;
  }

  it('a retry two files up (runner → service → provider) guards the call', () => {
    assert.deepStrictEqual(lintProvider().map((f) => f.ruleId), []);
  });

  it('a second caller of the middle function that skips the retry makes the path unguarded, named', () => {
    const extra = write('src/cron.ts', 'import { ask } from "./service";\nexport const nightly = () => ask("summary of the day");\n');
    try {
      const findings = lintProvider();
      assert.deepStrictEqual(findings.map((f) => f.ruleId), ['unguarded-retry']);
      assert.ok(findings[0].message.includes('complete() called in ./service.ts:3, from ask() called in ./cron.ts:2'), findings[0].message);
    } finally {
      fs.rmSync(extra);
    }
  });
});
