import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();

// stream-error-unhandled: an overloaded_error that arrives after HTTP 200 is never retried by the
// SDK and escapes this loop as an unhandled rejection.
export async function streamAnswer(prompt: string, write: (text: string) => void) {
  const stream = anthropic.messages.stream({
    model: "claude-sonnet-4-6",
    max_tokens: 2048,
    messages: [{ role: "user", content: prompt }],
  });
  for await (const event of stream) {
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") write(event.delta.text);
  }
}
