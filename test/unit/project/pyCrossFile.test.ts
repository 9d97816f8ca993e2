// Cross-file retry analysis for Python: the fixture projects (a package whose __init__.py re-exports a
// client, a src layout with pyproject.toml, modules importing each other) linted with the project index
// (the real module resolver over the files on disk) and, for contrast, each file on its own.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintText, loadPythonParser } from '../../../src/core/lint/index';
import type { Finding } from '../../../src/core/lint/rule';
import { ProjectIndex } from '../../../src/core/lint/project/projectIndex';
import { ModuleResolver, nodeProjectHost } from '../../../src/core/lint/project/resolve';

const PROJECTS = path.resolve(__dirname, '../../../../test/fixtures/projects');

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) pyFiles(p, out);
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

interface Linted {
  findings: Finding[];
  text: string;
  calls: ReturnType<typeof lintText>['calls'];
}

function indexOf(files: string[], read?: (f: string) => string | undefined): ProjectIndex {
  const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), read ?? ((f) => (files.includes(f) && fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined)));
  index.add(files);
  return index;
}

/** Lints every module of a fixture project, keyed by path relative to the project. */
function lintProject(name: string, opts: { project?: boolean; leaveOut?: string[] } = {}): Map<string, Linted> {
  const root = path.join(PROJECTS, name);
  const files = pyFiles(root).filter((f) => !(opts.leaveOut ?? []).includes(rel(root, f)));
  const index = indexOf(files);
  const out = new Map<string, Linted>();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const r = lintText(text, { fileName: f, project: opts.project === false ? undefined : index, sdkVersion: '0.60.0' });
    assert.deepStrictEqual(r.internalErrors ?? [], [], `internal errors in ${f}`);
    assert.ok(!r.pending, 'the Python parser is loaded');
    out.set(rel(root, f), { findings: r.findings, text, calls: r.calls });
  }
  return out;
}

const rel = (root: string, f: string) => path.relative(root, f).split(path.sep).join('/');
const ids = (l: Linted | undefined) => (l?.findings ?? []).map((f) => f.ruleId).sort();

/**
 * project → module → [rule ids with the index, rule ids file by file]. Every module of each project is
 * listed (the test checks), so a fixture edit that adds a module without a row fails.
 */
const TABLE: Record<string, Record<string, [string[], string[]]>> = {
  'py-package': {
    'app/__init__.py': [[], []],
    'app/llm/__init__.py': [[], []],
    'app/llm/client.py': [[], []],
    'app/llm/lazy.py': [[], []],
    'app/retry.py': [[], []],
    // valid: an imported cached factory (max_retries=0) inside an imported retry wrapper
    'app/chat.py': [[], []],
    // invalid: the max_retries=0 client re-exported by the package's __init__.py, called with no retry
    'app/summary.py': [['unguarded-retry'], []],
    // invalid: a lazily made client (SDK default retries) inside a loop that retries everything
    'app/title.py': [['retry-amplification', 'retry-ignores-retry-after', 'retry-non-retryable'], []],
    // an import that does not resolve in the project (an installed package): unknown, silent
    'app/vendor.py': [[], []],
  },
  'py-src-layout': {
    'src/acme/__init__.py': [[], []],
    // invalid on the path through title.py (no retry there)
    'src/acme/provider.py': [['unguarded-retry'], ['unguarded-retry']],
    'src/acme/runner.py': [[], []],
    'src/acme/title.py': [[], []],
    'src/acme/retrying.py': [[], []],
    // invalid: the imported tenacity wrapper never waits and retries every error
    'src/acme/agent.py': [['retry-no-backoff', 'retry-non-retryable'], []],
  },
  'py-cycle': {
    'pkg/__init__.py': [[], []],
    'pkg/a.py': [[], []],
    'pkg/b.py': [['unguarded-retry'], ['unguarded-retry']],
  },
  'python-app': {
    'src/acme_bot/__init__.py': [[], []],
    'src/acme_bot/chat.py': [[], []],
    'src/acme_bot/retry.py': [[], []],
    'src/acme_bot/providers/__init__.py': [[], []],
    'src/acme_bot/providers/anthropic_client.py': [[], []],
    'scripts/ask.py': [[], []],
  },
};

describe('cross-file retry analysis: Python', () => {
  before(async function () {
    this.timeout(60000);
    await loadPythonParser();
  });

  for (const [project, modules] of Object.entries(TABLE)) {
    it(`${project}: each module with the index and on its own`, () => {
      const withIndex = lintProject(project);
      const alone = lintProject(project, { project: false });
      assert.deepStrictEqual([...withIndex.keys()].sort(), Object.keys(modules).sort(), 'the table lists every module');
      for (const [file, [expected, expectedAlone]] of Object.entries(modules)) {
        assert.deepStrictEqual(ids(withIndex.get(file)), expected.slice().sort(), `${file} with the index: ${JSON.stringify(withIndex.get(file)?.findings.map((f) => f.message))}`);
        assert.deepStrictEqual(ids(alone.get(file)), expectedAlone.slice().sort(), `${file} on its own`);
      }
    });
  }

  describe('py-package', () => {
    const res = () => lintProject('py-package');

    it('the unguarded finding points at max_retries=0 where the client is made, through the __init__.py re-export', () => {
      const summary = res().get('app/summary.py')!;
      const f = summary.findings[0];
      assert.strictEqual(summary.text.slice(f.start, f.end), 'client.messages.create');
      const related = (f.related ?? []).find((r) => r.file && r.file.endsWith(path.join('app', 'llm', 'client.py')));
      assert.ok(related, JSON.stringify(f.related));
      assert.strictEqual(fs.readFileSync(related!.file!, 'utf8').slice(related!.start, related!.end), 'max_retries=0');
    });

    it('the hover names the imported wrapper and the imported factory setting', () => {
      const chat = res().get('app/chat.py')!;
      assert.strictEqual(chat.calls.length, 1);
      const stack = chat.calls[0].retryStack!;
      assert.strictEqual(stack.sdkMaxRetries, 0);
      assert.deepStrictEqual(stack.layers.map((l) => [l.kind, l.label]), [['project-wrapper', 'with_backoff']]);
      assert.ok(stack.text.includes('./retry.py:10'), stack.text);
    });

    it('the module-global lazy client counts with the SDK default retries', () => {
      const title = res().get('app/title.py')!;
      const amp = title.findings.find((f) => f.ruleId === 'retry-amplification')!;
      assert.ok(amp.message.includes('2 times (SDK default)'), amp.message);
    });
  });

  describe('py-src-layout: a max_retries=0 provider retried by a runner in another module', () => {
    it('a caller elsewhere that skips the retry makes the call unguarded on that path, and the finding says which', () => {
      const provider = lintProject('py-src-layout').get('src/acme/provider.py')!;
      assert.deepStrictEqual(ids(provider), ['unguarded-retry']);
      assert.ok(provider.findings[0].message.includes('complete() called in ./title.py:5'), provider.findings[0].message);
    });

    it('with only the runner calling it, the provider is guarded (no false alarm)', () => {
      const res = lintProject('py-src-layout', { leaveOut: ['src/acme/title.py'] });
      const provider = res.get('src/acme/provider.py')!;
      assert.deepStrictEqual(ids(provider), []);
      const layers = provider.calls[0].retryStack!.layers;
      assert.strictEqual(layers.length, 1);
      assert.strictEqual(layers[0].kind, 'loop');
      assert.ok(layers[0].file && layers[0].file.endsWith(path.join('acme', 'runner.py')), JSON.stringify(layers[0]));
      assert.strictEqual(layers[0].attempts, 4);
    });

    it('the tenacity wrapper imported as `import acme.retrying as retrying` is the call layer, with its place', () => {
      const agent = lintProject('py-src-layout').get('src/acme/agent.py')!;
      const layers = agent.calls[0].retryStack!.layers;
      assert.deepStrictEqual(layers.map((l) => [l.kind, l.label, l.attempts]), [['project-wrapper', 'call_with_retry', 5]]);
      const nb = agent.findings.find((f) => f.ruleId === 'retry-no-backoff')!;
      assert.ok((nb.related ?? []).some((r) => r.file && r.file.endsWith('retrying.py')), JSON.stringify(nb.related));
    });
  });

  describe('py-cycle: modules that import each other', () => {
    it('terminates, and the finding names the caller in the other module', () => {
      const b = lintProject('py-cycle').get('pkg/b.py')!;
      assert.ok(b.findings[0].message.includes('complete() called in ./a.py:5'), b.findings[0].message);
    });
  });
});
