import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();

// A hand-written retry loop around a client whose own retries are still on (2 by default):
// retry-amplification (up to 3 × 5 = 15 requests per call), retry-non-retryable (a 400 or 401 is
// retried too), retry-no-backoff (a constant 1 s wait) and retry-ignores-retry-after.
export async function ask(prompt: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await anthropic.messages.create({
        model: "claude-sonnet-4-6",
        max_tokens: 1024,
        messages: [{ role: "user", content: prompt }],
      });
    } catch (err) {
      console.warn("Claude call failed, retrying", err);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw new Error("gave up");
}

// retry-unbounded: nothing stops this loop while the API is overloaded.
export async function askForever(prompt: string) {
  while (true) {
    try {
      return await anthropic.messages.create(
        { model: "claude-sonnet-4-6", max_tokens: 512, messages: [{ role: "user", content: prompt }] },
        { maxRetries: 0 },
      );
    } catch (err) {
      if (err instanceof Anthropic.APIError && err.status !== undefined && err.status < 500 && err.status !== 429) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500 * Math.random()));
    }
  }
}
