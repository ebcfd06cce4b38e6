import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PRODUCTION_ENV } from "@/test/env-fixture";

const root = path.resolve(import.meta.dirname, "..");

function run(args: string[], env: Record<string, string | undefined>) {
  const clean = Object.fromEntries(
    Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...env }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as NodeJS.ProcessEnv;
  return spawnSync(process.execPath, args, { cwd: root, env: clean, encoding: "utf8", timeout: 60_000 });
}

const tsx = [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server"];
// The build's environment as Vercel gives it: no NODE_ENV yet, VERCEL set; the database is unreachable.
const vercelBuild = {
  ...PRODUCTION_ENV,
  NODE_ENV: undefined,
  VERCEL: "1",
  VERCEL_ENV: "production",
  TRUSTED_PROXY_HOPS: undefined,
  DATABASE_URL: "postgresql://app:pw@127.0.0.1:1/reconsent?pgbouncer=true",
  DIRECT_URL: "postgresql://app:pw@127.0.0.1:1/reconsent",
};

describe("npm run build checks the environment first (scripts/vercel-build.mjs)", () => {
  it("fails a production build whose environment the server would refuse, before building anything", () => {
    const result = run(["scripts/vercel-build.mjs"], {
      ...vercelBuild,
      CRON_SECRET: undefined,
      TRUELAYER_TARGET: undefined,
      SMTP_URL: "smtp://localhost:2525",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot be built for this deployment");
    expect(result.stderr).toMatch(/CRON_SECRET is required in production/);
    expect(result.stderr).toMatch(/TRUELAYER_TARGET is not set/);
    expect(result.stderr).toMatch(/SMTP_URL points at this machine/);
    expect(result.stdout + result.stderr).not.toMatch(
      /Prisma Client|prisma migrate|next build|Creating an optimized/i,
    );
    expect(result.stderr).not.toContain(PRODUCTION_ENV.AUTH_SECRET);
  });

  it("fails a preview build too, and a build off Vercel judged as production", () => {
    const preview = run(["scripts/vercel-build.mjs"], {
      ...vercelBuild,
      VERCEL_ENV: "preview",
      CONSENT_SUBJECT_KEY: "",
    });
    expect(preview.status).toBe(1);
    expect(preview.stderr).toMatch(/CONSENT_SUBJECT_KEY is required in production/);
    const elsewhere = run(["scripts/vercel-build.mjs"], {
      ...PRODUCTION_ENV,
      NODE_ENV: undefined,
      TRUSTED_PROXY_HOPS: undefined,
    });
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toMatch(/TRUSTED_PROXY_HOPS is not set/);
  });

  it("passes a good environment without reaching the database, saying what it found", () => {
    const result = run([...tsx, "scripts/check-env.ts"], vercelBuild);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "Environment checked: production mode, TrueLayer production, client addresses from 1 trusted proxy hop(s), " +
        "3 database connection(s) per instance, migrations through DIRECT_URL.\n",
    );
  });
});
