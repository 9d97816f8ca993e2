import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lowestVersionOf, parsePythonVersion, sdkRequirement } from '../../../src/core/lint/python/pep440';
import {
  interpreterPrefix,
  invalidatePythonSdkVersionCache,
  resolvePythonSdkVersion,
  type PythonSdkVersion,
} from '../../../src/core/lint/python/sdkVersion';
import { parseToml } from '../../../src/core/lint/python/toml';

describe('pythonSdkVersion: versions and specifiers', () => {
  it('parses PEP 440 versions', () => {
    const v = (s: string) => {
      const p = parsePythonVersion(s);
      return p && [p.major, p.minor, p.patch];
    };
    assert.deepStrictEqual(v('1.13.0'), [1, 13, 0]);
    assert.deepStrictEqual(v('0.40'), [0, 40, 0]);
    assert.deepStrictEqual(v('2'), [2, 0, 0]);
    assert.deepStrictEqual(v('1.0.0rc1'), [1, 0, 0]);
    assert.deepStrictEqual(v('1.13.0.post1'), [1, 13, 0]);
    assert.deepStrictEqual(v('1.2.3.dev4+local.7'), [1, 2, 3]);
    assert.deepStrictEqual(v('1!2.0'), [2, 0, 0]);
    for (const bad of ['', 'latest', '^1.2', '>=1', 'one', '1.2.3 4']) assert.strictEqual(parsePythonVersion(bad), null, bad);
  });

  it('takes the lowest version a PEP 440 specifier or Poetry constraint admits, and tells exact pins', () => {
    const cases: Array<[string, string | null, boolean?]> = [
      ['==1.13.0', '1.13.0', true],
      ['===1.13.0', '1.13.0', true],
      ['1.13.0', '1.13.0', true], // Poetry: a bare version is exact
      ['>=0.40,<2', '0.40.0'],
      ['>= 0.40 , < 2', '0.40.0'],
      ['<2,>=0.40', '0.40.0'],
      ['~=1.2', '1.2.0'],
      ['~=1.2.3', '1.2.3'],
      ['==1.*', '1.0.0'],
      ['>0.40', '0.41.0'],
      ['>0.40.1', '0.40.2'],
      ['!=1.0.0,>=0.50', '0.50.0'],
      ['^1.2', '1.2.0'],
      ['~1.2.3', '1.2.3'],
      ['>=1.2 <2.0', '1.2.0'],
      ['^1.0 || ^0.50', '0.50.0'],
      ['*', null],
      ['', null],
      ['<2', null],
      ['!=1.0', null],
      ['^1.0 || *', null],
      ['garbage here', null],
    ];
    for (const [spec, want, exact] of cases) {
      const b = lowestVersionOf(spec);
      assert.strictEqual(b && `${b.version.major}.${b.version.minor}.${b.version.patch}`, want, spec);
      if (b) assert.strictEqual(b.exact, exact === true, `${spec} exact`);
    }
  });

  it('reads PEP 508 requirements for anthropic only', () => {
    const spec = (s: string) => sdkRequirement(s)?.spec;
    assert.strictEqual(spec('anthropic==1.13.0'), '==1.13.0');
    assert.strictEqual(spec('anthropic[bedrock,vertex]~=1.2'), '~=1.2');
    assert.strictEqual(spec('Anthropic >= 0.40, < 2 ; python_version >= "3.8"'), '>= 0.40, < 2');
    assert.strictEqual(spec('anthropic (>=1.2)'), '>=1.2');
    assert.strictEqual(spec('anthropic'), '');
    assert.strictEqual(sdkRequirement('anthropic @ git+https://example.com/sdk.git')?.spec, null);
    for (const other of ['anthropic-bedrock==0.8', 'anthropic_tools>=1', 'openai==1.0', 'anthropics==1', '# anthropic==1']) {
      assert.strictEqual(sdkRequirement(other), null, other);
    }
  });
});

describe('pythonSdkVersion: the TOML reader', () => {
  it('reads tables, arrays of tables, strings, arrays and inline tables', () => {
    const doc = parseToml(
      [
        '# top',
        'title = "a \\"quoted\\" \\u00e9"  # comment',
        "path = 'C:\\raw'",
        '[project]',
        'dependencies = [',
        '  "anthropic>=0.40",  # why',
        "  'requests',",
        ']',
        '[tool.poetry.dependencies]',
        'anthropic = { version = "^1.2", extras = ["bedrock"] }',
        '"quoted.key" = 1',
        'site.name = "dotted"',
        '[[package]]',
        'name = "anthropic"',
        'version = "1.13.0"',
        'wheels = [{ url = "https://x", size = 3 }]',
        '[[package]]',
        'name = "httpx"',
        'notes = """',
        'two',
        'lines"""',
        'when = 1979-05-27 07:32:00Z',
      ].join('\n'),
    );
    assert.deepStrictEqual(doc, {
      title: 'a "quoted" é',
      path: 'C:\\raw',
      project: { dependencies: ['anthropic>=0.40', 'requests'] },
      tool: { poetry: { dependencies: { anthropic: { version: '^1.2', extras: ['bedrock'] }, 'quoted.key': '1', site: { name: 'dotted' } } } },
      package: [
        { name: 'anthropic', version: '1.13.0', wheels: [{ url: 'https://x', size: '3' }] },
        { name: 'httpx', notes: 'two\nlines', when: '1979-05-27 07:32:00Z' },
      ],
    });
  });

  it('skips a line it cannot read and goes on; never throws', () => {
    const doc = parseToml('a = "unterminated\nb = what is this\n[ok]\nc = "fine"\n= 3\n[broken\nd = "after"\n');
    assert.deepStrictEqual(doc, { ok: { c: 'fine', d: 'after' } });
    for (const junk of ['[', '[[', 'a = [1, 2', 'x = {', '"""', "'''", 'k = """never closed', '\u0000\u0001', 'a.b.c', '= =']) {
      assert.doesNotThrow(() => parseToml(junk), junk);
    }
  });
});

describe('pythonSdkVersion: resolvePythonSdkVersion', () => {
  let tmp: string;
  const write = (rel: string, text = '') => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  /** A venv-like environment with `anthropic` installed (METADATA, and optionally _version.py). */
  const install = (prefix: string, version: string, opts: { windows?: boolean; versionPy?: string; metadata?: boolean } = {}) => {
    const sp = opts.windows ? `${prefix}/Lib/site-packages` : `${prefix}/lib/python3.12/site-packages`;
    write(`${prefix}/pyvenv.cfg`, 'home = /usr/bin\n');
    if (opts.metadata !== false) write(`${sp}/anthropic-${version}.dist-info/METADATA`, `Metadata-Version: 2.3\nName: anthropic\nVersion: ${version}\nSummary: x\n`);
    if (opts.versionPy) write(`${sp}/anthropic/_version.py`, `__title__ = "anthropic"\n__version__ = "${opts.versionPy}"  # x-release-please-version\n`);
  };
  const resolve = (rel: string, interpreter?: string) => {
    const v = resolvePythonSdkVersion(path.join(tmp, rel), interpreter ? { interpreter: path.join(tmp, interpreter) } : undefined);
    return v && { version: `${v.major}.${v.minor}.${v.patch}`, raw: v.raw, source: v.source, file: path.relative(tmp, v.file).split(path.sep).join('/'), spec: v.spec };
  };
  const version = (rel: string, interpreter?: string) => resolve(rel, interpreter)?.version ?? null;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pysdk-')));
    invalidatePythonSdkVersionCache();
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads requirements files: pins, ranges, extras, comments, hashes and one level of -r / -c includes', () => {
    write('a/requirements.txt', '# deps\nrequests==2.0\nanthropic[bedrock]~=1.2  # the SDK\n');
    write('a/app.py');
    assert.deepStrictEqual(resolve('a/app.py'), { version: '1.2.0', raw: '1.2.0', source: 'declared', file: 'a/requirements.txt', spec: '~=1.2' });

    write('b/requirements.txt', 'anthropic==1.13.0 \\\n    --hash=sha256:abc\n');
    assert.strictEqual(resolve('b/x.py')?.raw, '1.13.0');

    write('c/requirements.txt', '-r base/common.txt\n');
    write('c/base/common.txt', '-r deeper.txt\nanthropic>=0.40,<2\n');
    write('c/base/deeper.txt', 'anthropic==1.13.0\n');
    assert.strictEqual(version('c/x.py'), '0.40.0', 'the included file counts, its own includes do not');

    write('d/requirements-dev.txt', '--constraint=constraints.txt\n');
    write('d/constraints.txt', 'anthropic==1.9.1\n');
    assert.strictEqual(version('d/x.py'), '1.9.1');

    write('e/requirements/base.txt', 'anthropic>=1.1\n');
    assert.strictEqual(version('e/x.py'), '1.1.0');
  });

  it('among declarations an exact pin wins, else the highest lower bound', () => {
    write('p/requirements.txt', 'anthropic>=0.40\n');
    write('p/requirements-lock.txt', 'anthropic==1.13.0\n');
    write('p/requirements-dev.txt', 'anthropic>=1.5\n');
    assert.deepStrictEqual(resolve('p/x.py'), { version: '1.13.0', raw: '1.13.0', source: 'declared', file: 'p/requirements-lock.txt', spec: '==1.13.0' });
    // files that disagree: the pin is what a deployment installs
    write('r/requirements.txt', 'anthropic>=1.5\n');
    write('r/requirements-prod.txt', 'anthropic==1.3.0\n');
    assert.strictEqual(resolve('r/x.py')?.file, 'r/requirements-prod.txt');
    assert.strictEqual(version('r/x.py'), '1.3.0');
    write('q/requirements.txt', 'anthropic>=0.40\n');
    write('q/pyproject.toml', '[project]\ndependencies = ["anthropic>=1.5,<2"]\n');
    assert.strictEqual(version('q/x.py'), '1.5.0');
  });

  it('reads pyproject.toml: PEP 621, optional dependencies, dependency groups, uv, PDM and Poetry', () => {
    write('pep621/pyproject.toml', '[project]\nname = "x"\ndependencies = [\n  "httpx",\n  "anthropic[vertex] >=0.49 ; python_version >= \'3.8\'",\n]\n');
    assert.deepStrictEqual(resolve('pep621/src/pkg/mod.py'), { version: '0.49.0', raw: '0.49.0', source: 'declared', file: 'pep621/pyproject.toml', spec: '>=0.49' });
    write('optional/pyproject.toml', '[project]\ndependencies = []\n[project.optional-dependencies]\nclaude = ["anthropic~=1.3"]\n');
    assert.strictEqual(version('optional/x.py'), '1.3.0');
    write('groups/pyproject.toml', '[dependency-groups]\ndev = ["pytest", "anthropic==1.11.0"]\n');
    assert.strictEqual(version('groups/x.py'), '1.11.0');
    write('uvdev/pyproject.toml', '[tool.uv]\ndev-dependencies = ["anthropic>=1.4"]\n');
    assert.strictEqual(version('uvdev/x.py'), '1.4.0');
    write('pdm/pyproject.toml', '[tool.pdm.dev-dependencies]\ntest = ["anthropic>=1.6"]\n');
    assert.strictEqual(version('pdm/x.py'), '1.6.0');
    write('poetry/pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.9"\nanthropic = "^1.2"\n');
    assert.deepStrictEqual(resolve('poetry/x.py'), { version: '1.2.0', raw: '1.2.0', source: 'declared', file: 'poetry/pyproject.toml', spec: '^1.2' });
    write('poetry2/pyproject.toml', '[tool.poetry.dependencies]\nAnthropic = { version = "~1.7.2", extras = ["bedrock"] }\n');
    assert.strictEqual(version('poetry2/x.py'), '1.7.2');
    write('poetry3/pyproject.toml', '[tool.poetry.group.dev.dependencies]\n"anthropic" = {version = ">=1.8"}\n');
    assert.strictEqual(version('poetry3/x.py'), '1.8.0');
  });

  it('reads Pipfile; "*" says nothing and the walk goes on', () => {
    write('pipenv/Pipfile', '[packages]\nanthropic = {version = ">=1.2", extras = ["bedrock"]}\n');
    assert.strictEqual(version('pipenv/x.py'), '1.2.0');
    write('root/requirements.txt', 'anthropic==0.45.0\n');
    write('root/star/Pipfile', '[packages]\nanthropic = "*"\n');
    assert.strictEqual(version('root/star/x.py'), '0.45.0');
    write('alone/Pipfile', '[dev-packages]\nanthropic = "*"\n');
    assert.strictEqual(resolve('alone/x.py'), null);
  });

  it('a lock file wins over a range in the same folder: uv.lock, poetry.lock, Pipfile.lock', () => {
    write('uv/pyproject.toml', '[project]\ndependencies = ["anthropic>=0.40"]\n');
    write('uv/uv.lock', 'version = 1\n[[package]]\nname = "httpx"\nversion = "0.28.1"\n\n[[package]]\nname = "anthropic"\nversion = "1.13.0"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [\n  { name = "httpx" },\n]\n');
    assert.deepStrictEqual(resolve('uv/x.py'), { version: '1.13.0', raw: '1.13.0', source: 'lock', file: 'uv/uv.lock', spec: undefined });
    write('poetry/pyproject.toml', '[tool.poetry.dependencies]\nanthropic = "^1.0"\n');
    write('poetry/poetry.lock', '[[package]]\nname = "anthropic"\nversion = "1.10.2"\ndescription = "x"\noptional = false\n');
    assert.strictEqual(version('poetry/x.py'), '1.10.2');
    write('pipenv/Pipfile', '[packages]\nanthropic = "*"\n');
    write('pipenv/Pipfile.lock', JSON.stringify({ _meta: {}, default: { anthropic: { version: '==1.12.1', hashes: [] } }, develop: {} }));
    assert.strictEqual(version('pipenv/x.py'), '1.12.1');
    // a lock without the SDK: the declared range still answers
    write('nolock/requirements.txt', 'anthropic>=1.1\n');
    write('nolock/uv.lock', '[[package]]\nname = "httpx"\nversion = "0.28.1"\n');
    assert.strictEqual(version('nolock/x.py'), '1.1.0');
  });

  it('an anthropic installed in .venv or venv beside a project file wins over locks and ranges', () => {
    write('proj/pyproject.toml', '[project]\ndependencies = ["anthropic>=0.40"]\n');
    write('proj/uv.lock', '[[package]]\nname = "anthropic"\nversion = "1.12.0"\n');
    install('proj/.venv', '1.13.0');
    assert.deepStrictEqual(resolve('proj/src/app.py'), {
      version: '1.13.0',
      raw: '1.13.0',
      source: 'installed',
      file: 'proj/.venv/lib/python3.12/site-packages/anthropic-1.13.0.dist-info/METADATA',
      spec: undefined,
    });
    write('win/requirements.txt', 'anthropic\n');
    install('win/venv', '0.49.0', { windows: true });
    assert.strictEqual(version('win/x.py'), '0.49.0');
    // no METADATA: the package's _version.py
    write('code/requirements.txt', 'anthropic\n');
    install('code/.venv', '1.0.0', { metadata: false, versionPy: '1.3.1' });
    assert.deepStrictEqual(resolve('code/x.py')?.file, 'code/.venv/lib/python3.12/site-packages/anthropic/_version.py');
    assert.strictEqual(version('code/x.py'), '1.3.1');
    // a stale second dist-info: the code that is imported decides
    write('stale/requirements.txt', 'anthropic\n');
    install('stale/.venv', '1.13.0', { versionPy: '1.2.0' });
    write('stale/.venv/lib/python3.12/site-packages/anthropic-1.2.0.dist-info/METADATA', 'Name: anthropic\nVersion: 1.2.0\n');
    assert.strictEqual(version('stale/x.py'), '1.2.0');
    // another package's metadata is not ours
    write('other/requirements.txt', 'anthropic\n');
    write('other/.venv/lib/python3.12/site-packages/anthropic_bedrock-0.8.0.dist-info/METADATA', 'Name: anthropic-bedrock\nVersion: 0.8.0\n');
    assert.strictEqual(resolve('other/x.py'), null);
  });

  it('a .venv in a folder with no project file says nothing', () => {
    install('scratch/.venv', '1.13.0');
    write('scratch/x.py');
    assert.strictEqual(resolve('scratch/x.py'), null);
  });

  it('the nearest folder that says anything decides', () => {
    write('mono/pyproject.toml', '[tool.poetry.dependencies]\nanthropic = "^0.45"\n');
    install('mono/.venv', '0.45.2');
    write('mono/services/bot/requirements.txt', 'anthropic==1.13.0\n');
    assert.strictEqual(version('mono/services/bot/main.py'), '1.13.0');
    assert.strictEqual(version('mono/services/other/main.py'), '0.45.2');
    assert.strictEqual(version('mono'), '0.45.2', 'a directory may be given');
    write('plain/x.py');
    assert.strictEqual(resolve('plain/x.py'), null);
  });

  it('the selected interpreter: its anthropic wins over locks and ranges, not over one installed beside the project', () => {
    install('envs/claude', '1.11.0');
    write('envs/claude/bin/python', '');
    write('declared/requirements.txt', 'anthropic>=0.40\n');
    assert.strictEqual(version('declared/x.py', 'envs/claude/bin/python'), '1.11.0');
    assert.strictEqual(resolve('declared/x.py', 'envs/claude/bin/python')?.source, 'installed');
    assert.strictEqual(version('declared/x.py'), '0.40.0');
    assert.strictEqual(version('nothing/x.py', 'envs/claude/bin/python'), '1.11.0');
    install('local/.venv', '1.13.0');
    write('local/requirements.txt', 'anthropic\n');
    assert.strictEqual(version('local/x.py', 'envs/claude/bin/python'), '1.13.0');
    // an interpreter without the SDK changes nothing
    write('bare/bin/python3', '');
    assert.strictEqual(version('declared/x.py', 'bare/bin/python3'), '0.40.0');
    // Windows layouts: <prefix>\Scripts\python.exe with Lib\site-packages, and conda's <prefix>\python.exe
    install('winenv', '1.9.0', { windows: true });
    write('winenv/Scripts/python.exe', '');
    assert.strictEqual(version('declared/x.py', 'winenv/Scripts/python.exe'), '1.9.0');
    assert.strictEqual(interpreterPrefix(path.join(tmp, 'winenv/Scripts/python.exe')), path.join(tmp, 'winenv'));
    write('conda/python.exe', '');
    assert.strictEqual(interpreterPrefix(path.join(tmp, 'conda/python.exe')), path.join(tmp, 'conda'));
    assert.strictEqual(version('declared/x.py', 'envs/claude'), '1.11.0', 'a prefix directory may be given');
  });

  it('never throws on malformed or unreadable files', () => {
    write('bad/pyproject.toml', '[project\ndependencies = ["anthropic>=1.4"\n\u0000\u0001garbage = = =\n');
    write('bad/uv.lock', '[[package]\nname = "anthropic"\nversion = \n');
    write('bad/Pipfile.lock', '{ not json');
    write('bad/Pipfile', '[packages\nanthropic = {version = \n');
    write('bad/requirements.txt', '\u0000\u00ff-r\n-r\nanthropic===\nanthropic==not.a.version\n');
    fs.mkdirSync(path.join(tmp, 'bad/requirements-dir.txt')); // a directory where a file is expected
    write('bad/.venv/lib/python3.12/site-packages/anthropic-.dist-info/METADATA', 'Version:\n');
    let v: PythonSdkVersion | null | undefined;
    assert.doesNotThrow(() => (v = resolvePythonSdkVersion(path.join(tmp, 'bad/x.py'))));
    assert.strictEqual(v, null);
    // what can be read is read: a good requirement next to broken ones
    write('half/pyproject.toml', '[project]\ndependencies = ["anthropic>=1.4",\n  "broken\n]\n[tool.poetry.dependencies]\nanthropic = "^1.6"\n');
    assert.strictEqual(version('half/x.py'), '1.6.0');
  });

  it('caches per directory until invalidated; a change inside a venv invalidates its project', () => {
    write('proj/requirements.txt', 'anthropic==1.0.0\n');
    assert.strictEqual(version('proj/a/x.py'), '1.0.0');
    write('proj/requirements.txt', 'anthropic==1.1.0\n');
    assert.strictEqual(version('proj/a/x.py'), '1.0.0', 'cached');
    invalidatePythonSdkVersionCache(path.join(tmp, 'other'));
    assert.strictEqual(version('proj/a/x.py'), '1.0.0', 'an unrelated directory changes nothing');
    invalidatePythonSdkVersionCache(path.join(tmp, 'proj'));
    assert.strictEqual(version('proj/a/x.py'), '1.1.0');
    install('proj/.venv', '1.13.0');
    assert.strictEqual(version('proj/a/x.py'), '1.1.0', 'cached');
    invalidatePythonSdkVersionCache(path.join(tmp, 'proj/.venv/lib/python3.12/site-packages'));
    assert.strictEqual(version('proj/a/x.py'), '1.13.0');
    install('env', '1.5.0');
    assert.strictEqual(version('nothing/x.py', 'env/bin/python'), '1.5.0');
    install('env', '1.6.0', { versionPy: '1.6.0' });
    fs.rmSync(path.join(tmp, 'env/lib/python3.12/site-packages/anthropic-1.5.0.dist-info'), { recursive: true });
    assert.strictEqual(version('nothing/x.py', 'env/bin/python'), '1.5.0', 'cached');
    invalidatePythonSdkVersionCache(path.join(tmp, 'env/lib/python3.12/site-packages'));
    assert.strictEqual(version('nothing/x.py', 'env/bin/python'), '1.6.0');
    fs.writeFileSync(path.join(tmp, 'proj/requirements.txt'), 'anthropic==1.2.0\n');
    fs.rmSync(path.join(tmp, 'proj/.venv'), { recursive: true });
    invalidatePythonSdkVersionCache();
    assert.strictEqual(version('proj/a/x.py'), '1.2.0');
  });
});
