// Type-checks a fixed source text with the TypeScript compiler API against the real `@anthropic-ai/sdk` types
// (from the project's node_modules) and the retry helper as it ships (src/core/retry/claudeRetry.ts). The files
// are virtual, placed in the repository so that module resolution finds the SDK; nothing is written to disk.

import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../../..');
const DIR = path.join(ROOT, '.fix-check');
const HELPER = path.join(ROOT, 'src/core/retry/claudeRetry.ts');

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  allowJs: true,
  checkJs: true,
};

let oldProgram: ts.Program | undefined;

/**
 * The compiler's errors for `code` as file `fileName` (default test.ts), one line each ("line: message");
 * `helperNames` are imported from the helper first, as the editor does when it applies a helper fix.
 */
export function typeErrors(code: string, helperNames: string[] = [], fileName = 'test.ts'): string[] {
  const head = helperNames.length ? `import { ${helperNames.join(', ')} } from './claudeRetry';\n` : '';
  const file = path.join(DIR, fileName);
  const virtual = new Map<string, string>([
    [file, head + code],
    [path.join(DIR, 'claudeRetry.ts'), ts.sys.readFile(HELPER) ?? ''],
  ]);
  const host = ts.createCompilerHost(OPTIONS, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f);
  host.directoryExists = (d) => path.resolve(d) === DIR || ts.sys.directoryExists(d);
  host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) => {
    const v = virtual.get(path.resolve(f));
    if (v !== undefined) return ts.createSourceFile(f, v, lang, true);
    // library files do not change between calls: reuse the previous program's
    return oldProgram?.getSourceFile(f) ?? getSourceFile.call(host, f, lang, onError, create);
  };
  const program = ts.createProgram({ rootNames: [file], options: OPTIONS, host, oldProgram });
  oldProgram = program;
  const sf = program.getSourceFile(file);
  if (!sf) return ['the file was not part of the program'];
  const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  const shift = head ? 1 : 0;
  return diags.map((d) => {
    const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line + 1 - shift : 0;
    return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
