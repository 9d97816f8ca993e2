// A small, forgiving TOML reader: enough of TOML 1.0 for the dependency tables of pyproject.toml,
// Pipfile, uv.lock and poetry.lock. Pure, no dependencies, never throws.
//
// Reads tables (`[a.b]`), arrays of tables (`[[package]]`), dotted and quoted keys, basic and literal
// strings (single- and multi-line, with escapes), arrays (nested, multi-line, trailing commas, comments
// inside) and inline tables. Numbers, booleans and dates are kept as their text (no caller needs them as
// values). A line that cannot be read is skipped and reading goes on from the next line, so one bad line
// does not hide the rest of the file. Duplicate keys: the last one wins.

export type TomlValue = string | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

class TomlSyntaxError extends Error {}

export function parseToml(text: string): TomlTable {
  const root: TomlTable = {};
  let current: TomlTable = root;
  let i = 0;
  const n = text.length;

  const fail = (what: string): never => {
    throw new TomlSyntaxError(`${what} at ${i}`);
  };
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  /** Spaces, newlines and comments (inside arrays). */
  const skipSpaceLines = () => {
    for (;;) {
      while (i < n && /[ \t\r\n]/.test(text[i])) i++;
      if (text[i] === '#') {
        while (i < n && text[i] !== '\n') i++;
        continue;
      }
      return;
    }
  };
  /** After a value or header: only spaces and a comment may follow on the line. */
  const endOfLine = () => {
    skipSpace();
    if (text[i] === '#') {
      while (i < n && text[i] !== '\n') i++;
    }
    if (text[i] === '\r') i++;
    if (i < n && text[i] !== '\n') fail('expected end of line');
    if (i < n) i++;
  };

  const readBasicString = (): string => {
    // at the opening quote(s)
    const multi = text.startsWith('"""', i);
    i += multi ? 3 : 1;
    if (multi && text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (multi && text[i] === '\n') i++;
    let out = '';
    while (i < n) {
      const c = text[i];
      if (multi ? text.startsWith('"""', i) && text[i + 3] !== '"' : c === '"') {
        i += multi ? 3 : 1;
        return out;
      }
      if (!multi && c === '\n') fail('newline in string');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = text.slice(i + 2, i + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail('bad unicode escape');
          const cp = parseInt(hex, 16);
          out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
          i += 2 + len;
        } else if (multi && /[ \t\r\n]/.test(e ?? '')) {
          // line-ending backslash: drop the newline and the white space after it
          i++;
          while (i < n && /[ \t\r\n]/.test(text[i])) i++;
        } else {
          fail('bad escape');
        }
        continue;
      }
      out += c;
      i++;
    }
    return fail('unterminated string');
  };

  const readLiteralString = (): string => {
    const multi = text.startsWith("'''", i);
    i += multi ? 3 : 1;
    if (multi && text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (multi && text[i] === '\n') i++;
    const close = multi ? "'''" : "'";
    let end = text.indexOf(close, i);
    if (multi) while (end >= 0 && text[end + 3] === "'") end++;
    if (end < 0) fail('unterminated string');
    const s = text.slice(i, end);
    if (!multi && s.includes('\n')) fail('newline in string');
    i = end + close.length;
    return s;
  };

  const readKeyPart = (): string => {
    skipSpace();
    const c = text[i];
    if (c === '"') return readBasicString();
    if (c === "'") return readLiteralString();
    const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 256));
    if (!m) fail('expected a key');
    i += m![0].length;
    return m![0];
  };

  const readKey = (): string[] => {
    const parts = [readKeyPart()];
    skipSpace();
    while (text[i] === '.') {
      i++;
      parts.push(readKeyPart());
      skipSpace();
    }
    return parts;
  };

  const readValue = (): TomlValue => {
    const c = text[i];
    if (c === '"') return readBasicString();
    if (c === "'") return readLiteralString();
    if (c === '[') {
      i++;
      const arr: TomlValue[] = [];
      for (;;) {
        skipSpaceLines();
        if (text[i] === ']') {
          i++;
          return arr;
        }
        arr.push(readValue());
        skipSpaceLines();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('expected , or ]');
      }
    }
    if (c === '{') {
      i++;
      const table: TomlTable = {};
      skipSpace();
      if (text[i] === '}') {
        i++;
        return table;
      }
      for (;;) {
        const key = readKey();
        if (text[i] !== '=') fail('expected =');
        i++;
        skipSpace();
        assign(table, key, readValue());
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return table;
        }
        fail('expected , or }');
      }
    }
    // numbers, booleans, dates and times: their text up to a delimiter
    const m = /^[^\s,\]}#]+(?: [0-9:.+Z-]+)?/.exec(text.slice(i, i + 128));
    if (!m) fail('expected a value');
    i += m![0].length;
    return m![0].trim();
  };

  const isTable = (v: TomlValue | undefined): v is TomlTable => !!v && typeof v === 'object' && !Array.isArray(v);

  /** The table at `path` under `base`, made as needed; the last element of an array of tables. */
  const tableAt = (base: TomlTable, path: string[]): TomlTable => {
    let t = base;
    for (const k of path) {
      let next = t[k];
      if (Array.isArray(next)) next = next[next.length - 1];
      if (!isTable(next)) {
        next = {};
        t[k] = next;
      }
      t = next;
    }
    return t;
  };

  function assign(table: TomlTable, key: string[], value: TomlValue): void {
    tableAt(table, key.slice(0, -1))[key[key.length - 1]] = value;
  }

  while (i < n) {
    const lineStart = i;
    try {
      skipSpaceLines();
      if (i >= n) break;
      if (text[i] === '[') {
        const arrayOfTables = text[i + 1] === '[';
        i += arrayOfTables ? 2 : 1;
        const key = readKey();
        if (text[i] !== ']' || (arrayOfTables && text[i + 1] !== ']')) fail('expected ]');
        i += arrayOfTables ? 2 : 1;
        endOfLine();
        if (arrayOfTables) {
          const parent = tableAt(root, key.slice(0, -1));
          const last = key[key.length - 1];
          const existing = parent[last];
          const arr = Array.isArray(existing) ? existing : (parent[last] = []);
          const t: TomlTable = {};
          (arr as TomlValue[]).push(t);
          current = t;
        } else {
          current = tableAt(root, key);
        }
        continue;
      }
      const key = readKey();
      if (text[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const value = readValue();
      endOfLine();
      assign(current, key, value);
    } catch (e) {
      if (!(e instanceof TomlSyntaxError)) return root; // an unexpected failure: keep what was read
      // skip the line where the trouble started and read on from the next one
      const nl = text.indexOf('\n', lineStart);
      i = nl < 0 ? n : nl + 1;
    }
  }
  return root;
}

/** A string at a table path, or undefined. */
export function tomlString(v: TomlValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The table at a key path (stepping into nothing that is not a table), or undefined. */
export function tomlTable(root: TomlTable | undefined, ...path: string[]): TomlTable | undefined {
  let t: TomlValue | undefined = root;
  for (const k of path) {
    if (!t || typeof t !== 'object' || Array.isArray(t)) return undefined;
    t = t[k];
  }
  return t && typeof t === 'object' && !Array.isArray(t) ? t : undefined;
}
