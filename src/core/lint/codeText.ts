// Code that fixes insert, printed for the language of the file (the rules stay language-neutral and ask
// here for the text).

import type { LanguageFacts } from './languageFacts';

type Lang = LanguageFacts['id'];

/** One indentation step after `indent`: a tab when the line is indented with tabs, else four spaces. */
export function indentStep(indent: string): string {
  return indent.includes('\t') ? '\t' : '    ';
}

/** Lines (ending in a newline) that stop when `name`'s reply was cut off at max_tokens. */
export function stopReasonGuard(lang: Lang, name: string, indent: string): string {
  if (lang === 'python') {
    return `${indent}if ${name}.stop_reason == "max_tokens":\n${indent}${indentStep(indent)}raise RuntimeError("The reply was truncated at max_tokens: raise max_tokens or ask for less")\n`;
  }
  return `${indent}if (${name}.stop_reason === 'max_tokens') throw new Error('The reply was truncated at max_tokens: raise max_tokens or ask for less');\n`;
}

/** A concurrency limiter a fix can add: how it is imported, made, and how it wraps one request. */
export interface LimiterPlan {
  /** The module it comes from, for the fix's title ('p-limit', 'asyncio'). */
  module: string;
  /** The import line to add when the file does not import it yet (null: nothing to import). */
  importLine: string | null;
  /** The top-level definitions that make the limiter (one or more lines, no trailing newline). */
  definition: string;
  /** Wraps the text of an expression that starts one request. */
  wrap(starter: string): string;
}

/** JavaScript/TypeScript limiters, in order of preference, by the package a project depends on. */
export function jsLimiterPlan(pkg: 'p-limit' | 'p-queue' | 'bottleneck', name: string, local: string, quote: string, concurrency: number): LimiterPlan {
  const q = (s: string) => `${quote}${s}${quote}`;
  if (pkg === 'p-limit') {
    return { module: pkg, importLine: `import ${local} from ${q(pkg)};`, definition: `const ${name} = ${local}(${concurrency});`, wrap: (s) => `${name}(() => ${s})` };
  }
  if (pkg === 'p-queue') {
    return { module: pkg, importLine: `import ${local} from ${q(pkg)};`, definition: `const ${name} = new ${local}({ concurrency: ${concurrency} });`, wrap: (s) => `${name}.add(() => ${s})` };
  }
  return { module: pkg, importLine: `import ${local} from ${q(pkg)};`, definition: `const ${name} = new ${local}({ maxConcurrent: ${concurrency} });`, wrap: (s) => `${name}.schedule(() => ${s})` };
}

/** Python: an `asyncio.Semaphore` and a coroutine that awaits one request while holding it. */
export function pythonSemaphorePlan(asyncioName: string, sem: string, helper: string, concurrency: number): LimiterPlan {
  return {
    module: 'asyncio',
    importLine: null,
    definition: `${sem} = ${asyncioName}.Semaphore(${concurrency})\n\n\nasync def ${helper}(coro):\n    async with ${sem}:\n        return await coro`,
    wrap: (s) => `${helper}(${s})`,
  };
}
