// The fault simulator's live view page (media/faultLabView.js), run in a small stand-in DOM: each attempt says
// whether its answer was faulted or forwarded, with a codicon, the text and an accessible label.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import type { Timeline } from '../../../../src/core/api/faultLab/timeline';

interface FakeNode {
  tag: string;
  className: string;
  textContent: string;
  title: string;
  style: Record<string, string>;
  attributes: Record<string, string>;
  children: FakeNode[];
  setAttribute(name: string, value: string): void;
  appendChild(child: FakeNode): FakeNode;
  replaceChildren(): void;
}

function node(tag: string, text = ''): FakeNode {
  const n: FakeNode = {
    tag,
    className: '',
    textContent: text,
    title: '',
    style: {},
    attributes: {},
    children: [],
    setAttribute: (name, value) => void (n.attributes[name] = value),
    appendChild: (child) => (n.children.push(child), child),
    replaceChildren: () => void n.children.splice(0),
  };
  return n;
}

/** The visible text of a node and its descendants. */
const textOf = (n: FakeNode): string => n.textContent + n.children.map(textOf).join('');
const all = (n: FakeNode): FakeNode[] => [n, ...n.children.flatMap(all)];

function runPage(): { app: FakeNode; post: (m: unknown) => void } {
  const app = node('main');
  let listener: ((e: { data: unknown }) => void) | undefined;
  const context = {
    acquireVsCodeApi: () => ({ postMessage: () => undefined }),
    document: {
      getElementById: () => app,
      createElement: (tag: string) => node(tag),
      createTextNode: (text: string) => node('#text', text),
      fonts: { load: () => new Promise(() => undefined) },
    },
    window: { addEventListener: (_type: string, l: (e: { data: unknown }) => void) => void (listener = l) },
  };
  const script = fs.readFileSync(path.resolve(__dirname, '../../../../../media/faultLabView.js'), 'utf8');
  vm.runInNewContext(script, context);
  assert.ok(listener, 'the page listens for messages');
  return { app, post: (m) => listener!({ data: m }) };
}

const attempt = (index: number, status: number, faulted: boolean, forwarded: boolean) => ({
  index,
  start: index * 100,
  end: index * 100 + 10,
  status,
  outcome: status === 200 ? 'ok' : 'error',
  streamed: false,
  faulted,
  forwarded,
});

describe('fault simulator live view page', () => {
  it('shows for each attempt whether it was faulted or forwarded, with an icon and an accessible label', () => {
    const { app, post } = runPage();
    const timeline: Timeline = {
      span: 400,
      calls: [{ label: 'POST /v1/messages · body 01234567', attempts: [attempt(0, 529, true, false), attempt(1, 200, false, true), attempt(2, 200, true, true), attempt(3, 200, false, false)] }],
      verdicts: [],
    };
    post({ type: 'timeline', running: true, url: 'http://127.0.0.1:1', timeline });
    const tags = all(app).filter((n) => n.className.split(' ').includes('source'));
    assert.deepStrictEqual(
      tags.map((t) => [textOf(t).trim(), t.children.find((c) => c.className.startsWith('codicon'))?.className, t.attributes['aria-label']]),
      [
        ['faulted', 'codicon codicon-zap', 'request #0: the scenario injected a fault into this answer'],
        ['forwarded', 'codicon codicon-cloud', 'request #1: answered by the proxy, not faulted'],
        ['forwarded, delayed', 'codicon codicon-cloud', 'request #2: answered by the proxy, delayed by the scenario'],
        ['not faulted', 'codicon codicon-circle-outline', 'request #3: answered by the simulator without a fault'],
      ],
    );
    // the icons are decoration only; the bars' tooltips say it too
    for (const t of tags) assert.strictEqual(t.children[0].attributes['aria-hidden'], 'true');
    const bars = all(app).filter((n) => n.className.startsWith('attempt '));
    assert.deepStrictEqual(
      bars.map((b) => b.title),
      ['#0 529, faulted', '#1 200, forwarded', '#2 200, forwarded, delayed', '#3 200, not faulted'],
    );
  });
});
