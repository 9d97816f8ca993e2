import { quietClient } from "./client";

// unguarded-retry: the client was made with maxRetries: 0 and nothing retries this call, so one
// 529 overloaded_error or dropped connection fails the user's request.
export async function classify(ticket: string) {
  const res = await quietClient.messages.create({
    model: "claude-haiku-4-5",
    max_tokens: 64,
    messages: [{ role: "user", content: `Classify this ticket: ${ticket}` }],
  });
  return res.content;
}
