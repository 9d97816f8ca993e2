// The Python front end of the project index: what a module offers the others (its summary), the import
// specifiers its text names, Python specifiers through the module resolver, and re-lints after an edit.
import * as assert from 'assert';
import * as path from 'path';
import { lintText, loadPythonParser } from '../../../src/core/lint/index';
import { ProjectIndex } from '../../../src/core/lint/project/projectIndex';
import { pyImportSpecifiers, summarizePy } from '../../../src/core/lint/project/pySummary';
import { ModuleResolver, nodeProjectHost } from '../../../src/core/lint/project/resolve';
import { makeTree, removeTree } from './tree';

const kinds = (s: ReturnType<typeof summarizePy>) => Object.fromEntries(Object.entries(s!.exports).map(([k, e]) => [k, e.kind]));

describe('project index: Python modules', () => {
  before(async function () {
    this.timeout(60000);
    await loadPythonParser();
  });

  describe('summaries', () => {
    it('public module-level names: clients, cached and lazy factories, wrappers, API functions; `_` names left out', () => {
      const text = [
        'import functools',
        'import time',
        'from anthropic import Anthropic, AsyncAnthropic',
        '',
        'client = Anthropic(max_retries=0)',
        '_private = Anthropic()',
        '_lazy = None',
        'LIMIT = 3',
        '',
        '@functools.cache',
        'def get_async():',
        '    return AsyncAnthropic(timeout=30)',
        '',
        'def lazy():',
        '    global _lazy',
        '    if _lazy is None:',
        '        _lazy = Anthropic(max_retries=5)',
        '    return _lazy',
        '',
        'def with_retry(fn, attempts=4):',
        '    for i in range(attempts):',
        '        try:',
        '            return fn()',
        '        except Exception:',
        '            if i == attempts - 1:',
        '                raise',
        '            time.sleep(2 ** i)',
        '',
        'def ask(q):',
        '    return client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": q}])',
        '',
        'class Helper:',
        '    pass',
        '',
      ].join('\n');
      const s = summarizePy('/p/mod.py', text)!;
      assert.strictEqual(s.language, 'python');
      assert.strictEqual(s.parseError, undefined);
      const k = kinds(s);
      assert.deepStrictEqual(
        { client: k.client, get_async: k.get_async, lazy: k.lazy, with_retry: k.with_retry, ask: k.ask, LIMIT: k.LIMIT, Helper: k.Helper },
        { client: 'client', get_async: 'factory', lazy: 'factory', with_retry: 'wrapper', ask: 'api-function', LIMIT: 'other', Helper: 'other' },
      );
      assert.ok(!('_private' in s.exports) && !('_lazy' in s.exports));
      const c = s.exports.client;
      assert.ok(c.kind === 'client' && c.client.maxRetries === 0 && c.client.source === 'client');
      assert.strictEqual(text.slice((c as { client: { at: { start: number; end: number } } }).client.at.start, (c as { client: { at: { end: number } } }).client.at.end), 'max_retries=0');
      const f = s.exports.get_async;
      assert.ok(f.kind === 'factory' && f.client.className === 'AsyncAnthropic' && f.client.source === 'default');
      const l = s.exports.lazy;
      assert.ok(l.kind === 'factory' && l.client.maxRetries === 5);
      const w = s.exports.with_retry;
      assert.ok(w.kind === 'wrapper' && w.wrapper.fnParam === 0 && w.wrapper.attempts === 4 && w.wrapper.waits && w.wrapper.grows);
    });

    it('`__all__` restricts the public names; imports of the project are re-exports, the SDK is not', () => {
      const text = 'from .client import client, make as make_client\nfrom anthropic import Anthropic\nfrom . import retry\nimport app.util as util\n\n__all__ = ["client", "make_client", "Anthropic"]\n\ndef helper():\n    return 1\n';
      const s = summarizePy('/p/app/__init__.py', text)!;
      assert.deepStrictEqual(Object.keys(s.exports).sort(), ['Anthropic', 'client', 'make_client']);
      assert.deepStrictEqual(s.exports.client, { kind: 're-export', specifier: '.client', imported: 'client' });
      assert.deepStrictEqual(s.exports.make_client, { kind: 're-export', specifier: '.client', imported: 'make' });
      assert.deepStrictEqual(s.exports.Anthropic, { kind: 'other' });
      assert.deepStrictEqual(
        s.imports.map((i) => `${i.local}=${i.specifier}:${i.imported}`),
        ['client=.client:client', 'make_client=.client:make', 'Anthropic=anthropic:Anthropic', 'retry=.:retry', 'util=app.util:*'],
      );
    });

    it('calls of imported names: `f()`, `mod.f()` after `from pkg import mod`, `a.b.f()` after `import a.b`', () => {
      const text = 'import app.retry\nfrom app import jobs\nfrom .llm import ask\n\ndef go():\n    ask()\n    jobs.run()\n    app.retry.with_retry(go)\n';
      const s = summarizePy('/p/app/main.py', text)!;
      assert.deepStrictEqual(
        s.importedCalls.map((c) => `${c.local}.${c.member ?? ''}`),
        ['ask.', 'jobs.run', 'app.retry.with_retry'],
      );
      assert.deepStrictEqual(s.exports.go, { kind: 'api-function', at: s.exports.go.kind === 'api-function' ? s.exports.go.at : null, indirect: true });
    });

    it('a module that does not parse keeps its parse error and offers nothing', () => {
      const s = summarizePy('/p/bad.py', 'def f(:\n')!;
      assert.ok(s.parseError);
      assert.deepStrictEqual(s.exports, {});
    });
  });

  it('import specifiers from the text: `from X import a, b` names X, X.a and X.b; `import a.b as c, d`', () => {
    const text = 'from . import client, retry as r\nfrom ..pkg.mod import (x,\n  y)\nimport a.b as c, d\n    from .lazy import make  # in a function\n';
    assert.deepStrictEqual(pyImportSpecifiers(text).sort(), ['.', '.client', '.lazy', '.lazy.make', '.retry', '..pkg.mod', '..pkg.mod.x', 'a.b', 'd'].sort());
  });

  describe('in the index', () => {
    let root: string;
    const files: Record<string, string> = {
      'app/__init__.py': '',
      'app/llm/__init__.py': 'from .client import client\n',
      'app/llm/client.py': 'import anthropic\n\nclient = anthropic.Anthropic(max_retries=0)\n',
      'app/retry.py':
        'import random\nimport time\n\n\ndef with_retry(fn):\n    for attempt in range(5):\n        try:\n            return fn()\n        except Exception as e:\n            if getattr(e, "status_code", 500) < 500 and getattr(e, "status_code", 0) not in (408, 409, 429) or attempt == 4:\n                raise\n            time.sleep(random.uniform(0, 2 ** attempt))\n',
      'app/jobs.py':
        'import importlib\n\nfrom .llm import client\nfrom .retry import with_retry\n\nother = importlib.import_module("app.llm.client").client\n\n\ndef run(q):\n    return with_retry(lambda: client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": q}]))\n\n\ndef dynamic(q):\n    return other.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": q}])\n',
      'web/client.ts': 'export const x = 1;\n',
    };
    before(() => {
      root = makeTree(files);
    });
    after(() => removeTree(root));

    it('the module resolver reads Python specifiers (level as leading dots) only from Python files', () => {
      const r = new ModuleResolver(nodeProjectHost());
      const jobs = path.join(root, 'app/jobs.py');
      assert.strictEqual(r.resolve('.llm', jobs), path.join(root, 'app/llm/__init__.py'));
      assert.strictEqual(r.resolve('..retry', path.join(root, 'app/llm/client.py')), path.join(root, 'app/retry.py'));
      assert.strictEqual(r.resolve('app.llm.client', jobs), path.join(root, 'app/llm/client.py'));
      assert.strictEqual(r.resolve('.', path.join(root, 'app/llm/client.py')), path.join(root, 'app/llm/__init__.py'));
      assert.strictEqual(r.resolve('anthropic', jobs), null);
      assert.strictEqual(r.resolve('.missing', jobs), null);
      // a JS file's relative import never lands on a Python module
      assert.strictEqual(r.resolve('../app/retry', path.join(root, 'web/client.ts')), null);
    });

    it('`import a.b` then `a.b.client` and `a.b.with_retry(...)`: the dotted module path is followed', () => {
      const texts = new Map(Object.entries(files).map(([k, v]) => [path.join(root, k), v]));
      const main = path.join(root, 'app/dotted.py');
      const call = 'app.llm.client.client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": q}])';
      texts.set(main, `import app.llm.client\nimport app.retry\n\n\ndef bare(q):\n    return ${call}\n\n\ndef wrapped(q):\n    return app.retry.with_retry(lambda: ${call})\n`);
      const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), (f) => texts.get(f));
      index.add(texts.keys());
      const r = lintText(texts.get(main)!, { fileName: main, project: index, sdkVersion: '0.60.0' });
      assert.deepStrictEqual(r.internalErrors ?? [], []);
      assert.deepStrictEqual(r.calls.map((c) => c.retryStack!.layers.map((l) => `${l.kind}:${l.label}`).join(',')), ['', 'project-wrapper:with_retry']);
      assert.deepStrictEqual(r.findings.map((f) => f.ruleId), ['unguarded-retry']);
      assert.ok(r.findings[0].start < texts.get(main)!.indexOf('def wrapped'));
    });

    it('a wrapper edited in one module changes the diagnostic in the other without reopening it', () => {
      const texts = new Map(Object.entries(files).map(([k, v]) => [path.join(root, k), v]));
      const index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), (f) => texts.get(f));
      index.add(texts.keys());
      const jobs = path.join(root, 'app/jobs.py');
      const lint = () => lintText(texts.get(jobs)!, { fileName: jobs, project: index, sdkVersion: '0.60.0' }).findings.map((f) => `${f.ruleId}@${texts.get(jobs)!.slice(f.start, f.end)}`);
      // guarded: the call through the wrapper; the dynamically imported client stays unknown (silent)
      assert.deepStrictEqual(lint(), []);
      const retry = path.join(root, 'app/retry.py');
      texts.set(retry, texts.get(retry)!.replace('time.sleep(random.uniform(0, 2 ** attempt))', 'pass'));
      index.invalidate(retry);
      assert.deepStrictEqual(lint(), ['retry-no-backoff@with_retry']);
    });
  });
});
