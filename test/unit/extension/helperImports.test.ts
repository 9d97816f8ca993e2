// The helper's import in a document, as text: names already there, a new statement, and names added to an
// existing import or require of the helper; applying the result again adds nothing.
import * as assert from 'assert';
import { extendExistingImport, hasHelperName, importStatement } from '../../../src/extension/helperImports';

/** What planHelper does with the pieces: extend the helper's import, else a new statement at the top. */
function addNames(text: string, specifier: string, names: string[], style: 'esm' | 'cjs' = 'esm'): string {
  const missing = names.filter((n) => !hasHelperName(text, n));
  if (!missing.length) return text;
  const ext = extendExistingImport(text, specifier, missing);
  if (ext) return text.slice(0, ext.offset) + ext.text + text.slice(ext.offset);
  return `${importStatement(style, specifier, missing)}\n${text}`;
}

describe('helper imports', () => {
  it('finds a name imported, required or defined, and not a longer name', () => {
    assert.ok(hasHelperName("import { withRetry } from './claudeRetry';", 'withRetry'));
    assert.ok(hasHelperName("const { withStreamRetry } = require('./claudeRetry');", 'withStreamRetry'));
    assert.ok(hasHelperName('function withStreamRetry() {}', 'withStreamRetry'));
    assert.ok(!hasHelperName("import { withRetry } from './claudeRetry';", 'withStreamRetry'));
    assert.ok(!hasHelperName("import { withRetryAll } from './x';", 'withRetry'));
  });

  it('writes a new import of the names the fix uses, in the module style', () => {
    assert.strictEqual(importStatement('esm', './claudeRetry', ['withStreamRetry']), "import { withStreamRetry } from './claudeRetry';");
    assert.strictEqual(importStatement('cjs', './claudeRetry', ['withRetry', 'withStreamRetry']), "const { withRetry, withStreamRetry } = require('./claudeRetry');");
    assert.strictEqual(addNames('run();\n', './claudeRetry', ['withStreamRetry']), "import { withStreamRetry } from './claudeRetry';\nrun();\n");
  });

  it('adds a name to the existing import of the helper, once', () => {
    const text = "import Anthropic from '@anthropic-ai/sdk';\nimport { withRetry } from './lib/claudeRetry';\n";
    const once = addNames(text, './lib/claudeRetry', ['withStreamRetry']);
    assert.strictEqual(once, "import Anthropic from '@anthropic-ai/sdk';\nimport { withRetry, withStreamRetry } from './lib/claudeRetry';\n");
    assert.strictEqual(addNames(once, './lib/claudeRetry', ['withStreamRetry']), once);
    assert.strictEqual(addNames(once, './lib/claudeRetry', ['withRetry']), once);
  });

  it('extends an import written with the extension, over several lines with a trailing comma, or a require', () => {
    assert.strictEqual(addNames("import { withRetry } from './claudeRetry.js';\n", './claudeRetry', ['withStreamRetry']), "import { withRetry, withStreamRetry } from './claudeRetry.js';\n");
    assert.strictEqual(
      addNames("import {\n  classifyError,\n  withRetry,\n} from './claudeRetry';\n", './claudeRetry', ['withStreamRetry']),
      "import {\n  classifyError,\n  withRetry, withStreamRetry,\n} from './claudeRetry';\n",
    );
    assert.strictEqual(addNames("const { withRetry } = require('./claudeRetry');\n", './claudeRetry', ['withStreamRetry'], 'cjs'), "const { withRetry, withStreamRetry } = require('./claudeRetry');\n");
  });

  it('leaves imports of other modules alone', () => {
    const text = "import { withRetry } from './other';\n";
    assert.strictEqual(extendExistingImport(text, './claudeRetry', ['withStreamRetry']), null);
  });
});
