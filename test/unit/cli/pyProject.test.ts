// End to end: the bundled CLI (dist/cli.js, built by `npm test`) on a temporary Python project, with and
// without the project index.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FILES: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "svc"\nversion = "0.1.0"\n',
  'src/svc/__init__.py': '',
  'src/svc/clients.py': 'import anthropic\n\nclient = anthropic.Anthropic(max_retries=0)\n',
  'src/svc/jobs.py':
    'from svc.clients import client\n\n\ndef run(prompt):\n    return client.messages.create(model="claude-sonnet-4-6", max_tokens=256, messages=[{"role": "user", "content": prompt}])\n',
};

describe('CLI: a Python project in view', () => {
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pyproject-')));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a call through a max_retries=0 client imported from another module is reported, pointing at the client', () => {
    const r = run(dir, ['-f', 'json', '.']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stderr, '');
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; file: string; related?: Array<{ file?: string }> }> }).findings;
    assert.deepStrictEqual(
      findings.map((f) => `${f.ruleId} ${f.file.split(path.sep).join('/')}`),
      ['unguarded-retry src/svc/jobs.py'],
    );
  });

  it('--no-project judges each module on its own: the imported client is unknown, nothing is reported', () => {
    const r = run(dir, ['-f', 'json', '--no-project', '.']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual((JSON.parse(r.stdout) as { findings: unknown[] }).findings, []);
  });
});
