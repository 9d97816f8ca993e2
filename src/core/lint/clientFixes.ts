// Fixes that act where an imported client is made, in another file of the project: "set maxRetries: 0
// there" when a retry around the call decides (retry-amplification), "remove maxRetries: 0 there" when
// nothing retries (unguarded-retry). Their edits name the other file and the version of its text they were
// made for; the editor applies them as one edit over both files, the CLI only while that file is unchanged.

import * as path from 'path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from './rule';
import type { Node, RuleContext } from './ruleContext';
import type { ClientSetting } from './project/model';
import type { RetryStack } from './retry';
import type { JsFile } from './project/jsSummary';
import { analyzerOf, retryStackOf, sdkRetriesOf } from './retry';
import { insertPropertyEdit, removeListItemEdit } from './fixes';
import { forEachNode } from './scan';
import { unwrap } from './requestModel';
import { contentVersion } from './project/version';

/** Text that calls the API (the project index's own test for a file that calls it). */
const CALLS = /messages\s*\??\.\s*(?:create|stream)\b/;

/** Where the call's client is made, when it is made in another file whose text the index summarised. */
interface MadeElsewhere {
  ext: ClientSetting;
  file: JsFile;
  version: string;
  /** "./lib/anthropic.ts", relative to the linted file. */
  rel: string;
}

function madeElsewhere(ctx: RuleContext, stack: RetryStack): MadeElsewhere | null {
  const ext = ctx.call.client.external;
  const project = ctx.project;
  // the setting must be the client's (a per-request maxRetries wins over it and is fixed on the call)
  if (!ext || !project || stack.sdk.file !== ext.at.file || (ext.source !== 'client' && ext.source !== 'default')) return null;
  if (path.resolve(ext.at.file) === path.resolve(project.file)) return null;
  const summary = project.index.fullSummaryOf(ext.at.file);
  const file = project.index.jsFile(ext.at.file);
  if (!summary || summary.parseError || !file) return null;
  const version = contentVersion(file.text);
  // the edit is made on the text the index summarised, never on a newer one
  if (summary.version !== version) return null;
  let rel = path.relative(path.dirname(project.file), ext.at.file).split(path.sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return { ext, file, version, rel };
}

/** The `maxRetries` property at `at` and the object literal it is written in. */
function propertyAt(file: JsFile, start: number, end: number): { object: TSESTree.ObjectExpression; index: number } | null {
  let found: { object: TSESTree.ObjectExpression; index: number } | null = null;
  forEachNode(file.ast, (n) => {
    if (found || n.range[1] < start || n.range[0] > end) return false;
    if (n.type !== 'ObjectExpression') return;
    const index = n.properties.findIndex((p) => p.range[0] === start && p.range[1] === end && p.type === 'Property');
    if (index >= 0) found = { object: n, index };
  });
  return found;
}

/** The `new Anthropic(…)` expression at [start, end). */
function constructionAt(file: JsFile, start: number, end: number): TSESTree.NewExpression | null {
  let found: TSESTree.NewExpression | null = null;
  forEachNode(file.ast, (n) => {
    if (found || n.range[1] < start || n.range[0] > end) return false;
    if (n.type === 'NewExpression' && n.range[0] === start && n.range[1] === end) found = n;
  });
  return found;
}

/** The edit that sets `maxRetries: 0` where the client is made. */
function zeroEditThere(m: MadeElsewhere): TextEdit | null {
  const { ext, file } = m;
  const text = file.text;
  let edit: Omit<TextEdit, 'file' | 'fileVersion'> | null = null;
  if (ext.source === 'client') {
    const p = propertyAt(file, ext.at.start, ext.at.end);
    const prop = p ? p.object.properties[p.index] : null;
    if (!prop || prop.type !== 'Property') return null;
    edit = prop.shorthand ? { start: prop.range[0], end: prop.range[1], text: 'maxRetries: 0' } : { start: prop.value.range[0], end: prop.value.range[1], text: '0' };
  } else {
    const ne = constructionAt(file, ext.at.start, ext.at.end);
    if (!ne) return null;
    const opts = file.finder.constructorOptions(ne);
    if (ne.arguments.length === 0) {
      const close = ne.range[1] - 1;
      if (text[close] !== ')') return null; // `new Anthropic` without parentheses
      edit = { start: close, end: close, text: '{ maxRetries: 0 }' };
    } else if (opts.kind === 'object' && opts.complete && opts.literal) {
      const last = opts.literal.properties[opts.literal.properties.length - 1];
      const lastKey = last && last.type === 'Property' && !last.computed && last.key.type === 'Identifier' ? last.key.name : undefined;
      edit = insertPropertyEdit(text, opts.literal, 'maxRetries: 0', lastKey);
    } else return null;
  }
  return { ...edit, file: ext.at.file, fileVersion: m.version };
}

/**
 * "Set maxRetries: 0 where the client is made": for a call through a client imported from another file,
 * whose SDK retries multiply a retry around the call. Safe only when every use of that client is known to
 * be under a retry (see `everyUseRetried`); otherwise a suggestion.
 */
export function clientMaxRetriesZeroFix(ctx: RuleContext, stack: RetryStack): Fix | null {
  const m = madeElsewhere(ctx, stack);
  if (!m) return null;
  const edit = zeroEditThere(m);
  if (!edit) return null;
  return { title: `Set maxRetries: 0 where the client is made (${m.rel})`, edits: [edit], safe: everyUseRetried(ctx, m) };
}

/**
 * "Remove maxRetries: 0 where the client is made": for a call through an imported client whose retries are
 * off and that nothing retries. Never safe: it turns the SDK's retries back on for every call through that
 * client, including calls that another retry already covers.
 */
export function clientRemoveMaxRetriesZeroFix(ctx: RuleContext, stack: RetryStack): Fix | null {
  const m = madeElsewhere(ctx, stack);
  if (!m || m.ext.source !== 'client' || m.ext.maxRetries !== 0) return null;
  const p = propertyAt(m.file, m.ext.at.start, m.ext.at.end);
  if (!p) return null;
  const edit = removeListItemEdit(m.file.text, p.object.properties, p.index);
  return { title: `Remove maxRetries: 0 where the client is made (${m.rel})`, edits: [{ ...edit, file: m.ext.at.file, fileVersion: m.version }], safe: false };
}

/**
 * Whether every use of the client is known to be under a retry, so turning its own retries off changes
 * nothing but the multiplication. Decided conservatively (unknown: false):
 * - the client's file makes no API call itself;
 * - no other file imports the client's module (directly or through a file that re-exports it);
 * - every call through that client in the linted file is retried on every path (here or by its callers in
 *   other files), and the imported name it is reached by is used for nothing else.
 */
function everyUseRetried(ctx: RuleContext, m: MadeElsewhere): boolean {
  const project = ctx.project!;
  if (CALLS.test(m.file.text)) return false;
  const self = path.resolve(project.file);
  if (project.index.importersOf(m.ext.at.file).some((f) => f !== self)) return false;
  const analyzer = analyzerOf(ctx);
  const receivers: Array<[number, number]> = [];
  const roots = new Set<Node>();
  for (const c of ctx.calls) {
    const e = c.client.external;
    if (!e || e.at.file !== m.ext.at.file || e.at.start !== m.ext.at.start || e.at.end !== m.ext.at.end) continue;
    const stack = c === ctx.call ? retryStackOf(ctx) : analyzer.analyze(c.node, sdkRetriesOf(c, project));
    if (!stack.paths.length || stack.paths.some((p) => !p.layers.length || p.unknownWrapper)) return false;
    const root = rootIdentifier(c.receiver);
    const b = root ? ctx.resolve(root) : null;
    if (!b || b.kind !== 'import') return false;
    roots.add(b.declaration);
    receivers.push(c.receiver.range);
  }
  if (!receivers.length) return false;
  // every other mention of those imported names (passing the client on, a call this analysis cannot see)
  let otherUse = false;
  forEachNode(ctx.ast, (n) => {
    if (otherUse) return false;
    if (n.type !== 'Identifier') return;
    const b = ctx.resolve(n);
    if (!b || !roots.has(b.declaration) || (n.range[0] >= b.declaration.range[0] && n.range[1] <= b.declaration.range[1])) return;
    if (!receivers.some(([s, e]) => n.range[0] >= s && n.range[1] <= e)) otherUse = true;
  });
  return !otherUse;
}

/** `anthropic` in `anthropic.beta`, `lib.client`, `getClient()`. */
function rootIdentifier(e: Node): TSESTree.Identifier | null {
  let n = unwrap(e);
  for (;;) {
    if (n.type === 'Identifier') return n;
    if (n.type === 'MemberExpression') n = unwrap(n.object);
    else if (n.type === 'CallExpression') n = unwrap(n.callee);
    else return null;
  }
}
