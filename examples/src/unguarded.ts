import Anthropic from "@anthropic-ai/sdk";

// The SDK's own retries are switched off here...
const anthropic = new Anthropic({ maxRetries: 0 });

// ...and nothing retries this call (unguarded-retry): one 529 overloaded_error or dropped
// connection fails the user's request.
export async function classify(ticket: string) {
  const res = await anthropic.messages.create({
    model: "claude-haiku-4-5",
    max_tokens: 64,
    messages: [{ role: "user", content: `Classify this ticket: ${ticket}` }],
  });
  return res.content;
}
