// Jupyter notebooks: code cells joined and linted as Python, findings placed back exactly in the .ipynb text.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintCells, lintNotebook, loadPythonParser } from '../../../../src/core/lint/index';
import { cellPosition, readNotebook } from '../../../../src/core/lint/notebook';

const dir = path.resolve(__dirname, '../../../../../test/fixtures/notebooks');
const explore = fs.readFileSync(path.join(dir, 'explore.ipynb'), 'utf8');

describe('notebooks', () => {
  before(async () => {
    await loadPythonParser();
  });

  it('reads the code cells only, joined with newlines, each character mapped to where it is written in the file', () => {
    const nb = readNotebook(explore);
    assert.ok(!('error' in nb));
    if ('error' in nb) return;
    assert.strictEqual(nb.language, 'python');
    assert.deepStrictEqual(
      nb.cells.map((c) => c.index),
      [1, 2, 3, 4],
    );
    const parsed = JSON.parse(explore) as { cells: Array<{ source: string | string[] }> };
    for (const c of nb.cells) {
      const src = parsed.cells[c.index].source;
      assert.strictEqual(c.code, Array.isArray(src) ? src.join('') : src);
      assert.strictEqual(c.raw.length, c.code.length + 1);
      for (let k = 0; k < c.code.length; k++) {
        const at = explore[c.raw[k]];
        // a plain character is written as itself; anything else starts an escape
        if (at !== '\\') assert.strictEqual(at, c.code[k], `cell ${c.index}, char ${k}`);
        else assert.ok(['\\', '"', '\n', '\t'].includes(c.code[k]) || c.code.charCodeAt(k) > 127, `cell ${c.index}, char ${k}: ${JSON.stringify(c.code[k])}`);
      }
      assert.strictEqual(nb.text.slice(c.start, c.start + c.code.length).length, c.code.length);
    }
    // the JSON \u escapes decode (ü, ï) and map to their backslash
    const q = nb.cells[2];
    const u = q.code.indexOf('ü');
    assert.ok(u > 0);
    assert.strictEqual(explore.slice(q.raw[u], q.raw[u] + 6), '\\u00fc');
    // magics and shell escapes are blanked to the same length
    assert.match(nb.text, /^ {22}\n {11}\nimport anthropic/);
  });

  it('lints the joined cells: a call without max_tokens in cell 4, placed in the file and in its cell; markdown is not code', () => {
    const r = lintNotebook(explore, { fileName: path.join(dir, 'explore.ipynb') });
    assert.strictEqual(r.error, undefined);
    assert.deepStrictEqual(r.internalErrors, undefined);
    assert.deepStrictEqual(
      r.findings.map((f) => [f.ruleId, f.cell]),
      [['missing-max-tokens', { number: 4, line: 2, column: 9 }]],
    );
    const f = r.findings[0];
    assert.strictEqual(explore.slice(f.start, f.start + 'client.messages.create'.length), 'client.messages.create');
    assert.strictEqual(f.fixes, undefined, 'a fix would have to be re-encoded into the JSON');
  });

  it('another kernel language, invalid JSON and a JSON file that is not a notebook give no finding', () => {
    const r = fs.readFileSync(path.join(dir, 'r-kernel.ipynb'), 'utf8');
    assert.deepStrictEqual(lintNotebook(r, { fileName: 'r-kernel.ipynb' }), { findings: [] });
    assert.match(lintNotebook('{"cells": [anthropic', { fileName: 'x.ipynb' }).error ?? '', /not valid JSON/);
    assert.match(lintNotebook('{"anthropic": 1}', { fileName: 'x.ipynb' }).error ?? '', /not a Jupyter notebook/);
  });

  it('a source written as one string, and an empty cell, map as well', () => {
    const text = JSON.stringify({
      cells: [
        { cell_type: 'code', source: [] },
        { cell_type: 'code', source: 'import anthropic\nc = anthropic.Anthropic()\nc.messages.create(model="m", messages=[{"role": "user", "content": "hi"}])' },
      ],
      metadata: {},
    });
    const nb = readNotebook(text);
    assert.ok(!('error' in nb));
    if ('error' in nb) return;
    assert.deepStrictEqual(
      nb.cells.map((c) => c.code.length),
      [0, 'import anthropic\nc = anthropic.Anthropic()\nc.messages.create(model="m", messages=[{"role": "user", "content": "hi"}])'.length],
    );
    const call = nb.text.indexOf('c.messages');
    assert.deepStrictEqual(cellPosition(nb, call), { number: 2, line: 3, column: 1 });
    const r = lintNotebook(text, { fileName: 'one.ipynb' });
    assert.deepStrictEqual(
      r.findings.map((f) => f.ruleId),
      ['missing-max-tokens'],
    );
    assert.strictEqual(text.slice(r.findings[0].start, r.findings[0].start + 10), 'c.messages');
  });

  it('cells open in an editor: the client from an earlier cell is known, offsets are the cell\'s own', () => {
    const code = 'r = client.messages.create(model="claude-sonnet-4-6", messages=[{"role": "user", "content": "hi"}])';
    const r = lintCells(
      [
        { index: 0, code: 'import anthropic\nclient = anthropic.Anthropic()' },
        { index: 2, code: '%time\n' + code },
      ],
      { fileName: 'draft.ipynb' },
    );
    assert.deepStrictEqual(
      r.findings.map((f) => [f.ruleId, f.cell.number, f.start]),
      [['missing-max-tokens', 3, '%time\n'.length + 4]],
    );
    // a cell list with no mention of the SDK is not parsed at all
    assert.deepStrictEqual(lintCells([{ index: 0, code: 'print(1)' }], { fileName: 'x.ipynb' }), { findings: [], calls: [] });
  });
});
