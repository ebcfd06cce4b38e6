// The local mail inbox for the demo and the browser tests: `tsx inbox/main.ts`.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { newLocalToken } from "../sandbox/local-guard";
import { startInbox } from "./server";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    process.stderr.write(`[inbox] ${name} must be a port number, not "${raw}"\n`);
    process.exit(1);
  }
  return value;
}

// The stack (scripts/stack.mjs) hands every process it starts the run's token. Started on its own, the
// inbox makes one and leaves it in .data/ for whoever reads its JSON API.
let apiToken = process.env.INBOX_API_TOKEN?.trim();
let tokenNote = "";
if (!apiToken) {
  apiToken = newLocalToken();
  const tokenFile = path.join(
    path.dirname(process.env.INBOX_DATA_FILE || ".data/inbox.json"),
    "inbox-api-token",
  );
  mkdirSync(path.dirname(tokenFile), { recursive: true });
  writeFileSync(tokenFile, apiToken, { mode: 0o600 });
  tokenNote = ` The JSON API's token for this run is in ${tokenFile} (send it as X-Inbox-Token).`;
}

const inbox = await startInbox({
  smtpPort: port("INBOX_SMTP_PORT", 2525),
  httpPort: port("INBOX_HTTP_PORT", 3002),
  dataFile: process.env.INBOX_DATA_FILE || null,
  apiToken,
});
process.stdout.write(
  `Mail inbox at ${inbox.url} (SMTP on 127.0.0.1:${inbox.smtpPort}); loopback names only, for local mail.${tokenNote}\n`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void inbox.close().then(() => process.exit(0));
  });
}
