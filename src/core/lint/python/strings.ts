// Python string literals: the prefix (`f`, `r`, `b`, `u`, combinations), the quotes, and the value of the
// parts written between them, escape sequences decoded (not in raw strings).

export interface StringParts {
  prefix: string;
  /** Offsets of the opening and closing quotes' inner edges. */
  contentStart: number;
  contentEnd: number;
}

/** Splits `rb"""x"""` into its prefix and the content range (offsets into `text`). */
export function stringParts(text: string, start: number, end: number): StringParts {
  let i = start;
  while (i < end && /[A-Za-z]/.test(text[i])) i++;
  const prefix = text.slice(start, i).toLowerCase();
  const q = text[i];
  const triple = text.startsWith(q.repeat(3), i);
  const quoteLen = triple ? 3 : 1;
  return { prefix, contentStart: i + quoteLen, contentEnd: Math.max(i + quoteLen, end - quoteLen) };
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** Decodes the escape sequences of a non-raw Python string; null when one cannot be decoded here. */
export function decodePythonEscapes(raw: string): string | null {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = raw[i + 1];
    if (d === undefined) return null;
    if (d === '\n') {
      i++;
      continue;
    }
    if (d === '\r') {
      i += raw[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (/[0-7]/.test(d)) {
      const m = /^[0-7]{1,3}/.exec(raw.slice(i + 1)) as RegExpExecArray;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
      continue;
    }
    if (d in SIMPLE) {
      out += SIMPLE[d];
      i++;
      continue;
    }
    const len = d === 'x' ? 2 : d === 'u' ? 4 : d === 'U' ? 8 : 0;
    if (len) {
      const hex = raw.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return null;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return null;
      out += String.fromCodePoint(cp);
      i += 1 + len;
      continue;
    }
    if (d === 'N') return null; // \N{NAME}: not decoded here
    // An unknown escape keeps its backslash.
    out += c;
  }
  return out;
}

/** The numeric value of a Python integer or float literal; null for complex numbers or anything odd. */
export function pythonNumber(raw: string): number | null {
  const s = raw.replace(/_/g, '');
  if (/[jJ]$/.test(s)) return null;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[oO][0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0[bB][01]+$/.test(s)) return parseInt(s.slice(2), 2);
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
