import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, extension } from './util';

describe('activation', () => {
  it('activates without loading the lint engine, and reports how long it took', async () => {
    const a = await api();
    assert.strictEqual(extension().isActive, true);
    assert.strictEqual(a.engineLoadedAtActivation, false, 'the parser is loaded on the first lint, not during activation');
    assert.ok(a.activationMs >= 0);
    console.log(`      activation took ${a.activationMs.toFixed(1)} ms`);
  });

  it('registers every command the manifest contributes', async () => {
    await api();
    const contributed: Array<{ command: string }> = extension().packageJSON.contributes.commands;
    assert.ok(contributed.length >= 3);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of contributed) assert.ok(registered.has(c.command), `${c.command} is registered`);
    for (const c of ['claudeRequestLint.lintWorkspace', 'claudeRequestLint.insertRetryHelper', 'claudeRequestLint.showRuleDocs']) {
      assert.ok(contributed.some((x) => x.command === c), `${c} is contributed`);
    }
  });
});
