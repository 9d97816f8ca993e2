import * as assert from 'assert';
import * as path from 'path';
import {
  LineIndex,
  artifactLocation,
  formatJson,
  formatSarif,
  formatText,
  locateFindings,
  summaryLine,
} from '../../../src/core/lint/formatters';
import { Finding, RuleMeta, ruleDocsUrl } from '../../../src/core/lint/rule';
import { checkSarif } from './sarifCheck';

const metas: RuleMeta[] = [
  { id: 'missing-max-tokens', defaultSeverity: 'error', description: 'Requests need max_tokens.', messages: {}, fixable: true },
  { id: 'role-order', defaultSeverity: 'warning', description: 'Messages alternate user and assistant.', messages: {}, fixable: false },
  { id: 'sampling-params', defaultSeverity: 'info', description: 'temperature and top_p.', messages: {}, fixable: false },
];

describe('LineIndex', () => {
  it('maps offsets to 1-based lines and columns across \\n, \\r\\n and \\r', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const idx = new LineIndex(text);
    assert.strictEqual(idx.lineCount, 4);
    assert.deepStrictEqual(idx.position(0), { line: 1, column: 1 });
    assert.deepStrictEqual(idx.position(2), { line: 1, column: 3 }); // the \n itself ends line 1
    assert.deepStrictEqual(idx.position(3), { line: 2, column: 1 });
    assert.deepStrictEqual(idx.position(text.indexOf('e')), { line: 3, column: 1 });
    assert.deepStrictEqual(idx.position(text.indexOf('h')), { line: 4, column: 2 });
    assert.deepStrictEqual(idx.position(text.length), { line: 4, column: 3 });
  });

  it('counts columns in UTF-16 code units, as editors do', () => {
    const text = 'const s = "😀"; x';
    const idx = new LineIndex(text);
    // the emoji is two code units, so x is at column 17 (counting code points would give 16)
    assert.deepStrictEqual(idx.position(text.indexOf('x')), { line: 1, column: 17 });
  });

  it('clamps offsets outside the text and inverts with offsetAt', () => {
    const text = 'one\ntwo\nthree';
    const idx = new LineIndex(text);
    assert.deepStrictEqual(idx.position(-5), { line: 1, column: 1 });
    assert.deepStrictEqual(idx.position(1000), { line: 3, column: 6 });
    for (let o = 0; o <= text.length; o++) {
      const p = idx.position(o);
      assert.strictEqual(idx.offsetAt(p.line, p.column), o);
    }
  });

  it('agrees with a naive line split on a larger text', () => {
    const lines = Array.from({ length: 500 }, (_, i) => 'x'.repeat(i % 37));
    const text = lines.join('\n');
    const idx = new LineIndex(text);
    let offset = 0;
    lines.forEach((l, i) => {
      assert.deepStrictEqual(idx.position(offset + Math.floor(l.length / 2)), { line: i + 1, column: Math.floor(l.length / 2) + 1 });
      offset += l.length + 1;
    });
  });
});

describe('formatters', () => {
  const text = 'import Anthropic from "@anthropic-ai/sdk";\nconst c = new Anthropic();\nawait c.messages.create({ model: "m" });\n';
  const callStart = text.indexOf('c.messages.create');
  const findings: Finding[] = [
    { ruleId: 'missing-max-tokens', severity: 'error', message: 'No max_tokens.', start: callStart, end: callStart + 17 },
    { ruleId: 'role-order', severity: 'warning', message: 'Bad order.', start: 0, end: 6 },
  ];
  const located = locateFindings('src/app.ts', text, findings);

  it('locates findings with exclusive end columns', () => {
    assert.deepStrictEqual(located[0], {
      file: 'src/app.ts',
      line: 3,
      column: 7,
      endLine: 3,
      endColumn: 24,
      ruleId: 'missing-max-tokens',
      severity: 'error',
      message: 'No max_tokens.',
      fixes: [],
    });
  });

  it('json: exactly the agreed shape, keys in order, sorted by position', () => {
    const out = formatJson(located);
    assert.ok(out.endsWith('\n'));
    assert.strictEqual(
      out.trim(),
      '{"version":1,"findings":[' +
        '{"file":"src/app.ts","line":1,"column":1,"endLine":1,"endColumn":7,"ruleId":"role-order","severity":"warning","message":"Bad order.","fixes":[]},' +
        '{"file":"src/app.ts","line":3,"column":7,"endLine":3,"endColumn":24,"ruleId":"missing-max-tokens","severity":"error","message":"No max_tokens.","fixes":[]}]}',
    );
    assert.deepStrictEqual(JSON.parse(formatJson([])), { version: 1, findings: [] });
  });

  it('json: each finding lists its fixes as {title, safe}, edits left out', () => {
    const withFixes = locateFindings('src/app.ts', text, [
      {
        ruleId: 'missing-max-tokens',
        severity: 'error',
        message: 'No max_tokens.',
        start: callStart,
        end: callStart + 17,
        fixes: [
          { title: 'Add max_tokens: 1024', safe: true, edits: [{ start: callStart, end: callStart, text: 'x' }] },
          { title: 'Wrap in the retry helper', safe: false, edits: [], needsRetryHelper: true },
        ],
      },
    ]);
    const out = formatJson(withFixes);
    assert.ok(
      out.includes(
        '"message":"No max_tokens.","fixes":[{"title":"Add max_tokens: 1024","safe":true},{"title":"Wrap in the retry helper","safe":false}]}',
      ),
      out,
    );
    assert.deepStrictEqual(JSON.parse(out).findings[0].fixes, [
      { title: 'Add max_tokens: 1024', safe: true },
      { title: 'Wrap in the retry helper', safe: false },
    ]);
    // a finding built without the field still gets an empty list
    const bare = { ...withFixes[0] };
    delete bare.fixes;
    assert.deepStrictEqual(JSON.parse(formatJson([bare])).findings[0].fixes, []);
  });

  it('text: one compiler-style line per finding', () => {
    assert.strictEqual(
      formatText(located),
      'src/app.ts:1:1 warning Bad order. [role-order]\nsrc/app.ts:3:7 error No max_tokens. [missing-max-tokens]\n',
    );
    assert.strictEqual(summaryLine(located, 4), '2 problems (1 error, 1 warning, 0 infos) in 4 files');
    assert.strictEqual(summaryLine([], 1), 'no problems in 1 file');
  });

  it('sarif: valid 2.1.0 with rules, help links, levels, indexes and relative URIs', () => {
    const base = path.resolve('/project root');
    const extra = locateFindings(path.join('lib', 'my file.ts'), 'x', [
      { ruleId: 'sampling-params', severity: 'info', message: 'Info.', start: 0, end: 1 },
      { ruleId: 'parse-error', severity: 'warning', message: 'Cannot parse.', start: 0, end: 0 },
    ]);
    const log = JSON.parse(formatSarif([...located, ...extra], { rules: metas, toolVersion: '1.2.3', baseDir: base }));
    assert.deepStrictEqual(checkSarif(log), []);
    const run = log.runs[0];
    assert.strictEqual(run.tool.driver.name, 'claude-request-lint');
    assert.strictEqual(run.tool.driver.version, '1.2.3');
    assert.deepStrictEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      ['missing-max-tokens', 'role-order', 'sampling-params', 'parse-error'],
    );
    assert.strictEqual(run.tool.driver.rules[0].helpUri, ruleDocsUrl('missing-max-tokens'));
    assert.strictEqual(run.tool.driver.rules[0].defaultConfiguration.level, 'error');
    assert.strictEqual(run.tool.driver.rules[2].defaultConfiguration.level, 'note');
    assert.strictEqual(run.results.length, 4);
    const info = run.results.find((r: { ruleId: string }) => r.ruleId === 'sampling-params');
    assert.strictEqual(info.level, 'note');
    assert.strictEqual(info.ruleIndex, 2);
    assert.strictEqual(info.locations[0].physicalLocation.artifactLocation.uri, 'lib/my%20file.ts');
    assert.strictEqual(info.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    const err = run.results.find((r: { ruleId: string }) => r.ruleId === 'missing-max-tokens');
    assert.deepStrictEqual(err.locations[0].physicalLocation.region, { startLine: 3, startColumn: 7, endLine: 3, endColumn: 24 });
    assert.strictEqual(err.message.text, 'No max_tokens.');
  });

  it('sarif: related locations (also in another file) and self-contained fixes as artifact changes', () => {
    const base = path.resolve('/project');
    const client = path.join(base, 'lib', 'anthropic.ts');
    const clientText = 'import Anthropic from "@anthropic-ai/sdk";\nexport const api = new Anthropic({ maxRetries: 5 });\n';
    const at = clientText.indexOf('maxRetries');
    const finding: Finding = {
      ruleId: 'missing-max-tokens',
      severity: 'error',
      message: 'No max_tokens.',
      start: callStart,
      end: callStart + 17,
      related: [
        { start: 0, end: 6, message: 'here in this file' },
        { start: at, end: at + 13, message: 'the client is made here', file: client },
        { start: 0, end: 1, message: 'a file that cannot be read', file: path.join(base, 'gone.ts') },
      ],
      fixes: [
        { title: 'Add max_tokens: 1024', safe: true, edits: [{ start: text.indexOf('}'), end: text.indexOf('}'), text: ', max_tokens: 1024 ' }] },
        { title: 'Wrap in the retry helper', safe: false, edits: [{ start: callStart, end: callStart, text: 'withRetry(() => ' }], needsRetryHelper: true },
      ],
    };
    const reads: string[] = [];
    const [f] = locateFindings(path.join('src', 'app.ts'), text, [finding], (file) => {
      reads.push(file);
      return file === client ? clientText : undefined;
    });
    assert.deepStrictEqual(reads, [client, path.join(base, 'gone.ts')]);
    const log = JSON.parse(formatSarif([f], { rules: metas, toolVersion: '1', baseDir: base }));
    assert.deepStrictEqual(checkSarif(log), []);
    const res = log.runs[0].results[0];
    assert.deepStrictEqual(
      res.relatedLocations.map((r: { id: number; message: { text: string }; physicalLocation: { artifactLocation: { uri: string }; region: unknown } }) => [
        r.id,
        r.message.text,
        r.physicalLocation.artifactLocation.uri,
        r.physicalLocation.region,
      ]),
      [
        [0, 'here in this file', 'src/app.ts', { startLine: 1, startColumn: 1, endLine: 1, endColumn: 7 }],
        [1, 'the client is made here', 'lib/anthropic.ts', { startLine: 2, startColumn: 36, endLine: 2, endColumn: 49 }],
      ],
    );
    // only the fix that is complete in itself: the helper fix needs a file the editor or --fix writes
    assert.strictEqual(res.fixes.length, 1);
    assert.deepStrictEqual(res.fixes[0], {
      description: { text: 'Add max_tokens: 1024' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
          replacements: [
            { deletedRegion: { startLine: 3, startColumn: 38, endLine: 3, endColumn: 38 }, insertedContent: { text: ', max_tokens: 1024 ' } },
          ],
        },
      ],
    });
    // the JSON report keeps its {title, safe} shape
    assert.deepStrictEqual(JSON.parse(formatJson([f])).findings[0].fixes, [
      { title: 'Add max_tokens: 1024', safe: true },
      { title: 'Wrap in the retry helper', safe: false },
    ]);
    // and the checker sees a broken fix
    res.fixes[0].artifactChanges[0].replacements[0].deletedRegion.startLine = 0;
    res.relatedLocations[1].id = 0;
    assert.strictEqual(checkSarif(log).length, 2, checkSarif(log).join('\n'));
  });

  it('sarif checker catches broken logs (so the test above could fail)', () => {
    const log = JSON.parse(formatSarif(located, { rules: metas, toolVersion: '1', baseDir: process.cwd() }));
    log.runs[0].results[0].ruleIndex = 2; // points at the wrong rule
    log.runs[0].results[1].level = 'fatal';
    delete log.runs[0].tool.driver.name;
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    const problems = checkSarif(log);
    assert.strictEqual(problems.length, 4, problems.join('\n'));
  });

  it('sarif: files outside the base directory get absolute file URIs', () => {
    const loc = artifactLocation(path.resolve('/elsewhere/a b.ts'), path.resolve('/project'));
    assert.strictEqual(loc.uriBaseId, undefined);
    assert.match(loc.uri, /^file:\/\/\/.*elsewhere\/a%20b\.ts$/);
  });
});
