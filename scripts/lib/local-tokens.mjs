// The per-run tokens of the local tooling servers: the simulator's controls (X-Sandbox-Token) and the
// inbox's JSON API (X-Inbox-Token). A web page that reaches those servers (DNS rebinding) cannot know
// them. Made fresh for every run of the stack, handed to the processes it starts, and left in a file
// (readable by this user only) for scripts run beside it (`npm run clock`, the demo's browser test).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const LOCAL_TOKENS_FILE = "local-tokens.json";

export function freshLocalTokens() {
  return {
    SANDBOX_CONTROL_TOKEN: randomBytes(32).toString("base64url"),
    INBOX_API_TOKEN: randomBytes(32).toString("base64url"),
  };
}

export function writeLocalTokens(file, tokens) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(tokens), { mode: 0o600 });
}

/** The tokens of the run that wrote `file`, or {} when none has. */
export function readLocalTokens(file) {
  if (!existsSync(file)) return {};
  const saved = JSON.parse(readFileSync(file, "utf8"));
  return {
    SANDBOX_CONTROL_TOKEN:
      typeof saved.SANDBOX_CONTROL_TOKEN === "string" ? saved.SANDBOX_CONTROL_TOKEN : undefined,
    INBOX_API_TOKEN: typeof saved.INBOX_API_TOKEN === "string" ? saved.INBOX_API_TOKEN : undefined,
  };
}
