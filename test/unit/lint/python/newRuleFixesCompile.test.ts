// The Python code the unchecked-truncation and unbounded-fan-out fixes write must compile: each fixed file is
// checked with `python3 -m py_compile` (the standard library only, so no virtual environment is needed).

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyFixes, lintText, loadPythonParser } from '../../../../src/core/lint/index';

const HEAD = 'import asyncio\nimport json\n\nimport anthropic\n\nclient = anthropic.AsyncAnthropic()\n';
const REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": t}]';

const cases: Record<string, [string, string]> = {
  'truncation in a method, tab-indented': [
    'unchecked-truncation',
    HEAD + `\n\nclass Extractor:\n\tasync def extract(self, t):\n\t\treply = await client.messages.create(${REQ})\n\t\ttext = reply.content[0].text\n\t\treturn json.loads(text)\n`,
  ],
  'truncation inside try/with blocks': [
    'unchecked-truncation',
    HEAD + `\n\nasync def extract(t, lock):\n    async with lock:\n        try:\n            reply = await client.messages.create(${REQ})\n            data = json.loads(reply.content[0].text.strip())\n        except ValueError:\n            data = None\n    return data\n`,
  ],
  'fan-out over a generator': [
    'unbounded-fan-out',
    HEAD + `\n\nasync def run(texts):\n    async def one(t):\n        return await client.messages.create(${REQ})\n\n    return await asyncio.gather(*(one(t) for t in texts))\n`,
  ],
  'fan-out in a TaskGroup, module with a docstring and from-imports': [
    'unbounded-fan-out',
    '"""Jobs."""\nimport asyncio\nfrom typing import Any\n\nimport anthropic\n\nclient = anthropic.AsyncAnthropic()\n\n\nasync def run(texts: list[str]) -> None:\n    async with asyncio.TaskGroup() as tg:\n        for t in texts:\n            tg.create_task(client.messages.create(' + REQ + '))\n',
  ],
};

describe('Python fixes of the new rules compile (python3 -m py_compile)', () => {
  before(() => loadPythonParser());
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-pyfix-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  Object.entries(cases).forEach(([name, [ruleId, code]], i) => {
    it(`${ruleId}: ${name}`, () => {
      const r = lintText(code, { fileName: 'jobs.py' });
      assert.deepStrictEqual(r.internalErrors ?? [], []);
      const found = r.findings.filter((f) => f.ruleId === ruleId);
      assert.strictEqual(found.length, 1, `expected one ${ruleId} finding, got ${found.length}`);
      const fix = found[0].fixes?.[0];
      assert.ok(fix, 'expected a fix');
      const fixed = applyFixes(code, [fix]).text;
      assert.notStrictEqual(fixed, code);
      const file = path.join(dir, `case${i}.py`);
      fs.writeFileSync(file, fixed);
      execFileSync('python3', ['-m', 'py_compile', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      // and the finding is gone once fixed
      const again = lintText(fixed, { fileName: 'jobs.py' }).findings.filter((f) => f.ruleId === ruleId);
      assert.deepStrictEqual(again.map((f) => f.message), []);
    });
  });
});
