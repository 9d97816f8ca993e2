// `claude-request-lint simulate` as a process: serving until a signal, bad input, a busy port, a missing
// command, and --proxy in front of a second local server standing in for the API.

import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import Anthropic from '@anthropic-ai/sdk';
import type { LabReport } from '../../../../src/core/api/faultLab/requestLog';
import { SECRET_KEY, appsDir, cliBundle, ensureCliBundle, root, runLab, runLabAsync } from './runLab';
import { seededRandom } from '../../../../src/core/api/simulated/counters';

const simulate = (args: string[]) =>
  spawnSync(process.execPath, [cliBundle, 'simulate', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });

describe('fault lab: the simulate command', function () {
  this.timeout(90_000);
  before(() => ensureCliBundle());

  it('serves until SIGTERM: "listening on" first, then the verdicts and the report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-lab-'));
    const reportFile = path.join(dir, 'report.json');
    const child = spawn(process.execPath, [cliBundle, 'simulate', '--port', '0', '--scenario', 'overloaded-burst', '--option', 'failures=1', '--report', reportFile], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', () => reject(new Error(`exited before listening: ${out}`)));
      });
      // retries off and no other retry: one 529 and nothing more
      const client = new Anthropic({ apiKey: SECRET_KEY, baseURL: url, maxRetries: 0 });
      await assert.rejects(client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }));
      child.kill('SIGTERM');
      assert.strictEqual(await exited, 0);
      assert.match(out, /^  no-retry: Request #0 was answered with 529/m);
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as LabReport;
      assert.deepStrictEqual(report.requests.map((r) => r.status), [529]);
      assert.deepStrictEqual(report.verdicts.map((v) => [v.kind, v.requests]), [['no-retry', [0]]]);
      assert.ok(!fs.readFileSync(reportFile, 'utf8').includes(SECRET_KEY));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a clear message for an unknown scenario or option, also before a command', () => {
    const scenario = simulate(['--scenario', 'tsunami', '--', 'node', '-e', '0']);
    assert.strictEqual(scenario.status, 2);
    assert.match(scenario.stderr, /Unknown scenario "tsunami"\. Valid scenarios: ok, rate-limited/);
    const option = simulate(['--scenario', 'rate-limited', '--option', 'failurez=2', '--', 'node', '-e', '0']);
    assert.strictEqual(option.status, 2);
    assert.match(option.stderr, /Unknown option "failurez" for scenario "rate-limited"\. Valid options: failures/);
    assert.strictEqual(simulate(['--max-attempts', '0']).status, 2);
    assert.strictEqual(simulate(['--proxy', 'ftp://example.com']).status, 2);
    for (const [value, shown] of [['1.5', '1.5'], ['half', '"half"']]) {
      const share = simulate(['--scenario', 'overloaded-burst', '--option', `share=${value}`, '--proxy', 'http://127.0.0.1:9', '--', 'node', '-e', '0']);
      assert.strictEqual(share.status, 2, `share=${value}`);
      assert.ok(share.stderr.includes(`Option "share" of scenario "overloaded-burst" must be a number from 0 to 1, got ${shown}.`), share.stderr);
    }
    assert.strictEqual(simulate(['--option', 'seed=x']).status, 2);
    assert.match(simulate(['--']).stderr, /-- must be followed by a command/);
  });

  it('says so when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = simulate(['--port', String(port), '--', 'node', '-e', '0']);
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      blocker.close();
    }
  });

  it('exits 127 with the reason when the command is not found, and passes the command exit code on', () => {
    const missing = simulate(['--', 'no-such-command-for-the-fault-lab']);
    assert.strictEqual(missing.status, 127);
    assert.match(missing.stderr, /command not found: no-such-command-for-the-fault-lab/);
    const failing = simulate(['--', process.execPath, '-e', 'process.exit(7)']);
    assert.strictEqual(failing.status, 7);
    // the command sees the lab's URL and a placeholder key when none is set
    const env = { ...process.env, ANTHROPIC_API_KEY: '' };
    const probe = spawnSync(
      process.execPath,
      [cliBundle, 'simulate', '--', process.execPath, '-e', 'console.log(process.env.ANTHROPIC_BASE_URL + " " + process.env.ANTHROPIC_API_KEY)'],
      { cwd: root, encoding: 'utf8', env, timeout: 30_000 },
    );
    assert.strictEqual(probe.status, 0, probe.stderr);
    const m = /^listening on (\S+)$/m.exec(probe.stderr);
    assert.ok(m, probe.stderr);
    assert.strictEqual(probe.stdout.trim(), `${m[1]} sk-ant-fault-lab-placeholder`);
  });

  it('--proxy: faults on top, the rest answered by the real endpoint with the app key passed through', async () => {
    const seen: { path: string; key: string }[] = [];
    const upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const auth = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '');
        seen.push({ path: req.url ?? '', key: auth });
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string };
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_upstream' });
        res.end(
          JSON.stringify({
            id: 'msg_upstream',
            type: 'message',
            role: 'assistant',
            model: body.model,
            content: [{ type: 'text', text: 'answer from the upstream endpoint' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: 3, output_tokens: 5 },
          }),
        );
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as net.AddressInfo).port;
    try {
      // spawnSync would block this process, and with it the upstream server: run the lab asynchronously
      const run = await new Promise<ReturnType<typeof runLab>>((resolve, reject) => {
        setImmediate(() => {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-lab-'));
          const reportFile = path.join(dir, 'report.json');
          const child = spawn(
            process.execPath,
            [cliBundle, 'simulate', '--scenario', 'overloaded-burst', '--option', 'failures=1', '--proxy', `http://127.0.0.1:${port}`, '--report', reportFile, '--', 'node', path.join(appsDir, 'node', 'well-behaved.js')],
            { cwd: root, env: { ...process.env, ANTHROPIC_API_KEY: SECRET_KEY }, stdio: ['ignore', 'pipe', 'pipe'] },
          );
          let stdout = '';
          let stderr = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
          child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          child.on('error', reject);
          child.on('exit', (status) => {
            const reportText = fs.readFileSync(reportFile, 'utf8');
            fs.rmSync(dir, { recursive: true, force: true });
            resolve({ status, stdout, stderr, reportText, report: JSON.parse(reportText) as LabReport });
          });
        });
      });
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(run.stdout, /answer from the upstream endpoint/);
      assert.deepStrictEqual(run.report.requests.map((r) => r.status), [529, 200]);
      assert.strictEqual(seen.length, 1, 'the injected 529 never reached the endpoint');
      assert.strictEqual(seen[0].path, '/v1/messages');
      assert.match(seen[0].key, new RegExp(SECRET_KEY), "the app's own key reached the endpoint");
      assert.ok(!run.reportText.includes(SECRET_KEY) && !run.stderr.includes(SECRET_KEY) && !run.stdout.includes(SECRET_KEY));
      assert.match(run.stderr, /forwarding to http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      upstream.close();
    }
  });

  it('--proxy with --option share and seed: a share of the calls faulted, the report says which were forwarded', async () => {
    const prompts: string[] = [];
    const upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: { content: string }[] };
        prompts.push(body.messages[0].content);
        res.writeHead(200, { 'content-type': 'application/json' });
        const content = [{ type: 'text', text: `from the endpoint (${body.messages[0].content})` }];
        res.end(JSON.stringify({ id: 'msg_up', type: 'message', role: 'assistant', model: body.model, content, stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`;
    try {
      const options = ['--option', 'failures=1', '--option', 'retryAfterMs=20', '--option', 'share=0.5', '--option', 'seed=7'];
      const run = await runLabAsync(['--scenario', 'overloaded-burst', ...options, '--proxy', url], ['node', path.join(appsDir, 'node', 'several-calls.js'), '6']);
      assert.strictEqual(run.status, 0, run.stderr);
      const die = seededRandom(7);
      const chosen = Array.from({ length: 6 }, () => die() < 0.5);
      assert.deepStrictEqual(
        run.report.requests.map((r) => [r.status, r.faulted, r.forwarded]),
        chosen.flatMap((f) => (f ? [[529, true, false], [200, false, true]] : [[200, false, true]])),
      );
      assert.deepStrictEqual(prompts, ['call 0', 'call 1', 'call 2', 'call 3', 'call 4', 'call 5']);
      assert.match(run.stdout, /^call 5: from the endpoint \(call 5\)$/m);
      assert.strictEqual((run.stderr.match(/  forwarded  #\d+$/gm) ?? []).length, 6, run.stderr);
      assert.deepStrictEqual(run.report.verdicts, []);
      assert.ok(!run.reportText.includes(SECRET_KEY) && !run.stderr.includes(SECRET_KEY) && !run.stdout.includes(SECRET_KEY));
    } finally {
      upstream.close();
    }
  });
});
