// The manifest's settings schema follows the rule table (one table drives docs, settings and --list-rules).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ruleMetas } from '../../../src/core/lint';

const root = path.resolve(__dirname, '../../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { rulesSettingSchema, RULES_SETTING } = require(path.join(root, 'scripts/sync-manifest.js'));

describe('extension manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  it('has one severity setting per rule, in the rule table order (node scripts/sync-manifest.js)', () => {
    const setting = manifest.contributes.configuration.properties[RULES_SETTING];
    assert.deepStrictEqual(setting, rulesSettingSchema(ruleMetas));
    assert.deepStrictEqual(Object.keys(setting.properties), ruleMetas.map((m) => m.id));
  });

  it('activates on the languages it lints and on its commands, with limited support in untrusted workspaces', () => {
    for (const l of ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'python']) assert.ok(manifest.activationEvents.includes(`onLanguage:${l}`));
    for (const c of ['lintWorkspace', 'insertRetryHelper', 'addRetryThrottle', 'showRuleDocs']) {
      assert.ok(manifest.activationEvents.includes(`onCommand:claudeRequestLint.${c}`));
      assert.ok(manifest.contributes.commands.some((x: { command: string }) => x.command === `claudeRequestLint.${c}`));
    }
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('keeps engines.vscode at or below the VS Code the tests run in', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { VERSIONS } = require(path.join(root, 'scripts/vscode-setup.js'));
    const m = /(\d+)\.(\d+)/.exec(manifest.engines.vscode);
    assert.ok(m);
    // code-server 4.x.y bundles VS Code 1.x.y
    const bundled = Number(/^4\.(\d+)/.exec(VERSIONS.codeServer)![1]);
    assert.ok(Number(m[2]) <= bundled, `engines.vscode ${manifest.engines.vscode} <= 1.${bundled}`);
  });
});
