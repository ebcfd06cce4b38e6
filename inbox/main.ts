// The local mail inbox for the demo and the browser tests: `tsx inbox/main.ts`.
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

const inbox = await startInbox({
  smtpPort: port("INBOX_SMTP_PORT", 2525),
  httpPort: port("INBOX_HTTP_PORT", 3002),
  dataFile: process.env.INBOX_DATA_FILE || null,
});
process.stdout.write(
  `Mail inbox at ${inbox.url} (SMTP on 127.0.0.1:${inbox.smtpPort}); loopback only, for local mail\n`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void inbox.close().then(() => process.exit(0));
  });
}
