// Starts the whole local stack: database migrations, TrueLayer simulator, mail inbox, and Next.js.
// Used by the demo (next dev, embedded database) and by the end-to-end tests (next start).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { runPrisma } from "../scripts/prisma.mjs";
import { freshLocalTokens } from "./lib/local-tokens.mjs";
import { start, waitForHttp } from "./lib/processes.mjs";
import { stackPlan } from "./lib/stack-plan.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);

/**
 * `env` must hold the app's variables (APP_URL, DATABASE_URL, TRUELAYER_*, SMTP_URL…) plus
 * SANDBOX_PORT and INBOX_HTTP_PORT / INBOX_SMTP_PORT for the local services. The simulator starts, and
 * `seed` seeds, only for TRUELAYER_TARGET=simulator (scripts/lib/stack-plan.mjs). Resolves with that plan.
 * SANDBOX_CONTROL_TOKEN and INBOX_API_TOKEN (scripts/lib/local-tokens.mjs) belong in `env` when anything
 * outside the stack drives the controls or reads the inbox's API; otherwise a fresh pair is made here.
 */
export async function startStack({ env, next = "start", appPort, quiet = false, seed = false, logFile }) {
  // The e2e runner resolves "server-only" for its fixtures with --conditions=react-server; the app's
  // own processes must not inherit that (Next picks its conditions per bundle itself).
  const nodeOptions = (process.env.NODE_OPTIONS ?? "").replace("--conditions=react-server", "").trim();
  const childEnv = {
    ...process.env,
    ...freshLocalTokens(),
    ...env,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: nodeOptions,
  };
  const plan = stackPlan(childEnv, { seed });
  if (plan.problems.length > 0) throw new Error(plan.problems.join("; "));

  const migrated = runPrisma(["migrate", "deploy"], {
    env: { DATABASE_URL: env.DATABASE_URL, DIRECT_URL: env.DIRECT_URL },
    stdio: "pipe",
  });
  if (migrated.status !== 0) throw new Error(`Migrations failed:\n${migrated.stdout}\n${migrated.stderr}`);

  await startLocalServices({ env: childEnv, simulator: plan.simulator, quiet, logFile });

  if (plan.seed) {
    const seeded = spawnSync(
      process.execPath,
      [bin("tsx", "dist/cli.mjs"), "--conditions=react-server", "prisma/demo-seed.ts"],
      {
        env: childEnv,
        cwd: root,
        stdio: "inherit",
      },
    );
    if (seeded.status !== 0) throw new Error("Seeding the demo data failed (see above).");
  }

  start(
    "next",
    process.execPath,
    [bin("next", "dist/bin/next"), next, "--port", String(appPort), "--hostname", "127.0.0.1"],
    {
      env: childEnv,
      cwd: root,
      quiet,
      logFile,
    },
  );
  await waitForHttp(`${env.APP_URL}/api/health`, { name: "Reconsent", timeoutMs: 180_000 });
  return plan;
}

/**
 * The simulator (when `simulator`) and the mail inbox, as the stack runs them, in process groups of their
 * own that end with this process however it ends (scripts/lib/processes.mjs); resolves once both answer.
 */
export async function startLocalServices({ env, simulator = true, quiet = false, logFile }) {
  const waits = [];
  if (simulator && existsSync(path.join(root, "sandbox", "main.ts"))) {
    start("truelayer-sandbox", process.execPath, [bin("tsx", "dist/cli.mjs"), "sandbox/main.ts"], {
      env,
      cwd: root,
      quiet,
      logFile,
    });
    waits.push(waitForHttp(`${env.TRUELAYER_API_URL}/_sandbox/health`, { name: "TrueLayer simulator" }));
  }
  if (existsSync(path.join(root, "inbox", "main.ts"))) {
    start("inbox", process.execPath, [bin("tsx", "dist/cli.mjs"), "inbox/main.ts"], {
      env,
      cwd: root,
      quiet,
      logFile,
    });
    waits.push(waitForHttp(env.MAIL_INBOX_URL, { name: "mail inbox" }));
  }
  await Promise.all(waits);
}
