// The fault simulator inside a real VS Code: Start with a scenario and its status bar item, a terminal whose
// environment points a real Node app at it, the live view's timeline, the playground's built-in endpoint on the same server, and Stop
// saving the report.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import Anthropic from '@anthropic-ai/sdk';
import type { FaultLabStarted } from '../../src/extension/faultLab';
import type { LabReport } from '../../src/core/api/faultLab/requestLog';
import type { RequestDraft } from '../../src/extension/protocol';
import type { TimelineMessage } from '../../src/extension/faultLabView';

interface ViewState {
  posted: TimelineMessage[];
  received: unknown[];
  html: string;
}
import { api, extension, waitFor } from './util';

describe('fault simulator', () => {
  before(() => api());
  after(async () => {
    for (const t of vscode.window.terminals) if (t.name === 'Claude Fault Lab') t.dispose();
    await vscode.commands.executeCommand('claudeRequestLint.stopFaultSimulator', false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('starts with a scenario, shows a status bar item, and its terminal runs an app against it', async () => {
    const started = await vscode.commands.executeCommand<FaultLabStarted>('claudeRequestLint.startFaultSimulator', 'overloaded-burst', { failures: 1 });
    assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(started.statusBarText, /Claude faults: overloaded-burst/);

    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('claudeRequestLint.openSimulatorTerminal');
    const env = (terminal.creationOptions as vscode.TerminalOptions).env ?? {};
    assert.strictEqual(env.ANTHROPIC_BASE_URL, started.url);
    if (!process.env.ANTHROPIC_API_KEY) assert.strictEqual(env.ANTHROPIC_API_KEY, 'sk-ant-fault-lab-placeholder');

    // a real app started in that terminal reaches the simulator through the environment alone
    const app = path.join(extension().extensionPath, 'test/fixtures/fault-lab/node/no-retry.js');
    terminal.sendText(`"${process.execPath}" "${app}"`);
    const report = await waitFor(async () => {
      const r = await api().then((a) => a.faultLabReport());
      return r && r.requests.length >= 1 && r.verdicts.length >= 1 ? r : undefined;
    }, 'the app in the terminal to call the simulator');
    assert.deepStrictEqual(report.requests.map((r) => r.status), [529]);
    assert.deepStrictEqual(report.verdicts.map((v) => v.kind), ['no-retry']);

    // the live view: its page starts (says ready) and gets the timeline with that request and verdict
    await vscode.commands.executeCommand('claudeRequestLint.showFaultSimulatorTimeline');
    const view = await waitFor(async () => {
      const v = await vscode.commands.executeCommand<ViewState | undefined>('_claudeRequestLint.faultLabViewTestHook');
      return v && v.received.some((m) => (m as { type?: unknown }).type === 'ready') && v.posted.some((m) => m.timeline.calls.length > 0) ? v : undefined;
    }, 'the live view to start and show the request');
    assert.match(view.html, /Content-Security-Policy" content="default-src 'none'; style-src [^;]+; script-src 'nonce-[A-Za-z0-9]{32}'; font-src [^;]+; img-src [^;]+ data:"/);
    assert.match(view.html, /<link rel="stylesheet" href="[^"]+\/dist\/codicons\/codicon\.css">/);
    // the page's codicons: the font loaded under the CSP
    const font = await waitFor(async () => {
      const v = await vscode.commands.executeCommand<ViewState | undefined>('_claudeRequestLint.faultLabViewTestHook');
      return v?.received.find((m) => (m as { type?: unknown }).type === 'fontStatus');
    }, 'the live view to report the codicon font');
    assert.deepStrictEqual(font, { type: 'fontStatus', codicons: 'loaded' });
    const last = view.posted[view.posted.length - 1];
    assert.strictEqual(last.running, true);
    assert.strictEqual(last.url, started.url);
    assert.deepStrictEqual(last.timeline.calls.map((c) => c.attempts.map((a) => a.status)), [[529]]);
    // the scenario faulted that answer itself (no proxy): the timeline says so, as the report does
    assert.deepStrictEqual(last.timeline.calls.map((c) => c.attempts.map((a) => [a.faulted, a.forwarded])), [[[true, false]]]);
    assert.deepStrictEqual(last.timeline.verdicts.map((v) => v.kind), ['no-retry']);
  });

  it('stops and saves the report; the playground endpoint is the same server', async () => {
    const started = await vscode.commands.executeCommand<FaultLabStarted>('claudeRequestLint.startFaultSimulator', 'rate-limited', { failures: 1, retryAfter: 0.2 });
    // an SDK client with its default retries honours retry-after: no verdict
    const client = new Anthropic({ apiKey: 'test', baseURL: started.url });
    const msg = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'from the test' }] });
    assert.strictEqual(msg.type, 'message');
    // the playground's built-in endpoint is this server: its send shows up in the same log
    await vscode.commands.executeCommand('claudeRequestLint.openPlayground');
    const draft: RequestDraft = {
      endpoint: 'simulated',
      scenario: 'rate-limited',
      scenarioOptionsJson: '{"failures": 2, "retryAfter": 0.05}',
      baseURL: '',
      model: 'claude-haiku-4-5',
      maxTokens: 64,
      system: '',
      messagesJson: JSON.stringify([{ role: 'user', content: 'from the playground' }]),
      stream: false,
      retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50, maxElapsedMs: 30000 },
    };
    await vscode.commands.executeCommand('_claudeRequestLint.playgroundTestHook', 'post', { type: 'send', draft });
    const file = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fault-lab-')), 'report.json'));
    const report = await vscode.commands.executeCommand<LabReport>('claudeRequestLint.stopFaultSimulator', file);
    assert.deepStrictEqual(report.requests.map((r) => [r.status, r.retryAfter]), [
      [429, '0.2'],
      [200, undefined],
      [429, '0.05'],
      [429, '0.05'],
      [200, undefined],
    ]);
    assert.deepStrictEqual(report.verdicts, []);
    const saved = JSON.parse(fs.readFileSync(file.fsPath, 'utf8')) as LabReport;
    assert.deepStrictEqual(saved.requests.map((r) => r.status), [429, 200, 429, 429, 200]);
    assert.strictEqual(await api().then((a) => a.faultLabReport()), undefined, 'stopped');
  });
});
