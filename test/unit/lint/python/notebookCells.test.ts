// Notebooks open in an editor: fixes, calls and fix-all moved from the joined text into the cells.
import * as assert from 'assert';
import { lintCells, loadPythonParser } from '../../../../src/core/lint/index';
import { joinCells } from '../../../../src/core/lint/notebook';
import { applyCellEdits, callsInCells, editsByCell, fixAllCells, toCellEdit, toCellFix } from '../../../../src/core/lint/notebookCells';
import type { CellCode, CellFinding, CellFix } from '../../../../src/core/lint/notebookCells';

const KEY = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789';
const lint = (cells: readonly CellCode[]) => lintCells(cells, { fileName: 'draft.ipynb' });

/** The cells with a fix applied (each edit in its own cell). */
function applied(cells: readonly CellCode[], fix: CellFix): CellCode[] {
  const byCell = editsByCell([fix]);
  return cells.map((c) => ({ index: c.index, code: applyCellEdits(c.code, byCell.get(c.index) ?? []) }));
}

function findingOf(findings: readonly CellFinding[], ruleId: string): CellFinding {
  const f = findings.find((x) => x.ruleId === ruleId);
  assert.ok(f, `a ${ruleId} finding in ${JSON.stringify(findings.map((x) => x.ruleId))}`);
  return f;
}

describe('notebook cells: fixes and calls', () => {
  before(() => loadPythonParser());

  it('a fix inside the finding\'s cell is given in that cell\'s offsets, past a blanked magic cell', () => {
    const cells = [
      { index: 0, code: '%pip install anthropic' },
      { index: 1, code: 'import anthropic\nclient = anthropic.Anthropic()' },
      { index: 3, code: '!echo go\nr = client.messages.create(model="claude-sonnet-4-6", messages=[{"role": "user", "content": "q"}])' },
    ];
    const r = lint(cells);
    const f = findingOf(r.findings, 'missing-max-tokens');
    assert.deepStrictEqual(f.cell, { number: 4, line: 2, column: 5 });
    const fix = f.fixes?.find((x) => x.title === 'Add max_tokens=1024');
    assert.ok(fix);
    assert.deepStrictEqual(new Set(fix.edits.map((e) => e.cell)), new Set([3]));
    const out = applied(cells, fix);
    assert.strictEqual(out[2].code, cells[2].code.replace('model="claude-sonnet-4-6",', 'model="claude-sonnet-4-6", max_tokens=1024,'));
    assert.deepStrictEqual(out.slice(0, 2), cells.slice(0, 2));
    assert.ok(!lint(out).findings.some((x) => x.ruleId === 'missing-max-tokens'), 'the finding is gone');
  });

  it('a fix that also adds an import places it in the cell the notebook-wide import goes to', () => {
    const cells = [
      { index: 0, code: 'import anthropic' },
      { index: 1, code: `client = anthropic.Anthropic(api_key="${KEY}")` },
    ];
    const f = findingOf(lint(cells).findings, 'hardcoded-api-key');
    const fix = f.fixes?.[0];
    assert.ok(fix, 'a fix is offered');
    assert.deepStrictEqual([...new Set(fix.edits.map((e) => e.cell))].sort(), [0, 1], 'edits in both cells');
    const out = applied(cells, fix);
    assert.match(out[0].code, /^import anthropic\nimport os$|^import os\nimport anthropic$/);
    assert.strictEqual(out[1].code, 'client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])');
    assert.ok(!lint(out).findings.some((x) => x.ruleId === 'hardcoded-api-key'));
  });

  it('the with_retry wrap maps into the call\'s cell and keeps needing the helper', () => {
    const cells = [
      { index: 0, code: 'import anthropic\nclient = anthropic.Anthropic(max_retries=0)' },
      { index: 1, code: 'r = client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": "q"}])' },
    ];
    const r = lint(cells);
    const fix = findingOf(r.findings, 'unguarded-retry').fixes?.find((x) => x.title.startsWith('Wrap in with_retry'));
    assert.ok(fix);
    assert.strictEqual(fix.needsRetryHelper, true);
    assert.strictEqual(applied(cells, fix)[1].code, cells[1].code.replace('r = client', 'r = with_retry(lambda: client') + ')');
    // the call, for the hover: in its cell's offsets, with its retry stack
    assert.deepStrictEqual(
      r.calls.map((c) => [c.cell, c.start, c.end, c.method]),
      [[1, 4, cells[1].code.length, 'messages.create']],
    );
    assert.match(String(r.calls[0].retryStack?.text), /max_retries=0/);
  });

  it('edits are mapped only inside one cell as written', () => {
    const nb = joinCells([
      { index: 0, code: 'a = 1' },
      { index: 2, code: '%time\nb = 2' },
    ]);
    // joined: "a = 1\n     \nb = 2"; cell 2 starts at 6
    assert.deepStrictEqual(toCellEdit(nb, { start: 5, end: 5, text: 'x' }), { cell: 0, start: 5, end: 5, text: 'x' }, 'insertion at the end of a cell');
    assert.deepStrictEqual(toCellEdit(nb, { start: 6, end: 6, text: 'y' }), { cell: 2, start: 0, end: 0, text: 'y' }, 'insertion at the start of the next');
    assert.deepStrictEqual(toCellEdit(nb, { start: 12, end: 17, text: 'c = 3' }), { cell: 2, start: 6, end: 11, text: 'c = 3' });
    assert.strictEqual(toCellEdit(nb, { start: 4, end: 7, text: '' }), undefined, 'across the newline joining two cells');
    assert.strictEqual(toCellEdit(nb, { start: 5, end: 6, text: '' }), undefined, 'the joining newline itself');
    assert.strictEqual(toCellEdit(nb, { start: 6, end: 12, text: '' }), undefined, 'over a blanked magic line');
    assert.strictEqual(toCellEdit(nb, { start: 0, end: 1, text: 'z', file: '/elsewhere/app.py', fileVersion: 'v' }), undefined, 'in another file');
    // a fix is mapped whole or not at all
    assert.strictEqual(toCellFix(nb, { title: 't', safe: true, edits: [{ start: 0, end: 0, text: '#' }, { start: 4, end: 7, text: '' }] }), undefined);
    assert.deepStrictEqual(toCellFix(nb, { title: 't', safe: true, edits: [{ start: 0, end: 0, text: '#' }, { start: 17, end: 17, text: '#' }] })?.edits.map((e) => [e.cell, e.start]), [
      [0, 0],
      [2, 11],
    ]);
    // a call across two cells has no place in either
    assert.deepStrictEqual(callsInCells(nb, [{ start: 0, end: 17, method: 'messages.create' }]), []);
  });

  it('edits of several fixes per cell: sorted, and a fix clashing with an earlier one is left out whole', () => {
    const byCell = editsByCell([
      { title: 'a', safe: true, edits: [{ cell: 1, start: 8, end: 8, text: 'A' }] },
      { title: 'b', safe: true, edits: [{ cell: 0, start: 0, end: 0, text: 'B' }, { cell: 1, start: 8, end: 9, text: 'b' }] },
      { title: 'c', safe: true, edits: [{ cell: 1, start: 2, end: 4, text: 'C' }] },
    ]);
    assert.deepStrictEqual([...byCell.keys()], [1]);
    assert.deepStrictEqual(byCell.get(1)?.map((e) => e.text), ['C', 'A']);
    assert.strictEqual(applyCellEdits('0123456789', byCell.get(1)!), '01C4567A89');
  });

  it('fix-all over the cells applies the safe fixes of every cell and lints again until done', () => {
    const call = (v: string) => `${v} = client.messages.create(model="claude-sonnet-4-6", messages=[{"role": "user", "content": "q"}])`;
    const cells = [
      { index: 0, code: 'import anthropic\nclient = anthropic.Anthropic()' },
      { index: 1, code: call('a') },
      { index: 2, code: '# notes only' },
      { index: 4, code: call('b') },
    ];
    let relints = 0;
    const out = fixAllCells(
      cells,
      lint(cells).findings,
      (c) => {
        relints++;
        return lint(c).findings;
      },
      (f) => f.safe && !f.needsRetryHelper,
    );
    assert.deepStrictEqual(out.map((c) => c.index), [0, 1, 2, 4]);
    assert.strictEqual(out[1].code, call('a').replace('model="claude-sonnet-4-6",', 'model="claude-sonnet-4-6", max_tokens=1024,'));
    assert.strictEqual(out[3].code, call('b').replace('model="claude-sonnet-4-6",', 'model="claude-sonnet-4-6", max_tokens=1024,'));
    assert.deepStrictEqual(out.slice(0, 1).concat(out[2]), [cells[0], cells[2]]);
    assert.ok(relints >= 1);
    assert.ok(!lint(out).findings.some((f) => f.ruleId === 'missing-max-tokens'));
    // nothing to fix: the same texts
    assert.deepStrictEqual(fixAllCells(out, lint(out).findings, (c) => lint(c).findings, (f) => f.safe), out);
  });
});
