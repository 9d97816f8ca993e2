import { ESM, ruleTester } from './ruleTester';

ruleTester.run('missing-max-tokens', {
  valid: [
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
