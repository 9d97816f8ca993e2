// Reading the arguments of a Python call on the lowered tree, for the Python retry libraries: positional and
// keyword arguments by parameter name, `None`, durations in seconds (numbers and `timedelta(...)`), and the
// exceptions a library is told to retry (classes of the `anthropic` package, tuples, predicates).

import type { RetryShapeAnalyzer } from './analyzer';
import { calleeName, isFn, isIdent, propName, unwrapExpr, visit } from './ast';
import type { N } from './model';
import { regionFacts } from './regionFacts';
import { FINAL_STATUSES } from './statusSets';
import { num } from './values';

/** The arguments of a call by parameter name; `from`: a `*args` / `**kwargs` that may hold any of the others. */
export interface PyArgs {
  props: Map<string, N>;
  from: N | null;
}

export const NO_ARGS: PyArgs = { props: new Map(), from: null };

/** The lowered tree of a Python file (the front end marks its Program with the module's bindings). */
export function isPythonTree(cx: RetryShapeAnalyzer): boolean {
  return !!(cx.program as { pyScope?: unknown }).pyScope;
}

/**
 * The arguments of `call` named after `positional` (the parameters in order), keyword arguments by their
 * name; a `**name` of a dict literal bound once is merged.
 */
export function pyArgs(cx: RetryShapeAnalyzer, call: N, positional: readonly string[]): PyArgs {
  const props = new Map<string, N>();
  let from: N | null = null;
  let i = 0;
  for (const a of call.arguments as N[]) {
    if (a.type === 'ObjectExpression' && a.pyKwargs) {
      addKeywords(cx, a, props, (x) => (from = x), 0);
      continue;
    }
    if (a.type === 'SpreadElement') {
      from = a.argument;
      continue;
    }
    if (i < positional.length) props.set(positional[i], a);
    i++;
  }
  return { props, from };
}

function addKeywords(cx: RetryShapeAnalyzer, o: N, props: Map<string, N>, unknown: (n: N) => void, depth: number): void {
  for (const p of o.properties as N[]) {
    if (p.type === 'SpreadElement') {
      const dict = constValue(cx, p.argument);
      if (dict && dict.type === 'ObjectExpression' && depth < 3) addKeywords(cx, dict, props, unknown, depth + 1);
      else unknown(p.argument);
      continue;
    }
    const k = p.key;
    const name = k.type === 'Identifier' ? k.name : k.type === 'Literal' && typeof k.value === 'string' ? k.value : null;
    if (name) props.set(name, p.value);
    else unknown(p);
  }
}

/** An expression, or what a name bound once to it stands for. */
export function constValue(cx: RetryShapeAnalyzer, e: N, depth = 0): N {
  const x = unwrapExpr(e);
  if (x.type === 'Identifier' && depth < 4) {
    const b = cx.resolveName(x.name, x);
    if (b && b.kind === 'const' && b.init) return constValue(cx, b.init as unknown as N, depth + 1);
  }
  return x;
}

export function isNone(e: N | undefined): boolean {
  if (!e) return false;
  const x = unwrapExpr(e);
  return x.type === 'Literal' && x.value === null;
}

const TIMEDELTA_UNITS: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1, milliseconds: 0.001, microseconds: 0.000001 };
const TIMEDELTA_POSITIONAL = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];

/** A duration in seconds: a number, or `timedelta(...)` / `datetime.timedelta(...)` of numbers; null when not static. */
export function seconds(cx: RetryShapeAnalyzer, e: N | undefined): number | null {
  if (!e) return null;
  const x = constValue(cx, e);
  if ((x.type === 'CallExpression' || x.type === 'NewExpression') && calleeName(x) === 'timedelta') {
    const a = pyArgs(cx, x, TIMEDELTA_POSITIONAL);
    if (a.from) return null;
    let t = 0;
    for (const [k, v] of a.props) {
      const n = num(cx, v);
      if (n === null || !(k in TIMEDELTA_UNITS)) return null;
      t += n * TIMEDELTA_UNITS[k];
    }
    return t;
  }
  return num(cx, x);
}

/** A short text of an expression for messages (`config.retries`), or null when long. */
export function exprText(cx: RetryShapeAnalyzer, e: N): string | null {
  const t = cx.text.slice(e.range[0], e.range[1]).replace(/\s+/g, ' ');
  return t.length <= 40 ? t : null;
}

// ---------------------------------------------------------------------------------------------------------
// Which errors a library retries

/**
 * The errors a retry layer retries, in the RetryLayer's terms. `none`: it retries no exception at all (a
 * tenacity `retry_if_result`, `retry_never`), so it is no retry of the API call's errors.
 */
export interface ErrorFilter {
  statusAware: boolean | null;
  retries429: boolean | null;
  /** It names rate limits (RateLimitError, 429) among what it retries. */
  names429: boolean;
  /** The final statuses it retries, when it names some of them (a partial filter). */
  retriesFinal?: number[];
  none?: boolean;
}

export const EVERY_ERROR: ErrorFilter = { statusAware: false, retries429: true, names429: false };
export const UNKNOWN_ERRORS: ErrorFilter = { statusAware: null, retries429: null, names429: false };
export const NO_ERROR: ErrorFilter = { statusAware: true, retries429: false, names429: false, none: true };

/**
 * The `anthropic` package's exception classes by what they stand for (anthropic 1.13, `_exceptions.py` and
 * `_make_status_error`): a status, '5xx' (InternalServerError: every status >= 500 but 529), 'transient'
 * (connection errors and timeouts), or 'any' (a base class that also holds the final statuses).
 * `ServiceUnavailableError` and `DeadlineExceededError` come from the Bedrock and Vertex clients.
 */
const PY_CLASS_STATUS: Record<string, number | '5xx' | 'transient' | 'any'> = {
  BadRequestError: 400,
  AuthenticationError: 401,
  PermissionDeniedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  RequestTooLargeError: 413,
  UnprocessableEntityError: 422,
  RateLimitError: 429,
  ServiceUnavailableError: 503,
  DeadlineExceededError: 504,
  OverloadedError: 529,
  InternalServerError: '5xx',
  APIConnectionError: 'transient',
  APITimeoutError: 'transient',
  APIStatusError: 'any',
  APIError: 'any',
  AnthropicError: 'any',
};
/** Python's own base classes: they hold every error of the SDK. */
const BUILTIN_ANY = new Set(['Exception', 'BaseException']);

export type ClassKind = number | '5xx' | 'transient' | 'any' | 'unknown';

/** What one exception class in a filter stands for. */
export function classKind(cx: RetryShapeAnalyzer, e: N): ClassKind {
  const x = unwrapExpr(e);
  if (x.type === 'Identifier') {
    if (BUILTIN_ANY.has(x.name)) return cx.resolveName(x.name, x) ? 'unknown' : 'any';
    const kind = PY_CLASS_STATUS[x.name];
    if (kind === undefined) return 'unknown';
    // a class of the same name defined in this file is the file's own
    const b = cx.resolveName(x.name, x);
    return b && b.kind === 'class' ? 'unknown' : kind;
  }
  if (x.type === 'MemberExpression' && !x.computed) {
    const name = propName(x);
    return name && PY_CLASS_STATUS[name] !== undefined ? PY_CLASS_STATUS[name] : 'unknown';
  }
  return 'unknown';
}

/** The classes of an exception argument: one class, a tuple or list, or a name bound once to one. */
export function classList(cx: RetryShapeAnalyzer, e: N, depth = 0): N[] | null {
  const x = unwrapExpr(e);
  if (x.type === 'ArrayExpression') {
    const out: N[] = [];
    for (const el of x.elements as N[]) {
      if (!el || el.type === 'SpreadElement') return null;
      const inner = classList(cx, el, depth + 1);
      if (!inner) return null;
      out.push(...inner);
    }
    return out;
  }
  if (x.type === 'Identifier' && depth < 4 && !PY_CLASS_STATUS[x.name] && !BUILTIN_ANY.has(x.name)) {
    const b = cx.resolveName(x.name, x);
    if (b && b.kind === 'const' && b.init) return classList(cx, b.init as unknown as N, depth + 1);
  }
  return [x];
}

/** The errors retried when a layer retries these exception classes (`retry_if_exception_type(...)`, backoff's `exception`). */
export function retriedClasses(cx: RetryShapeAnalyzer, e: N): ErrorFilter {
  const list = classList(cx, e);
  if (!list) return UNKNOWN_ERRORS;
  const kinds = list.map((c) => classKind(cx, c));
  const names429 = kinds.includes(429);
  if (kinds.includes('any')) return { statusAware: false, retries429: true, names429 };
  const finals = FINAL_STATUSES.filter((s) => kinds.includes(s));
  if (finals.length) return { statusAware: false, retries429: names429 ? true : null, names429, retriesFinal: finals };
  if (kinds.includes('unknown')) return { statusAware: null, retries429: names429 ? true : null, names429 };
  return { statusAware: true, retries429: names429, names429 };
}

/** The errors retried when a layer retries every exception but these (`retry_if_not_exception_type(...)`). */
export function retriedExceptClasses(cx: RetryShapeAnalyzer, e: N): ErrorFilter {
  const list = classList(cx, e);
  if (!list) return UNKNOWN_ERRORS;
  const kinds = list.map((c) => classKind(cx, c));
  if (kinds.includes('any')) return NO_ERROR;
  const retries429 = !kinds.includes(429);
  const finals = FINAL_STATUSES.filter((s) => !kinds.includes(s));
  if (!finals.length) return { statusAware: true, retries429, names429: false };
  // a class the file defines may be a base of the final ones: unknown
  if (kinds.includes('unknown')) return { statusAware: null, retries429, names429: false };
  return finals.length === FINAL_STATUSES.length ? { statusAware: false, retries429, names429: false } : { statusAware: false, retries429, names429: false, retriesFinal: finals };
}

/** What a predicate function reads: the errors it picks, and whether it reads retry-after (stamina's hooks, tenacity's waits). */
export interface PredicateFacts {
  filter: ErrorFilter;
  readsRetryAfter: boolean;
  growthOps: boolean;
  random: boolean;
  /** The classes X when the whole predicate is `isinstance(e, X)`. */
  isinstanceOf: N | null;
  /** The value when the whole predicate is `True` or `False`. */
  returns: boolean | null;
}

/**
 * The facts of a predicate or hook given as a function (a lambda or a same-file def): the errors it lets
 * through (`retry_if_exception(pred)`, backoff's `giveup=`, stamina's `on=`), and what it reads.
 * A predicate that only tests `isinstance(e, X)` picks X; one that reads the status or names the SDK's
 * classes in other ways is status-aware; anything else is unknown (never a finding). Null: no function here.
 */
export function predicateFacts(cx: RetryShapeAnalyzer, e: N): PredicateFacts | null {
  const f = cx.functionOf(constValue(cx, e));
  if (!f) return null;
  const body = bodyExpression(f);
  const facts = regionFacts(cx, f.body, 1);
  let random = false;
  visit(f.body, (n) => {
    if (n.type === 'CallExpression') {
      const c = unwrapExpr(n.callee);
      if (c.type === 'MemberExpression' && isIdent(c.object, 'random')) random = true;
    }
    return !random;
  });
  const test = isinstanceClasses(body);
  const returns = body && body.type === 'Literal' && typeof body.value === 'boolean' ? body.value : null;
  const rest = { readsRetryAfter: facts.readsRetryAfter, growthOps: facts.growthOps, random, isinstanceOf: test, returns };
  if (returns !== null) return { filter: returns ? EVERY_ERROR : NO_ERROR, ...rest };
  if (test) return { filter: retriedClasses(cx, test), ...rest };
  let sdkClass = false;
  visit(f.body, (n) => {
    const tested = n.type === 'BinaryExpression' && n.operator === 'instanceof' ? (n.right as N) : n.type === 'CallExpression' && isIdent(n.callee, 'isinstance') ? (n.arguments[1] as N | undefined) : undefined;
    if (tested) {
      const list = classList(cx, tested) ?? [];
      if (list.some((c) => classKind(cx, c) !== 'unknown' && classKind(cx, c) !== 'any')) sdkClass = true;
    }
    return !sdkClass;
  });
  const aware = facts.statusAware || facts.classifierCall || sdkClass;
  return { filter: { statusAware: aware ? true : null, retries429: facts.mentions429 ? true : null, names429: facts.mentions429 }, ...rest };
}

/**
 * The classes X of a predicate that is only `isinstance(e, X)`, also as the front end lowers it
 * (`e instanceof A || e instanceof B`, one subject): the class node, or an array node of them.
 */
function isinstanceClasses(n: N | null): N | null {
  if (!n) return null;
  if (n.type === 'CallExpression' && isIdent(n.callee, 'isinstance') && n.arguments.length === 2) return n.arguments[1] as N;
  const classes: N[] = [];
  let subject: string | null = null;
  const collect = (x: N): boolean => {
    const u = unwrapExpr(x);
    if (u.type === 'BinaryExpression' && u.operator === 'instanceof' && u.left.type === 'Identifier') {
      if (subject !== null && subject !== u.left.name) return false;
      subject = u.left.name;
      classes.push(u.right as N);
      return true;
    }
    return u.type === 'LogicalExpression' && u.operator === '||' && collect(u.left as N) && collect(u.right as N);
  };
  if (!collect(n)) return null;
  return classes.length === 1 ? classes[0] : ({ type: 'ArrayExpression', elements: classes, range: n.range, parent: n.parent } as unknown as N);
}

/** The returned expression of a lambda or a def whose body is a single `return`. */
function bodyExpression(f: N): N | null {
  if (!isFn(f)) return null;
  if (f.body.type !== 'BlockStatement') return unwrapExpr(f.body);
  const stmts = f.body.body as N[];
  return stmts.length === 1 && stmts[0].type === 'ReturnStatement' && stmts[0].argument ? unwrapExpr(stmts[0].argument) : null;
}

/** Union of two filters (tenacity's `a | b`): it retries what either retries. */
export function unionFilters(a: ErrorFilter, b: ErrorFilter): ErrorFilter {
  if (a.none) return b;
  if (b.none) return a;
  const finals = [...new Set([...(a.retriesFinal ?? []), ...(b.retriesFinal ?? [])])].sort((x, y) => x - y);
  const everything = (a.statusAware === false && !a.retriesFinal) || (b.statusAware === false && !b.retriesFinal);
  const statusAware = a.statusAware === false || b.statusAware === false ? false : a.statusAware === true && b.statusAware === true ? true : null;
  const out: ErrorFilter = {
    statusAware,
    retries429: a.retries429 === true || b.retries429 === true ? true : a.retries429 === false && b.retries429 === false ? false : null,
    names429: a.names429 || b.names429,
  };
  if (statusAware === false && !everything && finals.length) out.retriesFinal = finals;
  return out;
}

/** Intersection of two filters (tenacity's `a & b`): it retries what both retry. */
export function intersectFilters(a: ErrorFilter, b: ErrorFilter): ErrorFilter {
  if (a.none || b.none) return NO_ERROR;
  if (a.statusAware === true || b.statusAware === true) {
    return { statusAware: true, retries429: a.retries429 === false || b.retries429 === false ? false : a.retries429 && b.retries429 ? true : null, names429: a.names429 || b.names429 };
  }
  if (a.statusAware === false && b.statusAware === false) {
    const fa = a.retriesFinal ?? FINAL_STATUSES;
    const fb = b.retriesFinal ?? FINAL_STATUSES;
    const finals = fa.filter((s) => fb.includes(s));
    const out: ErrorFilter = { statusAware: finals.length ? false : true, retries429: a.retries429 && b.retries429, names429: a.names429 || b.names429 };
    if (finals.length && finals.length < FINAL_STATUSES.length) out.retriesFinal = finals;
    return out;
  }
  return { statusAware: null, retries429: null, names429: a.names429 || b.names429 };
}
