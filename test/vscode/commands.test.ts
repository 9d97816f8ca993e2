import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WorkspaceLintReport } from '../../src/extension/commands';
import { api, closeAll, codeOf, extension, openCopy, ours, setSetting, waitFor, workspaceUri } from './util';

const shipped = (variant: 'ts' | 'mjs' | 'cjs'): string => fs.readFileSync(path.join(extension().extensionPath, 'dist', 'retry', `claudeRetry.${variant}`), 'utf8');
const helperFiles = (dir: string, base: string): string[] =>
  fs.existsSync(workspaceUri(dir).fsPath) ? fs.readdirSync(workspaceUri(dir).fsPath).filter((f) => f.startsWith(`${base}.`)).sort() : [];

describe('commands', () => {
  before(() => api());
  afterEach(() => closeAll());

  it('Lint Workspace reports files that are not open, skipping node_modules and files.exclude', async () => {
    // a dependency with a finding, written now (node_modules is never part of a fixture in git)
    const dep = workspaceUri('node_modules/some-dep/index.js');
    await vscode.workspace.fs.writeFile(dep, new TextEncoder().encode('const A = require("@anthropic-ai/sdk");\nnew A().messages.create({ model: "m", messages: [] });\n'));
    // the same in a Python virtual environment (any name, told by its pyvenv.cfg) and in site-packages
    const venvFile = workspaceUri('pyenv/share/jupyter/lab/index.js');
    const sitePackagesFile = workspaceUri('vendor/lib/python3.12/site-packages/pkg/static/app.js');
    const plainEnvFile = workspaceUri('env/client.js'); // a folder named env that is no virtual environment
    const source = new Uint8Array(fs.readFileSync(dep.fsPath));
    await vscode.workspace.fs.writeFile(workspaceUri('pyenv/pyvenv.cfg'), new TextEncoder().encode('home = /usr/bin\n'));
    for (const uri of [venvFile, sitePackagesFile, plainEnvFile]) await vscode.workspace.fs.writeFile(uri, source);
    const report = await vscode.commands.executeCommand<WorkspaceLintReport>('claudeRequestLint.lintWorkspace');
    assert.strictEqual(report.cancelled, false);
    assert.ok(report.linted >= 8, `linted ${report.linted} files`);
    assert.strictEqual(report.linted, report.files);
    const legacy = ours(workspaceUri('legacy/support.js'));
    assert.deepStrictEqual(legacy.map(codeOf), ['system-in-messages']);
    assert.deepStrictEqual(ours(workspaceUri('src/many.ts')).map(codeOf), ['missing-max-tokens', 'missing-max-tokens', 'sampling-params']);
    assert.deepStrictEqual(ours(dep), [], 'node_modules is skipped');
    assert.deepStrictEqual(ours(venvFile), [], 'a virtual environment is skipped');
    assert.deepStrictEqual(ours(sitePackagesFile), [], 'site-packages is skipped');
    assert.deepStrictEqual(ours(plainEnvFile).map(codeOf).sort(), ['missing-max-tokens', 'role-order'], 'a plain folder named env is linted');
    assert.deepStrictEqual(ours(workspaceUri('generated/bundle.ts')), [], 'files.exclude is honoured');
    assert.ok(report.findings >= 6 && report.filesWithFindings >= 5, JSON.stringify(report));
  });

  it('Lint Workspace places findings of a file with lone \\r line endings on the lines the editor shows', async () => {
    const uri = workspaceUri('src/carriage-returns.ts');
    const lines = ['import Anthropic from "@anthropic-ai/sdk";', 'const anthropic = new Anthropic();', 'export const ask = () => anthropic.messages.create({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] });', ''];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\r')));
    await vscode.commands.executeCommand<WorkspaceLintReport>('claudeRequestLint.lintWorkspace');
    // read before the file is opened: an open document is linted from its buffer instead
    const found = ours(uri);
    assert.deepStrictEqual(found.map(codeOf), ['missing-max-tokens']);
    const column = lines[2].indexOf('anthropic.messages.create');
    assert.deepStrictEqual([found[0].range.start.line, found[0].range.start.character], [2, column]);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.lineCount, 4);
    assert.strictEqual(doc.getText(found[0].range), 'anthropic.messages.create');
  });

  it('Insert Retry Helper writes the shipped TypeScript helper once and imports withRetry once', async () => {
    const doc = await openCopy('src/clean.ts');
    const before = doc.getText();
    const helper = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.insertRetryHelper', doc.uri);
    assert.strictEqual(helper.toString(), workspaceUri('src/claudeRetry.ts').toString());
    assert.strictEqual(fs.readFileSync(helper.fsPath, 'utf8'), shipped('ts'));
    const withImport = before.replace('import Anthropic from "@anthropic-ai/sdk";\n', "import Anthropic from \"@anthropic-ai/sdk\";\nimport { withRetry } from './claudeRetry';\n");
    assert.notStrictEqual(withImport, before);
    assert.strictEqual(doc.getText(), withImport);
    // again: nothing changes, no second helper
    const second = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.insertRetryHelper', doc.uri);
    assert.strictEqual(second.toString(), helper.toString());
    assert.strictEqual(doc.getText(), withImport);
    assert.deepStrictEqual(helperFiles('src', 'claudeRetry').filter((f) => /\.[cm]?ts$/.test(f)), ['claudeRetry.ts']);
  });

  it('Insert Retry Helper follows the module style of JavaScript files and reuses a helper that fits', async () => {
    await setSetting('claudeRequestLint', 'retryHelperPath', 'lib/retryCore.ts');
    try {
      // require(): a CommonJS helper, .js as the folder's package is not "type": "module"
      const cjs = await openCopy('legacy/support.js');
      const cjsBefore = cjs.getText();
      const h1 = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.insertRetryHelper', cjs.uri);
      assert.strictEqual(h1.toString(), workspaceUri('lib/retryCore.js').toString());
      assert.strictEqual(fs.readFileSync(h1.fsPath, 'utf8'), shipped('cjs'));
      assert.strictEqual(cjs.getText(), cjsBefore.replace('require("@anthropic-ai/sdk");\n', "require(\"@anthropic-ai/sdk\");\nconst { withRetry } = require('../lib/retryCore');\n"));
      // an ES module imports that CommonJS helper: reused, never a second one
      const esm = await openCopy('esm/ask.js');
      const esmBefore = esm.getText();
      const h2 = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.insertRetryHelper', esm.uri);
      assert.strictEqual(h2.toString(), h1.toString());
      assert.strictEqual(esm.getText(), esmBefore.replace('from "@anthropic-ai/sdk";\n', "from \"@anthropic-ai/sdk\";\nimport { withRetry } from '../lib/retryCore.js';\n"));
      assert.deepStrictEqual(helperFiles('lib', 'retryCore'), ['retryCore.js']);
    } finally {
      await setSetting('claudeRequestLint', 'retryHelperPath', undefined);
    }
  });

  it('Insert Retry Helper writes the ES module helper inside a "type": "module" package as .js', async () => {
    await setSetting('claudeRequestLint', 'retryHelperPath', 'esm/retry/claudeRetry.ts');
    try {
      const esm = await openCopy('esm/ask.js');
      const before = esm.getText();
      const h = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.insertRetryHelper', esm.uri);
      assert.strictEqual(h.toString(), workspaceUri('esm/retry/claudeRetry.js').toString());
      assert.strictEqual(fs.readFileSync(h.fsPath, 'utf8'), shipped('mjs'));
      assert.strictEqual(esm.getText(), before.replace('from "@anthropic-ai/sdk";\n', "from \"@anthropic-ai/sdk\";\nimport { withRetry } from './retry/claudeRetry.js';\n"));
    } finally {
      await setSetting('claudeRequestLint', 'retryHelperPath', undefined);
    }
  });

  it('Add Retry Throttle writes the shipped throttle file beside the helper (and the helper when missing), once', async () => {
    const shippedThrottle = (variant: 'ts' | 'mjs' | 'cjs'): string =>
      fs.readFileSync(path.join(extension().extensionPath, 'dist', 'retry', `claudeRetryThrottle.${variant}`), 'utf8');
    await setSetting('claudeRequestLint', 'retryHelperPath', 'throttled/claudeRetry.ts');
    try {
      const doc = await openCopy('src/clean.ts');
      const before = doc.getText();
      const throttle = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.addRetryThrottle', doc.uri);
      assert.strictEqual(throttle.toString(), workspaceUri('throttled/claudeRetryThrottle.ts').toString());
      assert.strictEqual(fs.readFileSync(throttle.fsPath, 'utf8'), shippedThrottle('ts'));
      assert.strictEqual(fs.readFileSync(workspaceUri('throttled/claudeRetry.ts').fsPath, 'utf8'), shipped('ts'), 'the helper it imports from is written too');
      assert.strictEqual(doc.getText(), before, 'the document is not edited');
      // again: nothing is written, nothing doubled
      fs.writeFileSync(throttle.fsPath, `// edited by the user\n${shippedThrottle('ts')}`);
      const second = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.addRetryThrottle', doc.uri);
      assert.strictEqual(second.toString(), throttle.toString());
      assert.ok(fs.readFileSync(throttle.fsPath, 'utf8').startsWith('// edited by the user'), 'an existing file is left alone');
      assert.deepStrictEqual(fs.readdirSync(workspaceUri('throttled').fsPath).sort(), ['claudeRetry.ts', 'claudeRetryThrottle.ts']);

      // a helper with another name: the throttle file is named after it and imports its types from it
      await setSetting('claudeRequestLint', 'retryHelperPath', 'throttled-lib/retryCore.ts');
      const renamed = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.addRetryThrottle', doc.uri);
      assert.strictEqual(renamed.toString(), workspaceUri('throttled-lib/retryCoreThrottle.ts').toString());
      assert.strictEqual(fs.readFileSync(renamed.fsPath, 'utf8'), shippedThrottle('ts').replace("from './claudeRetry';", "from './retryCore';"));
      assert.notStrictEqual(shippedThrottle('ts').indexOf("from './claudeRetry';"), -1);

      // JavaScript with require(): the CommonJS copies, as .js
      await setSetting('claudeRequestLint', 'retryHelperPath', 'throttled-js/claudeRetry.ts');
      const cjs = await openCopy('legacy/support.js');
      const js = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.addRetryThrottle', cjs.uri);
      assert.strictEqual(js.toString(), workspaceUri('throttled-js/claudeRetryThrottle.js').toString());
      assert.strictEqual(fs.readFileSync(js.fsPath, 'utf8'), shippedThrottle('cjs'));
      assert.strictEqual(fs.readFileSync(workspaceUri('throttled-js/claudeRetry.js').fsPath, 'utf8'), shipped('cjs'));
    } finally {
      await setSetting('claudeRequestLint', 'retryHelperPath', undefined);
    }
  });

  it('Show Rule Documentation opens the page of the rule', async () => {
    const local = path.join(extension().extensionPath, 'docs', 'rules', 'missing-max-tokens.md');
    const opened = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.showRuleDocs', 'missing-max-tokens');
    if (fs.existsSync(local)) {
      assert.strictEqual(opened.fsPath, local);
      // the Markdown preview shows it
      await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label.includes('missing-max-tokens'))) || undefined, 'the preview tab');
    } else {
      assert.strictEqual(opened.toString(), 'https://github.com/claude-request-lint/claude-request-lint/blob/main/docs/rules/missing-max-tokens.md');
    }
  });

  it('Show Rule Documentation ignores ids that are not rule ids', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('claudeRequestLint.showRuleDocs', '../../etc/passwd'), undefined);
  });
});
