// Build: bundles the extension, the CLI, the simulated-server command and the playground webview,
// and exports the shared retry core as plain JavaScript (ESM and CommonJS, comments kept) for users'
// `.js` projects. Usage: node esbuild.js [--production] [--watch]
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = __dirname;
const dist = path.join(root, 'dist');

/** Only entry points that exist are built, so the build works while parts are still being written. */
const exists = (p) => fs.existsSync(path.join(root, p));

const nodeTargets = [
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  { entry: 'src/cli.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { entry: 'src/core/api/simulateCli.ts', out: 'dist/simulate.js', banner: '#!/usr/bin/env node' },
].filter((t) => exists(t.entry));

const browserTargets = [{ entry: 'src/webview/main.ts', out: 'dist/webview.js' }].filter((t) => exists(t.entry));

/**
 * The retry core as users' projects receive it: TypeScript as written, and JavaScript with comments kept. The
 * default helper (claudeRetry) and the opt-in throttle file (claudeRetryThrottle) are exported alike, and the
 * Python helper and its throttle file are copied as is.
 */
function exportRetryCore() {
  const ts = require('typescript');
  const outDir = path.join(dist, 'retry');
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of ['claudeRetry', 'claudeRetryThrottle']) {
    if (!exists(`src/core/retry/${name}.ts`)) continue;
    const src = fs.readFileSync(path.join(root, `src/core/retry/${name}.ts`), 'utf8');
    const emit = (module) =>
      ts.transpileModule(src, {
        compilerOptions: { target: ts.ScriptTarget.ES2018, module, removeComments: false, newLine: ts.NewLineKind.LineFeed },
      }).outputText;
    fs.writeFileSync(path.join(outDir, `${name}.ts`), src);
    fs.writeFileSync(path.join(outDir, `${name}.mjs`), emit(ts.ModuleKind.ESNext));
    fs.writeFileSync(path.join(outDir, `${name}.cjs`), emit(ts.ModuleKind.CommonJS));
  }
  for (const py of ['claude_retry.py', 'claude_retry_throttle.py']) {
    if (exists(`src/core/retry/${py}`)) fs.copyFileSync(path.join(root, 'src/core/retry', py), path.join(outDir, py));
  }
}

/** The Python parser's WebAssembly files, next to the bundles that load them (extension and CLI). */
function copyParserWasm() {
  for (const [pkg, file] of [['web-tree-sitter', 'tree-sitter.wasm'], ['tree-sitter-python', 'tree-sitter-python.wasm']]) {
    const from = path.join(root, 'node_modules', pkg, file);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dist, file));
  }
}

/** The codicon stylesheet and font the webviews use, from @vscode/codicons into dist/codicons/. */
function copyCodicons() {
  const from = path.join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  if (!fs.existsSync(from)) throw new Error('node_modules/@vscode/codicons is missing: run `npm ci` (the webviews need its icon font)');
  const to = path.join(dist, 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join(to, file));
}

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  if (exists('src/core/retry/claudeRetry.ts')) exportRetryCore();
  copyParserWasm();
  copyCodicons();
  const common = {
    bundle: true,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: 'none',
  };
  const options = [
    ...nodeTargets.map((t) => ({
      ...common,
      entryPoints: [path.join(root, t.entry)],
      outfile: path.join(root, t.out),
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      external: t.external || [],
      banner: t.banner ? { js: t.banner } : undefined,
      // the retry core's text is embedded so the quick fix can insert exactly what ships
      loader: { '.txt': 'text' },
    })),
    ...browserTargets.map((t) => ({
      ...common,
      entryPoints: [path.join(root, t.entry)],
      outfile: path.join(root, t.out),
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
    })),
  ];
  if (watch) {
    for (const o of options) (await esbuild.context(o)).watch();
    console.log('[watch] build started');
    return;
  }
  await Promise.all(options.map((o) => esbuild.build(o)));
  for (const t of nodeTargets) if (t.banner) fs.chmodSync(path.join(root, t.out), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
