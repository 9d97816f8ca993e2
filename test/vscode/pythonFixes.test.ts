// Python in the real editor: the unguarded-retry diagnostic on a call whose client has max_retries=0, and
// "Wrap in with_retry": claude_retry.py written byte-identical to the shipped copy where the module can import
// it, the import added (plain beside a script, relative inside a package), the call wrapped, and both files
// compile with python -m py_compile. A second run changes nothing.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../src/extension/protocol';
import { api, applyAction, closeAll, codeActions, diagnosticOf, expected, extension, noDiagnosticOf, openCopy, waitFor, workspaceUri } from './util';

const HOOK = '_claudeRequestLint.playgroundTestHook';

function pyCompile(...files: string[]): void {
  // throws with Python's message when a file does not compile
  execFileSync(process.env.PYTHON || 'python3', ['-m', 'py_compile', ...files], { stdio: 'pipe' });
}

const cases = [
  { file: 'py/unguarded.py', expected: 'unguarded.wrap.py', helper: 'py/claude_retry.py', title: 'Wrap in with_retry (retries 429, 5xx and connection errors with backoff)' },
  // a module of a package, awaiting an AsyncAnthropic call: a relative import, and the await stays in front
  { file: 'py/bot/replies.py', expected: 'replies.wrap.py', helper: 'py/bot/claude_retry.py', title: 'Wrap in async_with_retry (retries 429, 5xx and connection errors with backoff)' },
];

describe('Python quick fixes with the retry helper', () => {
  before(() => api());
  afterEach(() => closeAll());

  for (const c of cases) {
    it(`${c.file}: "${c.title.split(' (')[0]}" writes claude_retry.py as shipped, imports it and wraps the call, once`, async () => {
      const shipped = fs.readFileSync(path.join(extension().extensionPath, 'dist', 'retry', 'claude_retry.py'));
      const doc = await openCopy(c.file);
      const d = await diagnosticOf(doc, 'unguarded-retry');
      const action = (await codeActions(doc.uri, d.range)).find((a) => a.title === c.title);
      assert.ok(action, `the wrap is offered; got ${JSON.stringify((await codeActions(doc.uri, d.range)).map((a) => a.title))}`);
      assert.strictEqual(action.command?.command, '_claudeRequestLint.applyRetryFix');
      await applyAction(action);
      assert.strictEqual(doc.getText(), expected(c.expected));
      const helper = workspaceUri(c.helper).fsPath;
      assert.ok(fs.readFileSync(helper).equals(shipped), 'claude_retry.py is the shipped file, byte for byte');
      await doc.save();
      pyCompile(doc.uri.fsPath, helper);
      await noDiagnosticOf(doc, 'unguarded-retry');
      // the same fix again (a stale menu) changes nothing
      assert.strictEqual(await vscode.commands.executeCommand(action.command!.command, ...(action.command!.arguments ?? [])), false);
      assert.strictEqual(doc.getText(), expected(c.expected));
      // "Insert Retry Helper" now finds everything in place
      const inserted = await vscode.commands.executeCommand<vscode.Uri>('claudeRequestLint.insertRetryHelper', doc.uri);
      assert.strictEqual(inserted.fsPath, helper);
      assert.ok(fs.readFileSync(helper).equals(shipped));
      assert.strictEqual(doc.getText(), expected(c.expected), 'the import is left as it is');
    });
  }

  it('Send Test Request on a Python call (its CodeLens) fills the playground from its keyword arguments; Copy as Python', async () => {
    const doc = await openCopy('py/unguarded.py');
    await diagnosticOf(doc, 'unguarded-retry');
    const lens = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return lenses.find((l) => l.command?.command === 'claudeRequestLint.sendTestRequest');
    }, 'a "Send test request" CodeLens on the Python call');
    assert.strictEqual(lens.range.start.line, 7);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(lens.command!.command, ...(lens.command!.arguments ?? [])), true);
    const st = await vscode.commands.executeCommand<{ posted: HostToWebview[] } | undefined>(HOOK, 'state');
    const load = [...(st?.posted ?? [])].reverse().find((m) => m.type === 'loadDraft');
    if (load?.type !== 'loadDraft') return assert.fail('no loadDraft');
    assert.strictEqual(load.draft.model, 'claude-sonnet-4-6');
    assert.strictEqual(load.draft.maxTokens, 256);
    // the question is a parameter: not known, left out and named
    assert.match(load.note ?? '', /not known from the code \(fill in by hand\): messages/);
    const after = await vscode.commands.executeCommand<{ posted: HostToWebview[] } | undefined>(HOOK, 'post', { type: 'copy', format: 'python', draft: load.draft });
    const notice = [...(after?.posted ?? [])].reverse().find((m) => m.type === 'notice');
    if (notice?.type !== 'notice') return assert.fail('no notice');
    assert.strictEqual(notice.level, 'info');
    assert.match(notice.message, /Copied the request as Python/);
    const copied = await vscode.env.clipboard.readText();
    assert.match(copied, /client = anthropic\.Anthropic\(api_key=os\.environ\["ANTHROPIC_API_KEY"\], max_retries=0\)/);
    assert.match(copied, /"model": "claude-sonnet-4-6"/);
  });
});
