import { ESM, ruleTester, PY } from './ruleTester';

ruleTester.run('missing-max-tokens', {
  valid: [
    // Python
    { language: 'python', code: PY + 'client.messages.create(model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}])' },
    { language: 'python', name: 'an unknown **params may carry max_tokens', code: PY + 'def ask(**params):\n    return client.messages.create(model="m", messages=[{"role": "user", "content": "x"}], **params)' },
    { language: 'python', name: 'a dict that is changed before the call', code: PY + 'params = {"model": "m", "messages": [{"role": "user", "content": "x"}]}\nparams["max_tokens"] = 512\nclient.messages.create(**params)' },
    { language: 'python', name: 'a dict updated before the call', code: PY + 'params = {"model": "m", "messages": [{"role": "user", "content": "x"}]}\nparams.update(max_tokens=512)\nclient.messages.create(**params)' },
    { language: 'python', name: 'Twilio messages.create in a file that does not use anthropic', code: 'from twilio.rest import Client\n\nclient = Client("sid", "token")\nclient.messages.create(body="Hi", from_="+15550001", to="+15550002")\n' },
    { language: 'python', name: 'Twilio and OpenAI next to anthropic', code: PY + 'from twilio.rest import Client\nfrom openai import OpenAI\n\nsms = Client("sid", "token")\nsms.messages.create(body="Hi", from_="+1", to="+2")\noai = OpenAI()\noai.beta.threads.messages.create(thread_id="t", role="user", content="x")\n' },
    { language: 'python', name: 'calls in docstrings, strings and comments', code: PY + '"""Example:\n\n    client.messages.create(model="m", messages=[])\n"""\n# client.messages.create(model="m")\nEXAMPLE = "client.messages.create(model=\'m\')"\n' },
    { language: 'python', name: 'an untyped parameter named c is not assumed to be a client', code: PY + 'def send(c):\n    return c.messages.create(body="x")\n' },
    ESM + 'await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] });',
    // max_tokens from a variable: present, value unknown
    ESM + 'declare const n: number;\nawait client.messages.create({ model: "m", max_tokens: n, messages: [] as any });',
    // an unknown spread may carry max_tokens
    ESM + 'declare const defaults: object;\nawait client.messages.create({ ...defaults, model: "m", messages: [{ role: "user", content: "x" }] });',
    // the request is a parameter: unknown
    ESM + 'export async function ask(params: Anthropic.MessageCreateParams) { return client.messages.create(params); }',
    // a const request that is mutated before the call
    ESM + 'const params: any = { model: "m", messages: [{ role: "user", content: "x" }] };\nparams.max_tokens = 512;\nawait client.messages.create(params);',
    // built in a variable, cast, with max_tokens merged from a known spread
    ESM + 'const base = { max_tokens: 2048 };\nconst params = { ...base, model: "m", messages: [{ role: "user", content: "x" }] } as Anthropic.MessageCreateParams;\nawait client.messages.create(params);',
    // Twilio in a file that does not use Anthropic
    'const twilio = require("twilio");\nconst client = twilio(sid, token);\nclient.messages.create({ body: "Hi", from: "+1", to: "+2" });',
    // code in strings, templates and comments never counts
    ESM + 'const doc = "client.messages.create({ model: \'m\', messages: [] })";\nconst t = `client.messages.create({})`;\n/** Example: client.messages.create({ model: "m" }) */\n// client.messages.create({})',
    // Twilio next to Anthropic in the same file
    ESM + 'import twilio from "twilio";\nconst sms = twilio("sid", "token");\nawait sms.messages.create({ body: "Hi", to: "+1", from: "+2" });',
    // an untyped parameter named client in a file that imports the SDK: not assumed
    ESM + 'export function send(c: any) { return c.messages.create({ body: "x" }); }',
  ],
  invalid: [
    // Python
    {
      language: 'python',
      code: PY + 'client.messages.create(model="claude-sonnet-4-6", messages=[{"role": "user", "content": "Hi"}])',
      errors: [{ messageId: 'missing', line: 4, column: 1, text: 'client.messages.create', severity: 'error' }],
      output: PY + 'client.messages.create(model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}])',
    },
    {
      language: 'python',
      name: 'keyword arguments on several lines keep the indentation',
      code: PY + 'response = client.messages.create(\n    model="claude-sonnet-4-6",  # the model\n    messages=[{"role": "user", "content": "Hi"}],\n)\n',
      errors: [{ messageId: 'missing', line: 4 }],
      output: PY + 'response = client.messages.create(\n    model="claude-sonnet-4-6",  # the model\n    max_tokens=1024,\n    messages=[{"role": "user", "content": "Hi"}],\n)\n',
    },
    {
      language: 'python',
      name: '**params of a known dict literal',
      code: PY + 'BASE = {"model": "m", "messages": [{"role": "user", "content": "x"}]}\nclient.messages.create(**BASE)\n',
      errors: [{ messageId: 'missing', line: 5 }],
      output: PY + 'BASE = {"model": "m", "messages": [{"role": "user", "content": "x"}]}\nclient.messages.create(max_tokens=1024, **BASE)\n',
    },
    {
      language: 'python',
      name: 'self.client assigned in __init__, AsyncAnthropic from anthropic, await',
      code: 'from anthropic import AsyncAnthropic\n\n\nclass Bot:\n    def __init__(self):\n        self.client = AsyncAnthropic()\n\n    async def ask(self, q: str):\n        return await self.client.messages.create(model="m", messages=[{"role": "user", "content": q}])\n',
      errors: [{ messageId: 'missing', line: 9, text: 'self.client.messages.create' }],
      output: 'from anthropic import AsyncAnthropic\n\n\nclass Bot:\n    def __init__(self):\n        self.client = AsyncAnthropic()\n\n    async def ask(self, q: str):\n        return await self.client.messages.create(model="m", max_tokens=1024, messages=[{"role": "user", "content": q}])\n',
    },
    {
      language: 'python',
      name: 'a client from a factory, an import alias',
      code: 'import anthropic as ant\n\n\ndef make_client():\n    return ant.Anthropic(max_retries=0)\n\n\nclient = make_client()\nclient.messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n',
      errors: [{ messageId: 'missing', line: 9 }],
    },
    {
      language: 'python',
      name: 'client.with_options(max_retries=0)',
      code: PY + 'client.with_options(max_retries=0).messages.create(model="m", messages=[{"role": "user", "content": "x"}])\n',
      errors: [{ messageId: 'missing', text: 'client.with_options(max_retries=0).messages.create' }],
    },
    {
      language: 'python',
      name: 'async with messages.stream(...) as stream, a typed parameter',
      code: 'import anthropic\n\n\nasync def run(client: anthropic.AsyncAnthropic):\n    async with client.messages.stream(model="m", messages=[{"role": "user", "content": "x"}]) as stream:\n        async for text in stream.text_stream:\n            print(text)\n',
      errors: [{ messageId: 'missing', line: 5 }],
    },
    {
      language: 'python',
      name: 'an f-string prompt is an unknown string, not an unknown request',
      code: PY + 'def ask(q):\n    return client.messages.create(model="m", messages=[{"role": "user", "content": f"Q: {q}"}])\n',
      errors: [{ messageId: 'missing', line: 5 }],
    },
    {
      code: ESM + 'await client.messages.create({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "Hi" }] });',
      errors: [{ messageId: 'missing', line: 3, column: 7, text: 'client.messages.create', severity: 'error' }],
      output: ESM + 'await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }] });',
    },
    {
      name: 'multi-line object keeps indentation and trailing commas',
      code: ESM + 'await client.messages.create({\n  model: "claude-sonnet-4-6", // the model\n  messages: [{ role: "user", content: "Hi" }],\n});',
      errors: [{ messageId: 'missing', line: 3 }],
      output: ESM + 'await client.messages.create({\n  model: "claude-sonnet-4-6", // the model\n  max_tokens: 1024,\n  messages: [{ role: "user", content: "Hi" }],\n});',
    },
    {
      name: 'model last without trailing comma',
      code: ESM + 'await client.messages.create({\n    messages: [{ role: "user", content: "Hi" }],\n    model: "m"\n});',
      errors: [{ messageId: 'missing' }],
      output: ESM + 'await client.messages.create({\n    messages: [{ role: "user", content: "Hi" }],\n    model: "m",\n    max_tokens: 1024\n});',
    },
    {
      name: 'shorthand model; configured default',
      code: ESM + 'const model = pick();\nawait client.messages.create({ model, messages: [] as any[] });',
      config: { maxTokensDefault: 4096 },
      errors: [{ messageId: 'missing', message: 'max_tokens: 4096' }],
      output: ESM + 'const model = pick();\nawait client.messages.create({ model, max_tokens: 4096, messages: [] as any[] });',
    },
    {
      name: 'request in a const, cast with as; the fix edits the const',
      code: ESM + 'const params = {\n  model: "m",\n  messages: [{ role: "user" as const, content: "x" }],\n} as Anthropic.MessageCreateParams;\nawait client.messages.create(params);',
      errors: [{ messageId: 'missing', line: 7 }],
      output: ESM + 'const params = {\n  model: "m",\n  max_tokens: 1024,\n  messages: [{ role: "user" as const, content: "x" }],\n} as Anthropic.MessageCreateParams;\nawait client.messages.create(params);',
    },
    {
      name: 'satisfies, non-null and parentheses',
      code: ESM + 'const p = ({ model: "m", messages: [{ role: "user", content: "x" }] } satisfies object)!;\nawait client.messages.create((p));',
      errors: [{ messageId: 'missing' }],
    },
    {
      name: 'no model in the literal: inserted first',
      code: ESM + 'const req = { ...{ model: "m" }, messages: [{ role: "user", content: "x" }] };\nawait client.messages.create(req);',
      errors: [{ messageId: 'missing' }],
      output: ESM + 'const req = { max_tokens: 1024, ...{ model: "m" }, messages: [{ role: "user", content: "x" }] };\nawait client.messages.create(req);',
    },
    {
      name: 'max_tokens: undefined',
      code: ESM + 'await client.messages.create({ model: "m", max_tokens: undefined, messages: [{ role: "user", content: "x" }] });',
      errors: [{ messageId: 'missing' }],
      output: ESM + 'await client.messages.create({ model: "m", max_tokens: 1024, messages: [{ role: "user", content: "x" }] });',
    },
    {
      name: 'spread of a known object without max_tokens',
      code: ESM + 'const base = { model: "m" };\nawait client.messages.create({ ...base, messages: [{ role: "user", content: "x" }] });',
      errors: [{ messageId: 'missing' }],
      output: ESM + 'const base = { model: "m" };\nawait client.messages.create({ max_tokens: 1024, ...base, messages: [{ role: "user", content: "x" }] });',
    },
    {
      name: 'this.#client assigned in the constructor, split chain, stream',
      code: 'import Anthropic from "@anthropic-ai/sdk";\nclass Bot {\n  #client: Anthropic;\n  constructor() { this.#client = new Anthropic({ maxRetries: 4 }); }\n  run() {\n    return this.#client\n      .messages\n      .stream({ model: "m", messages: [{ role: "user", content: "x" }] });\n  }\n}',
      errors: [{ messageId: 'missing', line: 6 }],
    },
    {
      name: 'client from a local factory',
      code: 'import Anthropic from "@anthropic-ai/sdk";\nfunction makeClient() { return new Anthropic(); }\nconst c = makeClient();\nc.messages.create({ model: "m", messages: [{ role: "user", content: "x" }] });',
      errors: [{ messageId: 'missing', line: 4 }],
    },
    {
      name: 'CommonJS require and beta.messages',
      code: 'const Anthropic = require("@anthropic-ai/sdk");\nconst anthropic = new Anthropic();\nanthropic.beta.messages.create({ model: "m", messages: [{ role: "user", content: "x" }] });',
      fileName: 'a.cjs',
      errors: [{ messageId: 'missing', text: 'anthropic.beta.messages.create' }],
    },
    {
      name: 'dynamic import and AnthropicBedrock',
      code: 'const { AnthropicBedrock } = await import("@anthropic-ai/bedrock-sdk");\nconst b = new AnthropicBedrock();\nawait b.messages.create({ model: "m", messages: [{ role: "user", content: "x" }] });',
      fileName: 'a.mjs',
      errors: [{ messageId: 'missing' }],
    },
    {
      name: 'JSX file',
      code: 'import Anthropic from "@anthropic-ai/sdk";\nconst a = new Anthropic();\nexport const C = () => <div onClick={() => a.messages.create({ model: "m", messages: [] })} />;',
      fileName: 'c.tsx',
      errors: [{ messageId: 'missing' }],
    },
  ],
});
