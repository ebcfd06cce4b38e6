import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCAL_ENV, PRODUCTION_ENV } from "@/test/env-fixture";
import { EnvError, envProblems, parseEnv, parseEnvFor } from "./env";
import { fields } from "./environment/fields";

const valid = { ...LOCAL_ENV, APP_URL: "http://localhost:3000/" };

const production = PRODUCTION_ENV;

const problemsOf = envProblems;

describe("parseEnvFor (an operator command's check)", () => {
  it("refuses only the variables named now; any other that is not valid is refused by name when read", () => {
    const database = { DATABASE_URL: "postgresql://app@db.example.co.uk:5432/reconsent" };
    const env = parseEnvFor(database, ["DATABASE_URL"]);
    expect(env.DATABASE_URL).toBe(database.DATABASE_URL);
    expect(env.ALERT_WEBHOOK_URL).toBeUndefined();
    expect(() => env.SMTP_URL).toThrow(new EnvError(["SMTP_URL is missing"]));
    expect(() => parseEnvFor(database, ["DATABASE_URL", "AUTH_SECRET", "EMAIL_FROM"])).toThrow(
      new EnvError(["AUTH_SECRET is missing", "EMAIL_FROM is missing"]),
    );
    expect(() => parseEnvFor({ ...production, CRON_SECRET: "" }, ["DATABASE_URL"]).CRON_SECRET).toThrow(
      /CRON_SECRET is required in production/,
    );
  });
});

describe("parseEnv", () => {
  it("takes an optional CONSENT_SUBJECT_KEY of 32+ characters, never a placeholder in production", () => {
    expect(parseEnv(valid).CONSENT_SUBJECT_KEY).toBeUndefined();
    expect(problemsOf({ ...valid, CONSENT_SUBJECT_KEY: "short" })).toEqual([
      "CONSENT_SUBJECT_KEY must be at least 32 characters",
    ]);
    expect(problemsOf({ ...production, CONSENT_SUBJECT_KEY: `change-me-${"x".repeat(30)}` })).toContain(
      "CONSENT_SUBJECT_KEY holds a demo or placeholder value; production needs a real secret",
    );
  });

  it("accepts a complete local environment and types it", () => {
    const env = parseEnv(valid);
    expect(env.mode).toBe("demo");
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.TRUELAYER_TARGET).toBe("simulator");
    expect(env.TOKEN_ENCRYPTION_KEY_ID).toBe("k1");
  });

  it("lists every missing variable at once, treating empty strings as unset", () => {
    const problems = problemsOf({ ...valid, DATABASE_URL: "", AUTH_SECRET: undefined, SMTP_URL: "  " });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL/),
        expect.stringMatching(/^AUTH_SECRET/),
        expect.stringMatching(/^SMTP_URL/),
      ]),
    );
  });

  it("names malformed values", () => {
    expect(problemsOf({ ...valid, APP_URL: "localhost:3000" })).toEqual([
      expect.stringMatching(/^APP_URL must be an absolute URL/),
    ]);
    expect(problemsOf({ ...valid, TOKEN_ENCRYPTION_KEY: "short" })).toEqual([
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEY must be 32 bytes/),
    ]);
    expect(problemsOf({ ...valid, DATABASE_URL: "mysql://x" })).toEqual([
      expect.stringMatching(/^DATABASE_URL/),
    ]);
  });

  it("refuses demo secrets, the simulator, clock control and http in production", () => {
    const problems = problemsOf({
      ...production,
      AUTH_SECRET: "demo-secret-demo-secret-demo-secret-1234",
      TRUELAYER_TARGET: "simulator",
      TRUELAYER_AUTH_URL: "http://x",
      TRUELAYER_API_URL: "http://x",
      CLOCK_FILE: "/tmp/c",
      APP_URL: "http://reconsent.app",
    });
    expect(problems.join("\n")).toMatch(/AUTH_SECRET holds a demo/);
    expect(problems.join("\n")).toMatch(/TRUELAYER_TARGET=simulator/);
    expect(problems.join("\n")).toMatch(/CLOCK_FILE/);
    expect(problems.join("\n")).toMatch(/https/);
    expect(problemsOf(production)).toEqual([]);
    expect(parseEnv(production).isProduction).toBe(true);
  });

  it("treats Vercel as production and refuses test mode there", () => {
    expect(
      parseEnv({ ...production, NODE_ENV: undefined, VERCEL: "1", TRUSTED_PROXY_HOPS: undefined }).mode,
    ).toBe("production");
    expect(problemsOf({ ...valid, RECONSENT_MODE: "test", VERCEL: "1" })).toEqual([
      expect.stringMatching(/only allowed for a local APP_URL/),
    ]);
    expect(problemsOf({ ...valid, RECONSENT_MODE: "demo", APP_URL: "https://reconsent.app" })).toHaveLength(
      1,
    );
  });

  it("requires the simulator's URLs when it is the target", () => {
    expect(problemsOf({ ...valid, TRUELAYER_API_URL: undefined })).toEqual([
      expect.stringMatching(/TRUELAYER_API_URL are required/),
    ]);
  });
});

describe(".env.example", () => {
  it("lists every variable the check reads, the proxy setting included", () => {
    const example = readFileSync(path.resolve(import.meta.dirname, "../.env.example"), "utf8");
    const listed = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const platform = ["VERCEL", "VERCEL_ENV", "NODE_ENV"];
    expect(Object.keys(fields.shape).filter((key) => !platform.includes(key) && !listed.has(key))).toEqual(
      [],
    );
    expect(example).toMatch(/production refuses to start until you say/);
  });
});

describe("server start-up", () => {
  const root = path.resolve(import.meta.dirname, "..");
  function startWith(env: Record<string, string | undefined>) {
    const clean = Object.fromEntries(
      Object.entries({ PATH: process.env.PATH, NEXT_RUNTIME: "nodejs", ...env }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as NodeJS.ProcessEnv;
    return spawnSync(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        "--conditions=react-server",
        "-e",
        "import('./instrumentation.ts').then((m) => m.register()).then(() => console.log('started'))",
      ],
      { cwd: root, env: clean, encoding: "utf8" },
    );
  }

  it("exits with a message naming a missing variable", () => {
    const result = startWith({ ...valid, DATABASE_URL: undefined });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("DATABASE_URL is missing");
    expect(result.stdout).not.toContain("started");
  });

  it("exits when production is given a demo secret", () => {
    const result = startWith({ ...production, TRUELAYER_CLIENT_SECRET: "demo-client-secret" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("TRUELAYER_CLIENT_SECRET holds a demo or placeholder value");
    expect(result.stderr).not.toContain("demo-client-secret");
  });

  it("starts with a valid environment", () => {
    const result = startWith(valid);
    expect(result.stdout).toContain("started");
    expect(result.status).toBe(0);
  });

  it("exits with every problem of a production environment in one list", () => {
    const result = startWith({
      ...production,
      TRUELAYER_TARGET: undefined,
      CRON_SECRET: undefined,
      DATABASE_POOL_SIZE: "lots",
      SMTP_URL: "smtp://127.0.0.1:2525",
    });
    expect(result.status).toBe(1);
    const listed = result.stderr.split("\n").filter((line) => line.startsWith("  - "));
    expect(listed).toEqual([
      expect.stringMatching(/DATABASE_POOL_SIZE must be a whole number/),
      expect.stringMatching(/CRON_SECRET is required in production/),
      expect.stringMatching(/TRUELAYER_TARGET is not set/),
      expect.stringMatching(/SMTP_URL points at this machine/),
    ]);
  });

  it.each([
    ["self-hosted behind a proxy", production],
    ["on Vercel", { ...production, NODE_ENV: undefined, VERCEL: "1", TRUSTED_PROXY_HOPS: undefined }],
  ])("starts in production %s", (_, source) => {
    const result = startWith(source);
    // No database here: start-up says it could not check the token keys stored values need (pg notes the sslmode).
    const said = result.stderr
      .split("\n")
      .filter(
        (line) =>
          line.trim() &&
          !/^(\(node:\d+\) Warning: SECURITY WARNING|In the next major|To prepare|- If you|See https|\(Use `node)/.test(
            line,
          ),
      );
    expect(said).toEqual([expect.stringMatching(/^Could not check which token keys stored values need/)]);
    expect(result.stdout).toContain("started");
    expect(result.status).toBe(0);
  });
});
