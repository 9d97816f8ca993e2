// Where the Python retry helper is imported from (package or script) and where its import goes in a module:
// after the docstring, the `from __future__` imports and the leading imports; merged into an existing import;
// nothing when the names are there. Each result must compile.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyFixes, loadPythonParser } from '../../../../src/core/lint/index';
import { pythonHelperImportEdit, pythonHelperModule } from '../../../../src/core/lint/python/helperImport';
import { assertCompiles } from './pyKit';

describe('Python helper import', () => {
  before(() => loadPythonParser());

  describe('module path', () => {
    let root: string;
    const touch = (rel: string): string => {
      const f = path.join(root, rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, '');
      return f;
    };
    const isFile = (p: string): boolean => fs.existsSync(p) && fs.statSync(p).isFile();
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pyhelper-'));
      touch('scripts/ask.py');
      touch('src/acme/__init__.py');
      touch('src/acme/chat.py');
      touch('src/acme/providers/__init__.py');
      touch('src/acme/providers/client.py');
      touch('src/acme/util/__init__.py');
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));
    const mod = (doc: string, helper: string) => pythonHelperModule(path.join(root, doc), path.join(root, helper), isFile);

    it('a script imports a helper beside it by its plain name', () => assert.strictEqual(mod('scripts/ask.py', 'scripts/claude_retry.py'), 'claude_retry'));
    it('a script imports a helper in a folder below it by its dotted path', () => assert.strictEqual(mod('scripts/ask.py', 'scripts/lib/claude_retry.py'), 'lib.claude_retry'));
    it('a script cannot import a helper above it', () => assert.strictEqual(mod('scripts/ask.py', 'claude_retry.py'), null));
    it('a folder name that is not an identifier cannot be imported', () => assert.strictEqual(mod('scripts/ask.py', 'scripts/my-lib/claude_retry.py'), null));
    it('a package module imports a helper beside it relatively', () => assert.strictEqual(mod('src/acme/chat.py', 'src/acme/claude_retry.py'), '.claude_retry'));
    it('a subpackage module imports a helper at the package top', () => assert.strictEqual(mod('src/acme/providers/client.py', 'src/acme/claude_retry.py'), '..claude_retry'));
    it('a subpackage module imports a helper in a sibling subpackage', () => assert.strictEqual(mod('src/acme/providers/client.py', 'src/acme/util/claude_retry.py'), '..util.claude_retry'));
    it('a package module imports a helper in its own subpackage', () => assert.strictEqual(mod('src/acme/chat.py', 'src/acme/util/claude_retry.py'), '.util.claude_retry'));
    it('a package module cannot import a helper outside its package', () => {
      assert.strictEqual(mod('src/acme/chat.py', 'src/claude_retry.py'), null);
      assert.strictEqual(mod('src/acme/chat.py', 'scripts/claude_retry.py'), null);
    });
    it('another file name is imported under its own name', () => assert.strictEqual(mod('scripts/ask.py', 'scripts/retrying.py'), 'retrying'));
  });

  describe('import edit', () => {
    const cases: Array<{ name: string; before: string; names?: string[]; module?: string; after: string | null }> = [
      {
        name: 'after the docstring when there is no import',
        before: '"""Ask Claude."""\nclient = make()\n',
        after: '"""Ask Claude."""\nfrom claude_retry import with_retry\nclient = make()\n',
      },
      {
        name: 'after a docstring, __future__ imports and the leading imports',
        before: '#!/usr/bin/env python3\n"""Ask Claude.\n\nimport nothing here\n"""\nfrom __future__ import annotations\n\nimport os\nimport anthropic  # the SDK\n\nclient = anthropic.Anthropic(max_retries=0)\nimport json\n',
        after: '#!/usr/bin/env python3\n"""Ask Claude.\n\nimport nothing here\n"""\nfrom __future__ import annotations\n\nimport os\nimport anthropic  # the SDK\nfrom claude_retry import with_retry\n\nclient = anthropic.Anthropic(max_retries=0)\nimport json\n',
      },
      {
        name: 'after a multi-line import',
        before: 'from anthropic import (\n    Anthropic,\n    AsyncAnthropic,\n)\nclient = Anthropic()\n',
        after: 'from anthropic import (\n    Anthropic,\n    AsyncAnthropic,\n)\nfrom claude_retry import with_retry\nclient = Anthropic()\n',
      },
      {
        name: 'before the first statement after a shebang and comments',
        before: '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# A script.\nclient = make()\n',
        after: '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# A script.\nfrom claude_retry import with_retry\n\nclient = make()\n',
      },
      { name: 'a relative import in a package module', module: '.claude_retry', before: 'import anthropic\n', after: 'import anthropic\nfrom .claude_retry import with_retry\n' },
      { name: 'both names at once', names: ['with_retry', 'async_with_retry'], before: 'import anthropic\n', after: 'import anthropic\nfrom claude_retry import with_retry, async_with_retry\n' },
      { name: 'nothing when the import is there', before: 'import anthropic\nfrom claude_retry import with_retry\n', after: null },
      { name: 'nothing when the name is imported under a parenthesised list', before: 'from claude_retry import (\n    async_with_retry,\n    with_retry,\n)\n', after: null },
      { name: 'nothing after a star import of the helper', before: 'from claude_retry import *\n', after: null },
      { name: 'nothing when the module defines with_retry itself', before: 'import anthropic\n\ndef with_retry(fn):\n    return fn()\n', after: null },
      {
        name: 'an existing import gains the missing name',
        names: ['async_with_retry'],
        before: 'import anthropic\nfrom claude_retry import with_retry\n',
        after: 'import anthropic\nfrom claude_retry import with_retry, async_with_retry\n',
      },
      {
        name: 'an existing parenthesised import with a trailing comma gains the name',
        names: ['async_with_retry'],
        before: 'from claude_retry import (\n    classify_error,\n    with_retry,\n)\n',
        after: 'from claude_retry import (\n    classify_error,\n    with_retry, async_with_retry,\n)\n',
      },
      {
        name: 'an import of the module itself does not bind the name',
        before: 'import anthropic\nimport claude_retry\n',
        after: 'import anthropic\nimport claude_retry\nfrom claude_retry import with_retry\n',
      },
      { name: 'CRLF line ends are kept', before: 'import os\r\nimport anthropic\r\n\r\nx = 1\r\n', after: 'import os\r\nimport anthropic\r\nfrom claude_retry import with_retry\r\n\r\nx = 1\r\n' },
      { name: 'an empty module', before: '', after: 'from claude_retry import with_retry\n' },
      { name: 'a module of comments only, without a final line end', before: '# nothing yet', after: '# nothing yet\nfrom claude_retry import with_retry\n' },
    ];
    const fixed: Record<string, string> = {};
    for (const c of cases) {
      it(c.name, () => {
        const edit = pythonHelperImportEdit(c.before, c.module ?? 'claude_retry', c.names ?? ['with_retry']);
        if (c.after === null) return assert.strictEqual(edit, null);
        assert.ok(edit, 'expected an edit');
        const out = applyFixes(c.before, [{ title: 'import', edits: [edit], safe: true }]).text;
        assert.strictEqual(out, c.after);
        // applied twice, nothing more is added
        assert.strictEqual(pythonHelperImportEdit(out, c.module ?? 'claude_retry', c.names ?? ['with_retry']), null);
        if (!c.module?.startsWith('.')) fixed[c.name] = out;
      });
    }
    it('every result compiles', () => assertCompiles(fixed));
    it('a text that does not parse is refused', () => assert.throws(() => pythonHelperImportEdit('def (:\n', 'claude_retry', ['with_retry']), /does not parse/));
  });
});
