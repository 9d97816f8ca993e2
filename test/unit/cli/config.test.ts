import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CONFIG_FILE_NAME,
  ConfigError,
  ConfigResolver,
  findConfigFile,
  loadConfigFile,
  mergeConfig,
  ProjectConfig,
  validateConfig,
} from '../../../src/core/lint/config';

const knownRules = ['missing-max-tokens', 'role-order', 'sampling-params'];

function problemsOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ConfigError');
}

describe('config: validateConfig', () => {
  it('accepts a complete valid configuration', () => {
    const cfg = validateConfig(
      {
        $schema: './schema.json',
        rules: { 'missing-max-tokens': 'error', 'role-order': 'off', 'sampling-params': 'info' },
        sdkVersion: '0.37',
        maxTokensDefault: 2048,
        retryWrappers: ['withBackoff', 'utils.retry'],
        retryHelperModule: './lib/claudeRetry',
      },
      'x.json',
      { knownRules },
    );
    assert.deepStrictEqual(cfg, {
      rules: { 'missing-max-tokens': 'error', 'role-order': 'off', 'sampling-params': 'info' },
      sdkVersion: '0.37',
      maxTokensDefault: 2048,
      retryWrappers: ['withBackoff', 'utils.retry'],
      retryHelperModule: './lib/claudeRetry',
    });
  });

  it('names the source and every bad key', () => {
    const e = problemsOf(() =>
      validateConfig(
        {
          rules: { 'no-such-rule': 'error', 'role-order': 'fatal', 'sampling-params': 2 },
          sdkVersion: 1.2,
          maxTokensDefault: -3,
          retryWrappers: 'withRetry',
          colour: true,
        },
        'proj/.claude-request-lint.json',
        { knownRules },
      ),
    );
    assert.strictEqual(e.source, 'proj/.claude-request-lint.json');
    assert.ok(e.message.includes('proj/.claude-request-lint.json'));
    const joined = e.problems.join('\n');
    assert.match(joined, /rules\.no-such-rule: unknown rule id/);
    assert.match(joined, /rules\.role-order: severity must be one of "error", "warning", "info", "off", not the string "fatal"/);
    assert.match(joined, /rules\.sampling-params: severity .* not a number \(2\)/);
    assert.match(joined, /sdkVersion: must be a version string/);
    assert.match(joined, /maxTokensDefault: must be a positive integer/);
    assert.match(joined, /retryWrappers: must be an array/);
    assert.match(joined, /colour: unknown key/);
    assert.strictEqual(e.problems.length, 7);
  });

  it('rejects non-objects and wrong nested types without crashing', () => {
    for (const bad of [null, 42, 'x', [], { rules: [] }, { rules: null }, { retryWrappers: [1] }, { sdkVersion: 'banana' }]) {
      const e = problemsOf(() => validateConfig(bad, 'cfg.json', { knownRules }));
      assert.ok(e.problems.length >= 1);
    }
  });

  it('accepts any rule id when no list of known rules is given', () => {
    assert.deepStrictEqual(validateConfig({ rules: { anything: 'warning' } }, 'x'), { rules: { anything: 'warning' } });
  });
});

describe('config: files', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-config-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds the nearest config file from a file or a directory, and null when there is none', () => {
    const deep = path.join(tmp, 'a', 'b', 'c');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'x.ts'), '');
    // nothing in the temporary tree: the answer is whatever lies above it (normally nothing)
    assert.strictEqual(findConfigFile(path.join(deep, 'x.ts')), findConfigFile(path.dirname(tmp)));
    fs.writeFileSync(path.join(tmp, 'a', CONFIG_FILE_NAME), '{}');
    assert.strictEqual(findConfigFile(path.join(deep, 'x.ts')), path.join(tmp, 'a', CONFIG_FILE_NAME));
    assert.strictEqual(findConfigFile(deep), path.join(tmp, 'a', CONFIG_FILE_NAME));
    fs.writeFileSync(path.join(tmp, 'a', 'b', CONFIG_FILE_NAME), '{}');
    assert.strictEqual(findConfigFile(path.join(deep, 'x.ts')), path.join(tmp, 'a', 'b', CONFIG_FILE_NAME));
    // a directory with that name is not a config file
    fs.mkdirSync(path.join(deep, CONFIG_FILE_NAME));
    assert.strictEqual(findConfigFile(deep), path.join(tmp, 'a', 'b', CONFIG_FILE_NAME));
  });

  it('reports JSON syntax errors with the file and position', () => {
    const f = path.join(tmp, CONFIG_FILE_NAME);
    fs.writeFileSync(f, '{\n  "rules": {\n    "role-order": "off",\n  }\n}\n');
    const e = problemsOf(() => loadConfigFile(f, { knownRules }));
    assert.ok(e.message.includes(f));
    assert.match(e.problems[0], /not valid JSON at 4:3/);
  });

  it('reports a missing file by name, and validates what it loads', () => {
    const missing = path.join(tmp, 'nope.json');
    assert.match(problemsOf(() => loadConfigFile(missing)).message, /nope\.json[\s\S]*file not found/);
    const f = path.join(tmp, CONFIG_FILE_NAME);
    fs.writeFileSync(f, '\ufeff{"rules": {"role-order": "warn"}}');
    assert.match(problemsOf(() => loadConfigFile(f, { knownRules })).problems[0], /rules\.role-order: severity/);
    fs.writeFileSync(f, '{"rules": {"role-order": "warning"}, "sdkVersion": "1.12.0"}');
    assert.deepStrictEqual(loadConfigFile(f, { knownRules }), { rules: { 'role-order': 'warning' }, sdkVersion: '1.12.0' });
  });

  it('ConfigResolver caches lookups and reports a bad file on every use', () => {
    fs.mkdirSync(path.join(tmp, 'good', 'src'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'bad'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'good', CONFIG_FILE_NAME), '{"maxTokensDefault": 4096}');
    fs.writeFileSync(path.join(tmp, 'bad', CONFIG_FILE_NAME), '{"maxTokensDefault": "lots"}');
    const r = new ConfigResolver({ knownRules });
    assert.deepStrictEqual(r.configFor(path.join(tmp, 'good', 'src', 'a.ts')).config, { maxTokensDefault: 4096 });
    assert.throws(() => r.configFor(path.join(tmp, 'bad', 'a.ts')), /maxTokensDefault/);
    assert.throws(() => r.configFor(path.join(tmp, 'bad', 'b.ts')), ConfigError);
  });
});

describe('config: mergeConfig', () => {
  it('the override wins only where it sets a value; rules merge per id; wrappers combine', () => {
    const project: ProjectConfig = {
      rules: { 'role-order': 'error', 'sampling-params': 'warning' },
      sdkVersion: '0.37.0',
      maxTokensDefault: 1024,
      retryWrappers: ['withRetry'],
    };
    const user: ProjectConfig = { rules: { 'role-order': 'off' }, maxTokensDefault: undefined, retryWrappers: ['backoff', 'withRetry'] };
    const merged = mergeConfig(project, user);
    assert.deepStrictEqual(merged, {
      rules: { 'role-order': 'off', 'sampling-params': 'warning' },
      sdkVersion: '0.37.0',
      maxTokensDefault: 1024,
      retryWrappers: ['withRetry', 'backoff'],
    });
    assert.deepStrictEqual(project.rules, { 'role-order': 'error', 'sampling-params': 'warning' }, 'inputs untouched');
    assert.deepStrictEqual(mergeConfig(undefined, { sdkVersion: '1.0.0' }), { sdkVersion: '1.0.0' });
    assert.deepStrictEqual(mergeConfig({ sdkVersion: '1.0.0' }, undefined), { sdkVersion: '1.0.0' });
  });
});
