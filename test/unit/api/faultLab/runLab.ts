// Runs `claude-request-lint simulate ... -- COMMAND` as a real process for the fault lab tests.

import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LabReport } from '../../../../src/core/api/faultLab/requestLog';

export const root = path.resolve(__dirname, '../../../../..');
export const cliBundle = path.join(root, 'dist/cli.js');
export const appsDir = path.join(root, 'test/fixtures/fault-lab');
/** A key the apps run with; it must never appear in the lab's output or report. */
export const SECRET_KEY = 'sk-ant-api03-fault-lab-test-secret-0123456789';

/** Builds dist/ when the CLI bundle is older than the fault lab's sources (npm test builds it first). */
export function ensureCliBundle(): void {
  const dir = path.join(root, 'src/core/api');
  const inDir = (sub: string) => fs.readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f));
  const sources = [path.join(root, 'src/cli.ts'), ...inDir('.'), ...inDir('faultLab'), ...inDir('simulated')]
    .filter((p) => p.endsWith('.ts'))
    .map((p) => fs.statSync(p).mtimeMs);
  if (fs.existsSync(cliBundle) && fs.statSync(cliBundle).mtimeMs >= Math.max(...sources)) return;
  const r = spawnSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `build failed: ${r.stderr}`);
}

export interface LabRun {
  status: number | null;
  stdout: string;
  stderr: string;
  report: LabReport;
  reportText: string;
}

/** Runs `simulate [args] --report TMP -- command...` and reads the report it wrote. */
export function runLab(args: string[], command: string[], env: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: SECRET_KEY }): LabRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-lab-'));
  const reportFile = path.join(dir, 'report.json');
  try {
    const r = spawnSync(process.execPath, [cliBundle, 'simulate', ...args, '--report', reportFile, '--', ...command], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 150_000,
    });
    assert.ok(fs.existsSync(reportFile), `no report written (exit ${r.status}): ${r.stderr}`);
    const reportText = fs.readFileSync(reportFile, 'utf8');
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, reportText, report: JSON.parse(reportText) as LabReport };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * runLab without blocking this process, for tests that serve something in it (a stand-in for the API) while
 * the lab runs.
 */
export function runLabAsync(args: string[], command: string[], env: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: SECRET_KEY }): Promise<LabRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-lab-'));
  const reportFile = path.join(dir, 'report.json');
  return new Promise<LabRun>((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, 'simulate', ...args, '--report', reportFile, '--', ...command], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        assert.ok(fs.existsSync(reportFile), `no report written (exit ${status}): ${stderr}`);
        const reportText = fs.readFileSync(reportFile, 'utf8');
        resolve({ status, stdout, stderr, reportText, report: JSON.parse(reportText) as LabReport });
      } catch (e) {
        reject(e);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

export interface AppCase {
  /** File name without extension, in kebab case (Node) or snake case (Python). */
  name: string;
  args: string[];
  kinds: string[];
  exitCode: number;
}

/** One well-behaved app and one app per verdict kind, with the scenario that shows its fault. */
export const APP_CASES: AppCase[] = [
  { name: 'well-behaved', args: ['--scenario', 'overloaded-burst'], kinds: [], exitCode: 0 },
  { name: 'no-retry', args: ['--scenario', 'overloaded-burst', '--option', 'failures=1'], kinds: ['no-retry'], exitCode: 1 },
  { name: 'no-backoff', args: ['--scenario', 'overloaded-burst', '--option', 'failures=3'], kinds: ['no-backoff'], exitCode: 1 },
  // the app exits 4 after giving up: its own non-zero exit code wins over the verdicts' 1
  { name: 'retry-non-retryable', args: [], kinds: ['retry-non-retryable'], exitCode: 4 },
  { name: 'retry-amplified', args: ['--scenario', 'overloaded-burst', '--option', 'failures=4'], kinds: ['retry-amplified'], exitCode: 1 },
  {
    name: 'retry-before-retry-after',
    args: ['--scenario', 'rate-limited', '--option', 'failures=2', '--option', 'retryAfter=5'],
    kinds: ['retry-before-retry-after'],
    exitCode: 1,
  },
  { name: 'stream-replayed', args: ['--scenario', 'mid-stream-error', '--option', 'failures=1'], kinds: ['stream-replayed'], exitCode: 1 },
];

/** What every run's report must satisfy, whatever the app. */
export function assertReportShape(run: LabRun): void {
  assert.ok(!run.reportText.includes(SECRET_KEY), 'the report must never hold the key');
  assert.ok(!run.stderr.includes(SECRET_KEY) && !run.stdout.includes(SECRET_KEY), 'the output must never hold the key');
  assert.ok(run.report.requests.length > 0, 'the app sent no request');
  run.report.requests.forEach((r, i) => {
    assert.strictEqual(r.index, i);
    assert.strictEqual(r.path, '/v1/messages');
    assert.strictEqual(typeof r.streamed, 'boolean');
    assert.strictEqual(typeof r.status, 'number');
    assert.match(r.bodyHash, /^[0-9a-f]{16}$/);
    assert.ok(Date.parse(r.time) <= Date.parse(r.answeredAt));
    assert.strictEqual(typeof r.retryCount, 'number', 'both SDKs send x-stainless-retry-count');
  });
  for (const v of run.report.verdicts) {
    assert.ok(v.message.length > 0);
    for (const i of v.requests) assert.ok(i >= 0 && i < run.report.requests.length, `verdict refers to request ${i}`);
  }
}

/** The verdict kinds of a run, sorted, without repeats. */
export const kindsOf = (run: LabRun) => [...new Set(run.report.verdicts.map((v) => v.kind))].sort();
