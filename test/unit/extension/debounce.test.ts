// The per-key debounce shared by the document and notebook linters: the last schedule wins, keys are apart.
import * as assert from 'assert';
import { Debouncer } from '../../../src/extension/debounce';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Debouncer', () => {
  it('runs only the last of quick schedules of one key, after the delay', async () => {
    const d = new Debouncer(30);
    const runs: string[] = [];
    d.schedule('a', () => runs.push('first'));
    await sleep(10);
    d.schedule('a', () => runs.push('second'));
    assert.deepStrictEqual(runs, []);
    await sleep(60);
    assert.deepStrictEqual(runs, ['second']);
    d.dispose();
  });

  it('keeps keys apart, and cancel and dispose drop pending runs', async () => {
    const d = new Debouncer(20);
    const runs: string[] = [];
    d.schedule('a', () => runs.push('a'));
    d.schedule('b', () => runs.push('b'));
    d.schedule('c', () => runs.push('c'));
    d.cancel('b');
    d.cancel('nothing pending');
    await sleep(50);
    assert.deepStrictEqual(runs.sort(), ['a', 'c']);
    d.schedule('a', () => runs.push('late'));
    d.dispose();
    await sleep(40);
    assert.deepStrictEqual(runs.sort(), ['a', 'c']);
  });
});
