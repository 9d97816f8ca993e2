import Anthropic from "@anthropic-ai/sdk";

// hardcoded-api-key: anyone who can read the repository can spend on this account.
export const keyed = new Anthropic({ apiKey: "sk-ant-api03-Qx7vR2mN9pL4kT8wZ1cY6bH3dF5gJ0sAeU2iO" });

// hardcoded-api-key: a browser-public variable is bundled into the page for every visitor.
export const browserClient = new Anthropic({
  apiKey: import.meta.env.VITE_ANTHROPIC_API_KEY,
  dangerouslyAllowBrowser: true,
});
