import Anthropic from "@anthropic-ai/sdk";

// The SDK's own retries are switched off here, and nothing else retries the calls below that use it.
export const quietClient = new Anthropic({ maxRetries: 0 });

// SDK defaults: 2 retries with backoff and retry-after.
export const client = new Anthropic();
