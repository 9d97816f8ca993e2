import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();

// missing-max-tokens: the API answers 400 invalid_request_error on every call.
export async function summarize(text: string) {
  const message = await anthropic.messages.create({
    model: "claude-sonnet-4-6",
    messages: [{ role: "user", content: `Summarize:\n\n${text}` }],
  });
  return message.content;
}
