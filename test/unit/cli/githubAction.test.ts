// The GitHub Action (action.yml): its inputs, and its lint step run here the way the runner runs it:
// the step's `run:` script through bash, with the step's env block (INPUT_* from the inputs) and a
// GITHUB_OUTPUT file, in a project that has the packed CLI installed.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { installedCli, repoRoot, tempDir } from './cliPackage';
import { parseYaml, YamlValue } from './miniYaml';
import { checkSarif } from './sarifCheck';

type Obj = { [key: string]: YamlValue };
const obj = (v: YamlValue | undefined): Obj => {
  assert.ok(v && typeof v === 'object' && !Array.isArray(v), `expected a map, got ${JSON.stringify(v)}`);
  return v as Obj;
};

const action = obj(parseYaml(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')));
const inputs = obj(action.inputs);
const steps = obj(action.runs).steps as Obj[];
const lintStep = steps.find((s) => s.id === 'lint')!;

const script = require(path.join(repoRoot, 'scripts', 'github-action.js')) as {
  cliCommand(cwd: string, version: string): string[];
  splitPaths(value: string): string[];
  commandLines(inputs: Record<string, unknown>, cli: string[]): string[][];
};

/** Replaces `${{ inputs.x }}` and `${{ github.action_path }}` the way the runner does. */
function expand(text: string, given: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'github.action_path') return repoRoot;
    const m = /^inputs\.([\w-]+)$/.exec(expr);
    assert.ok(m, `unexpected expression ${expr}`);
    return given[m[1]] ?? String(obj(inputs[m[1]]).default ?? '');
  });
}

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Runs the lint step as the runner would, in `project` (its working-directory input applied). */
function runLintStep(project: string, given: Record<string, string>): StepRun {
  const outputFile = path.join(tempDir('out-'), 'github_output');
  fs.writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: project };
  for (const [k, v] of Object.entries(obj(lintStep.env))) env[k] = expand(v as string, given);
  const cwd = path.resolve(project, expand(lintStep['working-directory'] as string, given));
  const r = spawnSync('bash', ['-e', '-c', expand(lintStep.run as string, given)], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(outputFile, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

describe('GitHub Action (action.yml)', function () {
  this.timeout(600_000);

  it('declares the inputs with defaults, a composite run, SARIF upload and a final failing step', () => {
    for (const name of ['paths', 'fail-on', 'config', 'format', 'sarif-file', 'upload-sarif', 'working-directory', 'version', 'node-version']) {
      const input = obj(inputs[name]);
      assert.ok(typeof input.description === 'string' && input.description.length > 10, `${name} has a description`);
      assert.ok('default' in input, `${name} has a default`);
    }
    assert.strictEqual(obj(inputs['fail-on']).default, 'error');
    assert.strictEqual(obj(inputs.format).default, 'github');
    assert.strictEqual(obj(action.runs).using, 'composite');
    // every input the lint step needs reaches it as INPUT_<NAME>
    const env = obj(lintStep.env);
    for (const name of ['paths', 'fail-on', 'config', 'format', 'sarif-file', 'version']) {
      assert.strictEqual(env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${name} }}`);
    }
    assert.strictEqual(lintStep.shell, 'bash');
    const upload = steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.ok(upload, 'a step uploads the SARIF report');
    assert.strictEqual(obj(upload.with).sarif_file, '${{ steps.lint.outputs.sarif-file }}');
    assert.ok(steps.indexOf(upload) > steps.indexOf(lintStep));
    const last = steps[steps.length - 1];
    assert.strictEqual(last.if, "steps.lint.outputs.exit-code == '1'");
    assert.match(last.run as string, /exit 1\s*$/);
  });

  it('finds the CLI: the project install, else npx with the action version; splits paths', () => {
    const { project, bin } = installedCli();
    assert.deepStrictEqual(script.cliCommand(project, ''), [path.join(project, 'node_modules', '.bin', path.basename(bin))]);
    const nested = path.join(project, 'packages', 'api');
    fs.mkdirSync(nested, { recursive: true });
    assert.deepStrictEqual(script.cliCommand(nested, ''), [path.join(project, 'node_modules', '.bin', path.basename(bin))]);
    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
    assert.deepStrictEqual(script.cliCommand(tempDir('bare-'), ''), ['npx', '--yes', `claude-request-lint@${version}`]);
    assert.deepStrictEqual(script.cliCommand(project, '9.9.9'), ['npx', '--yes', 'claude-request-lint@9.9.9']);
    assert.deepStrictEqual(script.splitPaths('src lib'), ['src', 'lib']);
    assert.deepStrictEqual(script.splitPaths('src/my app\nlib\n'), ['src/my app', 'lib']);
  });

  describe('the lint step on a fixture', () => {
    let project: string;
    beforeEach(() => {
      const cli = installedCli();
      project = tempDir('action-');
      fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'ci'), project, { recursive: true });
      fs.symlinkSync(path.join(cli.project, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    });

    it('defaults: annotations in the log, a valid SARIF file, exit-code 1 for the error', () => {
      const r = runLintStep(project, {});
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /^::error file=src\/chat\.ts,line=7,col=10,.*title=missing-max-tokens::/m);
      assert.match(r.stdout, /^::warning file=src\/summarize\.ts,line=11,.*title=sampling-params::/m);
      assert.strictEqual(r.outputs['exit-code'], '1');
      const sarifFile = path.join(project, 'claude-request-lint.sarif');
      assert.strictEqual(r.outputs['sarif-file'], sarifFile);
      const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
      assert.deepStrictEqual(checkSarif(log), []);
      assert.deepStrictEqual(
        log.runs[0].results.map((x: { ruleId: string }) => x.ruleId),
        ['missing-max-tokens', 'sampling-params'],
      );
    });

    it('fail-on, config, paths, format and working-directory inputs', () => {
      fs.writeFileSync(path.join(project, 'warn-only.json'), JSON.stringify({ sdkVersion: '1.12.0', rules: { 'missing-max-tokens': 'off' } }));
      const warnOnly = { config: 'warn-only.json' };
      assert.strictEqual(runLintStep(project, { ...warnOnly }).outputs['exit-code'], '0');
      const strict = runLintStep(project, { ...warnOnly, 'fail-on': 'warning' });
      assert.strictEqual(strict.outputs['exit-code'], '1');
      assert.match(strict.stderr, /too many warnings: 1 \(--max-warnings 0\)/);
      assert.strictEqual(runLintStep(project, { 'fail-on': 'never' }).outputs['exit-code'], '0');

      const text = runLintStep(project, { paths: 'src/ask.js\nsrc/chat.ts', format: 'text', 'sarif-file': 'reports/lint.sarif' });
      assert.strictEqual(text.outputs['exit-code'], '1');
      assert.match(text.stdout, /^src\/chat\.ts:7:10 error /m);
      assert.match(text.stdout, /^1 problem \(1 error, 0 warnings, 0 infos\) in 2 files$/m);
      assert.ok(fs.existsSync(path.join(project, 'reports', 'lint.sarif')));

      // a subfolder as working directory: paths and the SARIF file are relative to it, annotations to the
      // workspace, and the CLI installed at the project root is found from there
      const sub = runLintStep(project, { 'working-directory': 'src', paths: 'chat.ts' });
      assert.strictEqual(sub.outputs['sarif-file'], path.join(project, 'src', 'claude-request-lint.sarif'));
      assert.match(sub.stdout, /^::error file=src\/chat\.ts,/m);
    });

    it('bad input: the step fails with exit 2 and one line, and writes no SARIF', () => {
      fs.writeFileSync(path.join(project, 'broken.json'), '{ "rules": [');
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ config: 'broken.json' }, /^claude-request-lint: invalid configuration in .*broken\.json: /],
        [{ paths: 'no-such-dir' }, /^claude-request-lint: no such file or directory: no-such-dir$/],
        [{ format: 'junit' }, /^claude-request-lint: format must be one of github, text, json, sarif, not "junit"$/],
        [{ 'fail-on': 'info' }, /^claude-request-lint: fail-on must be one of error, warning, never, not "info"$/],
      ];
      for (const [given, says] of cases) {
        const r = runLintStep(project, given);
        assert.strictEqual(r.status, 2, JSON.stringify(given));
        assert.match(r.stderr.trim(), says);
        assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.deepStrictEqual(r.outputs, {});
        assert.ok(!fs.existsSync(path.join(project, 'claude-request-lint.sarif')), 'no SARIF written');
      }
    });
  });
});
