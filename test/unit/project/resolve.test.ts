import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ModuleResolver, changeAffectsResolution, nodeProjectHost, type ProjectHost } from '../../../src/core/lint/project/resolve';
import { parseJsonc } from '../../../src/core/lint/project/jsonc';
import { makeTree, removeTree, writeTree } from './tree';

/** A resolver over a fresh temp tree; `check(spec, from, expected)` with paths relative to the tree. */
function project(files: Record<string, string>) {
  const root = makeTree(files);
  const resolver = new ModuleResolver(nodeProjectHost());
  const abs = (rel: string) => path.join(root, rel);
  return {
    root,
    resolver,
    abs,
    resolve: (spec: string, from: string) => {
      const r = resolver.resolve(spec, abs(from));
      return r === null ? null : path.relative(root, r).split(path.sep).join('/');
    },
    python: (module: string, level: number, from: string) => {
      const r = resolver.resolvePython(module, level, abs(from));
      return r === null ? null : path.relative(root, r).split(path.sep).join('/');
    },
  };
}

type Project = ReturnType<typeof project>;
const roots: string[] = [];
function use(files: Record<string, string>): Project {
  const p = project(files);
  roots.push(p.root);
  return p;
}
after(() => roots.forEach(removeTree));

const json = (v: unknown) => JSON.stringify(v, null, 2);

describe('module resolution: relative paths', () => {
  let p: Project;
  before(() => {
    p = use({
      'src/main.ts': '',
      'src/a.ts': '',
      'src/view.tsx': '',
      'src/esm.mts': '',
      'src/common.cts': '',
      'src/plain.js': '',
      'src/both.ts': '',
      'src/both.js': '',
      'src/x.service.ts': '',
      'src/data.json': '{}',
      'src/style.css': '',
      'src/types.d.ts': '',
      'src/lib/index.ts': '',
      'src/jslib/index.js': '',
      'src/pkgdir/package.json': json({ main: './entry.js' }),
      'src/pkgdir/entry.js': '',
      'src/pkgdir/index.ts': '',
      'other/b.ts': '',
    });
  });

  it('with or without an extension; TypeScript sources before JavaScript', () => {
    assert.strictEqual(p.resolve('./a', 'src/main.ts'), 'src/a.ts');
    assert.strictEqual(p.resolve('./a.ts', 'src/main.ts'), 'src/a.ts');
    assert.strictEqual(p.resolve('./view', 'src/main.ts'), 'src/view.tsx');
    assert.strictEqual(p.resolve('./plain', 'src/main.ts'), 'src/plain.js');
    assert.strictEqual(p.resolve('./both', 'src/main.ts'), 'src/both.ts');
    assert.strictEqual(p.resolve('./x.service', 'src/main.ts'), 'src/x.service.ts');
    assert.strictEqual(p.resolve('../other/b', 'src/main.ts'), 'other/b.ts');
    assert.strictEqual(p.resolve(p.abs('other/b.ts'), 'src/main.ts'), 'other/b.ts');
  });

  it('`.js` written for a `.ts`/`.tsx` source, `.mjs` for `.mts`, `.cjs` for `.cts`', () => {
    assert.strictEqual(p.resolve('./a.js', 'src/main.ts'), 'src/a.ts');
    assert.strictEqual(p.resolve('./view.js', 'src/main.ts'), 'src/view.tsx');
    assert.strictEqual(p.resolve('./view.jsx', 'src/main.ts'), 'src/view.tsx');
    assert.strictEqual(p.resolve('./esm.mjs', 'src/main.ts'), 'src/esm.mts');
    assert.strictEqual(p.resolve('./common.cjs', 'src/main.ts'), 'src/common.cts');
    assert.strictEqual(p.resolve('./plain.js', 'src/main.ts'), 'src/plain.js');
    assert.strictEqual(p.resolve('./both.js', 'src/main.ts'), 'src/both.ts');
  });

  it('folders: package.json main, then index files', () => {
    assert.strictEqual(p.resolve('./lib', 'src/main.ts'), 'src/lib/index.ts');
    assert.strictEqual(p.resolve('./lib/', 'src/main.ts'), 'src/lib/index.ts');
    assert.strictEqual(p.resolve('./lib/index.js', 'src/main.ts'), 'src/lib/index.ts');
    assert.strictEqual(p.resolve('./jslib', 'src/main.ts'), 'src/jslib/index.js');
    assert.strictEqual(p.resolve('./pkgdir', 'src/main.ts'), 'src/pkgdir/entry.js');
    assert.strictEqual(p.resolve('.', 'src/lib/other.ts'), 'src/lib/index.ts');
    assert.strictEqual(p.resolve('..', 'src/lib/index.ts'), null, 'src has no index');
  });

  it('missing files, non-source files and declaration files are unknown', () => {
    assert.strictEqual(p.resolve('./nope', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('./nope.js', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('./data.json', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('./style.css', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('./types', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('./types.d.ts', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('', 'src/main.ts'), null);
  });

  it('npm dependencies and Node built-ins are unknown even when installed', () => {
    writeTree(p.root, { 'node_modules/openai/package.json': json({ name: 'openai', main: 'index.js' }), 'node_modules/openai/index.js': '' });
    p.resolver.invalidate(path.join(p.root, 'node_modules'));
    assert.strictEqual(p.resolve('openai', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('@anthropic-ai/sdk', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('node:fs', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('fs', 'src/main.ts'), null);
  });

  it('a `paths` target or relative path into node_modules is a dependency too', () => {
    const q = use({
      'tsconfig.json': json({ compilerOptions: { paths: { 'sdk-shim': ['./node_modules/shim/index.js'] } } }),
      'node_modules/shim/index.js': '',
      'src/main.ts': '',
    });
    assert.strictEqual(q.resolve('sdk-shim', 'src/main.ts'), null);
    assert.strictEqual(q.resolve('../node_modules/shim/index.js', 'src/main.ts'), null);
    assert.strictEqual(q.resolve('./index', 'node_modules/shim/other.js'), 'node_modules/shim/index.js', 'inside a dependency itself');
  });
});

describe('module resolution: tsconfig.json / jsconfig.json', () => {
  it('a Next.js app: `@/` paths from a base it extends (comments, trailing commas, `//` in strings)', () => {
    const p = use({
      'tsconfig.json': `{
        "$schema": "https://json.schemastore.org/tsconfig", // the schema
        "extends": "./config/tsconfig.base",
        /* own options */
        "compilerOptions": { "jsx": "preserve", },
      }`,
      'config/tsconfig.base.json': `{
        "compilerOptions": {
          // relative to this file, since no baseUrl is set
          "paths": { "@/*": ["../src/*", "../generated/*",], "~/*": ["../*"], "server-only": ["../src/stubs/server-only.ts"] },
        },
      }`,
      'src/lib/anthropic.ts': '',
      'src/lib/retry/index.ts': '',
      'src/stubs/server-only.ts': '',
      'generated/schema.ts': '',
      'src/app/api/chat/route.ts': '',
    });
    const from = 'src/app/api/chat/route.ts';
    assert.strictEqual(p.resolve('@/lib/anthropic', from), 'src/lib/anthropic.ts');
    assert.strictEqual(p.resolve('@/lib/anthropic.js', from), 'src/lib/anthropic.ts');
    assert.strictEqual(p.resolve('@/lib/retry', from), 'src/lib/retry/index.ts');
    assert.strictEqual(p.resolve('@/schema', from), 'generated/schema.ts', 'second target tried when the first has no file');
    assert.strictEqual(p.resolve('~/src/lib/anthropic', from), 'src/lib/anthropic.ts');
    assert.strictEqual(p.resolve('server-only', from), 'src/stubs/server-only.ts', 'exact pattern');
    assert.strictEqual(p.resolve('@/lib/missing', from), null);
    assert.strictEqual(p.resolve('@other/lib', from), null);
  });

  it('the longest matching prefix wins; paths are relative to baseUrl when it is set', () => {
    const p = use({
      'tsconfig.json': json({
        compilerOptions: { baseUrl: 'src', paths: { '*': ['vendor/*'], '@app/*': ['app/*'], '@app/lib/*': ['shared/lib/*'] } },
      }),
      'src/app/lib/x.ts': '',
      'src/shared/lib/x.ts': '',
      'src/app/y.ts': '',
      'src/vendor/z.ts': '',
      'src/utils/strings.ts': '',
      'src/main.ts': '',
    });
    assert.strictEqual(p.resolve('@app/lib/x', 'src/main.ts'), 'src/shared/lib/x.ts');
    assert.strictEqual(p.resolve('@app/y', 'src/main.ts'), 'src/app/y.ts');
    assert.strictEqual(p.resolve('z', 'src/main.ts'), 'src/vendor/z.ts');
    assert.strictEqual(p.resolve('utils/strings', 'src/main.ts'), 'src/utils/strings.ts', 'baseUrl alone');
    assert.strictEqual(p.resolve('react', 'src/main.ts'), null);
  });

  it('baseUrl set in a base config is relative to that base; paths use the effective baseUrl', () => {
    const p = use({
      'packages/web/tsconfig.json': json({ extends: '../../tsconfig.base.json', compilerOptions: { paths: { '#ui/*': ['ui/*'] } } }),
      'tsconfig.base.json': json({ compilerOptions: { baseUrl: './shared' } }),
      'shared/ui/button.tsx': '',
      'shared/core/log.ts': '',
      'packages/web/page.ts': '',
    });
    assert.strictEqual(p.resolve('#ui/button', 'packages/web/page.ts'), 'shared/ui/button.tsx');
    assert.strictEqual(p.resolve('core/log', 'packages/web/page.ts'), 'shared/core/log.ts');
  });

  it('extends arrays (later bases win), packages in node_modules, and ${configDir}', () => {
    const p = use({
      'tsconfig.json': json({ extends: ['@acme/tsconfig/base.json', './paths-a.json', './paths-b'] }),
      'paths-a.json': json({ compilerOptions: { paths: { '@/*': ['./a/*'] } } }),
      'paths-b.json': json({ compilerOptions: { paths: { '@/*': ['./b/*'] } } }),
      'node_modules/@acme/tsconfig/package.json': json({ name: '@acme/tsconfig' }),
      'node_modules/@acme/tsconfig/base.json': json({ compilerOptions: { baseUrl: '${configDir}/src' } }),
      'src/a/x.ts': '',
      'src/b/x.ts': '',
      'b/x.ts': '',
      'src/util.ts': '',
      'main.ts': '',
      'app/tsconfig.json': json({ extends: '@acme/tsconfig' }),
      'node_modules/@acme/tsconfig/tsconfig.json': json({ compilerOptions: { paths: { '@/*': ['${configDir}/lib/*'] } } }),
      'app/lib/y.ts': '',
      'app/main.ts': '',
    });
    assert.strictEqual(p.resolve('@/x', 'main.ts'), 'src/b/x.ts', 'the last base\'s paths, under the baseUrl of the first');
    assert.strictEqual(p.resolve('util', 'main.ts'), 'src/util.ts', '${configDir} is the folder of the config the file belongs to');
    assert.strictEqual(p.resolve('@/y', 'app/main.ts'), 'app/lib/y.ts', 'a package name alone extends its tsconfig.json');
  });

  it('jsconfig.json when there is no tsconfig.json; a solution config takes its references\' paths', () => {
    const p = use({
      'js/jsconfig.json': json({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }),
      'js/src/lib.js': '',
      'js/src/main.js': '',
      'vite/tsconfig.json': json({ files: [], references: [{ path: './tsconfig.node.json' }, { path: './tsconfig.app.json' }] }),
      'vite/tsconfig.node.json': json({ compilerOptions: { composite: true } }),
      'vite/tsconfig.app.json': json({ compilerOptions: { paths: { '@/*': ['./src/*'] } } }),
      'vite/src/lib/api.ts': '',
      'vite/src/App.tsx': '',
    });
    assert.strictEqual(p.resolve('@/lib', 'js/src/main.js'), 'js/src/lib.js');
    assert.strictEqual(p.resolve('@/lib/api', 'vite/src/App.tsx'), 'vite/src/lib/api.ts');
  });

  it('malformed configs, cycles and missing bases count as absent and never throw', () => {
    const p = use({
      'bad/tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] ',
      'bad/src/a.ts': '',
      'bad/src/b.ts': '',
      'cycle/tsconfig.json': json({ extends: './base.json', compilerOptions: { paths: { '@/*': ['./src/*'] } } }),
      'cycle/base.json': json({ extends: './tsconfig.json' }),
      'cycle/src/a.ts': '',
      'cycle/src/b.ts': '',
      'weird/tsconfig.json': json({ extends: 42, compilerOptions: { baseUrl: 7, paths: { '@/*': 'src/*', 'x/*/*': ['a'], '@ok/*': [null, './src/*'] } } }),
      'weird/src/a.ts': '',
      'weird/src/b.ts': '',
      'gone/tsconfig.json': json({ extends: ['./missing.json', 'no-such-package'], compilerOptions: { paths: { '@/*': ['./src/*'] } } }),
      'gone/src/a.ts': '',
      'gone/src/b.ts': '',
    });
    assert.strictEqual(p.resolve('@/a', 'bad/src/b.ts'), null);
    assert.strictEqual(p.resolve('./a', 'bad/src/b.ts'), 'bad/src/a.ts');
    assert.strictEqual(p.resolve('@/a', 'cycle/src/b.ts'), 'cycle/src/a.ts');
    assert.strictEqual(p.resolve('@/a', 'weird/src/b.ts'), null);
    assert.strictEqual(p.resolve('@ok/a', 'weird/src/b.ts'), 'weird/src/a.ts');
    assert.strictEqual(p.resolve('@/a', 'gone/src/b.ts'), 'gone/src/a.ts');
  });
});

describe('module resolution: JSON with comments', () => {
  it('drops comments and trailing commas, keeps comment markers and escaped quotes inside strings', () => {
    assert.deepStrictEqual(parseJsonc('{ "a": "x\\"//y", /* b */ "c": [1, 2, /* end */ ], // tail\n "d": "/*z*/", }'), {
      a: 'x"//y',
      c: [1, 2],
      d: '/*z*/',
    });
    assert.deepStrictEqual(parseJsonc('\ufeff{"a":1}'), { a: 1 });
    assert.strictEqual(parseJsonc('{ "a": 1 '), undefined);
    assert.strictEqual(parseJsonc('{ "a": "unterminated }'), undefined);
    assert.strictEqual(parseJsonc('[1,,2]'), undefined);
    assert.strictEqual(parseJsonc(undefined), undefined);
  });
});

describe('module resolution: package.json imports', () => {
  it('`#lib/*` wildcards, conditions, exact keys; built targets lead to sources', () => {
    const p = use({
      'package.json': json({
        name: 'app',
        type: 'module',
        imports: {
          '#lib/*': './src/lib/*.js',
          '#lib/special/*': { types: './src/special/*.d.ts', default: './dist/special/*.js' },
          '#config': { node: { import: './dist/config.mjs' }, default: './config.browser.js' },
          '#ai': '@acme/ai',
          '#nothing/*': null,
        },
        workspaces: ['packages/*'],
      }),
      'src/lib/client.ts': '',
      'src/lib/nested/retry.ts': '',
      'src/special/one.ts': '',
      'src/config.mts': '',
      'packages/ai/package.json': json({ name: '@acme/ai' }),
      'packages/ai/src/index.ts': '',
      'src/nothing/x.ts': '',
      'src/main.ts': '',
    });
    assert.strictEqual(p.resolve('#lib/client', 'src/main.ts'), 'src/lib/client.ts');
    assert.strictEqual(p.resolve('#lib/nested/retry', 'src/main.ts'), 'src/lib/nested/retry.ts', '* crosses folders');
    assert.strictEqual(p.resolve('#lib/special/one', 'src/main.ts'), 'src/special/one.ts', 'the longer prefix wins');
    assert.strictEqual(p.resolve('#config', 'src/main.ts'), 'src/config.mts', 'dist/config.mjs → src/config.mts');
    assert.strictEqual(p.resolve('#ai', 'src/main.ts'), 'packages/ai/src/index.ts', 'a target naming a workspace package');
    assert.strictEqual(p.resolve('#lib/missing', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('#nothing/x', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('#unmapped', 'src/main.ts'), null);
  });
});

describe('module resolution: workspace packages', () => {
  it('npm workspaces: by name, subpaths through exports, built entry points mirrored to src/', () => {
    const p = use({
      'package.json': json({ name: 'root', private: true, workspaces: ['packages/*', 'apps/**', '!packages/legacy'] }),
      'packages/ai/package.json': json({
        name: '@acme/ai',
        main: './dist/index.js',
        exports: {
          '.': { types: './dist/index.d.ts', import: './dist/esm/index.js', require: './dist/cjs/index.cjs' },
          './client': { import: './dist/esm/client.js' },
          './tools/*': './dist/tools/*.js',
          './package.json': './package.json',
        },
      }),
      'packages/ai/src/index.ts': '',
      'packages/ai/src/client.ts': '',
      'packages/ai/src/tools/search.ts': '',
      'packages/utils/package.json': json({ name: 'utils', main: 'lib/index.js' }),
      'packages/utils/lib/index.js': '',
      'packages/utils/strings.ts': '',
      'packages/legacy/package.json': json({ name: 'legacy' }),
      'packages/legacy/index.ts': '',
      'packages/noname/package.json': json({ private: true }),
      'packages/noname/index.ts': '',
      'apps/web/frontend/package.json': json({ name: 'web' }),
      'apps/web/frontend/src/page.ts': '',
      'apps/web/frontend/src/index.ts': '',
    });
    const from = 'apps/web/frontend/src/page.ts';
    assert.strictEqual(p.resolve('@acme/ai', from), 'packages/ai/src/index.ts');
    assert.strictEqual(p.resolve('@acme/ai/client', from), 'packages/ai/src/client.ts');
    assert.strictEqual(p.resolve('@acme/ai/tools/search', from), 'packages/ai/src/tools/search.ts');
    assert.strictEqual(p.resolve('@acme/ai/tools/none', from), null);
    assert.strictEqual(p.resolve('@acme/ai/package.json', from), null, 'not a source file');
    assert.strictEqual(p.resolve('utils', from), 'packages/utils/lib/index.js', 'built JavaScript when no source mirrors it');
    assert.strictEqual(p.resolve('utils/strings', from), 'packages/utils/strings.ts', 'no exports: straight into the folder');
    assert.strictEqual(p.resolve('legacy', from), null, 'excluded by !packages/legacy');
    assert.strictEqual(p.resolve('web', 'packages/ai/src/index.ts'), 'apps/web/frontend/src/index.ts', 'apps/** reaches nested folders');
    assert.strictEqual(p.resolve('@acme/ai', 'packages/ai/src/client.ts'), 'packages/ai/src/index.ts', 'self-reference');
    assert.strictEqual(p.resolve('lodash', from), null);
  });

  it('yarn `workspaces.packages` and a package whose entry is missing falls back to src/index', () => {
    const p = use({
      'package.json': json({ private: true, workspaces: { packages: ['libs/*'], nohoist: ['**/react'] } }),
      'libs/core/package.json': json({ name: '@y/core', main: 'build/main.js', types: 'build/main.d.ts' }),
      'libs/core/src/main.ts': '',
      'libs/plain/package.json': json({ name: '@y/plain' }),
      'libs/plain/src/index.ts': '',
      'libs/app/package.json': json({ name: '@y/app' }),
      'libs/app/src/run.ts': '',
    });
    assert.strictEqual(p.resolve('@y/core', 'libs/app/src/run.ts'), 'libs/core/src/main.ts');
    assert.strictEqual(p.resolve('@y/plain', 'libs/app/src/run.ts'), 'libs/plain/src/index.ts');
  });

  it('pnpm-workspace.yaml: block and flow lists, quotes, comments, exclusions', () => {
    const p = use({
      'package.json': json({ name: 'root', private: true }),
      'pnpm-workspace.yaml': [
        '# workspace',
        'packages:',
        "  - 'packages/*'   # libraries",
        '  - "apps/*"',
        '  - tools/cli',
        "  - '!**/test-fixtures/**'",
        '',
        'catalog:',
        '  react: ^19.0.0',
        '',
      ].join('\n'),
      'packages/llm/package.json': json({ name: '@p/llm', exports: { '.': './src/index.ts', './retry': './src/retry.ts' } }),
      'packages/llm/src/index.ts': '',
      'packages/llm/src/retry.ts': '',
      'packages/llm/test-fixtures/fake/package.json': json({ name: '@p/fake' }),
      'packages/llm/test-fixtures/fake/index.ts': '',
      'apps/bot/package.json': json({ name: 'bot', dependencies: { '@p/llm': 'workspace:*' } }),
      'apps/bot/src/main.ts': '',
      'tools/cli/package.json': json({ name: 'cli' }),
      'tools/cli/index.ts': '',
      'react/package.json': json({ name: 'react' }),
      'react/index.ts': '',
    });
    assert.strictEqual(p.resolve('@p/llm', 'apps/bot/src/main.ts'), 'packages/llm/src/index.ts');
    assert.strictEqual(p.resolve('@p/llm/retry', 'apps/bot/src/main.ts'), 'packages/llm/src/retry.ts');
    assert.strictEqual(p.resolve('cli', 'apps/bot/src/main.ts'), 'tools/cli/index.ts');
    assert.strictEqual(p.resolve('react', 'apps/bot/src/main.ts'), null, '`catalog:` entries are not packages');
    assert.strictEqual(p.resolve('@p/fake', 'apps/bot/src/main.ts'), null);

    fs.writeFileSync(path.join(p.root, 'pnpm-workspace.yaml'), "packages: ['packages/*', \"tools/*\"] # flow style\n");
    p.resolver.invalidate(path.join(p.root, 'pnpm-workspace.yaml'));
    assert.strictEqual(p.resolve('cli', 'apps/bot/src/main.ts'), 'tools/cli/index.ts');
    assert.strictEqual(p.resolve('@p/llm', 'apps/bot/src/main.ts'), 'packages/llm/src/index.ts');
    assert.strictEqual(p.resolve('bot', 'packages/llm/src/index.ts'), null, 'apps/* is no longer listed');
  });

  it('a tsconfig may extend a shared config that is a workspace package, installed or not', () => {
    const p = use({
      'package.json': json({ private: true }),
      'pnpm-workspace.yaml': 'packages:\n- packages/*\n- apps/*\n',
      'packages/tsconfig/package.json': json({ name: '@acme/tsconfig', exports: { './nextjs.json': './nextjs.json' } }),
      'packages/tsconfig/nextjs.json': json({ compilerOptions: { paths: { '@/*': ['${configDir}/src/*'] } } }),
      'apps/web/package.json': json({ name: 'web' }),
      'apps/web/tsconfig.json': json({ extends: '@acme/tsconfig/nextjs.json' }),
      'apps/web/src/lib/anthropic.ts': '',
      'apps/web/src/app/page.tsx': '',
    });
    assert.strictEqual(p.resolve('@/lib/anthropic', 'apps/web/src/app/page.tsx'), 'apps/web/src/lib/anthropic.ts');
  });

  it('tsconfig paths win over workspace names; malformed package.json files are absent', () => {
    const p = use({
      'package.json': json({ workspaces: ['packages/*'] }),
      'tsconfig.json': json({ compilerOptions: { paths: { '@acme/ai': ['./packages/ai/src/main.ts'] } } }),
      'packages/ai/package.json': json({ name: '@acme/ai' }),
      'packages/ai/src/main.ts': '',
      'packages/ai/src/index.ts': '',
      'packages/broken/package.json': '{ "name": "broken", ',
      'packages/broken/index.ts': '',
      'packages/app/package.json': '{ not json',
      'packages/app/index.ts': '',
    });
    assert.strictEqual(p.resolve('@acme/ai', 'packages/app/index.ts'), 'packages/ai/src/main.ts');
    assert.strictEqual(p.resolve('broken', 'packages/app/index.ts'), null);
    assert.strictEqual(p.resolve('#x', 'packages/app/index.ts'), null);
  });
});

describe('module resolution: Python', () => {
  let p: Project;
  before(() => {
    p = use({
      'pyproject.toml': '[project]\nname = "bot"\n',
      'src/bot/__init__.py': '',
      'src/bot/chat.py': '',
      'src/bot/retry.py': '',
      'src/bot/lib/__init__.py': '',
      'src/bot/lib/client.py': '',
      'src/bot/providers/__init__.py': '',
      'src/bot/providers/anthropic_client.py': '',
      'src/bot/ns/plain.py': '',
      'tests/test_chat.py': '',
      'tests/helpers.py': '',
      'scripts/run.py': '',
      'scripts/common.py': '',
      '.venv/lib/python3.12/site-packages/anthropic/__init__.py': '',
      'anthropic_stub.pyi': '',
    });
  });

  it('relative imports by level; an empty module is the package itself', () => {
    assert.strictEqual(p.python('retry', 1, 'src/bot/chat.py'), 'src/bot/retry.py');
    assert.strictEqual(p.python('lib.client', 1, 'src/bot/chat.py'), 'src/bot/lib/client.py');
    assert.strictEqual(p.python('lib', 1, 'src/bot/chat.py'), 'src/bot/lib/__init__.py');
    assert.strictEqual(p.python('', 1, 'src/bot/chat.py'), 'src/bot/__init__.py');
    assert.strictEqual(p.python('', 2, 'src/bot/lib/client.py'), 'src/bot/__init__.py');
    assert.strictEqual(p.python('providers.anthropic_client', 2, 'src/bot/lib/client.py'), 'src/bot/providers/anthropic_client.py');
    assert.strictEqual(p.python('nope', 1, 'src/bot/chat.py'), null);
    assert.strictEqual(p.python('x', 40, 'src/bot/chat.py'), null);
    assert.strictEqual(p.python('bad-name', 1, 'src/bot/chat.py'), null);
  });

  it('absolute imports: package root, src layout, namespace folders, the script folder', () => {
    assert.strictEqual(p.python('bot.retry', 0, 'src/bot/chat.py'), 'src/bot/retry.py');
    assert.strictEqual(p.python('bot', 0, 'src/bot/chat.py'), 'src/bot/__init__.py');
    assert.strictEqual(p.python('bot.lib.client', 0, 'tests/test_chat.py'), 'src/bot/lib/client.py', 'src layout from tests/');
    assert.strictEqual(p.python('bot.ns.plain', 0, 'tests/test_chat.py'), 'src/bot/ns/plain.py');
    assert.strictEqual(p.python('helpers', 0, 'tests/test_chat.py'), 'tests/helpers.py');
    assert.strictEqual(p.python('common', 0, 'scripts/run.py'), 'scripts/common.py');
    assert.strictEqual(p.python('tests.helpers', 0, 'scripts/run.py'), 'tests/helpers.py', 'from the project root');
  });

  it('installed packages and stubs are unknown', () => {
    assert.strictEqual(p.python('anthropic', 0, 'src/bot/chat.py'), null);
    assert.strictEqual(p.python('anthropic_stub', 0, 'src/bot/chat.py'), null);
    assert.strictEqual(p.python('os.path', 0, 'src/bot/chat.py'), null);
  });
});

describe('module resolution: caching, invalidation and the injected host', () => {
  it('a file created later resolves after invalidate(path); a changed tsconfig after invalidate(config)', () => {
    const p = use({ 'src/main.ts': '', 'tsconfig.json': json({ compilerOptions: { paths: { '@/*': ['./src/*'] } } }) });
    assert.strictEqual(p.resolve('./lib/new', 'src/main.ts'), null);
    writeTree(p.root, { 'src/lib/new.ts': '' });
    assert.strictEqual(p.resolve('./lib/new', 'src/main.ts'), null, 'cached until told');
    p.resolver.invalidate(p.abs('src/lib/new.ts'));
    assert.strictEqual(p.resolve('./lib/new', 'src/main.ts'), 'src/lib/new.ts');
    assert.strictEqual(p.resolve('@/lib/new', 'src/main.ts'), 'src/lib/new.ts');

    fs.writeFileSync(p.abs('tsconfig.json'), json({ compilerOptions: { paths: { '~/*': ['./src/*'] } } }));
    p.resolver.invalidate(p.abs('tsconfig.json'));
    assert.strictEqual(p.resolve('@/lib/new', 'src/main.ts'), null);
    assert.strictEqual(p.resolve('~/lib/new', 'src/main.ts'), 'src/lib/new.ts');

    fs.rmSync(p.abs('src/lib'), { recursive: true });
    p.resolver.invalidate(p.abs('src/lib'));
    assert.strictEqual(p.resolve('~/lib/new', 'src/main.ts'), null);
  });

  it('says which changes need invalidate: any creation or deletion, edits of configs but not of sources', () => {
    assert.ok(changeAffectsResolution('/p/src/a.ts', 'created'));
    assert.ok(changeAffectsResolution('/p/src/a.ts', 'deleted'));
    assert.ok(!changeAffectsResolution('/p/src/a.ts', 'changed'));
    assert.ok(!changeAffectsResolution('/p/src/view.tsx', 'changed'));
    assert.ok(!changeAffectsResolution('/p/bot/chat.py', 'changed'));
    assert.ok(!changeAffectsResolution('/p/pyproject.toml', 'changed'));
    assert.ok(changeAffectsResolution('/p/tsconfig.json', 'changed'));
    assert.ok(changeAffectsResolution('/p/config/paths-base.json', 'changed'));
    assert.ok(changeAffectsResolution('/p/packages/ai/package.json', 'changed'));
    assert.ok(changeAffectsResolution('/p/pnpm-workspace.yaml', 'changed'));
  });

  it('serves files from an in-memory host; a host that throws gives null, not an exception', () => {
    const files = new Map<string, string>([
      ['/mem/tsconfig.json', '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }'],
      ['/mem/src/unsaved.ts', 'export const x = 1;'],
      ['/mem/src/main.ts', ''],
    ]);
    const dirs = new Set(['/mem', '/mem/src']);
    const host: ProjectHost = {
      readFile: (f) => files.get(f),
      isFile: (f) => files.has(f),
      isDirectory: (d) => dirs.has(d),
      readDirectory: (d) => (dirs.has(d) ? [...files.keys(), ...dirs].filter((k) => path.dirname(k) === d && k !== d).map((k) => path.basename(k)) : undefined),
    };
    const r = new ModuleResolver(host);
    assert.strictEqual(r.resolve('@/unsaved', '/mem/src/main.ts'), path.resolve('/mem/src/unsaved.ts'));
    assert.strictEqual(r.resolve('./unsaved.js', '/mem/src/main.ts'), path.resolve('/mem/src/unsaved.ts'));

    const throwing: ProjectHost = {
      readFile: () => {
        throw new Error('EACCES');
      },
      isFile: (f) => f.endsWith('.json') || f.endsWith('a.ts'),
      isDirectory: () => {
        throw new Error('EIO');
      },
    };
    const t = new ModuleResolver(throwing);
    assert.strictEqual(t.resolve('./a', '/x/main.ts'), path.resolve('/x/a.ts'));
    assert.strictEqual(t.resolve('@/a', '/x/main.ts'), null);
    assert.strictEqual(t.resolve('pkg', '/x/main.ts'), null);
    assert.strictEqual(t.resolvePython('a.b', 0, '/x/main.py'), null);
  });
});
