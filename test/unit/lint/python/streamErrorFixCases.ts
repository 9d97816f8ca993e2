// Python rows for stream-error-unhandled whose fix wraps the stream in try/except that logs and re-raises:
// shared by the rule's table (exact output) and the check that every fixed text compiles and lints clean.

/** The Python head: `import anthropic` and a module-level client. */
export const PY = 'import anthropic\n\nclient = anthropic.Anthropic()\n';
export const PY_REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';
/** The head once the fix has added `import logging`. */
export const PY_FIXED = 'import logging\n' + PY;

/** The except clause the fix writes at indentation `ind`, one `unit` deeper inside. */
export function pyExcept(ind: string, unit = '    '): string {
  return `${ind}except Exception:\n${ind}${unit}logging.getLogger(__name__).exception("Claude stream failed")\n${ind}${unit}raise\n`;
}

export interface PyStreamFixRow {
  name: string;
  code: string;
  /** The fixed text, or null when no fix may be offered. */
  output: string | null;
}

export const PY_STREAM_FIX_ROWS: PyStreamFixRow[] = [
  {
    name: 'a nested function, statements around the stream, an existing import logging and a comment in the loop',
    code:
      'import logging\n\nimport anthropic\n\nclient = anthropic.Anthropic()\nlog = logging.getLogger(__name__)\n\n\ndef outer(items):\n    def tell(item):\n        log.info("start")\n        stream = client.messages.create(' + PY_REQ + ', stream=True)\n        for event in stream:  # each event\n            print(event.type)\n        log.info("done")\n\n    for item in items:\n        tell(item)\n',
    output:
      'import logging\n\nimport anthropic\n\nclient = anthropic.Anthropic()\nlog = logging.getLogger(__name__)\n\n\ndef outer(items):\n    def tell(item):\n        log.info("start")\n        try:\n            stream = client.messages.create(' + PY_REQ + ', stream=True)\n            for event in stream:  # each event\n                print(event.type)\n' + pyExcept('        ') + '        log.info("done")\n\n    for item in items:\n        tell(item)\n',
  },
  {
    name: 'tab indentation',
    code: PY + 'def tell():\n\tprint("start")\n\twith client.messages.stream(' + PY_REQ + ') as stream:\n\t\tfor text in stream.text_stream:\n\t\t\tprint(text)\n',
    output: PY_FIXED + 'def tell():\n\tprint("start")\n\ttry:\n\t\twith client.messages.stream(' + PY_REQ + ') as stream:\n\t\t\tfor text in stream.text_stream:\n\t\t\t\tprint(text)\n' + pyExcept('\t', '\t'),
  },
  {
    name: 'module level, two-space indentation, a trailing comment kept inside the try',
    code: PY + 'with client.messages.stream(' + PY_REQ + ') as stream:\n  for text in stream.text_stream:\n    print(text)  # show\n',
    output: PY_FIXED + 'try:\n  with client.messages.stream(' + PY_REQ + ') as stream:\n    for text in stream.text_stream:\n      print(text)  # show\n' + pyExcept('', '  '),
  },
  {
    name: 'async with and async for in a method, a backslash continuation outside strings',
    code:
      'import anthropic\n\n\nclass Teller:\n    def __init__(self):\n        self.client = anthropic.AsyncAnthropic()\n\n    async def tell(self):\n        stream = \\\n            await self.client.messages.create(' + PY_REQ + ', stream=True)\n        async for event in stream:\n            print(event.type)\n',
    output:
      'import logging\nimport anthropic\n\n\nclass Teller:\n    def __init__(self):\n        self.client = anthropic.AsyncAnthropic()\n\n    async def tell(self):\n        try:\n            stream = \\\n                await self.client.messages.create(' + PY_REQ + ', stream=True)\n            async for event in stream:\n                print(event.type)\n' + pyExcept('        '),
  },
  {
    name: 'a docstring and from __future__: import logging goes after them',
    code: '"""Tell."""\nfrom __future__ import annotations\n\nimport anthropic\n\nclient = anthropic.Anthropic()\n\n\nasync def tell():\n    async with anthropic.AsyncAnthropic().messages.stream(' + PY_REQ + ') as stream:\n        return await stream.get_final_message()\n',
    output: '"""Tell."""\nfrom __future__ import annotations\n\nimport logging\nimport anthropic\n\nclient = anthropic.Anthropic()\n\n\nasync def tell():\n    try:\n        async with anthropic.AsyncAnthropic().messages.stream(' + PY_REQ + ') as stream:\n            return await stream.get_final_message()\n' + pyExcept('    '),
  },
  {
    name: 'a triple-quoted string across lines: re-indenting would change it, no fix',
    code: PY + 'def tell():\n    with client.messages.stream(model="claude-sonnet-4-6", max_tokens=1024, system="""Be brief.\nAnswer in French.""", messages=[{"role": "user", "content": "Hi"}]) as stream:\n        for text in stream.text_stream:\n            print(text)\n',
    output: null,
  },
  {
    name: 'a string continued with a backslash: no fix',
    code: PY + 'def tell():\n    stream = client.messages.create(model="claude-sonnet-4-6", max_tokens=1024, system="Be brief. \\\nAnswer in French.", messages=[{"role": "user", "content": "Hi"}], stream=True)\n    for event in stream:\n        print(event.type)\n',
    output: null,
  },
  {
    name: 'the stream shares its line with another statement: no fix',
    code: PY + 'def tell():\n    print("go"); stream = client.messages.create(' + PY_REQ + ', stream=True)\n    for event in stream:\n        print(event.type)\n',
    output: null,
  },
];
