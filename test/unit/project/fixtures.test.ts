// The fixture projects under test/fixtures/projects: every import in them resolves to the file their READMEs
// describe, or stays unknown (null). The table is checked against the imports actually written in each file,
// so a fixture edit that adds an import without a row here fails.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ModuleResolver, nodeProjectHost } from '../../../src/core/lint/project/resolve';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const PROJECTS = path.join(ROOT, 'test', 'fixtures', 'projects');

/** project → importing file → specifier → expected file (relative to the project) or null. */
const JS_TABLE: Record<string, Record<string, Record<string, string | null>>> = {
  'next-app': {
    'app/api/chat/route.ts': { '@/lib/anthropic': 'lib/anthropic.ts', '@/lib/anthropic-retry': 'lib/anthropic-retry.ts' },
    'app/api/summary/route.ts': { '@/lib/anthropic': 'lib/anthropic.ts' },
    'lib/anthropic.ts': { '@anthropic-ai/sdk': null },
    'lib/anthropic-retry.ts': { '@anthropic-ai/sdk': null },
  },
  monorepo: {
    'apps/agent/src/runner.ts': { '@anthropic-ai/sdk': null, '@acme/ai': 'packages/ai/src/index.ts' },
    'apps/agent/src/title.ts': { '@acme/ai/provider': 'packages/ai/src/provider.ts' },
    'packages/ai/src/index.ts': { './provider.js': 'packages/ai/src/provider.ts' },
    'packages/ai/src/provider.ts': { '@anthropic-ai/sdk': null },
  },
  'esm-app': {
    'src/agent.ts': { './lib/client.js': 'src/lib/client.ts', '#lib/retry': 'src/lib/retry.ts', './tools.js': 'src/tools.ts' },
    'src/tools.ts': { './agent.js': 'src/agent.ts', './missing.js': null },
    'src/lib/client.ts': { '@anthropic-ai/sdk': null },
    'src/lib/retry.ts': {},
  },
};

/** Python: importing file → [module, level] → expected. */
const PY_TABLE: Record<string, Array<[string, number, string | null]>> = {
  'src/acme_bot/chat.py': [
    ['providers', 1, 'src/acme_bot/providers/__init__.py'],
    ['retry', 1, 'src/acme_bot/retry.py'],
  ],
  'src/acme_bot/providers/__init__.py': [['anthropic_client', 1, 'src/acme_bot/providers/anthropic_client.py']],
  'src/acme_bot/providers/anthropic_client.py': [['anthropic', 0, null]],
  'src/acme_bot/retry.py': [
    ['random', 0, null],
    ['time', 0, null],
    ['anthropic', 0, null],
  ],
  'scripts/ask.py': [
    ['sys', 0, null],
    ['acme_bot.chat', 0, 'src/acme_bot/chat.py'],
    ['acme_bot.providers.anthropic_client', 0, 'src/acme_bot/providers/anthropic_client.py'],
  ],
};

function jsImports(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) out.add(m[1]);
  return [...out].sort();
}

function pyImports(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const m of text.matchAll(/^from\s+(\.*)([\w.]*)\s+import\b/gm)) out.push([m[2], m[1].length]);
  for (const m of text.matchAll(/^import\s+([\w.]+)/gm)) out.push([m[1], 0]);
  return out.sort();
}

const rel = (projectDir: string, p: string | null) => (p === null ? null : path.relative(projectDir, p).split(path.sep).join('/'));

describe('module resolution: fixture projects', () => {
  const resolver = new ModuleResolver(nodeProjectHost());

  for (const [project, files] of Object.entries(JS_TABLE)) {
    const dir = path.join(PROJECTS, project);
    it(`${project}: every import of every source file`, () => {
      const sources = fs
        .readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.[mc]?[jt]sx?$/.test(f))
        .map((f) => f.split(path.sep).join('/'))
        .sort();
      assert.deepStrictEqual(sources, Object.keys(files).sort(), 'the table lists every source file');
      for (const [file, imports] of Object.entries(files)) {
        const abs = path.join(dir, file);
        assert.deepStrictEqual(jsImports(fs.readFileSync(abs, 'utf8')), Object.keys(imports).sort(), `${file}: imports as written`);
        for (const [spec, expected] of Object.entries(imports)) {
          assert.strictEqual(rel(dir, resolver.resolve(spec, abs)), expected, `${file}: ${spec}`);
        }
      }
    });
  }

  it('python-app: every import of every module', () => {
    const dir = path.join(PROJECTS, 'python-app');
    for (const [file, imports] of Object.entries(PY_TABLE)) {
      const abs = path.join(dir, file);
      assert.deepStrictEqual(pyImports(fs.readFileSync(abs, 'utf8')), imports.map(([m, l]) => [m, l]).sort(), `${file}: imports as written`);
      for (const [module, level, expected] of imports) {
        assert.strictEqual(rel(dir, resolver.resolvePython(module, level, abs)), expected, `${file}: ${'.'.repeat(level)}${module}`);
      }
    }
  });
});
