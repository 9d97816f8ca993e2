// The webview's code: it type-checks on its own (lib DOM, no Node types), reaches nothing but the protocol
// and the pure draft helpers, and bundles to a self-contained browser script.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

function projectRoot(): string {
  for (let d = __dirname; ; d = path.dirname(d)) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'claude-request-lint') return d;
    if (path.dirname(d) === d) throw new Error('project root not found');
  }
}

describe('playground webview code', function () {
  this.timeout(60000);
  const root = projectRoot();
  const configPath = path.join(root, 'src/webview/tsconfig.json');

  it('type-checks with its own tsconfig (DOM, no Node) and imports only the protocol and pure helpers', () => {
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    assert.strictEqual(read.error, undefined);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
    assert.deepStrictEqual(parsed.errors, []);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const diags = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    assert.deepStrictEqual(diags, []);
    const allowed = [
      path.join(root, 'src/webview') + path.sep,
      path.join(root, 'src/extension/protocol.ts'),
      path.join(root, 'src/core/playground/types.ts'),
      path.join(root, 'src/core/playground/draft.ts'),
    ];
    const own = program
      .getSourceFiles()
      .map((f) => path.resolve(f.fileName))
      .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
    for (const f of own) assert.ok(allowed.some((a) => f === a || f.startsWith(a)), `the webview reaches ${path.relative(root, f)}`);
    assert.ok(own.some((f) => f.endsWith('main.ts')));
  });

  it('the root tsconfig leaves the webview out (it has its own lib)', () => {
    const read = ts.readConfigFile(path.join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p));
    assert.ok((read.config.exclude as string[]).includes('src/webview/**'));
  });

  it('is bundled to dist/webview.js as a browser script with no require and no Node built-ins', () => {
    const bundle = path.join(root, 'dist/webview.js');
    assert.ok(fs.existsSync(bundle), 'dist/webview.js is built by esbuild.js');
    const text = fs.readFileSync(bundle, 'utf8');
    assert.ok(!/\brequire\(/.test(text), 'no require() in the webview bundle');
    assert.ok(!/from ['"](?:node:|fs|http|crypto)/.test(text));
    assert.ok(text.includes('acquireVsCodeApi'));
  });
});
