import * as assert from 'assert';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Anthropic, { OverloadedError } from '@anthropic-ai/sdk';
import { SCENARIO_NAMES } from '../../../src/core/api/simulatedServer';
import { parseArgs } from '../../../src/core/api/simulateCli';

const root = path.resolve(__dirname, '../../../..');
const bundle = path.join(root, 'dist/simulate.js');

/** Builds dist/ when the bundle is missing or older than its sources (npm test builds it first). */
function ensureBundle(): void {
  const sources = ['src/core/api/simulateCli.ts', 'src/core/api/simulatedServer.ts'].map((p) => fs.statSync(path.join(root, p)).mtimeMs);
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= Math.max(...sources)) return;
  const r = spawnSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `build failed: ${r.stderr}`);
}

function run(args: string[]) {
  return spawnSync(process.execPath, [bundle, ...args], { cwd: root, encoding: 'utf8', timeout: 15_000 });
}

/** Starts the command and resolves once it has printed its URL. */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bundle, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        resolve({ child, url: m[1], output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`simulate exited with ${code} before listening: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('simulate command', function () {
  // each test starts Node processes; generous so a busy machine does not fail them
  this.timeout(60_000);
  const children: ChildProcess[] = [];

  before(() => ensureBundle());
  after(() => {
    for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid);
  });

  it('serves the chosen scenario, prints how to use it, logs requests and stops on SIGINT', async () => {
    const cli = await startCli(['--port', '0', '--scenario', 'overloaded-burst', '--option', 'failures=1']);
    children.push(cli.child);
    assert.match(cli.output(), /new Anthropic\(\{ baseURL: 'http:\/\/127\.0\.0\.1:\d+', apiKey: 'test' \}\)/);
    const client = new Anthropic({ apiKey: 'test', baseURL: cli.url, maxRetries: 0 });
    const params = { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'ping' }] };
    await assert.rejects(client.messages.create(params), (e: unknown) => e instanceof OverloadedError);
    const msg = await client.messages.create(params);
    assert.strictEqual(msg.type, 'message');
    cli.child.kill('SIGINT');
    assert.strictEqual(await exited(cli.child), 0);
    const lines = cli.output().split('\n');
    assert.ok(lines.some((l) => /^\d{4}-\d\d-\d\dT.*POST \/v1\/messages\s+overloaded-burst\s+529\s+req_/.test(l)), cli.output());
    assert.ok(lines.some((l) => /overloaded-burst\s+200\s+req_/.test(l)), cli.output());
    assert.match(cli.output(), /Stopped after 2 request\(s\)/);
  });

  it('exits 2 with the valid names for an unknown scenario', () => {
    const r = run(['--scenario', 'tsunami', '--port', '0']);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /Unknown scenario "tsunami"\. Valid scenarios: ok, rate-limited/);
  });

  it('exits 2 for bad options, ports and unknown flags', () => {
    const badOption = run(['--scenario', 'slow', '--option', 'speed=3', '--port', '0']);
    assert.strictEqual(badOption.status, 2);
    assert.match(badOption.stderr, /Unknown option "speed".*delayMs/);
    assert.strictEqual(run(['--port', 'eighty']).status, 2);
    assert.strictEqual(run(['--option', 'novalue']).status, 2);
    const unknown = run(['--verbose']);
    assert.strictEqual(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown argument "--verbose"/);
  });

  it('--list names every scenario and --help shows usage', () => {
    const list = run(['--list']);
    assert.strictEqual(list.status, 0);
    for (const name of SCENARIO_NAMES) assert.match(list.stdout, new RegExp(`^  ${name} `, 'm'));
    const help = run(['--help']);
    assert.strictEqual(help.status, 0);
    assert.match(help.stdout, /--scenario NAME/);
    assert.match(help.stdout, /x-simulate-scenario/);
  });

  it('parses option values as JSON where they are JSON', () => {
    const a = parseArgs(['--option', 'failures=always', '--option', 'retryAfter=0.5', '--option', 'countRejected=true', '--option', 'key=abc', '--time-scale=0.1']);
    assert.deepStrictEqual(a.options, { failures: 'always', retryAfter: 0.5, countRejected: true, key: 'abc' });
    assert.strictEqual(a.timeScale, 0.1);
    assert.strictEqual(a.port, 8787);
    assert.strictEqual(a.host, '127.0.0.1');
  });
});
