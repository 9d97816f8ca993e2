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
