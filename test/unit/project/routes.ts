// Source texts shared by the cross-file fix tests.

/** A route whose call through the imported client is retried by its own loop (backoff, jitter, 429/5xx only). */
export const LOOP_ROUTE = `import { anthropic } from "./lib/anthropic";

export async function answer(prompt: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await anthropic.messages.create({ model: "claude-sonnet-4-6", max_tokens: 512, messages: [{ role: "user", content: prompt }] });
    } catch (err: any) {
      if (err.status !== 429 && !(err.status >= 500)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 1000 * 2 ** attempt));
    }
  }
  throw new Error("unreachable");
}
`;
