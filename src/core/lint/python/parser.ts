// Loading the Python parser: tree-sitter compiled to WebAssembly (`web-tree-sitter`) with the grammar of the
// `tree-sitter-python` package (its `.wasm`). No native code: the same files run on every platform.
//
// Loading is asynchronous (the WebAssembly modules are compiled once); parsing is synchronous after that.
// `loadPythonParser()` is called only when a Python file passes the prefilter; until it has finished,
// `pythonParserReady()` is false and the engine answers "pending" for Python files.
//
// The .wasm files are looked up next to the running bundle first (the build copies them into dist/, which
// the extension and the CLI ship), then in node_modules (tests and development).

import * as fs from 'fs';
import * as path from 'path';
import type * as TreeSitter from 'web-tree-sitter';

type WebTreeSitter = typeof import('web-tree-sitter');

export const RUNTIME_WASM = 'tree-sitter.wasm';
export const PYTHON_WASM = 'tree-sitter-python.wasm';

let parser: TreeSitter.Parser | null = null;
let loading: Promise<void> | null = null;
let loadError: string | null = null;

function locate(file: string, packageFile: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, '..', file)];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  try {
    return require.resolve(packageFile);
  } catch {
    return candidates[0];
  }
}

/** Loads the WebAssembly parser once; later calls return the same promise. Never rejects. */
export function loadPythonParser(): Promise<void> {
  if (parser) return Promise.resolve();
  if (!loading) {
    loading = (async () => {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const ts = require('web-tree-sitter') as WebTreeSitter;
        const runtime = locate(RUNTIME_WASM, 'web-tree-sitter/tree-sitter.wasm');
        const grammar = locate(PYTHON_WASM, 'tree-sitter-python/tree-sitter-python.wasm');
        await ts.Parser.init({ locateFile: () => runtime });
        const language = await ts.Language.load(fs.readFileSync(grammar));
        const p = new ts.Parser();
        p.setLanguage(language);
        parser = p;
      } catch (e) {
        loadError = String((e as Error)?.message ?? e);
      }
    })();
  }
  return loading;
}

/** true once loadPythonParser() has finished successfully. */
export function pythonParserReady(): boolean {
  return parser !== null;
}

/** Why loading failed, if it did. */
export function pythonParserError(): string | null {
  return loadError;
}

/** Parses Python text (the parser must be loaded). The caller deletes the tree when done. */
export function parsePythonTree(text: string): TreeSitter.Tree {
  if (!parser) throw new Error('the Python parser is not loaded');
  const tree = parser.parse(text);
  if (!tree) throw new Error('the Python parser returned no tree');
  return tree;
}
