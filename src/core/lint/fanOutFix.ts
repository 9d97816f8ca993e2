// The suggestion of unbounded-fan-out: wrap the expression that starts each request in a concurrency limiter
// the project already has (p-limit, p-queue or Bottleneck in package.json's dependencies; Python's asyncio),
// made once at the top of the file after the imports. No fix when none is available, when the file has no
// top-level import to place it after, or when the names it would add are taken.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from './rule';
import type { FileContext, Node } from './ruleContext';
import type { FanOut } from './fanOut';
import type { LimiterPlan } from './codeText';
import { jsLimiterPlan, pythonSemaphorePlan } from './codeText';

/** The concurrency the fix sets (a conservative start; tune it to the account's rate limits). */
export const FIX_CONCURRENCY = 5;

const JS_PACKAGES = ['p-limit', 'p-queue', 'bottleneck'] as const;
const JS_DEFAULT_LOCAL: Record<(typeof JS_PACKAGES)[number], string> = { 'p-limit': 'pLimit', 'p-queue': 'PQueue', bottleneck: 'Bottleneck' };
const JS_NAMES: Record<(typeof JS_PACKAGES)[number], string[]> = { 'p-limit': ['limit', 'claudeLimit'], 'p-queue': ['queue', 'claudeQueue'], bottleneck: ['limiter', 'claudeLimiter'] };

function wordUsed(text: string, word: string): boolean {
  return new RegExp(`(^|[^\\w$])${word.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(text);
}

function topImports(ctx: FileContext): TSESTree.ImportDeclaration[] {
  return ctx.ast.body.filter((s): s is TSESTree.ImportDeclaration => s.type === 'ImportDeclaration');
}

/** The name of a limiter made at the top level from the package's default import (`const limit = pLimit(5)`). */
function topLevelLimiter(ctx: FileContext, local: string): string | null {
  for (const st of ctx.ast.body) {
    const decl = st.type === 'ExportNamedDeclaration' ? st.declaration : st;
    if (!decl || decl.type !== 'VariableDeclaration' || decl.kind !== 'const') continue;
    for (const d of decl.declarations) {
      const init = d.init;
      if (d.id.type !== 'Identifier' || !init || (init.type !== 'CallExpression' && init.type !== 'NewExpression')) continue;
      if (init.callee.type === 'Identifier' && init.callee.name === local) return d.id.name;
    }
  }
  return null;
}

/** The limiter this file can use, with what to add at the top (empty when already there). */
function plan(ctx: FileContext): { plan: LimiterPlan; add: string } | null {
  const text = ctx.sourceText;
  const imports = topImports(ctx);
  if (!imports.length) return null;
  if (ctx.language.id === 'python') {
    const asyncio = imports.find((d) => d.source.value === 'asyncio' && d.specifiers.some((s) => s.type === 'ImportNamespaceSpecifier'));
    if (!asyncio) return null;
    const local = asyncio.specifiers[0].local.name;
    const p = pythonSemaphorePlan(local, '_claude_semaphore', '_claude_limited', FIX_CONCURRENCY);
    if (text.includes('async def _claude_limited(')) return { plan: p, add: '' };
    if (wordUsed(text, '_claude_semaphore') || wordUsed(text, '_claude_limited')) return null;
    return { plan: p, add: `\n\n${p.definition}\n` };
  }
  if (!ctx.dependencies) return null;
  const pkg = JS_PACKAGES.find((p) => ctx.dependencies!.has(p));
  if (!pkg) return null;
  const existing = imports.find((d) => d.source.value === pkg && d.specifiers.some((s) => s.type === 'ImportDefaultSpecifier'));
  const local = existing ? existing.specifiers.find((s) => s.type === 'ImportDefaultSpecifier')!.local.name : JS_DEFAULT_LOCAL[pkg];
  if (!existing && wordUsed(text, local)) return null;
  const last = imports[imports.length - 1];
  const quote = text.charAt(last.source.range[0]) === '"' ? '"' : "'";
  // a limiter already made at the top of the file (by an earlier fix, or by hand): share it
  const made = existing ? topLevelLimiter(ctx, local) : null;
  if (made) return { plan: jsLimiterPlan(pkg, made, local, quote, FIX_CONCURRENCY), add: '' };
  const name = JS_NAMES[pkg].find((n) => !wordUsed(text, n));
  if (!name) return null;
  const p = jsLimiterPlan(pkg, name, local, quote, FIX_CONCURRENCY);
  return { plan: p, add: `${existing ? '' : `\n${p.importLine}`}\n${p.definition}` };
}

export function limiterFix(ctx: FileContext, f: FanOut): Fix | null {
  const starter = f.starter;
  if (starter.type !== 'CallExpression' && starter.type !== 'NewExpression') return null;
  const chosen = plan(ctx);
  if (!chosen) return null;
  const edits: TextEdit[] = [];
  if (chosen.add) {
    const imports = topImports(ctx);
    const end = (imports[imports.length - 1] as Node).range[1];
    edits.push({ start: end, end, text: chosen.add });
  }
  const s = starter.range;
  edits.push({ start: s[0], end: s[1], text: chosen.plan.wrap(ctx.sourceText.slice(s[0], s[1])) });
  return { title: `Limit concurrency with ${chosen.plan.module}`, edits, safe: false };
}
