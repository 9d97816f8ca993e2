import * as assert from 'assert';
import { lintText } from '../../../src/core/lint/index';
import { ruleTester, PY } from './ruleTester';

// Built at run time so that no key-shaped literal sits in this repository's source.
const KEY = ['sk', 'ant', 'api03', 'Q2xhdWRlUmVxdWVzdExpbnRUZXN0S2V5', 'AbCd'].join('-');
const HEAD = 'import Anthropic from "@anthropic-ai/sdk";\n';

ruleTester.run('hardcoded-api-key', {
  valid: [
    // Python
    { language: 'python', code: 'import os\nimport anthropic\n\nclient = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n' },
    { language: 'python', name: 'placeholders', code: 'import anthropic\n\n# export ANTHROPIC_API_KEY=sk-ant-...\nclient = anthropic.Anthropic(api_key="sk-ant-xxxxxxxxxxxxxxxxxxxxxxxxxxxx")\n' },
    HEAD + 'const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });',
    HEAD + 'const client = new Anthropic();',
    // placeholders
    HEAD + 'const client = new Anthropic({ apiKey: "sk-ant-..." });',
    HEAD + 'const client = new Anthropic({ apiKey: "sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" });',
    HEAD + '// set ANTHROPIC_API_KEY=sk-ant-your-key-here-your-key-here',
    // a server-side variable in a browser client is not inlined by bundlers
    HEAD + 'const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, dangerouslyAllowBrowser: true });',
    // a public variable without dangerouslyAllowBrowser: server code
    HEAD + 'const client = new Anthropic({ apiKey: process.env.NEXT_PUBLIC_KEY });',
  ],
  invalid: [
    // Python
    {
      language: 'python',
      name: 'a key in Anthropic(api_key=...): the fix reads os.environ and imports os',
      code: '"""Chat bot."""\nimport anthropic\n\nclient = anthropic.Anthropic(api_key="sk-ant-api03-Abcdefghijklmnopqrstuvwxyz0123456789")\n',
      errors: [{ messageId: 'literal', message: 'os.environ["ANTHROPIC_API_KEY"]', text: 'sk-ant-api03-Abcdefghijklmnopqrstuvwxyz0123456789' }],
      output: '"""Chat bot."""\nimport os\nimport anthropic\n\nclient = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n',
    },
    {
      language: 'python',
      name: 'os already imported',
      code: 'import os\nfrom anthropic import Anthropic\n\nclient = Anthropic(api_key=\'sk-ant-api03-Abcdefghijklmnopqrstuvwxyz0123456789\')\n',
      errors: [{ messageId: 'literal' }],
      output: 'import os\nfrom anthropic import Anthropic\n\nclient = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n',
    },
    {
      language: 'python',
      name: 'a key in a comment',
      code: 'import anthropic\n# old key: sk-ant-api03-Abcdefghijklmnopqrstuvwxyz0123456789\nclient = anthropic.Anthropic()\n',
      errors: [{ messageId: 'literal', message: 'comment', line: 2, column: 12, text: 'sk-ant-api03-Abcdefghijklmnopqrstuvwxyz0123456789' }],
    },
    {
      code: HEAD + `const client = new Anthropic({ apiKey: "${KEY}" });`,
      errors: [{ messageId: 'literal', line: 2, column: 41, text: KEY, severity: 'error' }],
      output: HEAD + 'const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });',
    },
    {
      name: 'the fix is a suggestion, not applied by --fix',
      code: HEAD + `const client = new Anthropic({ apiKey: '${KEY}' });`,
      safeOnly: true,
      errors: [{ messageId: 'literal' }],
      output: null,
    },
    {
      name: 'in a template literal, with no SDK import and no call',
      code: `export const headers = { "x-api-key": \`${KEY}\` };`,
      fileName: 'headers.js',
      errors: [{ messageId: 'literal' }],
      output: 'export const headers = { "x-api-key": process.env.ANTHROPIC_API_KEY };',
    },
    {
      name: 'inside a longer string: reported, no fix',
      code: `const env = "ANTHROPIC_API_KEY=${KEY}";`,
      errors: [{ messageId: 'literal', text: KEY }],
      output: null,
    },
    {
      name: 'in a comment',
      code: HEAD + `// old key: ${KEY}\nconst client = new Anthropic();`,
      errors: [{ messageId: 'literal', message: 'comment', line: 2, column: 13 }],
    },
    {
      name: 'NEXT_PUBLIC_ variable with dangerouslyAllowBrowser',
      code: HEAD + 'const client = new Anthropic({\n  apiKey: process.env.NEXT_PUBLIC_ANTHROPIC_KEY,\n  dangerouslyAllowBrowser: true,\n});',
      errors: [{ messageId: 'publicEnv', message: 'process.env.NEXT_PUBLIC_ANTHROPIC_KEY', line: 3, text: 'apiKey: process.env.NEXT_PUBLIC_ANTHROPIC_KEY' }],
    },
    {
      name: 'VITE_ variable through a const, in a React component file',
      code: HEAD + 'const key = import.meta.env.VITE_ANTHROPIC_KEY ?? "";\nexport const client = new Anthropic({ apiKey: key, dangerouslyAllowBrowser: true });\nexport const App = () => <main />;',
      fileName: 'App.tsx',
      errors: [{ messageId: 'publicEnv', message: 'import.meta.env.VITE_ANTHROPIC_KEY' }],
    },
  ],
});

describe('hardcoded-api-key messages', () => {
  it('never contain the key', () => {
    const r = lintText(`const a = "${KEY}"; // ${KEY}`, { fileName: 'a.ts' });
    assert.strictEqual(r.findings.length, 2);
    for (const f of r.findings) {
      assert.ok(!f.message.includes(KEY.slice(7)), 'message contains key text');
      assert.ok(!JSON.stringify(f.related ?? []).includes(KEY.slice(7)));
    }
  });
});
