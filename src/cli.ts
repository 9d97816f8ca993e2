// The command line front end: `claude-request-lint [options] [PATH...]`.
// stdout carries only the report (so JSON and SARIF stay parseable); notes and errors go to stderr.
// Exit codes: 0 no error-severity finding, 1 at least one, 2 usage, configuration or internal error.

import * as fs from 'fs';
import * as path from 'path';
import { applyFixes, isPythonFile, lintNotebook, lintText, loadPythonParser, needsParse, prefilter, ruleMetas } from './core/lint/index';
import type { LintConfig, LintResult } from './core/lint/index';
import type { Finding, Fix } from './core/lint/rule';
import { ruleDocsUrl } from './core/lint/rule';
import { ConfigError, ConfigResolver, loadConfigFile } from './core/lint/config';
import { resolveSdkVersion } from './core/lint/sdkVersion';
import { resolveDependencies } from './core/lint/dependencies';
import { collectFiles } from './core/lint/walk';
import { diskProjectIndex } from './core/lint/project/diskIndex';
import { LocatedFinding, formatJson, formatSarif, formatText, locateFindings, summaryLine } from './core/lint/formatters';
import { isNotebookFile } from './core/lint/notebook';
import { formatGithub } from './core/lint/githubFormat';
import { outputPathProblem, parseMaxWarnings, tooManyWarnings, writeReportFile } from './cli/output';
import { runSimulateCli } from './core/api/simulateCli';
import { crossFileFixer, readDisk } from './cli/crossFileFix';

const NAME = 'claude-request-lint';
type Format = 'text' | 'json' | 'sarif' | 'github';
const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github'];
/** --fix re-lints and applies again until nothing changes, at most this many passes per file. */
const MAX_FIX_PASSES = 10;

const HELP = `Usage: ${NAME} [options] [PATH...]

Lints Claude Messages API calls in JavaScript, TypeScript and Python files.
PATH may be files or directories; with no PATH the current directory (.) is linted.
Directories are walked honouring .gitignore files; node_modules, .git and build output
(dist, out, build, .next, coverage) are skipped, and so are files over 2 MB.
Files named explicitly are linted even if a .gitignore excludes them.

Options:
  -f, --format <text|json|sarif|github>
                                  Report format (default: text); github prints
                                  GitHub Actions annotations
  -o, --output <file>             Write the report to this file instead of stdout
                                  (only when the run completes; notes stay on stderr)
      --max-warnings <n>          Also exit 1 when there are more than n warnings
  -c, --config <file>             Use this configuration file instead of the nearest
                                  .claude-request-lint.json above each file
      --fix                       Apply safe fixes to the files, then report what remains
      --list-rules                List the rules and exit
  -q, --quiet                     Report errors only (warnings and infos are hidden)
      --no-gitignore              Do not read .gitignore files
      --no-project                Judge each file on its own (no cross-file analysis of
                                  imported clients, retry wrappers and callers)
  -h, --help                      Show this help and exit
  -v, --version                   Show the version and exit

Exit codes: 0 no error-severity finding (and no more warnings than --max-warnings),
1 otherwise, 2 usage, configuration or internal error (a bad path, config or format
writes no report).
`;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

interface Options {
  format: Format;
  config?: string;
  output?: string;
  maxWarnings?: number;
  fix: boolean;
  listRules: boolean;
  quiet: boolean;
  gitignore: boolean;
  project: boolean;
  help: boolean;
  version: boolean;
  paths: string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { format: 'text', fix: false, listRules: false, quiet: false, gitignore: true, project: true, help: false, version: false, paths: [] };
  const value = (i: number, name: string, inline: string | undefined): [string, number] => {
    if (inline !== undefined) return [inline, i];
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${name} needs a value`);
    return [v, i + 1];
  };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      o.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const flag = () => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
    };
    switch (name) {
      case '-f':
      case '--format': {
        const [v, next] = value(i, name, inline);
        if (!FORMATS.includes(v as Format)) throw new UsageError(`unknown format "${v}" (use text, json, sarif or github)`);
        o.format = v as Format;
        i = next;
        break;
      }
      case '-c':
      case '--config': {
        const [v, next] = value(i, name, inline);
        o.config = v;
        i = next;
        break;
      }
      case '-o':
      case '--output': {
        const [v, next] = value(i, name, inline);
        o.output = v;
        i = next;
        break;
      }
      case '--max-warnings': {
        const [v, next] = value(i, name, inline);
        o.maxWarnings = parseMaxWarnings(v);
        if (o.maxWarnings === undefined) throw new UsageError(`--max-warnings needs a whole number, not "${v}"`);
        i = next;
        break;
      }
      case '--fix':
        flag();
        o.fix = true;
        break;
      case '--list-rules':
        flag();
        o.listRules = true;
        break;
      case '-q':
      case '--quiet':
        flag();
        o.quiet = true;
        break;
      case '--no-project':
        flag();
        o.project = false;
        break;
      case '--no-gitignore':
        flag();
        o.gitignore = false;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '-v':
      case '--version':
        o.version = true;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  return o;
}

/** The product version, from the package.json the running file ships in. */
function productVersion(): string {
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg && pkg.name === NAME && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // keep looking upwards
    }
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

function listRules(format: Format): string {
  if (format === 'json' || format === 'sarif') {
    return (
      JSON.stringify(
        ruleMetas.map((m) => ({ id: m.id, defaultSeverity: m.defaultSeverity, fixable: m.fixable, description: m.description, docs: ruleDocsUrl(m.id) })),
        null,
        2,
      ) + '\n'
    );
  }
  const w = Math.max(4, ...ruleMetas.map((m) => m.id.length));
  let out = `${'rule'.padEnd(w)}  severity  fixable  description\n`;
  for (const m of ruleMetas) {
    out += `${m.id.padEnd(w)}  ${m.defaultSeverity.padEnd(8)}  ${(m.fixable ? 'yes' : 'no').padEnd(7)}  ${m.description}\n`;
  }
  return out;
}

/** The one fix --fix applies for a finding: its first safe fix, unless that fix needs the retry helper. */
export function chooseFix(f: Finding): { fix?: Fix; needsHelper: boolean } {
  const safe = (f.fixes ?? []).filter((x) => x.safe);
  const plain = safe.find((x) => !x.needsRetryHelper);
  if (plain) return { fix: plain, needsHelper: false };
  return { needsHelper: safe.length > 0 };
}

export interface FixTextResult {
  text: string;
  /** How many fixes were applied over all passes. */
  fixed: number;
  /** Findings left with a safe fix that was not applied because it needs the retry helper file. */
  helperFixesSkipped: number;
  /** The lint result for the final text. */
  result: LintResult;
}

/**
 * Applies safe fixes and lints again until nothing more applies (fixes that overlapped in one pass get
 * their turn in the next), at most MAX_FIX_PASSES times. Fixes that need the retry helper are skipped:
 * the CLI does not write the helper file.
 */
export function fixText(
  text: string,
  lint: (text: string) => LintResult,
  apply: (text: string, fixes: Fix[]) => { text: string; applied: Fix[]; otherFilesChanged?: boolean },
): FixTextResult {
  let result = lint(text);
  let fixed = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = result.findings.map((f) => chooseFix(f).fix).filter((f): f is Fix => f !== undefined);
    if (fixes.length === 0) break;
    const applied = apply(text, fixes);
    if (applied.applied.length === 0 || (applied.text === text && !applied.otherFilesChanged)) break;
    text = applied.text;
    fixed += applied.applied.length;
    result = lint(text);
  }
  const helperFixesSkipped = result.findings.filter((f) => chooseFix(f).needsHelper).length;
  return { text, fixed, helperFixesSkipped, result };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A configuration error on one line: the file, then each problem. */
function configErrorLine(e: ConfigError): string {
  return `invalid configuration in ${e.source}: ${e.problems.join('; ')}`;
}

export function runCli(argv: readonly string[], io: CliIo): number {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${NAME}: ${e.message}; run '${NAME} --help' for usage\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    io.stdout(HELP);
    return 0;
  }
  if (opts.version) {
    io.stdout(`${productVersion()}\n`);
    return 0;
  }
  if (opts.output !== undefined) {
    const problem = outputPathProblem(opts.output, io.cwd);
    if (problem) {
      io.stderr(`${NAME}: ${problem}\n`);
      return 2;
    }
  }
  if (opts.listRules) {
    if (opts.output === undefined) {
      io.stdout(listRules(opts.format));
      return 0;
    }
    try {
      writeReportFile(opts.output, io.cwd, listRules(opts.format));
    } catch (e) {
      io.stderr(`${NAME}: cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
    return 0;
  }

  const knownRules = ruleMetas.map((m) => m.id);
  let fixedConfig: LintConfig | undefined;
  if (opts.config !== undefined) {
    try {
      fixedConfig = loadConfigFile(path.resolve(io.cwd, opts.config), { knownRules });
    } catch (e) {
      io.stderr(`${NAME}: ${e instanceof ConfigError ? configErrorLine(e) : String(e)}\n`);
      return 2;
    }
  }

  const paths = opts.paths.length ? opts.paths : ['.'];
  const walk = collectFiles(paths, {
    cwd: io.cwd,
    gitignore: opts.gitignore,
    onSkip: (s) => io.stderr(`${NAME}: skipped ${s.path}: ${s.detail}\n`),
  });
  if (walk.missing.length) {
    for (const m of walk.missing) io.stderr(`${NAME}: no such file or directory: ${m}\n`);
    return 2;
  }

  // Resolve every file's configuration before linting, so a bad config file stops the run up front.
  const resolver = new ConfigResolver({ knownRules });
  const configs = new Map<string, LintConfig>();
  const badConfigs = new Map<string, ConfigError>();
  for (const file of walk.files) {
    if (fixedConfig) {
      configs.set(file, fixedConfig);
      continue;
    }
    try {
      configs.set(file, resolver.configFor(path.resolve(io.cwd, file)).config);
    } catch (e) {
      const err = e instanceof ConfigError ? e : new ConfigError('configuration', [String(e)]);
      badConfigs.set(err.source, err);
    }
  }
  if (badConfigs.size) {
    for (const err of badConfigs.values()) io.stderr(`${NAME}: ${configErrorLine(err)}\n`);
    return 2;
  }
  if (walk.files.length === 0) io.stderr(`${NAME}: no JavaScript or TypeScript files found in ${paths.join(', ')}\n`);

  // The project index over the files given: imported clients, retry wrappers and callers in other files.
  const project = opts.project ? diskProjectIndex(walk.files.filter((f) => !isNotebookFile(f)).map((f) => path.resolve(io.cwd, f))) : undefined;

  const report: LocatedFinding[] = [];
  let internalError = false;
  // the text of another file a related location points into (the client's module, the wrapper's file)
  const readRelated = (abs: string): string | undefined => {
    try {
      return fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  };
  let fixedProblems = 0;
  let helperFixesSkipped = 0;
  /** Files --fix wrote: linted files and the other files their fixes edit. */
  const changedFiles = new Set<string>();

  for (const file of walk.files) {
    const abs = path.resolve(io.cwd, file);
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      io.stderr(`${NAME}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      internalError = true;
      continue;
    }
    if (isNotebookFile(abs)) {
      const options = { fileName: abs, config: configs.get(file), sdkVersion: /anthropic/.test(text) ? resolveSdkVersion(abs) : null, project };
      const nb = lintNotebook(text, options);
      if (nb.error) io.stderr(`${NAME}: ${file}: skipped, ${nb.error}\n`);
      for (const err of nb.internalErrors ?? []) {
        io.stderr(`${NAME}: internal error while linting ${file}: ${err}\n`);
        internalError = true;
      }
      if (nb.pending) {
        io.stderr(`${NAME}: internal error while linting ${file}: the Python parser is not loaded\n`);
        internalError = true;
      }
      report.push(...locateFindings(file, text, nb.findings, readRelated));
      continue;
    }
    // the SDK version only matters to a file the engine will parse: skip the lookup for the rest
    const options = { fileName: abs, config: configs.get(file), sdkVersion: needsParse(text, abs) ? resolveSdkVersion(abs) : null, dependencies: needsParse(text, abs) ? resolveDependencies(abs) : null, project };
    try {
      let result: LintResult;
      if (opts.fix) {
        // fixes may also edit another file (where an imported client is made): written once per pass
        const fixer = crossFileFixer({
          file: abs,
          shownAs: file,
          cwd: io.cwd,
          read: readDisk,
          write: (other, t) => {
            fs.writeFileSync(other, t);
            changedFiles.add(other);
          },
          changed: (other) => project?.invalidate(other),
          note: (line) => io.stderr(`${NAME}: ${line}\n`),
        });
        const fixed = fixText(text, (t) => lintText(t, options), project ? (t, fixes) => fixer.apply(t, fixes) : applyFixes);
        result = fixed.result;
        helperFixesSkipped += fixed.helperFixesSkipped;
        fixedProblems += fixed.fixed;
        if (fixed.text !== text) {
          text = fixed.text;
          fs.writeFileSync(abs, text);
          project?.invalidate(abs);
          changedFiles.add(abs);
        }
      } else {
        result = lintText(text, options);
      }
      if (result.pending) {
        io.stderr(`${NAME}: internal error while linting ${file}: the Python parser is not loaded\n`);
        internalError = true;
      }
      for (const err of result.internalErrors ?? []) {
        io.stderr(`${NAME}: internal error while linting ${file}: ${err}\n`);
        internalError = true;
      }
      report.push(...locateFindings(file, text, result.findings, readRelated));
    } catch (e) {
      io.stderr(`${NAME}: internal error while linting ${file}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      internalError = true;
    }
  }

  const shown = opts.quiet ? report.filter((f) => f.severity === 'error') : report;
  // In text format on stdout the fix summary is part of the report; otherwise it goes to stderr.
  const note = opts.format === 'text' && opts.output === undefined ? io.stdout : io.stderr;
  if (opts.fix) {
    note(`fixed ${plural(fixedProblems, 'problem')} in ${plural(changedFiles.size, 'file')}\n`);
    if (helperFixesSkipped) {
      note(
        `${plural(helperFixesSkipped, 'fix')} not applied: ${helperFixesSkipped === 1 ? 'it needs' : 'they need'} the shared retry helper file; apply ${helperFixesSkipped === 1 ? 'it' : 'them'} with the editor's quick fix, which also adds the helper\n`,
      );
    }
  }
  let out: string;
  switch (opts.format) {
    case 'json':
      out = formatJson(shown);
      break;
    case 'sarif':
      out = formatSarif(shown, { rules: ruleMetas, toolVersion: productVersion(), baseDir: io.cwd });
      break;
    case 'github':
      out = formatGithub(shown, { cwd: io.cwd, workspace: process.env.GITHUB_WORKSPACE }, walk.files.length);
      break;
    default:
      out = formatText(shown) + `${summaryLine(shown, walk.files.length)}\n`;
  }
  if (opts.output === undefined) {
    io.stdout(out);
  } else {
    try {
      writeReportFile(opts.output, io.cwd, out);
    } catch (e) {
      io.stderr(`${NAME}: cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
  }
  if (internalError) return 2;
  if (report.some((f) => f.severity === 'error')) return 1;
  // as in ESLint, --quiet hides warnings from the count as well as from the report
  const tooMany = tooManyWarnings(shown.filter((f) => f.severity === 'warning').length, opts.maxWarnings);
  if (tooMany) {
    io.stderr(`${NAME}: ${tooMany}\n`);
    return 1;
  }
  return 0;
}

/** Whether any file the command line names is a Python file the engine will parse (then its parser must load first). */
function lintsPython(argv: readonly string[], io: CliIo): boolean {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch {
    return false;
  }
  if (opts.help || opts.version || opts.listRules) return false;
  const walk = collectFiles(opts.paths.length ? opts.paths : ['.'], { cwd: io.cwd, gitignore: opts.gitignore });
  return walk.files.some((f) => {
    const notebook = isNotebookFile(f);
    if (!isPythonFile(f) && !notebook) return false;
    try {
      const text = fs.readFileSync(path.resolve(io.cwd, f), 'utf8');
      // with the project index, a call whose client is imported from another module is linted too
      return notebook ? /anthropic/.test(text) : needsParse(text, f) || (opts.project && prefilter(text, f));
    } catch {
      return false;
    }
  });
}

/** runCli, after loading the Python parser when a Python file will be linted (its load is asynchronous). */
export async function runCliAsync(argv: readonly string[], io: CliIo): Promise<number> {
  if (lintsPython(argv, io)) await loadPythonParser();
  return runCli(argv, io);
}

// `claude-request-lint simulate ...`: the fault lab (src/core/api/simulateCli.ts)
if (require.main === module && process.argv[2] === 'simulate') runSimulateCli(process.argv.slice(3));
else if (require.main === module) {
  const io: CliIo = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    cwd: process.cwd(),
  };
  runCliAsync(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${NAME}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
