// The small YAML reader the action and pre-commit tests use: it must read their constructs faithfully.

import * as assert from 'assert';
import { parseYaml } from './miniYaml';

describe('miniYaml (test helper)', () => {
  it('reads maps, lists of maps, quoted and plain scalars, flow lists, block scalars and comments', () => {
    const text = [
      '# a comment',
      'name: Lint  # trailing comment',
      'quoted: "a: b, c"',
      "single: 'it''s'",
      'empty: ""',
      'expr: ${{ inputs.paths }}',
      'inputs:',
      '  paths:',
      '    default: "."',
      'steps:',
      '  - name: one',
      '    with:',
      '      x: "1"',
      '  - id: two',
      '    run: |',
      '      echo a',
      '',
      '        indented',
      '    after: yes',
      'list:',
      '- a',
      '- b',
      'flow: [javascript, ts, "py"]',
    ].join('\n');
    assert.deepStrictEqual(parseYaml(text), {
      name: 'Lint',
      quoted: 'a: b, c',
      single: "it's",
      empty: '',
      expr: '${{ inputs.paths }}',
      inputs: { paths: { default: '.' } },
      steps: [
        { name: 'one', with: { x: '1' } },
        { id: 'two', run: 'echo a\n\n  indented\n', after: 'yes' },
      ],
      list: ['a', 'b'],
      flow: ['javascript', 'ts', 'py'],
    });
  });

  it('refuses lines it does not understand instead of guessing', () => {
    assert.throws(() => parseYaml('a: 1\n  b: 2\nc'), /unexpected line|not a key/);
  });
});
