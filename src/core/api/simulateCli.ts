// `simulate`: runs the simulated Messages API from the command line.
//   node dist/simulate.js --scenario overloaded-burst --port 8787 --option failures=3
// Prints the URL and how to point the SDK at it, then one line per request. Ctrl-C stops it.
// Exit codes: 0 after a clean stop, 2 for bad arguments, 1 when the server cannot start.

import {
  COMMON_SCENARIO_OPTIONS,
  SCENARIOS,
  ScenarioError,
  ScenarioOptions,
  RequestRecord,
  startSimulatedServer,
  validateScenario,
} from './simulatedServer';

const HELP = `Usage: simulate [--scenario NAME] [--port N] [--host HOST] [--option key=value]... [--time-scale X]
       simulate --list
       simulate --help

Runs a local HTTP server that speaks Claude's Messages API (POST /v1/messages, JSON and SSE)
and injects faults on demand, so retry and streaming code can be tried without a real key.

Options:
  --scenario NAME     fault scenario for every request (default: ok); see --list
  --port N            port to listen on (default: 8787; 0 picks a free port)
  --host HOST         address to listen on (default: 127.0.0.1)
  --option key=value  a scenario option, repeatable; values are JSON (3, true, "always") or plain text
  --time-scale X      multiply every delay and retry-after value by X (default: 1)
  --quiet             do not log each request
  --list              list the scenarios and their options
  --help              show this help

A single request can choose its own scenario with the headers
  x-simulate-scenario: NAME
  x-simulate-options: {"failures": 3}
`;

export interface CliArgs {
  scenario: string;
  port: number;
  host: string;
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
  const args: CliArgs = { scenario: 'ok', port: 8787, host: '127.0.0.1', options: {}, timeScale: 1, quiet: false, list: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
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

function formatRecord(r: RequestRecord): string {
  const status = r.status === 0 ? 'reset' : String(r.status);
  const note = r.outcome === 'stream-error' ? ' (error event mid-stream)' : '';
  return `${new Date(r.time).toISOString()}  ${r.method} ${r.path}  ${r.scenario.padEnd(16)}  ${status.padEnd(5)}  ${r.requestId}${r.stream ? '  stream' : ''}${note}`;
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

  let server;
  try {
    server = await startSimulatedServer({
      port: args.port,
      host: args.host,
      scenario: args.scenario,
      scenarioOptions: args.options,
      timeScale: args.timeScale,
      onRequest: args.quiet ? undefined : (r) => process.stdout.write(formatRecord(r) + '\n'),
    });
  } catch (e) {
    process.stderr.write(`simulate: cannot listen on ${args.host}:${args.port}: ${(e as Error).message}\n`);
    return 1;
  }
  const opts = Object.keys(args.options).length ? ` ${JSON.stringify(args.options)}` : '';
  process.stdout.write(
    [
      `Simulated Messages API listening on ${server.url} (scenario: ${args.scenario}${opts}${args.timeScale !== 1 ? `, time scale ${args.timeScale}` : ''})`,
      'Point the SDK at it:',
      `  new Anthropic({ baseURL: '${server.url}', apiKey: 'test' })`,
      'Per request: headers x-simulate-scenario: NAME and x-simulate-options: {json}. Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write(`Stopped after ${server.stats.total} request(s).\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`simulate: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
