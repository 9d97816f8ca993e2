// Python package versions and version specifiers, as far as the SDK version lookup needs them:
// PEP 440 versions, PEP 440 specifiers (`>=0.40,<2`, `~=1.2`, `==1.*`), Poetry constraints (`^1.2`, `~1.2`,
// `1.2.3`, `>=1.2 <2`, `^1.0 || ^0.50`) and PEP 508 requirement lines (`anthropic[bedrock]>=1.2; python_version
// >= "3.8"`). Pure, never throws.

import type { SdkVersion } from '../ruleContext';

export const PYTHON_SDK_PACKAGE = 'anthropic';

const PRE_POST_DEV = String.raw`(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview|post|rev|r|dev)[-_.]?\d*)*(?:\+[a-z0-9.]+)?`;
const VERSION_RE = new RegExp(String.raw`^\s*v?(?:\d+!)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.\d+)*` + PRE_POST_DEV + String.raw`\s*$`, 'i');

/** "1.13.0", "1.2", "0.40.0rc1", "1.13.0.post1", "1!2.0" → major/minor/patch (raw: the text, trimmed). */
export function parsePythonVersion(str: string | null | undefined): SdkVersion | null {
  if (typeof str !== 'string') return null;
  const m = VERSION_RE.exec(str);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), raw: str.trim() };
}

export function compareVersions(a: SdkVersion, b: SdkVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function formatted(v: { major: number; minor: number; patch: number }): SdkVersion {
  return { major: v.major, minor: v.minor, patch: v.patch, raw: `${v.major}.${v.minor}.${v.patch}` };
}

/** What a specifier says about the version: its lowest admitted version, and whether it names one exactly. */
export interface SpecLowerBound {
  version: SdkVersion;
  /** `==1.13.0` (not a wildcard), `===1.13.0`, or a bare Poetry version: one version only. */
  exact: boolean;
}

/**
 * The lowest version a PEP 440 specifier or Poetry constraint admits, or null when it has no lower bound
 * (`*`, `""`, `<2`, `!=1.0`) or cannot be read. Alternatives (`||`) give their lowest.
 */
export function lowestVersionOf(spec: string | null | undefined): SpecLowerBound | null {
  if (typeof spec !== 'string') return null;
  let best: SpecLowerBound | null = null;
  for (const alt of spec.split(/\|\|?/)) {
    const b = lowestOfClauses(alt);
    if (b === undefined) continue; // unreadable alternative
    if (b === null) return null; // an alternative with no lower bound admits anything from 0
    if (!best || compareVersions(b.version, best.version) < 0) best = b;
  }
  return best;
}

/** undefined: unreadable; null: no lower bound. */
function lowestOfClauses(set: string): SpecLowerBound | null | undefined {
  const s = set.trim();
  if (s === '' || s === '*') return null;
  // clauses are separated by commas (PEP 440) or spaces (Poetry); an operator may be followed by spaces
  const tokens = s
    .replace(/(~=|===|==|!=|<=|>=|<|>|\^|~|=)\s+/g, '$1')
    .split(/[\s,]+/)
    .filter(Boolean);
  let lower: SpecLowerBound | null = null;
  let count = 0;
  for (const tok of tokens) {
    const m = /^(~=|===|==|!=|<=|>=|<|>|\^|~|=)?(.+)$/.exec(tok);
    if (!m) return undefined;
    const op = m[1] ?? '';
    let body = m[2];
    const wildcard = /\.\*$/.test(body) || body === '*';
    if (wildcard) body = body === '*' ? '' : body.slice(0, -2);
    if (op === '<' || op === '<=' || op === '!=') {
      if (!parsePythonVersion(body)) return undefined;
      continue;
    }
    if (body === '') continue; // `==*`, `*`
    const v = parsePythonVersion(body.replace(/\.[xX]$/, ''));
    if (!v) return undefined;
    count++;
    let candidate = formatted(v);
    if (op === '>') {
      // the lowest version strictly above: bump the last given component
      const parts = body.split(/[^0-9]+/).filter(Boolean).length;
      candidate =
        parts >= 3
          ? formatted({ ...v, patch: v.patch + 1 })
          : parts === 2
            ? formatted({ major: v.major, minor: v.minor + 1, patch: 0 })
            : formatted({ major: v.major + 1, minor: 0, patch: 0 });
    }
    const exact = !wildcard && (op === '==' || op === '===' || op === '=' || op === '') && !/\.[xX]$/.test(body);
    const bound: SpecLowerBound = { version: exact ? { ...candidate, raw: v.raw } : candidate, exact };
    if (!lower || compareVersions(bound.version, lower.version) > 0 || (bound.exact && compareVersions(bound.version, lower.version) === 0)) lower = bound;
  }
  if (count === 0) return null;
  return lower;
}

/** PEP 503 name normalisation: `Anthropic`, `anthropic_` → `anthropic`, `anthropic-`. */
export function normalizePackageName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** A PEP 508 requirement for the SDK: its specifier text ('' when none, null for a URL requirement). */
export interface SdkRequirement {
  spec: string | null;
}

/**
 * Reads one PEP 508 requirement string (`anthropic[bedrock] (>=1.2,<2) ; python_version >= "3.8"`).
 * null when it is not a requirement for the SDK package.
 */
export function sdkRequirement(line: string): SdkRequirement | null {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/s.exec(line);
  if (!m || normalizePackageName(m[1]) !== PYTHON_SDK_PACKAGE) return null;
  let rest = m[3];
  if (rest.startsWith('@')) return { spec: null }; // a URL or path: no version to read
  const semi = rest.indexOf(';');
  if (semi >= 0) rest = rest.slice(0, semi);
  rest = rest.trim();
  // only a specifier (or nothing) may follow the name: `anthropic-bedrock` or `anthropic foo` are not ours
  if (rest !== '' && !/^[(~=!<>^*]/.test(rest)) return null;
  if (rest.startsWith('(')) rest = rest.replace(/^\(\s*/, '').replace(/\s*\)$/, '');
  return { spec: rest };
}
