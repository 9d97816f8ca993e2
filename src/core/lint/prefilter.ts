// The prefilter: decides, without parsing, whether a file can hold anything the rules look at.
//
// Stage 1 (every file): one regular expression over the text — a `messages.create|stream` pattern, an
// `sk-ant-` key prefix or `dangerouslyAllowBrowser`. Nearly every file stops here.
//
// Stage 2 (only the files stage 1 lets through): one linear pass of a small lexer that knows comments,
// strings, template literals (with nested `${ }`), regular expression literals and JSX, and looks at the
// code tokens only. Most of the files stage 1 lets through mention `messages.create` in documentation
// comments or strings (the SDK's own sources, other libraries); stage 2 lets those skip the parse.
//
// Stage 2 is conservative. What the parse would find is always a sequence of code tokens:
//   - a call candidate: a `messages` property (`.messages`, `["messages"]`) followed, across any comments,
//     closing parentheses or brackets, by `.create`, `.stream`, `?.create`, `["create"]`… The walk only
//     collects calls of that shape, so a file without such a token sequence has no call;
//   - the browser option: a `dangerouslyAllowBrowser` name or string in code (a quoted key is a string);
//   - for the lint engine (needsParse, not prefilter), an Anthropic SDK module name in a string in code: the
//     call-site finder counts no call and no client in a file that imports no SDK package. A regular
//     expression first checks that such a name appears in the text at all (even escaped); most files that
//     only document the SDK's methods stop there, before the lexer;
//   - keys (comments count) need no lexer: any `sk-ant-` passes prefilter; for the engine, a regular
//     expression finds any text that may hold an `sk-ant-` key of the length hardcoded-api-key looks for,
//     escape sequences included, and sends the file to the parse.
// Names and strings written with escape sequences are decoded before they are compared. Whenever the lexer
// cannot tell how the text goes on — a `/` that may start a regular expression or divide (after `}`, `++`,
// `yield`, a closing `>` of type arguments…), possible JSX in a .js/.jsx/.tsx file, an unterminated
// string, comment, template or regular expression, a character that cannot start a token — it stops and
// the file is parsed. Ambiguities after the point where the answer is known do not matter.
//
// A file stage 2 rejects gets what a file stage 1 rejects gets: no findings and no parse (so a syntax error
// in it is not reported either).

/**
 * Stage 1: the coarse text check (false: nothing for the rules in this file). Between `messages` and the
 * method it allows white space, comments, and the quotes, brackets and parentheses of `["messages"]["create"]`
 * or `(x.messages).create`.
 */
const COARSE =
  /messages(?:\s|\/\/.*|\/\*[\s\S]*?\*\/|[)\]'"`])*\??[.[](?:\s|\/\/.*|\/\*[\s\S]*?\*\/|[(['"`])*(?:create|stream)\b|sk-ant-|dangerouslyAllowBrowser/;

export function coarsePrefilter(text: string): boolean {
  return COARSE.test(text);
}

/** What stage 2 found in the code tokens. */
export interface CodeScan {
  /** A `messages` property followed by `create`/`stream` in code. */
  call: boolean;
  /** `dangerouslyAllowBrowser` as a name or a string in code. */
  browserOption: boolean;
  /** A string in code naming an `@anthropic-ai/…` module. */
  sdkModule: boolean;
  /** The lexer stopped where it could not tell how the text goes on: assume anything. */
  undecided: boolean;
}

// Previous-token classes: after a value a `/` divides; at an expression start it begins a regular expression.
const EXPR_START = 0;
const VALUE = 1;
/** Either: a `/` here stops the lexer (and so does a possible JSX `<`). */
const EITHER = 2;

/** Keywords after which an expression starts (a `/` begins a regular expression). */
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'extends', 'default']);
/** Words that are keywords or plain names depending on context. */
const EITHER_AFTER = new Set(['of', 'yield', 'await', 'let', 'async', 'get', 'set', 'static', 'as', 'satisfies']);
/** A `(` after these opens a statement header: after its `)` an expression (or statement) starts. */
const CONTROL = new Set(['if', 'while', 'for', 'with']);

// token kinds fed to the call matcher
const T_OTHER = 0;
const T_NAME = 1;
const T_STRING = 2;
const T_DOT = 3; // `.` or `?.`
const T_OPEN_BRACKET = 4;
const T_CLOSE = 5; // `)` or `]`
const T_OPEN_PAREN = 6;

const SDK_PREFIX = '@anthropic-ai/';

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Non-ASCII white space (line breaks excluded). */
function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** ASCII name characters: 1 a digit, 2 a character that may also start a name. */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95) NAME_CHAR[c] = 2;
  else if (c >= 48 && c <= 57) NAME_CHAR[c] = 1;
}

/** Anything non-ASCII that is not white space counts as a name character (invalid ones fail the parse anyway). */
function isIdentPart(c: number): boolean {
  return c < 128 ? NAME_CHAR[c] !== 0 : c !== 0x2028 && c !== 0x2029 && !isUnicodeSpace(c);
}

function isIdentStart(c: number): boolean {
  return c < 128 ? NAME_CHAR[c] === 2 : c !== 0x2028 && c !== 0x2029 && !isUnicodeSpace(c);
}

function hexValue(s: string): number {
  return s.length > 0 && /^[0-9a-fA-F]+$/.test(s) ? parseInt(s, 16) : NaN;
}

/**
 * Decodes the escape sequences of a string literal's, a template's or an identifier's source text
 * (`\x41`, `\u0041`, `\u{41}`, legacy octal, line continuations, single-character escapes). Malformed
 * sequences decode to nothing usable: the caller then compares an odd string, which fails, unless the
 * lexer chooses to treat it as undecided.
 */
export function decodeEscapes(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = raw[++i];
    if (e === undefined) break;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '\r':
        if (raw[i + 1] === '\n') i++;
        break;
      case '\n':
      case '\u2028':
      case '\u2029':
        break;
      case 'x': {
        const v = hexValue(raw.slice(i + 1, i + 3));
        if (Number.isNaN(v)) return '\u0000';
        out += String.fromCharCode(v);
        i += 2;
        break;
      }
      case 'u': {
        let v: number;
        if (raw[i + 1] === '{') {
          const close = raw.indexOf('}', i + 2);
          v = close < 0 ? NaN : hexValue(raw.slice(i + 2, close));
          if (Number.isNaN(v) || v > 0x10ffff) return '\u0000';
          i = close;
        } else {
          v = hexValue(raw.slice(i + 1, i + 5));
          if (Number.isNaN(v)) return '\u0000';
          i += 4;
        }
        out += String.fromCodePoint(v);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          let digits = e;
          while (digits.length < 3 && raw[i + 1] >= '0' && raw[i + 1] <= '7' && parseInt(digits + raw[i + 1], 8) <= 255) digits += raw[++i];
          out += String.fromCharCode(parseInt(digits, 8));
        } else {
          out += e;
        }
    }
  }
  return out;
}

/**
 * Stage 2: lexes `text` and reports what its code tokens hold. `jsx`: the parser would accept JSX in this
 * file (anything but .ts/.mts/.cts). `needSdk`: also look for an SDK module string (otherwise the lexer stops
 * at the first call candidate or browser option).
 */
export function scanCode(text: string, jsx: boolean, needSdk: boolean): CodeScan {
  const res: CodeScan = { call: false, browserOption: false, sdkModule: false, undecided: false };
  const n = text.length;
  // line breaks other than \n are rare; without them a single indexOf answers "a line break in between?"
  const oddBreaks = /[\r\u2028\u2029]/.test(text);
  const breakBetween = (from: number, to: number): boolean => {
    if (!oddBreaks) {
      const k = text.indexOf('\n', from);
      return k >= 0 && k < to;
    }
    for (let k = from; k < to; k++) if (isLineBreak(text.charCodeAt(k))) return true;
    return false;
  };

  let prev = EXPR_START;
  let lineBreakBefore = false; // a line break between the previous token and this one
  let afterDot = false; // the previous token was `.` or `?.`: this name is a property
  let lastWord = ''; // the previous token if it was a name (for statement headers)
  let wordBeforeLast = '';
  const braces: boolean[] = []; // true: the `${` of a template
  const parens: boolean[] = []; // true: a statement header (`if (`, `for (`…)
  let m = 0; // call matcher: 0 idle, 1 after `messages`, 2 after `messages.`, 3 after `messages[`
  let finished = false; // the answer is known

  /**
   * Feeds one token to the call matcher and the browser-option / SDK checks. Callers skip tokens that
   * cannot matter (the matcher idle and the token not a candidate name or string).
   */
  const token = (kind: number, start: number, end: number, hasEscape: boolean): void => {
    feed(kind, start, end, hasEscape);
    finished = (res.call || res.browserOption) && (!needSdk || res.sdkModule);
  };
  const feed = (kind: number, start: number, end: number, hasEscape: boolean): void => {
    let isMessages = false;
    let isMethod = false;
    if (kind === T_NAME || kind === T_STRING) {
      const len = end - start;
      if (!hasEscape) {
        if (len === 8) isMessages = text.startsWith('messages', start);
        else if (len === 6) isMethod = text.startsWith('create', start) || text.startsWith('stream', start);
        else if (len === 23 && text.startsWith('dangerouslyAllowBrowser', start)) res.browserOption = true;
        if (needSdk && kind === T_STRING && text.startsWith(SDK_PREFIX, start)) res.sdkModule = true;
      } else {
        const v = decodeEscapes(text.slice(start, end));
        isMessages = v === 'messages';
        isMethod = v === 'create' || v === 'stream';
        if (v === 'dangerouslyAllowBrowser') res.browserOption = true;
        if (needSdk && kind === T_STRING && v.startsWith(SDK_PREFIX)) res.sdkModule = true;
      }
    }
    switch (m) {
      case 1:
        if (kind === T_CLOSE) return;
        if (kind === T_DOT) {
          m = 2;
          return;
        }
        if (kind === T_OPEN_BRACKET) {
          m = 3;
          return;
        }
        break;
      case 2:
        if (kind === T_NAME && isMethod) {
          res.call = true;
          return;
        }
        if (kind === T_OPEN_BRACKET) {
          m = 3;
          return;
        }
        break;
      case 3:
        if (kind === T_STRING && isMethod) {
          res.call = true;
          return;
        }
        if (kind === T_OPEN_PAREN) return;
        break;
    }
    m = isMessages ? 1 : 0;
  };

  /** Scans template text from `i` (just after the backtick or the `}`); returns the index after its end and how it ended. */
  const templateText = (i: number): { end: number; closed: boolean } | null => {
    for (;;) {
      if (i >= n) return null;
      const c = text.charCodeAt(i);
      if (c === 96) return { end: i + 1, closed: true };
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c === 36 && text.charCodeAt(i + 1) === 123) return { end: i + 2, closed: false };
      i++;
    }
  };

  const undecided = (): CodeScan => {
    res.undecided = true;
    return res;
  };

  let i = 0;
  if (text.startsWith('#!')) {
    while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
  }

  while (i < n) {
    if (finished) return res;
    const c = text.charCodeAt(i);

    // white space and line breaks
    if (c === 32 || c === 9 || c === 11 || c === 12) {
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      lineBreakBefore = true;
      i++;
      continue;
    }

    if (c === 47) {
      // `/`
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        if (!oddBreaks) {
          const k = text.indexOf('\n', i + 2);
          i = k < 0 ? n : k;
        } else {
          i += 2;
          while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
        }
        continue;
      }
      if (d === 42) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) return undecided();
        if (breakBetween(i + 2, close)) lineBreakBefore = true;
        i = close + 2;
        continue;
      }
      if (prev === EITHER) return undecided();
      if (prev === VALUE) {
        // division (`/` or `/=`)
        i += d === 61 ? 2 : 1;
        prev = EXPR_START;
      } else {
        // a regular expression literal
        let j = i + 1;
        let inClass = false;
        for (;;) {
          if (j >= n) return undecided();
          const r = text.charCodeAt(j);
          if (isLineBreak(r)) return undecided();
          if (r === 92) {
            if (j + 1 >= n || isLineBreak(text.charCodeAt(j + 1))) return undecided();
            j += 2;
          } else {
            if (r === 91) inClass = true;
            else if (r === 93) inClass = false;
            else if (r === 47 && !inClass) break;
            j++;
          }
        }
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        i = j;
        prev = VALUE;
      }
      if (m !== 0) token(T_OTHER, 0, 0, false);
      afterDot = false;
      lastWord = '';
      lineBreakBefore = false;
      continue;
    }

    if (c === 39 || c === 34) {
      // a string literal
      let j = i + 1;
      let esc = false;
      for (;;) {
        if (j >= n) return undecided();
        const r = text.charCodeAt(j);
        if (r === c) break;
        if (r === 92) {
          esc = true;
          j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 3 : 2;
          continue;
        }
        if (r === 10 || r === 13) return undecided();
        j++;
      }
      const len = j - i - 1;
      if (m !== 0 || esc || len === 6 || len === 8 || len === 23 || (needSdk && text.charCodeAt(i + 1) === 64)) token(T_STRING, i + 1, j, esc);
      i = j + 1;
      prev = VALUE;
      afterDot = false;
      lastWord = '';
      lineBreakBefore = false;
      continue;
    }

    if (c === 96) {
      // a template literal
      const t = templateText(i + 1);
      if (!t) return undecided();
      if (t.closed) {
        const raw = text.slice(i + 1, t.end - 1);
        token(T_STRING, i + 1, t.end - 1, raw.indexOf('\\') >= 0); // (templates without substitutions are rare enough)
        prev = VALUE;
      } else {
        if (m !== 0) token(T_OTHER, 0, 0, false);
        braces.push(true);
        prev = EXPR_START;
      }
      i = t.end;
      afterDot = false;
      lastWord = '';
      lineBreakBefore = false;
      continue;
    }

    if (c === 125) {
      // `}`: the end of a block, an object, or a template substitution
      if (m !== 0) token(T_OTHER, 0, 0, false);
      if (braces.length && braces[braces.length - 1]) {
        braces.pop();
        const t = templateText(i + 1);
        if (!t) return undecided();
        if (t.closed) prev = VALUE;
        else {
          braces.push(true);
          prev = EXPR_START;
        }
        i = t.end;
      } else {
        braces.pop();
        prev = EITHER;
        i++;
      }
      afterDot = false;
      lastWord = '';
      lineBreakBefore = false;
      continue;
    }

    if (isIdentStart(c) || c === 92 || c === 35) {
      // a name (`#` private names; `\u` escapes)
      const start = c === 35 ? i + 1 : i;
      let j = start;
      let esc = false;
      for (;;) {
        if (j >= n) break;
        const r = text.charCodeAt(j);
        if (r === 92) {
          if (text.charCodeAt(j + 1) !== 117) return undecided();
          esc = true;
          j += 2;
          continue;
        }
        if (!isIdentPart(r)) break;
        j++;
      }
      if (j === start) return undecided(); // a lone `#` or `\`
      const len = j - start;
      let word = '';
      if (c !== 35 && !esc && len <= 10) word = text.slice(start, j);
      if (m !== 0 || esc || len === 6 || len === 8 || len === 23) token(T_NAME, start, j, esc);
      if (esc) prev = EITHER;
      else if (afterDot || c === 35) prev = VALUE;
      else if (REGEX_AFTER.has(word)) prev = EXPR_START;
      else if (EITHER_AFTER.has(word)) prev = EITHER;
      else prev = VALUE;
      wordBeforeLast = lastWord;
      lastWord = afterDot ? '' : word;
      afterDot = false;
      lineBreakBefore = false;
      i = j;
      continue;
    }

    if (c >= 48 && c <= 57) {
      // a number (digits, letters, `_` and `.` cover every numeric form; `1.e+5` splits harmlessly)
      let j = i + 1;
      while (j < n) {
        const r = text.charCodeAt(j);
        if (isIdentPart(r) || r === 46) j++;
        else break;
      }
      if (m !== 0) token(T_OTHER, 0, 0, false);
      prev = VALUE;
      afterDot = false;
      lastWord = '';
      lineBreakBefore = false;
      i = j;
      continue;
    }

    // punctuators
    const d = text.charCodeAt(i + 1);
    let kind = T_OTHER;
    let len = 1;
    let next = EXPR_START;
    let dot = false;
    switch (c) {
      case 46: // `.`
        if (d >= 48 && d <= 57) {
          // `.5`
          let j = i + 1;
          while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
          len = j - i;
          next = VALUE;
        } else if (d === 46 && text.charCodeAt(i + 2) === 46) {
          len = 3; // spread
        } else {
          kind = T_DOT;
          dot = true;
        }
        break;
      case 63: // `?`
        if (d === 46 && !(text.charCodeAt(i + 2) >= 48 && text.charCodeAt(i + 2) <= 57)) {
          kind = T_DOT;
          dot = true;
          len = 2;
        }
        break;
      case 40: // `(`
        kind = T_OPEN_PAREN;
        parens.push(CONTROL.has(lastWord) || (lastWord === 'await' && wordBeforeLast === 'for'));
        break;
      case 41: // `)`
        kind = T_CLOSE;
        next = parens.pop() ? EXPR_START : VALUE;
        break;
      case 91: // `[`
        kind = T_OPEN_BRACKET;
        break;
      case 93: // `]`
        kind = T_CLOSE;
        next = VALUE;
        break;
      case 123: // `{`
        braces.push(false);
        break;
      case 33: // `!`: a TypeScript non-null assertion right after a value on the same line; else a negation
        if (d === 61) len = text.charCodeAt(i + 2) === 61 ? 3 : 2;
        else if (prev === VALUE && !lineBreakBefore) next = VALUE;
        break;
      case 43: // `+`
      case 45: // `-`
        if (d === c) {
          len = 2;
          next = EITHER; // postfix (a value follows) or prefix
        }
        break;
      case 61: // `=`
        if (d === 62) len = 2; // `=>`
        break;
      case 62: {
        // `>`: a comparison, a shift, or the end of type arguments (after which a `/` divides)
        let j = i;
        while (text.charCodeAt(j) === 62) j++;
        if (text.charCodeAt(j) === 61) j++;
        else next = EITHER;
        len = j - i;
        break;
      }
      case 60: // `<`
        if (jsx && prev !== VALUE && (isIdentStart(d) || d === 62)) return undecided(); // possibly JSX
        break;
      case 59: // ;
      case 44: // ,
      case 58: // :
      case 126: // ~
      case 37: // %
      case 42: // *
      case 38: // &
      case 124: // |
      case 94: // ^
      case 64: // @
        break;
      default:
        if (c >= 128) {
          if (c === 0x2028 || c === 0x2029) lineBreakBefore = true;
          if (c === 0x2028 || c === 0x2029 || isUnicodeSpace(c)) {
            i++;
            continue;
          }
        }
        return undecided(); // a character that cannot start a token here
    }
    if (m !== 0) token(kind, 0, 0, false);
    prev = next;
    afterDot = dot;
    lastWord = '';
    lineBreakBefore = false;
    i += len;
  }
  return res;
}

/** The parser accepts JSX in every file but .ts, .mts and .cts ones (unknown names are read as TSX). */
export function jsxPossible(fileName: string | undefined): boolean {
  return !fileName || !/\.[cm]?ts$/i.test(fileName);
}

/**
 * A regular expression source matching `s` as it may be written inside a string or template literal: each
 * character as itself or as an escape sequence (`\x40`, `\u0040`, `\u{40}`, `\100`, `\@`), with line
 * continuations anywhere in between. Every literal whose value contains `s` contains a match in its source.
 */
export function escapedFormsSource(s: string): string {
  const hex = (h: string) => h.replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
  const lineContinuation = '(?:\\\\(?:\\r\\n|[\\n\\r\\u2028\\u2029]))*';
  const parts = [...s].map((ch) => {
    const code = ch.charCodeAt(0);
    const h = code.toString(16);
    const o = code.toString(8);
    const forms = [
      ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'),
      `\\\\x${hex(h.padStart(2, '0'))}`,
      `\\\\u${hex(h.padStart(4, '0'))}`,
      `\\\\u\\{0*${hex(h)}\\}`,
      `\\\\0{0,${3 - o.length}}${o}`,
    ];
    // a backslash before a character without an escape meaning stands for the character itself
    if (!/['"\\bfnrtvxu0-9]/.test(ch)) forms.push(`\\\\${forms[0]}`);
    return `(?:${forms.join('|')})`;
  });
  return parts.join(lineContinuation);
}

/** An `@anthropic-ai/` module name, possibly written with escape sequences, anywhere in the text. */
const SDK_MODULE_TEXT = new RegExp(escapedFormsSource('@anthropic-ai/'));

/**
 * Text that may hold an `sk-ant-` key of at least 20 key characters (what hardcoded-api-key looks for in
 * strings, templates and comments), escape sequences and line continuations included: a raw unit is a key
 * character, `{`, `}`, or a backslash with the character after it, and every key character takes one unit
 * or more.
 */
const KEY_TEXT = new RegExp(`${escapedFormsSource('sk-ant-')}(?:[A-Za-z0-9_{}-]|\\\\(?:\\r\\n|[\\s\\S])){20,}`);

let memo: { text: string; jsx: boolean; needSdk: boolean; result: boolean } | null = null;

function decide(text: string, fileName: string | undefined, needSdk: boolean): boolean {
  if (!COARSE.test(text)) return false;
  // prefilter: any `sk-ant-` (generous); the engine: only text that may hold a key the rule reports
  if (needSdk ? KEY_TEXT.test(text) : text.includes('sk-ant-')) return true;
  // no SDK module named anywhere, not even in a comment: no client and no call for the engine (a cheap
  // test that spares the lexer most files that only document the SDK's methods)
  if (needSdk && !SDK_MODULE_TEXT.test(text)) return false;
  const jsx = jsxPossible(fileName);
  if (memo && memo.text === text && memo.jsx === jsx && memo.needSdk === needSdk) return memo.result;
  const s = scanCode(text, jsx, needSdk);
  const result = s.undecided || ((s.call || s.browserOption) && (!needSdk || s.sdkModule));
  memo = { text, jsx, needSdk, result };
  return result;
}

/**
 * Cheap check: false means the file holds no `….messages.create|stream` call and no browser client option
 * in its code, and no `sk-ant-` anywhere. `fileName` (optional) tells whether JSX is possible; without it,
 * JSX is assumed possible.
 */
export function prefilter(text: string, fileName?: string): boolean {
  return decide(text, fileName, false);
}

/**
 * What the lint engine parses: the prefilter, and for calls and clients also an SDK module named in code
 * (keys are checked in any file).
 */
export function needsParse(text: string, fileName?: string): boolean {
  return decide(text, fileName, true);
}
