const Anthropic = require("@anthropic-ai/sdk");

const anthropic = new Anthropic();

// system-in-messages: SDK 0.x has no system role inside messages; the prompt belongs in `system`.
async function answer(question) {
  return anthropic.messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 1024,
    messages: [
      { role: "system", content: "You are a concise support agent." },
      { role: "user", content: question },
    ],
  });
}

module.exports = { answer };
