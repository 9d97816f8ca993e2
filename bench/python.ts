// Python benchmark (prints figures; not a timed test). Run: `npm run bench -- python`.
//
//   - the first Python file's latency: loading the WebAssembly parser (runtime + grammar) and the first lint;
//   - re-lint latency p50/p90 of a generated 2 000-line Python file with Claude calls, next to a bare
//     tree-sitter parse of the same text (what the front end adds: the copy of the tree, the lowering and
//     the rules);
//   - a scan of Python files: the project's Python fixtures plus generated files with and without calls
//     (files/s, and how many the prefilter lets through to the parser).
// Figures vary with machine load.

import * as fs from 'fs';
import * as path from 'path';
import { lintText, loadPythonParser, needsParse } from '../src/core/lint/index';
import { parsePythonTree } from '../src/core/lint/python/parser';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const fmt = (n: number, digits = 2) => n.toFixed(digits);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** A 2 000-line module: a client, helpers, classes, and a Claude call every ~40 lines. */
export function generatedPython(lines = 2000, withCalls = true): string {
  const out: string[] = ['import json', 'import time', withCalls ? 'import anthropic' : 'import requests', '', withCalls ? 'client = anthropic.Anthropic(max_retries=3)' : 'session = requests.Session()', ''];
  let i = 0;
  while (out.length < lines) {
    i++;
    out.push(`class Handler${i}:`, `    """Handles job ${i}."""`, '', '    def __init__(self, name: str):', '        self.name = name', `        self.items = [x * ${i} for x in range(10)]`, '');
    out.push('    def render(self, data: dict) -> str:', '        parts = []', '        for key, value in data.items():', '            if value is None:', '                continue', '            parts.append(f"{key}={value!r}")', '        return ", ".join(parts)', '');
    if (withCalls) {
      out.push(`    def ask(self, question: str) -> str:`, '        message = client.messages.create(', '            model="claude-sonnet-4-6",', `            max_tokens=${512 + i},`, '            messages=[{"role": "user", "content": question}],', '        )', '        return message.content[0].text', '');
    } else {
      out.push('    def fetch(self, url: str) -> dict:', '        response = session.get(url, timeout=10)', '        response.raise_for_status()', '        return json.loads(response.text)', '');
    }
    out.push(`def helper_${i}(values):`, '    total = 0', '    for v in values:', '        total += v', '    time.sleep(0)', '    return total', '', '');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

async function main(): Promise<void> {
  const first = generatedPython(200, true);
  const t0 = now();
  await loadPythonParser();
  const t1 = now();
  const firstResult = lintText(first, { fileName: 'first.py' });
  const t2 = now();
  console.log('Python front end');
  console.log(`  first Python file: parser load ${fmt(t1 - t0, 1)} ms + first lint ${fmt(t2 - t1, 1)} ms (${firstResult.calls.length} calls)`);

  const big = generatedPython(2000, true);
  const times: number[] = [];
  const parses: number[] = [];
  let calls = 0;
  for (let k = 0; k < 30; k++) {
    const a = now();
    calls = lintText(big, { fileName: 'big.py' }).calls.length;
    times.push(now() - a);
    const b = now();
    parsePythonTree(big).delete();
    parses.push(now() - b);
  }
  console.log(`  re-lint of a 2 000-line file (${calls} calls): p50 ${fmt(percentile(times, 50))} ms, p90 ${fmt(percentile(times, 90))} ms`);
  console.log(`  bare tree-sitter parse of it:           p50 ${fmt(percentile(parses, 50))} ms, p90 ${fmt(percentile(parses, 90))} ms`);

  const fixtures = path.resolve(__dirname, '..', '..', 'test', 'fixtures');
  const texts: Array<{ name: string; text: string }> = [];
  for (const dir of ['python-clean', 'seeds-python']) {
    const d = path.join(fixtures, dir);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) if (f.endsWith('.py')) texts.push({ name: f, text: fs.readFileSync(path.join(d, f), 'utf8') });
  }
  for (let k = 0; k < 100; k++) texts.push({ name: `gen${k}.py`, text: generatedPython(300, k % 10 === 0) });
  let parsed = 0;
  let bytes = 0;
  const s = now();
  for (const f of texts) {
    bytes += f.text.length;
    if (needsParse(f.text, f.name)) parsed++;
    lintText(f.text, { fileName: f.name });
  }
  const ms = now() - s;
  console.log(`  scan of ${texts.length} Python files (${fmt(bytes / 1e6)} MB): ${fmt((texts.length / ms) * 1000, 0)} files/s, ${parsed} parsed after the prefilter`);
}

if (require.main === module) void main();
