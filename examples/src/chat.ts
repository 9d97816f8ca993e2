import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();

export async function reply(question: string) {
  return anthropic.messages.create({
    model: "claude-haiku-4-5",
    // invalid-max-tokens: Claude Haiku 4.5 writes at most 64K tokens, so this is a 400.
    max_tokens: 100000,
    // sampling-params: temperature and top_p together are rejected by the newest models.
    temperature: 0.7,
    top_p: 0.9,
    timeout: 900_000,
    messages: [
      // role-order: the first message must come from the user.
      { role: "assistant", content: "Hello! How can I help?" },
      { role: "user", content: question },
    ],
  } as Anthropic.MessageCreateParamsNonStreaming);
}
