// The project configuration file `.claude-request-lint.json`: discovery, loading, validation and merging.
//
// Discovery: the nearest `.claude-request-lint.json` in the file's directory or any directory above it
// (up to the filesystem root). Only that nearest file applies: files do not cascade.
//
// Merging with editor settings: the project file is what CI and the CLI use. Editor settings are per user
// and override the project file only where the user set a value: `mergeConfig(projectFile, userSettings)`
// takes each field from the override when it is defined; `rules` merge per rule id; `retryWrappers` are
// combined (the names are extra wrappers, so every name from either side counts).

import * as fs from 'fs';
import * as path from 'path';
import { LineIndex } from './lineIndex';
import type { SeveritySetting } from './rule';

export const CONFIG_FILE_NAME = '.claude-request-lint.json';

/** Same shape as LintConfig in ./index (kept here so the loader does not depend on the engine). */
export interface ProjectConfig {
  rules?: Record<string, SeveritySetting>;
  sdkVersion?: string;
  maxTokensDefault?: number;
  retryWrappers?: string[];
  retryHelperModule?: string;
}

export class ConfigError extends Error {
  constructor(
    /** The file (or other source) the configuration came from. */
    readonly source: string,
    /** One entry per problem, each naming the key, e.g. `rules.role-order: ...`. */
    readonly problems: string[],
  ) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'off'];
const KNOWN_KEYS = ['$schema', 'rules', 'sdkVersion', 'maxTokensDefault', 'retryWrappers', 'retryHelperModule'];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}${
    typeof value === 'number' || typeof value === 'boolean' ? ` (${String(value)})` : ''
  }`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const VERSION_RE = /^v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/;

export interface ValidateOptions {
  /** Rule ids the engine knows; a rule id not in this list is an error. Omit to accept any id. */
  knownRules?: Iterable<string>;
}

/**
 * Checks a parsed configuration object and returns it typed. Throws ConfigError listing every problem,
 * each naming its key, with `source` (usually the file path) in the message.
 */
export function validateConfig(obj: unknown, source: string, options: ValidateOptions = {}): ProjectConfig {
  const problems: string[] = [];
  if (!isPlainObject(obj)) throw new ConfigError(source, [`the configuration must be a JSON object, not ${describe(obj)}`]);
  const known = options.knownRules ? new Set(options.knownRules) : undefined;
  const out: ProjectConfig = {};

  for (const key of Object.keys(obj)) {
    if (!KNOWN_KEYS.includes(key)) {
      problems.push(`${key}: unknown key (allowed: ${KNOWN_KEYS.filter((k) => k !== '$schema').join(', ')})`);
    }
  }

  if ('rules' in obj) {
    const rules = obj.rules;
    if (!isPlainObject(rules)) problems.push(`rules: must be an object of rule id → severity, not ${describe(rules)}`);
    else {
      const r: Record<string, SeveritySetting> = {};
      for (const [id, sev] of Object.entries(rules)) {
        let ok = true;
        if (known && !known.has(id)) {
          problems.push(`rules.${id}: unknown rule id (known rules: ${[...known].join(', ')})`);
          ok = false;
        }
        if (typeof sev !== 'string' || !SEVERITIES.includes(sev)) {
          problems.push(`rules.${id}: severity must be one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}, not ${describe(sev)}`);
          ok = false;
        }
        if (ok) r[id] = sev as SeveritySetting;
      }
      out.rules = r;
    }
  }

  if ('sdkVersion' in obj) {
    const v = obj.sdkVersion;
    if (typeof v !== 'string') problems.push(`sdkVersion: must be a version string such as "1.12.0", not ${describe(v)}`);
    else if (!VERSION_RE.test(v.trim())) problems.push(`sdkVersion: ${JSON.stringify(v)} is not a version such as "1.12.0" or "0.37"`);
    else out.sdkVersion = v.trim();
  }

  if ('maxTokensDefault' in obj) {
    const v = obj.maxTokensDefault;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      problems.push(`maxTokensDefault: must be a positive integer, not ${describe(v)}`);
    } else out.maxTokensDefault = v;
  }

  if ('retryWrappers' in obj) {
    const v = obj.retryWrappers;
    if (!Array.isArray(v)) problems.push(`retryWrappers: must be an array of function names, not ${describe(v)}`);
    else {
      const names: string[] = [];
      v.forEach((name, i) => {
        if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name)) {
          problems.push(`retryWrappers[${i}]: must be a function name such as "withRetry", not ${describe(name)}`);
        } else names.push(name);
      });
      out.retryWrappers = names;
    }
  }

  if ('retryHelperModule' in obj) {
    const v = obj.retryHelperModule;
    if (typeof v !== 'string' || v.trim() === '') problems.push(`retryHelperModule: must be a non-empty string, not ${describe(v)}`);
    else out.retryHelperModule = v;
  }

  if (problems.length) throw new ConfigError(source, problems);
  return out;
}

/** Line and column of a character offset, for JSON syntax errors. */
function lineCol(text: string, offset: number): string {
  const { line, column } = new LineIndex(text).position(offset);
  return `${line}:${column}`;
}

/** Reads and validates a configuration file. Throws ConfigError (never anything else) naming the file. */
export function loadConfigFile(file: string, options: ValidateOptions = {}): ProjectConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`]);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const where = m ? ` at ${lineCol(text, Number(m[1]))}` : '';
    throw new ConfigError(file, [`not valid JSON${where}: ${msg}`]);
  }
  return validateConfig(obj, file, options);
}

/**
 * The nearest `.claude-request-lint.json` at or above `start` (a file or a directory), or null.
 * Stops at the filesystem root.
 */
export function findConfigFile(start: string): string | null {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir); // a path that does not exist yet: start from its parent
  }
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * `override` wins field by field where it is defined; `rules` merge per id; `retryWrappers` are combined.
 * Neither argument is modified.
 */
export function mergeConfig<T extends ProjectConfig>(base: T | undefined, override: T | undefined): T {
  const b = (base ?? {}) as T;
  const o = (override ?? {}) as T;
  const out = { ...b } as T;
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  if (b.rules || o.rules) out.rules = { ...(b.rules ?? {}), ...(o.rules ?? {}) };
  if (b.retryWrappers || o.retryWrappers) {
    out.retryWrappers = [...new Set([...(b.retryWrappers ?? []), ...(o.retryWrappers ?? [])])];
  }
  return out;
}

/**
 * Finds and loads configuration files for many files, caching the lookup per directory and each file's
 * parsed contents. Errors are cached too, so a bad file is reported once by the caller.
 */
export class ConfigResolver {
  private readonly dirToFile = new Map<string, string | null>();
  private readonly loaded = new Map<string, ProjectConfig | ConfigError>();

  constructor(private readonly options: ValidateOptions = {}) {}

  /** The config file that applies to `filePath` (null if none). */
  configFileFor(filePath: string): string | null {
    const dir = path.dirname(path.resolve(filePath));
    return this.lookup(dir);
  }

  private lookup(dir: string): string | null {
    const cached = this.dirToFile.get(dir);
    if (cached !== undefined) return cached;
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    let found: string | null;
    if (isFile(candidate)) found = candidate;
    else {
      const parent = path.dirname(dir);
      found = parent === dir ? null : this.lookup(parent);
    }
    this.dirToFile.set(dir, found);
    return found;
  }

  /** Loads (once) a config file; throws the cached ConfigError on every call for a bad file. */
  load(file: string): ProjectConfig {
    let c = this.loaded.get(file);
    if (c === undefined) {
      try {
        c = loadConfigFile(file, this.options);
      } catch (e) {
        c = e instanceof ConfigError ? e : new ConfigError(file, [String(e)]);
      }
      this.loaded.set(file, c);
    }
    if (c instanceof ConfigError) throw c;
    return c;
  }

  /** The configuration for a file: its nearest config file's contents, or {} when there is none. */
  configFor(filePath: string): { file: string | null; config: ProjectConfig } {
    const file = this.configFileFor(filePath);
    return { file, config: file ? this.load(file) : {} };
  }
}
