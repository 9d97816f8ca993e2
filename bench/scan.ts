// Scan benchmark (prints figures; not a timed test). Run: `npm run bench -- scan`.
//
// Corpus: every .ts/.js/.mjs/.cjs file up to 2 MB in the project's own node_modules (real-world code,
// mostly without Claude calls; node_modules/.cache is left out: it holds this checkout's own transient
// build output, which comes and goes) plus generated files that do call the Messages API. In one run it prints:
//   - the whole scan (read + lintText per file, with the SDK version lookup for files the prefilter lets
//     through, as the CLI does): files/s, MB/s, peak memory (the resident-set high-water mark of the
//     process that ran the scan); each heavy phase runs in a fresh process, cold start included, and is
//     timed by the wall clock and by the CPU time of its process (steadier on a loaded machine);
//   - how many files each prefilter stage lets through (the regular expression, then the lexer);
//   - the ratio to (a) reading the same files and running the prefilter regex, and (b) ESLint's Linter
//     running one equivalent CallExpression rule with the typescript-eslint parser (on a sample,
//     extrapolated, when the full run would take over 60 s);
//   - re-lint latency p50/p90 for a 2 000-line file with calls and one without, next to a bare
//     typescript-estree parse of the file with calls.
// Figures vary with machine load; run it on a quiet machine.
//
// SCAN_VERIFY=1 also lints every file the regular expression lets through both ways (lintText, and a
// forced parse with lintUnfiltered) and reports any difference in findings or calls.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintText, lintUnfiltered, needsParse } from '../src/core/lint/index';
import { coarsePrefilter } from '../src/core/lint/prefilter';
import { resolveSdkVersion } from '../src/core/lint/sdkVersion';
import { diskProjectIndex as projectIndexOf } from '../src/core/lint/project/diskIndex';

const root = path.resolve(__dirname, '..', '..');
const MAX_BYTES = 2 * 1024 * 1024;
const ESLINT_SAMPLE = 300;
const ESLINT_FULL_RUN_LIMIT_S = 60;

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const mb = (bytes: number) => bytes / 1e6;

interface CorpusFile {
  file: string;
  bytes: number;
}

function listCorpus(dir: string, out: CorpusFile[] = [], skip: string[] = []): CorpusFile[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.includes(p)) listCorpus(p, out, skip);
    }
    else if (e.isFile() && /\.(?:ts|js|mjs|cjs)$/.test(e.name)) {
      const bytes = fs.statSync(p).size;
      if (bytes <= MAX_BYTES) out.push({ file: p, bytes });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// generated files that call the Messages API (several shapes the engine must follow)

const callTemplates: Array<(i: number) => string> = [
  (i) => `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

export async function ask${i}(question: string): Promise<string> {
  const message = await client.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: question }],
  });
  const block = message.content[0];
  return block.type === "text" ? block.text : "";
}
`,
  (i) => `const Anthropic = require("@anthropic-ai/sdk");
const anthropic = new Anthropic({ maxRetries: 0 });

async function summarize${i}(text) {
  const params = {
    model: "claude-haiku-4-5",
    messages: [
      { role: "user", content: "Summarize: " + text },
    ],
  };
  return anthropic.messages.create(params);
}
module.exports = { summarize${i} };
`,
  (i) => `import Anthropic from "@anthropic-ai/sdk";

export class Assistant${i} {
  #client = new Anthropic();
  constructor(private readonly model = "claude-sonnet-4-5") {}

  async *stream(prompt: string) {
    const stream = this.#client.messages
      .stream({ model: this.model, max_tokens: 2048, messages: [{ role: "user", content: prompt }] });
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") yield event.delta.text;
    }
  }
}
`,
  (i) => `import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";

const client = new Anthropic();

export async function chat${i}(history: MessageParam[], extra: Record<string, unknown>) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await client.messages.create({
        ...extra,
        model: "claude-opus-4-1",
        max_tokens: 4096,
        temperature: 0.2,
        messages: [{ role: "assistant", content: "Hi" }, ...history],
      } as Anthropic.MessageCreateParamsNonStreaming);
    } catch (e) {
      await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
    }
  }
  throw new Error("gave up");
}
`,
  (i) => `import Anthropic from "@anthropic-ai/sdk";

function makeClient() {
  return new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, timeout: 60_000 });
}

export const run${i} = async (input: string) => {
  const c = makeClient();
  const res = await c.beta.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: -1,
    system: "You are terse.",
    messages: [
      { role: "user", content: input },
      { role: "user", content: "Again." },
    ],
  });
  return res;
};
`,
];

function generateCallFiles(dir: string, count: number): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (let i = 0; i < count; i++) {
    const t = callTemplates[i % callTemplates.length];
    const ext = i % callTemplates.length === 1 ? '.js' : '.ts';
    const file = path.join(dir, `calls${i}${ext}`);
    const text = t(i);
    fs.writeFileSync(file, text);
    out.push({ file, bytes: Buffer.byteLength(text) });
  }
  return out;
}

/** A realistic ~2 000-line TypeScript module; with `calls`, some blocks call the Messages API. */
function bigFile(lines: number, calls: boolean): string {
  const head = calls
    ? 'import Anthropic from "@anthropic-ai/sdk";\nimport { readFile } from "fs/promises";\n\nconst anthropic = new Anthropic();\n'
    : 'import { readFile } from "fs/promises";\n\nconst store = createStore();\n';
  const blocks: string[] = [head];
  let n = head.split('\n').length;
  for (let i = 0; n < lines; i++) {
    const call =
      calls && i % 4 === 0
        ? `  const reply = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: ${512 + i},
    system: options.system,
    messages: [{ role: "user", content: prompt }],
  });
  const first = reply.content[0];
  const text = first && first.type === "text" ? first.text : "";`
        : `  const record = await store.records.insert({
    key: "item-${i}",
    size: ${512 + i},
    owner: options.system,
    values: [{ role: "user", content: prompt }],
  });
  const first = record.values[0];
  const text = first && first.kind === "text" ? first.text : "";`;
    const block = `
export interface Options${i} {
  system?: string;
  retries: number;
  labels: Record<string, string>;
}

/** Handles step ${i} of the pipeline. */
export async function step${i}(prompt: string, options: Options${i}): Promise<string | undefined> {
  if (!prompt.trim()) return undefined;
  const config = JSON.parse(await readFile("config-${i}.json", "utf8")) as { limit: number };
${call}
  if (text.length > config.limit) {
    return text.slice(0, config.limit) + "…";
  }
  for (const [k, v] of Object.entries(options.labels)) {
    if (v.includes(k)) console.log(\`label \${k} matched in step ${i}\`);
  }
  return text;
}
`;
    blocks.push(block);
    n += block.split('\n').length - 1;
  }
  if (!calls) blocks.push('\nfunction createStore(): any {\n  return {};\n}\n');
  return blocks.join('');
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function timeRuns(runs: number, warmup: number, fn: (i: number) => void): { p50: number; p90: number } {
  for (let i = 0; i < warmup; i++) fn(-1 - i);
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    fn(i);
    t.push(now() - t0);
  }
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 50), p90: percentile(t, 90) };
}

// ---------------------------------------------------------------------------------------------------
// ESLint: one CallExpression rule equivalent to the missing-max-tokens check, typescript-eslint parser

interface EslintHarness {
  /** Lints one text; returns the number of findings of the one rule. */
  verify(text: string, file: string): number;
}

function makeEslint(): EslintHarness {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Linter } = require('eslint') as typeof import('eslint');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsParser = require('@typescript-eslint/parser');
  type AnyNode = { type: string; [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const rule = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: { report(d: { node: unknown; message: string }): void }) {
      return {
        CallExpression(node: AnyNode) {
          const callee = node.callee as AnyNode;
          if (callee.type !== 'MemberExpression' || callee.computed) return;
          const prop = callee.property as AnyNode;
          if (prop.type !== 'Identifier' || (prop.name !== 'create' && prop.name !== 'stream')) return;
          const obj = callee.object as AnyNode;
          if (obj.type !== 'MemberExpression' || obj.computed || (obj.property as AnyNode).name !== 'messages') return;
          const arg = (node.arguments as AnyNode[])[0];
          if (!arg || arg.type !== 'ObjectExpression') return;
          const has = (arg.properties as AnyNode[]).some(
            (p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'max_tokens',
          );
          if (!has) context.report({ node, message: 'The request has no max_tokens.' });
        },
      };
    },
  };
  const linter = new Linter();
  // ESLint's flat config only lints files a non-universal `files` pattern matches, and ignores anything under
  // node_modules; each text is therefore verified under a neutral name with its own extension.
  const config = [
    {
      files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
      linterOptions: { reportUnusedDisableDirectives: 'off' as const },
      languageOptions: { parser: tsParser, sourceType: 'module' as const, parserOptions: { ecmaFeatures: { jsx: false } } },
      plugins: { bench: { rules: { 'missing-max-tokens': rule } } },
      rules: { 'bench/missing-max-tokens': 'error' as const },
    },
  ];
  return {
    verify(text: string, file: string) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const messages = linter.verify(text, config as any, { filename: `sample${path.extname(file)}` });
      for (const m of messages) {
        if (/No matching configuration/.test(m.message)) throw new Error(`ESLint did not lint ${file}: ${m.message}`);
      }
      return messages.filter((m) => m.ruleId === 'bench/missing-max-tokens').length;
    },
  };
}

// ---------------------------------------------------------------------------------------------------

// Each heavy phase runs in a fresh process (`scan.js --phase <name> <list.json>`), so each pays its own
// cold start (module loading, JIT warm-up) as a CLI run does, and peak memory is the scan's own.

type PhaseResult = Record<string, number | string>;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function phase(name: string, corpus: CorpusFile[]): PhaseResult {
  const out: PhaseResult = {};
  let t0 = now();
  const c0 = cpuMs();
  switch (name) {
    case 'read-regex': {
      let matching = 0;
      let matchingBytes = 0;
      for (const f of corpus) {
        if (coarsePrefilter(fs.readFileSync(f.file, 'utf8'))) {
          matching++;
          matchingBytes += f.bytes;
        }
      }
      out.matching = matching;
      out.matchingBytes = matchingBytes;
      break;
    }
    case 'scan': {
      let parsed = 0;
      let findings = 0;
      for (const f of corpus) {
        const text = fs.readFileSync(f.file, 'utf8');
        const r = lintText(text, { fileName: f.file, sdkVersion: needsParse(text, f.file) ? resolveSdkVersion(f.file) : null });
        if (r.parsed) parsed++;
        findings += r.findings.length;
      }
      out.parsed = parsed;
      out.findings = findings;
      break;
    }
    case 'index': {
      // the editor's background pass: summaries of the files that call the API, and who imports whom
      // the heap the built index keeps: live heap after a full collection, with and without it
      const gc = (globalThis as { gc?: () => void }).gc;
      lintUnfiltered('const loaded = 1;', { fileName: path.join(os.tmpdir(), 'load.ts') }); // the parser and rules loaded, as after any lint
      gc?.();
      const before = process.memoryUsage().heapUsed;
      const index = projectIndexOf(corpus.map((f) => f.file));
      index.build();
      out.files = index.size;
      gc?.();
      if (gc) out.keptMb = mb(process.memoryUsage().heapUsed - before);
      break;
    }
    case 'scan-project': {
      // the CLI's default: every file linted with the project in view (summaries made as lints need them)
      const index = projectIndexOf(corpus.map((f) => f.file));
      let parsed = 0;
      let findings = 0;
      for (const f of corpus) {
        const text = fs.readFileSync(f.file, 'utf8');
        const r = lintText(text, { fileName: f.file, sdkVersion: needsParse(text, f.file) ? resolveSdkVersion(f.file) : null, project: index });
        if (r.parsed) parsed++;
        findings += r.findings.length;
      }
      out.parsed = parsed;
      out.findings = findings;
      break;
    }
    case 'parse': {
      // read + prefilter + a bare typescript-estree parse of what passes (the engine's floor)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const estree = require('@typescript-eslint/typescript-estree') as typeof import('@typescript-eslint/typescript-estree');
      let parsed = 0;
      for (const f of corpus) {
        const text = fs.readFileSync(f.file, 'utf8');
        if (!needsParse(text, f.file)) continue;
        try {
          estree.parse(text, { filePath: f.file, range: true, loc: false, comment: true, tokens: false, jsx: true, jsDocParsingMode: 'none' });
        } catch {
          // a parse error costs what it costs
        }
        parsed++;
      }
      out.parsed = parsed;
      break;
    }
    case 'verify': {
      // every file the regular expression lets through, linted with the lexer stage and with a forced parse
      let compared = 0;
      let skipped = 0;
      let findings = 0;
      const differences: string[] = [];
      for (const f of corpus) {
        const text = fs.readFileSync(f.file, 'utf8');
        if (!coarsePrefilter(text)) continue;
        compared++;
        const options = { fileName: f.file, sdkVersion: resolveSdkVersion(f.file) };
        const passes = needsParse(text, f.file);
        if (!passes) skipped++;
        const a = lintText(text, options);
        const b = lintUnfiltered(text, options);
        // a file the prefilter skips is not parsed, so a syntax error in it is not reported
        const want = { findings: passes ? b.findings : b.findings.filter((x) => x.ruleId !== 'parse-error'), calls: b.calls };
        findings += want.findings.length;
        if (JSON.stringify({ findings: a.findings, calls: a.calls }) !== JSON.stringify(want)) differences.push(f.file);
      }
      out.compared = compared;
      out.skipped = skipped;
      out.findings = findings;
      out.differences = differences.length ? differences.join(', ') : 'none';
      break;
    }
    case 'eslint': {
      const eslint = makeEslint();
      const step = Math.max(1, Math.floor(corpus.length / ESLINT_SAMPLE));
      const sample = corpus.filter((_, i) => i % step === 0).slice(0, ESLINT_SAMPLE);
      t0 = now();
      let sampleBytes = 0;
      for (const f of sample) {
        eslint.verify(fs.readFileSync(f.file, 'utf8'), f.file);
        sampleBytes += f.bytes;
      }
      const sampleMs = now() - t0;
      const perFileMs = sampleMs / sample.length;
      const estimateMs = perFileMs * corpus.length;
      if (estimateMs / 1000 <= ESLINT_FULL_RUN_LIMIT_S) {
        t0 = now();
        let found = 0;
        for (const f of corpus) found += eslint.verify(fs.readFileSync(f.file, 'utf8'), f.file);
        out.ms = now() - t0;
        out.how = `full run over ${corpus.length} files, ${found} findings`;
      } else {
        const totalBytes = corpus.reduce((sum, f) => sum + f.bytes, 0);
        out.ms = estimateMs;
        out.how =
          `extrapolated from a sample of ${sample.length} files (every ${step}th; ${fmt(perFileMs, 2)} ms/file, including ` +
          `ESLint's own cold start) because the full run would take about ${fmt(estimateMs / 1000, 0)} s (> ${ESLINT_FULL_RUN_LIMIT_S} s); ` +
          `extrapolated by bytes instead: ${fmt(((sampleMs / sampleBytes) * totalBytes) / 1000, 1)} s`;
      }
      return out;
    }
    default:
      throw new Error(`unknown phase ${name}`);
  }
  out.ms = now() - t0;
  out.cpuMs = cpuMs() - c0;
  out.maxRssMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  return out;
}

function runPhase(name: string, listFile: string): PhaseResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--phase', name, listFile], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`phase ${name} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PhaseResult;
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--phase') {
    const corpus = JSON.parse(fs.readFileSync(args[2], 'utf8')) as CorpusFile[];
    console.log(JSON.stringify(phase(args[1], corpus)));
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-bench-'));
  try {
    run(tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function run(tmp: string): void {
  const real = listCorpus(path.join(root, 'node_modules'), [], [path.join(root, 'node_modules', '.cache')]);
  const generated = generateCallFiles(tmp, 60);
  const corpus = [...real, ...generated];
  const totalBytes = corpus.reduce((s, f) => s + f.bytes, 0);
  const listFile = path.join(tmp, 'corpus.json');
  fs.writeFileSync(listFile, JSON.stringify(corpus));
  console.log(
    `corpus: ${corpus.length} files, ${fmt(mb(totalBytes), 1)} MB (${real.length} .ts/.js/.mjs/.cjs files up to 2 MB from node_modules, ` +
      `${generated.length} generated files with calls)`,
  );
  if (real.length < 5000) console.log(`note: fewer than 5 000 real files available (${real.length})`);

  // warm the OS file cache so that no phase pays for the first read
  for (const f of corpus) fs.readFileSync(f.file, 'utf8');

  const loadBefore = os.loadavg();
  const rr = runPhase('read-regex', listFile);
  const sc = runPhase('scan', listFile);
  const pa = runPhase('parse', listFile);
  const es = runPhase('eslint', listFile);
  const ix = runPhase('index', listFile);
  const sp = runPhase('scan-project', listFile);
  if (process.env.SCAN_VERIFY === '1') {
    const v = runPhase('verify', listFile);
    console.log(
      `verify: ${v.compared} files let through by the regular expression, linted with the lexer stage and with a forced parse: ` +
        `${v.skipped} skipped by the lexer stage, ${v.findings} findings, differences: ${v.differences}`,
    );
  }
  const readRegexMs = rr.ms as number;
  const scanMs = sc.ms as number;
  const eslintMs = es.ms as number;
  const cpu = (r: PhaseResult) => `${fmt((r.cpuMs as number) / 1000, 3)} s CPU`;

  console.log('');
  const load = (l: number[]) => l.map((x) => fmt(x, 1)).join(', ');
  console.log(`machine: ${os.cpus().length} cores; load average (1, 5, 15 min) before the phases ${load(loadBefore)}, after ${load(os.loadavg())}`);
  console.log('each phase below runs in a fresh process (cold start included, as for a CLI run); wall clock, then CPU time of that process');
  console.log(`read + prefilter regex: ${fmt(readRegexMs / 1000, 3)} s, ${cpu(rr)}`);
  console.log(
    `prefilter stages: the regular expression lets through ${rr.matching} files (${fmt(mb(rr.matchingBytes as number), 2)} MB); ` +
      `after the lexer stage ${sc.parsed} are parsed`,
  );
  console.log(
    `scan (read + lintText per file, SDK version looked up for files passing the prefilter, as the CLI does): ${fmt(scanMs / 1000, 3)} s, ${cpu(sc)}; ` +
      `${Math.round(corpus.length / (scanMs / 1000))} files/s, ${fmt(mb(totalBytes) / (scanMs / 1000), 1)} MB/s; ${sc.parsed} files parsed, ${sc.findings} findings`,
  );
  console.log(`peak memory of the scan (rss high-water): ${fmt(sc.maxRssMb as number, 0)} MB`);
  console.log(`for reference, read + prefilter + bare typescript-estree parse of the ${pa.parsed} passing files: ${fmt((pa.ms as number) / 1000, 3)} s, ${cpu(pa)}`);
  console.log(
    `ratio scan / (read + regex): ${fmt(scanMs / readRegexMs, 2)}x wall, ${fmt((sc.cpuMs as number) / (rr.cpuMs as number), 2)}x CPU   (aim: within 4x)`,
  );
  console.log(`ESLint (Linter, @typescript-eslint/parser, one CallExpression rule): ${fmt(eslintMs / 1000, 1)} s, ${es.how}`);
  console.log(`ratio ESLint / scan: ${fmt(eslintMs / scanMs, 1)}x faster   (aim: at least 70x)`);

  console.log(
    `project index warm-up over the corpus (the editor's background pass): ${fmt((ix.ms as number) / 1000, 3)} s, ${cpu(ix)}; ratio index / scan: ${fmt((ix.ms as number) / scanMs, 2)}x   (aim: within 1.5x)`,
  );
  console.log(
    `scan with the project in view (the CLI's default; summaries made as the lints need them): ${fmt((sp.ms as number) / 1000, 3)} s, ${cpu(sp)}; ${sp.parsed} files parsed, ${sp.findings} findings; ratio / scan: ${fmt((sp.ms as number) / scanMs, 2)}x`,
  );
  console.log(
    `peak memory with the index (rss high-water): ${fmt(sp.maxRssMb as number, 0)} MB, ${fmt((sp.maxRssMb as number) - (sc.maxRssMb as number), 0)} MB above the scan's   (aim: at most 50 MB above)`,
  );
  // the scan with the project in view also parses the files the plain scan's prefilter skips (no SDK import:
  // their client may come from another file), so its peak is not all the index's own
  console.log(
    `  of which the index: its warm-up process peaks at ${fmt(ix.maxRssMb as number, 0)} MB (${fmt((ix.maxRssMb as number) - (sc.maxRssMb as number), 0)} MB above the scan's); ` +
      `the built index keeps ${ix.keptMb === undefined ? 'an unmeasured amount' : `${fmt(ix.keptMb as number, 1)} MB`} of heap`,
  );

  // re-lint latency on a 2 000-line file, with and without calls; each run sees a slightly different text
  const withCalls = bigFile(2000, true);
  const withoutCalls = bigFile(2000, false);
  const fileName = path.join(tmp, 'big.ts');
  const edit = (text: string, i: number) => `${text}\n// edit ${i}\n`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const estree = require('@typescript-eslint/typescript-estree') as typeof import('@typescript-eslint/typescript-estree');
  // the re-lint and the bare parse alternate, run by run, so that a burst of load elsewhere hits both alike
  const lintRuns: number[] = [];
  const bareRuns: number[] = [];
  for (let i = -10; i < 40; i++) {
    let t0 = now();
    lintText(edit(withCalls, i), { fileName, sdkVersion: '1.12.0' });
    const a = now() - t0;
    t0 = now();
    estree.parse(edit(withCalls, i), { filePath: fileName, range: true, loc: false, comment: true, tokens: false, jsx: true, jsDocParsingMode: 'none' });
    const b = now() - t0;
    if (i >= 0) {
      lintRuns.push(a);
      bareRuns.push(b);
    }
  }
  const dist = (t: number[]) => {
    const sorted = [...t].sort((x, y) => x - y);
    return { p50: percentile(sorted, 50), p90: percentile(sorted, 90) };
  };
  const lintWith = dist(lintRuns);
  const bare = dist(bareRuns);
  // the same re-lint with a warm project index of the corpus (what the editor does after its background build)
  fs.writeFileSync(fileName, withCalls);
  const warm = projectIndexOf([fileName, ...corpus.map((f) => f.file)]);
  warm.build();
  const projectRuns: number[] = [];
  const bareRuns2: number[] = [];
  for (let i = -10; i < 40; i++) {
    let t0 = now();
    lintText(edit(withCalls, i), { fileName, sdkVersion: '1.12.0', project: warm });
    const a = now() - t0;
    t0 = now();
    estree.parse(edit(withCalls, i), { filePath: fileName, range: true, loc: false, comment: true, tokens: false, jsx: true, jsDocParsingMode: 'none' });
    const b = now() - t0;
    if (i >= 0) {
      projectRuns.push(a);
      bareRuns2.push(b);
    }
  }
  const lintProject = dist(projectRuns);
  const bare2 = dist(bareRuns2);
  const lintWithout = timeRuns(200, 20, (i) => lintText(edit(withoutCalls, i), { fileName, sdkVersion: '1.12.0' }));
  const callCount = lintText(withCalls, { fileName, sdkVersion: '1.12.0' }).calls.length;
  console.log('');
  console.log(`re-lint, ${withCalls.split('\n').length}-line file with ${callCount} calls: p50 ${fmt(lintWith.p50)} ms, p90 ${fmt(lintWith.p90)} ms`);
  console.log(`bare typescript-estree parse of the same file: p50 ${fmt(bare.p50)} ms, p90 ${fmt(bare.p90)} ms`);
  console.log(`ratio re-lint / bare parse (p50): ${fmt(lintWith.p50 / bare.p50, 2)}x   (aim: within 1.1x)`);
  console.log(
    `re-lint with the project index warm: p50 ${fmt(lintProject.p50)} ms, p90 ${fmt(lintProject.p90)} ms; bare parse in the same runs p50 ${fmt(bare2.p50)} ms; ratio (p50): ${fmt(lintProject.p50 / bare2.p50, 2)}x   (aim: within 1.2x)`,
  );
  console.log(
    `re-lint, ${withoutCalls.split('\n').length}-line file without calls: p50 ${fmt(lintWithout.p50, 3)} ms, p90 ${fmt(lintWithout.p90, 3)} ms   (aim: under 1 ms)`,
  );
}

main();
