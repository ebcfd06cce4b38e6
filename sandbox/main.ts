import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { newLocalToken } from "./local-guard";
import { type ProfileName, ProfileNameSchema } from "./profiles";
import { startSandbox } from "./server";

/** Minimal .env.local loader: KEY=VALUE lines, optional quotes; never overrides the real environment. */
function loadEnvFile(path: string): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[1] || line.trim().startsWith("#")) continue;
    const value = (match[2] ?? "").replace(/^(['"])(.*)\1$/, "$2");
    if (process.env[match[1]] === undefined) process.env[match[1]] = value;
  }
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === "" ? undefined : value;
}

function parseMode(value: string | undefined): "test" | "demo" | "off" {
  if (value === undefined) return "demo";
  if (value === "test" || value === "demo" || value === "off") return value;
  throw new Error(`SANDBOX_MODE must be test, demo or off (got "${value}")`);
}

function parseProfile(value: string | undefined): ProfileName {
  const parsed = ProfileNameSchema.safeParse(value ?? "strict");
  if (parsed.success) return parsed.data;
  throw new Error(`SANDBOX_PROFILE must be ${ProfileNameSchema.options.join(" or ")} (got "${value}")`);
}

function parseNumber(name: string, fallback: number): number {
  const raw = env(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

loadEnvFile(".env.local");
const clientId = env("TRUELAYER_CLIENT_ID");
const clientSecret = env("TRUELAYER_CLIENT_SECRET");
const appUrl = (env("APP_URL") ?? "http://localhost:3000").replace(/\/+$/, "");
const write = (line: string) => process.stdout.write(`${line}\n`);

const mode = parseMode(env("SANDBOX_MODE"));
const profile = parseProfile(env("SANDBOX_PROFILE"));
const dataFile = env("SANDBOX_DATA_FILE") ?? ".data/sandbox.json";

// The stack (scripts/stack.mjs) hands every process it starts the run's token. Started on its own, the
// simulator makes one and leaves it beside its data file for whoever drives the controls.
let controlToken = env("SANDBOX_CONTROL_TOKEN");
if (!controlToken && mode !== "off") {
  controlToken = newLocalToken();
  const tokenFile = path.join(path.dirname(dataFile), "sandbox-control-token");
  mkdirSync(path.dirname(tokenFile), { recursive: true });
  writeFileSync(tokenFile, controlToken, { mode: 0o600 });
  write(`The controls' token for this run is in ${tokenFile} (send it as X-Sandbox-Token).`);
}

const sandbox = await startSandbox({
  port: parseNumber("SANDBOX_PORT", 3001),
  host: env("SANDBOX_HOST") ?? "127.0.0.1",
  mode,
  dataFile,
  controlToken,
  refreshTokenIdleDays: parseNumber("SANDBOX_REFRESH_IDLE_DAYS", 30),
  profile,
  clients: clientId && clientSecret ? [{ clientId, clientSecret, redirectUris: [`${appUrl}/callback`] }] : [],
  log: env("SANDBOX_LOG") === "1" ? write : undefined,
}).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

write(`TrueLayer sandbox simulator listening on ${sandbox.url} (profile ${profile})`);
write(
  mode === "off"
    ? "Test controls (/_sandbox/*) are off."
    : `Test controls (/_sandbox/*) are on (mode ${mode}): they answer only on loopback names and only with this run's token.`,
);
if (!clientId || !clientSecret) {
  process.stderr.write("TRUELAYER_CLIENT_ID/TRUELAYER_CLIENT_SECRET unset: no client registered.\n");
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
