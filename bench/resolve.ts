// Module resolution benchmark (prints figures; not a timed test). Run: `npm run bench -- resolve`.
//
// Generates, in a temporary folder, a monorepo of 2 000 TypeScript files: npm workspaces with 10 packages
// whose package.json points at built files (so resolution goes through exports and the src/ mirror), a
// tsconfig base with `@/` paths that each package extends, and files importing one another relatively
// (with and without `.js`), through `@/`, by package name, plus npm dependencies that stay unknown. It then
// resolves every import (about 4.5 per file, ~9 000 in all) with a fresh resolver (cold: every stat and
// config read once) and again with the same one (warm: the per-folder cache), and prints the times and how
// many imports resolved; and cold once more with a host that cannot list folders (a stat per probe).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ModuleResolver, nodeProjectHost } from '../src/core/lint/project/resolve';

const PACKAGES = 10;
const FOLDERS = 10;
const FILES_PER_FOLDER = 20;

function generate(root: string): Array<{ file: string; specs: string[] }> {
  const write = (rel: string, text: string) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  write('package.json', JSON.stringify({ private: true, workspaces: ['packages/*'] }));
  write('tsconfig.base.json', '{\n  // shared\n  "compilerOptions": { "strict": true, },\n}\n');
  const imports: Array<{ file: string; specs: string[] }> = [];
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = `packages/p${p}`;
    write(`${pkg}/package.json`, JSON.stringify({ name: `@bench/p${p}`, main: './dist/index.js', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './*': './dist/*.js' } }));
    write(`${pkg}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { paths: { '@/*': ['./src/*'] } } }));
    write(`${pkg}/src/index.ts`, 'export {};\n');
    for (let d = 0; d < FOLDERS; d++) {
      for (let f = 0; f < FILES_PER_FOLDER; f++) {
        const rel = `${pkg}/src/m${d}/f${f}.ts`;
        const specs = [
          `./f${(f + 1) % FILES_PER_FOLDER}`,
          `../m${(d + 1) % FOLDERS}/f${f}.js`,
          `@/m${(d + 3) % FOLDERS}/f${(f + 7) % FILES_PER_FOLDER}`,
          f % 2 === 0 ? `@bench/p${(p + 1) % PACKAGES}` : `@bench/p${(p + 2) % PACKAGES}/m${d}/f${f}`,
          f % 4 === 0 ? '@anthropic-ai/sdk' : f % 4 === 1 ? 'node:fs' : f % 4 === 2 ? './missing' : 'zod',
        ];
        if (f % 2 === 1) specs.pop();
        write(rel, specs.map((s, i) => `import * as i${i} from '${s}';`).join('\n') + '\n');
        imports.push({ file: path.join(root, rel), specs });
      }
    }
  }
  return imports;
}

interface Run {
  ms: number;
  cpuMs: number;
  total: number;
  resolved: number;
}

function run(resolver: ModuleResolver, imports: Array<{ file: string; specs: string[] }>): Run {
  let total = 0;
  let resolved = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const { file, specs } of imports) {
    for (const s of specs) {
      total++;
      if (resolver.resolve(s, file) !== null) resolved++;
    }
  }
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, total, resolved };
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-bench-resolve-'));
try {
  const imports = generate(root);
  const cold = new ModuleResolver(nodeProjectHost());
  const first = run(cold, imports);
  const warm = run(cold, imports);
  const fresh = run(new ModuleResolver(nodeProjectHost()), imports);
  const { readDirectory: _unused, ...statOnly } = nodeProjectHost();
  const stats = run(new ModuleResolver(statOnly), imports);
  const fmt = (r: Run) => `${r.ms.toFixed(1)} ms wall, ${r.cpuMs.toFixed(1)} ms CPU (${((r.cpuMs * 1000) / r.total).toFixed(1)} µs CPU per import)`;
  console.log(`module resolution: ${imports.length} files, ${first.total} imports, ${first.resolved} resolved, ${first.total - first.resolved} unknown (npm packages, node: built-ins, missing files)`);
  console.log(`  cold resolver: ${fmt(first)}; again with a fresh resolver: ${fmt(fresh)}`);
  console.log(`  cold, host without directory listings (one stat per probe): ${fmt(stats)}`);
  console.log(`machine load average (1 min): ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
  console.log(`  warm (same resolver, cached): ${fmt(warm)}`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
