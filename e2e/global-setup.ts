import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dropStaleDatabases, freshDatabase, resolveTestDatabase } from "../scripts/lib/database.mjs";
import { localSecrets } from "../scripts/lib/env-file.mjs";
import { freshLocalTokens, LOCAL_TOKENS_FILE, writeLocalTokens } from "../scripts/lib/local-tokens.mjs";
import { stopAll } from "../scripts/lib/processes.mjs";
import { scanDatabase } from "../scripts/lib/secret-scan.mjs";
import { startStack } from "../scripts/stack.mjs";
import { E2E_PORTS } from "./ports";

/** Starts the production build with a fresh database, the TrueLayer simulator and the mail inbox. */
export default async function globalSetup() {
  const server = await resolveTestDatabase();
  // A name of its own per run: two runs on one PostgreSQL server must not drop each other's database.
  const databaseName = `reconsent_e2e_${process.pid}`;
  // Kept after the run for the secret scan; a later run drops it once this process has ended.
  await dropStaleDatabases(server.url, server.kind, "reconsent_e2e_");
  const databaseUrl = await freshDatabase(server.url, server.kind, databaseName);
  const scratch = mkdtempSync(path.join(tmpdir(), "reconsent-e2e-"));
  // What the secret scan reads after the run (scripts/secret-scan.mjs): server output and pages.
  const artifacts = path.resolve(import.meta.dirname, "..", ".e2e-artifacts");
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(path.join(artifacts, "logs"), { recursive: true });
  mkdirSync(path.join(artifacts, "html"), { recursive: true });
  const localTokens = freshLocalTokens();
  // Beside the logs, not in them: the secret scan looks for these exact values in logs, pages and bundle.
  writeLocalTokens(path.join(artifacts, LOCAL_TOKENS_FILE), localTokens);
  const appUrl = `http://127.0.0.1:${E2E_PORTS.app}`;
  const sandboxUrl = `http://127.0.0.1:${E2E_PORTS.sandbox}`;
  const env: Record<string, string> = {
    RECONSENT_MODE: "test",
    APP_URL: appUrl,
    DATABASE_URL: databaseUrl,
    ...localSecrets("e2e"),
    TRUELAYER_TARGET: "simulator",
    TRUELAYER_AUTH_URL: sandboxUrl,
    TRUELAYER_API_URL: sandboxUrl,
    SANDBOX_PORT: String(E2E_PORTS.sandbox),
    SANDBOX_MODE: "test",
    SANDBOX_DATA_FILE: path.join(scratch, "sandbox.json"),
    SMTP_URL: `smtp://127.0.0.1:${E2E_PORTS.inboxSmtp}`,
    EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
    MAIL_INBOX_URL: `http://127.0.0.1:${E2E_PORTS.inboxHttp}`,
    INBOX_HTTP_PORT: String(E2E_PORTS.inboxHttp),
    INBOX_SMTP_PORT: String(E2E_PORTS.inboxSmtp),
    CLOCK_FILE: path.join(scratch, "clock.json"),
    // As behind one proxy (Vercel's): tests send X-Forwarded-For as that proxy would.
    TRUSTED_PROXY_HOPS: "1",
    // This run's tokens for the simulator's controls and the inbox's API: fixtures send them.
    ...localTokens,
  };
  // Workers inherit these: fixtures seed the same database and talk to the same simulator.
  Object.assign(process.env, { E2E_ENV: JSON.stringify(env), E2E_ARTIFACTS: artifacts });
  await startStack({
    env,
    next: "start",
    appPort: E2E_PORTS.app,
    quiet: !process.env.E2E_VERBOSE,
    logFile: path.join(artifacts, "logs", "stack.log"),
  });
  return async () => {
    await stopAll();
    // Scanned now, while the database still runs (the embedded one stops with this run).
    const scan = await scanDatabase(databaseUrl);
    writeFileSync(path.join(artifacts, "database-scan.json"), JSON.stringify(scan));
    await server.stop();
  };
}
