// A tolerant reader for JSON with comments (tsconfig.json, jsconfig.json, package.json): `//` and
// `/* */` comments and trailing commas are allowed, as TypeScript allows them. Comment markers inside
// strings ("https://...", "./src/**/*") are kept. Malformed text gives undefined, never an exception.

/** The text with comments blanked out (offsets kept) and trailing commas dropped. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  // index in `out` of the last comma written outside a string, still waiting for its next token
  let pendingComma = -1;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      pendingComma = -1;
    } else if (c === '/' && text[i + 1] === '/') {
      let j = i;
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      out += ' '.repeat(j - i);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const j = end < 0 ? n : end + 2;
      out += text.slice(i, j).replace(/[^\r\n]/g, ' ');
      i = j;
    } else if (c === ',') {
      pendingComma = out.length;
      out += c;
      i++;
    } else if (c === '}' || c === ']') {
      if (pendingComma >= 0) out = out.slice(0, pendingComma) + ' ' + out.slice(pendingComma + 1);
      pendingComma = -1;
      out += c;
      i++;
    } else {
      if (!/\s/.test(c)) pendingComma = -1;
      out += c;
      i++;
    }
  }
  return out;
}

/** The parsed value of JSON-with-comments text, or undefined when it cannot be read. */
export function parseJsonc(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(stripJsonc(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
