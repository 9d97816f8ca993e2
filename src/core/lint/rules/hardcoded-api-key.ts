// hardcoded-api-key: an Anthropic API key written into the code, or a key shipped to browsers.
//  - an `sk-ant-…` key in a string, a template literal or a comment: anyone who can read the source (a
//    repository, a published package, a browser bundle) can spend on the account. A comment leaks it as
//    surely as a string, so comments count too. Placeholders (`sk-ant-...`, `sk-ant-xxxx…`, short strings)
//    do not.
//  - a client created with `dangerouslyAllowBrowser: true` whose apiKey comes from a browser-public
//    environment variable (`process.env.NEXT_PUBLIC_*`, `import.meta.env.VITE_*`, `REACT_APP_*`, …): the
//    build inlines the key into the JavaScript every visitor downloads.
// Messages never contain the key itself.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix } from '../rule';
import type { FileContext, Node, Rule } from '../ruleContext';
import { getEntry, getProp, unwrap } from '../requestModel';
import { propName } from '../scan';
import { pythonImportEdit } from '../python/edits';

/** `sk-ant-` and at least 20 key characters. */
const KEY = /sk-ant-[A-Za-z0-9_-]{20,}/g;
const PUBLIC_ENV = /^(?:NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|VUE_APP_|GATSBY_|PUBLIC_|STORYBOOK_)/;

/** A real-looking key, not a placeholder made of one repeated character after its prefix. */
function looksReal(key: string): boolean {
  const body = key.slice('sk-ant-'.length).replace(/^(?:api|admin|oat)\d*-/i, '');
  const letters = body.replace(/[-_]/g, '');
  if (letters.length < 16) return false;
  if (/^(.)\1*$/i.test(letters)) return false;
  if (/^(?:x+|your|example|placeholder|redacted|dummy|fake)/i.test(letters)) return false;
  return true;
}

export const hardcodedApiKey: Rule = {
  meta: {
    id: 'hardcoded-api-key',
    defaultSeverity: 'error',
    description: 'An Anthropic API key written in the source, or read from a browser-public variable in a browser client.',
    messages: {
      literal:
        'An Anthropic API key ({{masked}}) is written in the {{where}}: anyone who reads this source can use it. Revoke it in the Console, and read the key from the environment ({{envRead}}).',
      publicEnv:
        'The API key comes from {{variable}}, which the build inlines into the browser bundle (dangerouslyAllowBrowser: true): every visitor can read and use it. Call the API from a server and keep the key there.',
    },
    fixable: true,
  },
  checkFile(ctx) {
    const text = ctx.sourceText;
    if (text.includes('sk-ant-')) {
      for (const lit of ctx.keyLiterals) reportLiteral(ctx, lit);
      for (const c of ctx.comments) {
        if (!c.value.includes('sk-ant-')) continue;
        const base = c.range[0] + ctx.language.commentOpenerLength;
        for (const m of c.value.matchAll(KEY)) {
          if (!looksReal(m[0])) continue;
          const start = base + (m.index ?? 0);
          ctx.report({ messageId: 'literal', data: { masked: mask(m[0]), where: 'comment', envRead: ctx.language.envKeyExpression }, start, end: start + m[0].length });
        }
      }
    }
    for (const n of ctx.clientConstructions) checkBrowserClient(ctx, n);
  },
};

function mask(key: string): string {
  return `sk-ant-…, ${key.length} characters`;
}

function reportLiteral(ctx: FileContext, lit: TSESTree.Literal | TSESTree.TemplateElement): void {
  const raw = lit.type === 'Literal' ? String(lit.value) : (lit.value.cooked ?? lit.value.raw);
  for (const m of raw.matchAll(KEY)) {
    if (!looksReal(m[0])) continue;
    // The whole string is the key: offer to read it from the environment instead.
    const fixes: Fix[] = [];
    let target: Node | null = null;
    if (lit.type === 'Literal' && raw.trim() === m[0]) target = lit;
    else if (lit.type === 'TemplateElement' && lit.parent?.type === 'TemplateLiteral' && lit.parent.expressions.length === 0 && raw.trim() === m[0]) {
      target = lit.parent;
    }
    if (target && !isPropertyKeyOrType(target)) {
      const env = ctx.language.envKeyExpression;
      const importEdit = ctx.language.envKeyImport ? pythonImportEdit(ctx.sourceText, ctx.ast, ctx.language.envKeyImport) : null;
      fixes.push({
        title: `Read the key from ${env}`,
        edits: [{ start: target.range[0], end: target.range[1], text: env }, ...(importEdit ? [importEdit] : [])],
        // Changes where the program gets its key: it must then be set in the environment.
        safe: false,
      });
    }
    const where = lit.type === 'Literal' ? 'source' : 'source';
    // Point at the key inside the literal when the raw text holds it verbatim.
    const rawText = ctx.sourceText.slice(lit.range[0], lit.range[1]);
    const at = rawText.indexOf(m[0]);
    const start = at >= 0 ? lit.range[0] + at : lit.range[0];
    const end = at >= 0 ? start + m[0].length : lit.range[1];
    ctx.report({ messageId: 'literal', data: { masked: mask(m[0]), where, envRead: ctx.language.envKeyExpression }, start, end, fixes });
  }
}

function isPropertyKeyOrType(n: Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if ((p.type === 'Property' || p.type === 'PropertyDefinition') && p.key === n) return true;
  return p.type === 'TSLiteralType' || p.type === 'ImportDeclaration' || p.type === 'ExportNamedDeclaration';
}

function checkBrowserClient(ctx: FileContext, n: TSESTree.NewExpression): void {
  const opts = ctx.constructorOptions(n);
  if (opts.kind !== 'object') return;
  const browser = getProp(opts, 'dangerouslyAllowBrowser');
  if (!browser || browser.kind !== 'boolean' || !browser.value) return;
  const key = getEntry(opts, 'apiKey');
  if (!key || !key.property) return;
  const variable = publicEnvName(ctx, key.property.value as Node, 0);
  if (!variable) return;
  ctx.report({ messageId: 'publicEnv', data: { variable }, start: key.start, end: key.end });
}

/** `process.env.NEXT_PUBLIC_X`, `import.meta.env.VITE_X` (also through a const and `?? ''`): the variable's text. */
function publicEnvName(ctx: FileContext, expr: Node, depth: number): string | null {
  if (depth > 4) return null;
  const e = unwrap(expr);
  if (e.type === 'LogicalExpression') return publicEnvName(ctx, e.left, depth + 1) ?? publicEnvName(ctx, e.right, depth + 1);
  if (e.type === 'ChainExpression') return publicEnvName(ctx, e.expression, depth + 1);
  if (e.type === 'Identifier') {
    const b = ctx.resolve(e);
    if (b && b.kind === 'const' && b.init && (b.declaration as TSESTree.VariableDeclarator).id === b.id) return publicEnvName(ctx, b.init, depth + 1);
    if (b && b.kind === 'import' && b.declaration.type === 'ImportSpecifier' && PUBLIC_ENV.test(b.id.name)) {
      const src = (b.declaration.parent as TSESTree.ImportDeclaration).source.value;
      if (src === '$env/static/public' || src === '$env/dynamic/public') return b.id.name;
    }
    return null;
  }
  if (e.type !== 'MemberExpression') return null;
  const name = propName(e);
  if (!name || !PUBLIC_ENV.test(name)) return null;
  const env = unwrap(e.object);
  if (env.type !== 'MemberExpression' || propName(env) !== 'env') return null;
  const holder = unwrap(env.object);
  if (holder.type === 'Identifier' && holder.name === 'process') return `process.env.${name}`;
  if (holder.type === 'MetaProperty' && holder.meta.name === 'import' && holder.property.name === 'meta') return `import.meta.env.${name}`;
  return null;
}
