#!/usr/bin/env node
// The npm package of the command line (`npx claude-request-lint`), kept apart from the extension's manifest:
// assembles a package folder from the build in dist/ and packs it with `npm pack`.
//
//   node scripts/pack-cli.js [--out DIR] [--pack-destination DIR] [--no-pack] [--json]
//
// The package holds only what runs: cli.js (the bundled CLI, minified; it bundles its parser, so the package
// has no runtime dependencies), retry/ (the retry helpers), any .wasm file the build puts beside the CLI,
// docs/rules/*.md (the rule pages the findings link to), README.md, LICENSE, CHANGELOG.md.
// Run a build first (`npm run build`); `npm run pack:cli` makes a production build and packs it.
// Defaults: the folder is dist/npm/, the tarball goes to dist/.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : fallback;
}

const fail = (message) => {
  console.error(`pack-cli: ${message}`);
  process.exit(1);
};

/** The package.json of the CLI package, from the extension's manifest (name, version, links). */
function manifest() {
  const ext = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const repo = ext.repository && ext.repository.url;
  return {
    name: ext.name,
    version: ext.version,
    description:
      'Lints Claude Messages API calls from the command line and in CI: max_tokens, role order, retry safety, ' +
      'stream errors, hard-coded keys. Text, JSON, SARIF and GitHub annotations.',
    license: ext.license,
    repository: ext.repository,
    homepage: repo ? `${repo.replace(/\.git$/, '')}#readme` : undefined,
    bugs: repo ? { url: `${repo.replace(/\.git$/, '')}/issues` } : undefined,
    keywords: [...(ext.keywords || []), 'cli', 'linter', 'sarif'],
    engines: { node: (ext.engines && ext.engines.node) || '>=18' },
    bin: { [ext.name]: 'cli.js' },
    files: ['cli.js', 'retry/', 'docs/rules/', '*.wasm', 'CHANGELOG.md'],
  };
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Minifies the bundle (a production build is minified already; this keeps a development build small too). */
function writeCli(to) {
  const esbuild = require('esbuild');
  const code = fs.readFileSync(path.join(dist, 'cli.js'), 'utf8');
  const out = esbuild.transformSync(code, { loader: 'js', minify: true, legalComments: 'none', format: 'cjs', platform: 'node', target: 'node18' });
  let text = out.code.replace(/^\/\/# sourceMappingURL=.*$/m, '');
  if (!text.startsWith('#!')) text = '#!/usr/bin/env node\n' + text;
  fs.writeFileSync(to, text);
  fs.chmodSync(to, 0o755);
}

function assemble(dir) {
  if (!fs.existsSync(path.join(dist, 'cli.js'))) fail('dist/cli.js is missing: run `npm run build` first');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  writeCli(path.join(dir, 'cli.js'));
  const retry = path.join(dist, 'retry');
  if (fs.existsSync(retry)) for (const f of fs.readdirSync(retry)) copy(path.join(retry, f), path.join(dir, 'retry', f));
  for (const f of fs.readdirSync(dist)) if (f.endsWith('.wasm')) copy(path.join(dist, f), path.join(dir, f));
  const docs = path.join(root, 'docs', 'rules');
  for (const f of fs.readdirSync(docs)) if (f.endsWith('.md')) copy(path.join(docs, f), path.join(dir, 'docs', 'rules', f));
  for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) copy(path.join(root, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest(), null, 2) + '\n');
}

function pack(dir, destination) {
  fs.mkdirSync(destination, { recursive: true });
  const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (r.status !== 0) fail(`npm pack failed (exit ${r.status}):\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  return {
    tarball: path.join(destination, info.filename),
    size: info.size,
    unpackedSize: info.unpackedSize,
    files: info.files.map((f) => f.path).sort(),
  };
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

const dir = arg('--out', path.join(dist, 'npm'));
assemble(dir);
if (process.argv.includes('--no-pack')) {
  console.log(`assembled ${path.relative(process.cwd(), dir) || '.'}`);
} else {
  const result = pack(dir, arg('--pack-destination', dist));
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.log(`${path.relative(process.cwd(), result.tarball)}: ${mb(result.size)} packed, ${mb(result.unpackedSize)} unpacked, ${result.files.length} files`);
  }
}
