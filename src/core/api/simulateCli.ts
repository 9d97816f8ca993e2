// `simulate` (also `claude-request-lint simulate`): the fault lab on the command line. Runs the simulated
// Messages API, optionally runs the app under test against it, and judges what the app did.
//   node dist/simulate.js --scenario overloaded-burst --port 8787 --option failures=3
//   claude-request-lint simulate --scenario rate-limited --report lab.json -- npm test
// Without a command: prints `listening on URL` first, one line per request, and on SIGINT/SIGTERM the
// verdicts; exit 0. With a command: the command's exit code when non-zero, else 1 with verdicts, else 0.
// Exit 2 for bad arguments, 1 when the server cannot start, 127 when the command cannot be found.

import {
  COMMON_SCENARIO_OPTIONS,
  SCENARIOS,
  ScenarioError,
  ScenarioOptions,
  validateScenario,
} from './simulatedServer';
import { FaultLab, formatVerdicts, startFaultLab, writeReport } from './faultLab/lab';
import type { LabRequest } from './faultLab/requestLog';
import { parseUpstream } from './faultLab/proxy';
import { labEnv, runCommand } from './faultLab/runCommand';
import { DEFAULT_MAX_ATTEMPTS } from './faultLab/verdicts';

const HELP = `Usage: simulate [--scenario NAME] [--option key=value]... [--port N] [--report FILE]
                [--max-attempts N] [--proxy URL] [--host HOST] [--time-scale X] [--quiet] [-- COMMAND ARGS...]
       simulate --list
       simulate --help

The fault lab: a local HTTP server that speaks Claude's Messages API (POST /v1/messages, JSON and SSE),
injects faults, and judges how the app that calls it retries (the verdicts).

Without COMMAND it serves until interrupted; the first line printed is "listening on URL"; Ctrl-C
(SIGINT) or SIGTERM writes the report, prints the verdicts and exits 0.
With COMMAND it starts on a free port, runs COMMAND with ANTHROPIC_BASE_URL pointing at the server
(and ANTHROPIC_API_KEY set to a placeholder when unset), prints the verdicts and writes the report;
its own lines then go to stderr. Exit code: COMMAND's when non-zero, else 1 with any verdict, else 0.

Options:
  --scenario NAME     fault scenario for every request (default: ok); see --list
  --option key=value  a scenario option, repeatable; values are JSON (3, true, "always") or plain text
  --port N            port to listen on (default: 8787 without COMMAND, a free port with it; 0 picks one)
  --host HOST         address to listen on (default: 127.0.0.1)
  --report FILE       write the report (JSON: requests and verdicts) to FILE
  --max-attempts N    more attempts than this for one call is a retry-amplified verdict (default: ${DEFAULT_MAX_ATTEMPTS})
  --proxy URL         answer what the scenario lets through from URL (the API or a gateway); the app's
                      own key is passed on, never logged or written
  --time-scale X      multiply every delay and retry-after value by X (default: 1)
  --quiet             do not log each request
  --list              list the scenarios and their options
  --help              show this help

Faults count per logical call (the same method, path and body): failures=2 fails the first two
attempts of every call. --option share=0.25 injects the faults into a quarter of the calls only, chosen
at random per call (--option seed=N makes the choice repeatable); the others pass untouched, or go to
the --proxy endpoint.

A single request can choose its own scenario with the headers
  x-simulate-scenario: NAME
  x-simulate-options: {"failures": 3}
`;

export interface CliArgs {
  scenario: string;
  port: number;
  /** --port was given (with a command the default is a free port). */
  portGiven: boolean;
  host: string;
  report?: string;
  maxAttempts: number;
  proxy?: string;
  /** The command after `--`, if any. */
  command?: string[];
  options: ScenarioOptions;
  timeScale: number;
  quiet: boolean;
  list: boolean;
  help: boolean;
}

export class UsageError extends Error {}

function parseOptionValue(raw: string): number | string | boolean {
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  } catch {
    // plain text
  }
  return raw;
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    scenario: 'ok',
    port: 8787,
    portGiven: false,
    host: '127.0.0.1',
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    options: {},
    timeScale: 1,
    quiet: false,
    list: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      const command = argv.slice(i + 1);
      if (command.length === 0) throw new UsageError('-- must be followed by a command to run.');
      args.command = command;
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--scenario':
        args.scenario = value();
        break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${v}".`);
        args.port = n;
        args.portGiven = true;
        break;
      }
      case '--report':
        args.report = value();
        break;
      case '--max-attempts': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--max-attempts must be an integer >= 1, got "${v}".`);
        args.maxAttempts = Number(v);
        break;
      }
      case '--proxy': {
        const v = value();
        try {
          parseUpstream(v);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        args.proxy = v;
        break;
      }
      case '--host':
        args.host = value();
        break;
      case '--option': {
        const v = value();
        const at = v.indexOf('=');
        if (at <= 0) throw new UsageError(`--option expects key=value, got "${v}".`);
        args.options[v.slice(0, at)] = parseOptionValue(v.slice(at + 1));
        break;
      }
      case '--time-scale': {
        const v = value();
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--time-scale must be a number >= 0, got "${v}".`);
        args.timeScale = n;
        break;
      }
      case '--quiet':
        args.quiet = true;
        break;
      case '--list':
        args.list = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new UsageError(`Unknown argument "${arg}". Run with --help for usage.`);
    }
  }
  return args;
}

export function formatScenarioList(): string {
  const lines: string[] = ['Scenarios (choose with --scenario NAME or the x-simulate-scenario header):', ''];
  const describe = (o: (typeof COMMON_SCENARIO_OPTIONS)[number]) =>
    `      ${o.name}=${o.default === undefined ? '(unset)' : JSON.stringify(o.default)}  ${o.description}`;
  for (const s of SCENARIOS) {
    lines.push(`  ${s.name.padEnd(18)}${s.description}`);
    for (const o of s.options) lines.push(describe(o));
  }
  lines.push('', 'Options of every scenario:');
  for (const o of COMMON_SCENARIO_OPTIONS) lines.push(describe(o));
  return lines.join('\n');
}

function formatRequest(r: LabRequest): string {
  const status = r.status === 0 ? 'reset' : String(r.status);
  const note = r.outcome === 'stream-error' ? ' (error event mid-stream)' : '';
  const wait = r.retryAfterMs !== undefined ? `  retry-after-ms ${r.retryAfterMs}` : r.retryAfter !== undefined ? `  retry-after ${r.retryAfter}` : '';
  const source = r.forwarded ? (r.faulted ? '  forwarded, delayed' : '  forwarded') : '';
  return `${r.time}  ${r.method} ${r.path}  ${r.scenario.padEnd(16)}  ${status.padEnd(5)}  ${r.requestId}${r.streamed ? '  stream' : ''}${note}${wait}${source}  #${r.index}`;
}

function errorMessage(e: unknown, args: CliArgs): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${args.port} on ${args.host} is in use; choose another with --port (0 picks a free one)`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${args.host}: no such address on this machine`;
  return `cannot listen on ${args.host}:${args.port}: ${(e as Error).message}`;
}

/** Writes the report (if asked) and the verdicts; returns false when the report could not be written. */
function finish(lab: FaultLab, args: CliArgs, out: (s: string) => void): { ok: boolean; verdicts: number } {
  const report = lab.report();
  out(formatVerdicts(report.verdicts, report.requests.length));
  let ok = true;
  if (args.report) {
    try {
      writeReport(args.report, report);
      out(`report written to ${args.report}\n`);
    } catch (e) {
      process.stderr.write(`simulate: cannot write the report to ${args.report}: ${(e as Error).message}\n`);
      ok = false;
    }
  }
  return { ok, verdicts: report.verdicts.length };
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
    validateScenario(args.scenario, args.options);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScenarioError) {
      process.stderr.write(`simulate: ${e.message}\n`);
      if (e instanceof ScenarioError) process.stderr.write('Run with --list to see the scenarios and their options.\n');
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.list) {
    process.stdout.write(formatScenarioList() + '\n');
    return 0;
  }

  const command = args.command;
  if (command && !args.portGiven) args.port = 0;
  // with a command, stdout belongs to it: the lab's own lines go to stderr
  const out = (s: string) => void (command ? process.stderr : process.stdout).write(s);
  let lab: FaultLab;
  try {
    lab = await startFaultLab({
      port: args.port,
      host: args.host,
      scenario: args.scenario,
      scenarioOptions: args.options,
      timeScale: args.timeScale,
      maxAttempts: args.maxAttempts,
      proxy: args.proxy ? parseUpstream(args.proxy) : undefined,
      onRequest: args.quiet ? undefined : (r) => out(formatRequest(r) + '\n'),
    });
  } catch (e) {
    process.stderr.write(`simulate: ${errorMessage(e, args)}\n`);
    return 1;
  }
  const opts = Object.keys(args.options).length ? ` ${JSON.stringify(args.options)}` : '';
  const scale = args.timeScale !== 1 ? `, time scale ${args.timeScale}` : '';
  const proxied = args.proxy ? `, forwarding to ${parseUpstream(args.proxy).origin}` : '';
  // one write, so that whoever reads the first line has the rest of the banner too
  const banner = [`listening on ${lab.url}`, `Simulated Messages API: scenario ${args.scenario}${opts}${scale}${proxied}`];

  if (command) {
    out(banner.join('\n') + '\n');
    const result = await runCommand(command[0], command.slice(1), labEnv(lab.url));
    await lab.close();
    if (result.reason) process.stderr.write(`simulate: ${result.reason}\n`);
    const done = finish(lab, args, out);
    if (result.exitCode !== 0) return result.exitCode;
    return done.verdicts > 0 || !done.ok ? 1 : 0;
  }

  out(
    [
      ...banner,
      'Point the SDK at it:',
      `  new Anthropic({ baseURL: '${lab.url}', apiKey: 'test' })`,
      `  or set ANTHROPIC_BASE_URL=${lab.url}`,
      'Per request: headers x-simulate-scenario: NAME and x-simulate-options: {json}. Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      lab.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out(`Stopped after ${lab.server.stats.total} request(s).\n`);
  const done = finish(lab, args, out);
  return done.ok ? 0 : 1;
}

/** Runs `simulate` as a process: the exit code once stdout and stderr are flushed. */
export function runSimulateCli(argv: string[]): void {
  const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  main(argv).then(exit, (e) => {
    process.stderr.write(`simulate: ${(e as Error).stack ?? e}\n`);
    exit(1);
  });
}

// Run directly only as dist/simulate.js: bundled into the main CLI, `module` is that CLI's module too.
if (require.main === module && /simulate(Cli)?\.js$/.test(require.main.filename)) runSimulateCli(process.argv.slice(2));
