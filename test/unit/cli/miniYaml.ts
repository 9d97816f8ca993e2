// A small YAML reader for the files the tests check (action.yml, .pre-commit-hooks.yaml): block maps,
// block lists (items may start a map on the dash line), plain / single- / double-quoted scalars, flow
// lists of scalars ([a, b]), literal block scalars (|), and comments. Everything else is out of scope;
// values are strings, arrays and objects (no numbers or booleans: 'true' stays a string).

export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
}

function scalar(raw: string): YamlValue {
  const s = raw.trim();
  if (s.startsWith('"')) {
    const end = s.lastIndexOf('"');
    return JSON.parse(s.slice(0, end + 1)) as string;
  }
  if (s.startsWith("'")) {
    const end = s.lastIndexOf("'");
    return s.slice(1, end).replace(/''/g, "'");
  }
  const plain = s.replace(/\s+#.*$/, '');
  if (plain.startsWith('[') && plain.endsWith(']')) {
    const inner = plain.slice(1, -1).trim();
    return inner ? inner.split(',').map((x) => scalar(x) as string) : [];
  }
  return plain;
}

const isItem = (text: string) => text === '-' || text.startsWith('- ');

export function parseYaml(text: string): YamlValue {
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const indent = raw.search(/\S/);
    if (indent < 0 || raw.trim().startsWith('#')) {
      if (indent < 0) lines.push({ indent: -1, text: '' }); // blank: kept for block scalars
      continue;
    }
    lines.push({ indent, text: raw.trim() });
  }
  let i = 0;
  const skipBlank = () => {
    while (i < lines.length && lines[i].indent < 0) i++;
  };

  function block(): YamlValue {
    skipBlank();
    if (i >= lines.length) return '';
    return isItem(lines[i].text) ? list(lines[i].indent) : map(lines[i].indent);
  }

  function blockScalar(parentIndent: number): string {
    const body: Line[] = [];
    while (i < lines.length && (lines[i].indent < 0 || lines[i].indent > parentIndent)) body.push(lines[i++]);
    while (body.length && body[body.length - 1].indent < 0) body.pop();
    const min = Math.min(...body.filter((l) => l.indent >= 0).map((l) => l.indent));
    return body.map((l) => (l.indent < 0 ? '' : ' '.repeat(l.indent - min) + l.text)).join('\n') + '\n';
  }

  function valueAfter(rest: string, indent: number): YamlValue {
    if (rest === '|' || rest === '|-') {
      const s = blockScalar(indent);
      return rest === '|-' ? s.replace(/\n$/, '') : s;
    }
    if (rest !== '') return scalar(rest);
    skipBlank();
    if (i < lines.length && (lines[i].indent > indent || (lines[i].indent === indent && isItem(lines[i].text)))) return block();
    return '';
  }

  function map(indent: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (skipBlank(); i < lines.length && lines[i].indent === indent && !isItem(lines[i].text); skipBlank()) {
      const m = /^([^:#]+?):(?:\s+(.*))?$/.exec(lines[i].text);
      if (!m) throw new Error(`not a key: ${lines[i].text}`);
      i++;
      out[m[1].trim()] = valueAfter((m[2] ?? '').trim(), indent);
    }
    return out;
  }

  function list(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    for (skipBlank(); i < lines.length && lines[i].indent === indent && isItem(lines[i].text); skipBlank()) {
      const rest = lines[i].text.slice(1).trimStart();
      if (rest === '') {
        i++;
        out.push(block());
      } else if (/^[^"'[{\s][^:]*:(\s|$)/.test(rest)) {
        // a map that starts on the dash line: continue it at the column of its first key
        lines[i] = { indent: indent + (lines[i].text.length - rest.length), text: rest };
        out.push(map(lines[i].indent));
      } else {
        i++;
        out.push(scalar(rest));
      }
    }
    return out;
  }

  const result = block();
  skipBlank();
  if (i < lines.length) throw new Error(`unexpected line: ${lines[i].text}`);
  return result;
}
