// Test kit for the Python fixes: the call sites of a Python text (as the engine finds them), and a check that
// Python texts compile (`python3 -m py_compile`), many at once.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Evaluator } from '../../../../src/core/lint/requestModel';
import type { CallSite, Node, RuleContext } from '../../../../src/core/lint/ruleContext';
import { PythonCallSiteFinder, PythonScopeResolver, collectPythonSdkImports, parsePython } from '../../../../src/core/lint/python/frontEnd';
import { PYTHON_FACTS } from '../../../../src/core/lint/python/facts';

/** The Anthropic call sites of a Python text, in source order. */
export function pythonCalls(text: string): CallSite[] {
  const parsed = parsePython(text);
  if ('error' in parsed) throw new Error(`does not parse: ${parsed.error.message} at ${parsed.error.index}`);
  const scopes = new PythonScopeResolver();
  const evaluator = new Evaluator(scopes, new Set<Node>(parsed.scan.messageCalls));
  const finder = new PythonCallSiteFinder(scopes, evaluator, collectPythonSdkImports(parsed.ast));
  return parsed.scan.messageCalls.map((c) => finder.callSite(c)).filter((c): c is CallSite => !!c);
}

/** The one call site of a text, as a rule context holding what the fixes read. */
export function onlyCall(text: string): RuleContext {
  const calls = pythonCalls(text);
  assert.strictEqual(calls.length, 1, `expected one call site, found ${calls.length}`);
  return { call: calls[0], sourceText: text, language: PYTHON_FACTS } as unknown as RuleContext;
}

/** Asserts every text compiles as Python (one python3 process for all of them). */
export function assertCompiles(texts: Record<string, string>): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pycompile-'));
  try {
    const files: string[] = [];
    for (const [name, text] of Object.entries(texts)) {
      const f = path.join(dir, `${name.replace(/[^A-Za-z0-9_]/g, '_')}.py`);
      fs.writeFileSync(f, text);
      files.push(f);
    }
    const script = 'import py_compile, sys\nbad = []\nfor f in sys.argv[1:]:\n    try:\n        py_compile.compile(f, doraise=True)\n    except py_compile.PyCompileError as e:\n        bad.append(str(e))\nprint("\\n".join(bad))\n';
    const out = execFileSync(process.env.PYTHON || 'python3', ['-c', script, ...files], { encoding: 'utf8' }).trim();
    assert.strictEqual(out, '', `some fixed texts do not compile:\n${out}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
