// The Python prefilter: decides, without loading the parser, whether a Python file can hold anything the
// rules look at.
//
// Stage 1: a regular expression: `messages` then `.create` / `.stream`, or an `sk-ant-` key prefix.
// Stage 2 (only files stage 1 lets through): a small lexer that skips comments and string literals (all
// prefixes, single and triple quotes) and looks at the code only: a `messages . create|stream` token
// sequence, and an `import anthropic…` / `from anthropic… import` statement. A file whose calls appear
// only in comments, strings or docstrings, or that never imports anthropic, is skipped. Text with
// `sk-ant-` always goes to the parser (hardcoded-api-key reads strings and comments too).
// The lexer is conservative: an f-string that mentions `messages` (its `{…}` parts are code) or an
// unterminated string makes it answer "parse".

const COARSE = /messages\s*(?:\\\s*)?\.\s*(?:\\\s*)?(?:create|stream)\b|sk-ant-/;

export interface PythonCodeScan {
  call: boolean;
  importsSdk: boolean;
  undecided: boolean;
}

const NAME = /[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/y;

/** One pass over the code tokens (comments and strings skipped). */
export function scanPythonCode(text: string): PythonCodeScan {
  const res: PythonCodeScan = { call: false, importsSdk: false, undecided: false };
  // The last few significant tokens, for the two patterns.
  const toks: string[] = [];
  let lineStart = true; // at the start of a logical line (for `import` / `from`)
  let depth = 0;
  const push = (t: string): void => {
    toks.push(t);
    if (toks.length > 4) toks.shift();
    const n = toks.length;
    if (n >= 3 && toks[n - 3] === 'messages' && toks[n - 2] === '.' && (toks[n - 1] === 'create' || toks[n - 1] === 'stream')) res.call = true;
  };
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text[i];
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? len : nl;
      continue;
    }
    if (c === '\n') {
      if (depth === 0) lineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      i += 2;
      continue;
    }
    // strings, with an optional prefix
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    let prefix = '';
    let q = i;
    if (m && /^(?:[rRbBuUfFtT]{1,2})$/.test(m[0]) && (text[i + m[0].length] === '"' || text[i + m[0].length] === "'")) {
      prefix = m[0].toLowerCase();
      q = i + m[0].length;
    }
    const quote = text[q];
    if (quote === '"' || quote === "'") {
      const triple = text.startsWith(quote.repeat(3), q);
      const close = triple ? quote.repeat(3) : quote;
      const raw = prefix.includes('r');
      let j = q + close.length;
      let end = -1;
      while (j < len) {
        const d = text[j];
        if (d === '\\' && !raw) {
          j += 2;
          continue;
        }
        if (d === '\\' && raw) {
          j += 2; // a raw string still cannot end at an escaped quote
          continue;
        }
        if (!triple && d === '\n') break;
        if (text.startsWith(close, j)) {
          end = j + close.length;
          break;
        }
        j++;
      }
      if (end < 0) {
        res.undecided = true;
        return res;
      }
      if ((prefix.includes('f') || prefix.includes('t')) && /messages/.test(text.slice(q, end))) {
        res.undecided = true;
        return res;
      }
      push('"');
      lineStart = false;
      i = end;
      continue;
    }
    if (m) {
      const word = m[0];
      if (lineStart && (word === 'import' || word === 'from')) {
        // `import anthropic[.x][, …]` / `from anthropic[.x] import …`
        const rest = /^[ \t]+(?:\\\r?\n[ \t]*)?([\w.]+)/.exec(text.slice(i + word.length, i + word.length + 200));
        if (rest && /^anthropic(?:\.|$)/.test(rest[1])) res.importsSdk = true;
        if (word === 'import' && /^[ \t]+[^#\n]*\banthropic\b/.test(text.slice(i + word.length).split('\n')[0])) res.importsSdk = true;
      }
      push(word);
      lineStart = false;
      i += word.length;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (c === ';') lineStart = true;
    else if (c !== ')' && c !== ']') lineStart = false;
    // `(x.messages).create` and `x.messages\n.create` inside brackets: brackets do not break the pattern
    if (c !== ')' && c !== ']') push(c);
    i++;
  }
  return res;
}

/** Whether the engine must parse a Python file. */
export function pythonNeedsParse(text: string): boolean {
  if (!COARSE.test(text)) return false;
  if (text.includes('sk-ant-')) return true;
  if (!/\banthropic\b/.test(text)) return false;
  const s = scanPythonCode(text);
  return s.undecided || (s.call && s.importsSdk);
}

/** The prefilter alone (any call pattern in code, any `sk-ant-`), without the import condition. */
export function pythonPrefilter(text: string): boolean {
  if (!COARSE.test(text)) return false;
  if (text.includes('sk-ant-')) return true;
  const s = scanPythonCode(text);
  return s.undecided || s.call;
}
