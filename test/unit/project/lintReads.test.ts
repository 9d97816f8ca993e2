// What a lint with the project in view reads and parses: each other file at most once per lint, declaration
// files never parsed for calls, and references looked up per function still found where names repeat.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintText } from '../../../src/core/lint/index';
import { ProjectIndex } from '../../../src/core/lint/project/projectIndex';
import { ModuleResolver, nodeProjectHost } from '../../../src/core/lint/project/resolve';
import { makeTree, removeTree } from './tree';

const CLIENT = 'import Anthropic from "@anthropic-ai/sdk";\nexport const anthropic = new Anthropic({ maxRetries: 0 });\n';
const ROUTE = [
  'import { anthropic } from "./client";',
  'export async function POST(prompt: string) {',
  '  const msg = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 512, messages: [{ role: "user", content: prompt }] });',
  '  return msg;',
  '}',
  '',
].join('\n');

describe('project lint: reads and parses', () => {
  let root = '';
  const reads = new Map<string, number>();
  let index: ProjectIndex;

  beforeEach(() => {
    root = makeTree({ 'src/client.ts': CLIENT, 'src/route.ts': ROUTE, 'src/types.d.ts': 'export declare function f(c: any): ReturnType<typeof c.messages.create>;\n' });
    reads.clear();
    const read = (f: string): string | undefined => {
      reads.set(f, (reads.get(f) ?? 0) + 1);
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
    };
    index = new ProjectIndex(new ModuleResolver(nodeProjectHost()), read);
    index.add(['src/client.ts', 'src/route.ts', 'src/types.d.ts'].map((f) => path.join(root, f)));
  });
  afterEach(() => removeTree(root));

  it('reads each other file once per lint, and still follows the imported client', () => {
    const route = path.join(root, 'src/route.ts');
    const client = path.join(root, 'src/client.ts');
    const r = lintText(ROUTE, { fileName: route, project: index, sdkVersion: '1.12.0' });
    assert.deepStrictEqual(r.findings.map((f) => f.ruleId).filter((id) => id !== 'retired-model'), ['unguarded-retry']);
    assert.strictEqual(reads.get(client), 1);
    // a second lint reads it again (it may have changed in between)
    lintText(ROUTE, { fileName: route, project: index, sdkVersion: '1.12.0' });
    assert.strictEqual(reads.get(client), 2);
  });

  it('does not parse a declaration file for calls whose client is elsewhere; a source file with that text is parsed', () => {
    const text = fs.readFileSync(path.join(root, 'src/types.d.ts'), 'utf8');
    assert.strictEqual(lintText(text, { fileName: path.join(root, 'src/types.d.ts'), project: index }).parsed, false);
    assert.strictEqual(lintText(text, { fileName: path.join(root, 'src/types.ts'), project: index }).parsed, true);
  });
});

describe('references per function (unchecked-truncation)', () => {
  const fn = (name: string, check: boolean) =>
    [
      `export async function ${name}(prompt: string) {`,
      '  const reply = await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 512, messages: [{ role: "user", content: prompt }] });',
      check ? '  if (reply.stop_reason === "max_tokens") throw new Error("cut off");' : '',
      '  const first = reply.content[0];',
      '  const text = first.type === "text" ? first.text : "";',
      '  return JSON.parse(text);',
      '}',
    ].join('\n');
  const head = 'import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic();\n';

  it('finds the parse in each function that reuses the names, and not in the one that checks', () => {
    const text = head + [fn('a', false), fn('b', true), fn('c', false)].join('\n');
    const r = lintText(text, { fileName: 'many.ts', sdkVersion: '1.12.0' });
    const at = r.findings.filter((f) => f.ruleId === 'unchecked-truncation').map((f) => text.lastIndexOf('export async function', f.start));
    const names = at.map((i) => text.slice(i + 'export async function '.length, i + 'export async function '.length + 1));
    assert.deepStrictEqual(names, ['a', 'c']);
  });
});
