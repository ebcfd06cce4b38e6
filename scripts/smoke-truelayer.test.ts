import { spawnSync } from "node:child_process";
import path from "node:path";
import { type Browser, chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetch } from "@/lib/truelayer/transport";
import { CHROMIUM_ARGS, chromiumPath } from "./lib/chromium.mjs";
import { scanText } from "./lib/secret-scan.mjs";
import { runSmoke, simulatorTarget, type TargetSpec } from "./smoke/run";

// `npm run smoke:truelayer` on every commit: the same journeys, in Chromium, against the simulator
// under the truelayer-sandbox profile (the real sandbox needs credentials this suite never has).
const root = path.resolve(import.meta.dirname, "..");
let browser: Browser;

beforeAll(async () => {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error("Chromium was not found: apt-get install -y chromium, or set CHROMIUM_PATH");
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

/** The app's transport, noting every value that goes out or comes back (codes, tokens, ids, names). */
function watchedTransport() {
  const values = new Set<string>();
  const note = (value: unknown) => {
    if (typeof value === "string") values.add(value);
    else if (value && typeof value === "object") for (const item of Object.values(value)) note(item);
  };
  const noteText = (text: string) => {
    try {
      note(JSON.parse(text));
    } catch {
      for (const value of new URLSearchParams(text).values()) values.add(value);
    }
  };
  const transport: typeof fetch = async (input, init = {}) => {
    for (const value of new URL(String(input)).searchParams.values()) values.add(value);
    if (typeof init.body === "string") noteText(init.body);
    const authorization = new Headers(init.headers).get("authorization");
    if (authorization) values.add(authorization.replace(/^Bearer /, ""));
    const response = await httpFetch(input, init);
    noteText(await response.clone().text());
    return response;
  };
  return { values, transport };
}

async function smoke(targets: { reference: TargetSpec; real?: TargetSpec }, transport?: typeof fetch) {
  const lines: string[] = [];
  try {
    const result = await runSmoke({ ...targets, browser, print: (line) => lines.push(line), transport });
    return { ...result, output: lines.join("\n") };
  } finally {
    await targets.reference.close();
    await targets.real?.close();
  }
}

const STEPS = (journey: string, trip: string[]) =>
  [
    "auth link",
    "return from the dialog",
    "exchange the code",
    "read /me",
    "read accounts",
    "read a balance",
    "refresh",
    "after refresh",
    "the replaced bearer",
    "extend",
    ...trip,
    "read accounts again",
    "accounts again",
    "stop sharing",
    "stop sharing: outcome",
    "refresh after stop sharing",
  ].map((step) => `[${journey}] ${step}`);

describe("npm run smoke:truelayer against the simulator", () => {
  it("runs connect, extend (with and without a bank trip), accounts and stop sharing, printing shapes only", async () => {
    const { values, transport } = watchedTransport();
    const reference = await simulatorTarget();
    const secret = reference.client.clientSecret;
    const { exitCode, verdict, output } = await smoke({ reference }, transport);

    expect(output.split("\n").at(-1)).toBe("passed: both journeys ran end to end");
    expect({ exitCode, verdict }).toEqual({ exitCode: 0, verdict: "passed" });
    expect(output.split("\n").filter((line) => line.startsWith("["))).toEqual([
      ...STEPS("john/eternal", [
        "after extend",
        "extend without user.id",
        "after extend without user.id",
        "read /me after extend",
        "after extend: /me",
      ]),
      ...STEPS("john/doe", [
        "user_input_link",
        "return from the bank",
        "exchange the bank's code",
        "after the bank trip",
        "read /me after the bank trip",
        "after the bank trip: /me",
      ]),
    ]);
    expect(output).toContain(
      "[john/eternal] exchange the code\n    call: POST /connect/token\n" +
        "    sent: client_id, client_secret, code, code_verifier, grant_type, redirect_uri\n    status: 200\n" +
        "    fields: access_token, expires_in, refresh_token, scope, token_type",
    );
    expect(output).toMatch(/\[john\/eternal\] extend\n(.*\n){4} {4}action_needed: no_action_needed/);
    expect(output).toMatch(/\[john\/doe\] extend\n(.*\n){3} {4}fields: action_needed, user_input_link\n/);
    expect(output).toContain("    action_needed: authentication_needed");
    expect(output).toMatch(/\[john\/doe\] return from the bank\n {4}method: GET\n {4}params: code\n/);
    expect(output).toMatch(/\[john\/doe\] stop sharing\n {4}call: DELETE \/api\/delete\n.*\n {4}status: 200/);
    // The app's own auth link: its scopes, providers and PKCE, no response_mode.
    expect(output).toContain(
      "[john/eternal] auth link\n    params: client_id, code_challenge, code_challenge_method, providers, redirect_uri, response_type, scope, state\n",
    );
    expect(output).toMatch(
      /\[john\/eternal\] read a balance\n {4}call: GET \/data\/v1\/accounts\/\{id\}\/balance\n.*\n {4}status: 200\n/,
    );
    expect(output).toContain("[john/eternal] after refresh\n    refresh_token: the same as sent\n");
    expect(output).toMatch(/\[john\/eternal\] the replaced bearer\n(.*\n){2} {4}status: 401\n/);
    // The user.id question: our own id, then none; what each answered is recorded.
    expect(output).toMatch(/\[john\/eternal\] extend\n.*\n {4}sent: .*user\.email, user\.id, user\.name/);
    expect(output).toMatch(
      /\[john\/eternal\] extend without user\.id\n.*\n {4}sent: .*user\.email, user\.name, user_has/,
    );
    expect(output).toContain("[john/eternal] after extend without user.id\n    action: no_action_needed\n");
    // Content types both ways, and a correlation id on every answer.
    expect(output).toContain("    sent as: application/x-www-form-urlencoded\n");
    expect(output).toContain("    sent as: application/json\n");
    expect(
      output.match(/ {4}answer type: .*/g)?.every((l) => l.endsWith("application/json;charset=utf-8")),
    ).toBe(true);
    expect(output).toContain("    correlation id: present");
    expect(output).not.toContain("correlation id: absent");

    // No value: not the client secret, a code, a token, an id, a name or an account number. Lowercase
    // snake_case words (grant types, action_needed) are the API's vocabulary and may equal a field name.
    expect(values.has(secret)).toBe(true);
    const secrets = [...values].filter((value) => value.length >= 6 && !/^[a-z_]+$/.test(value));
    expect(secrets.length).toBeGreaterThan(20);
    // Also no recognisable part of one: any 12 characters in a row (a token without its prefix, say).
    for (const value of secrets) {
      for (let at = 0; at + 12 <= Math.max(value.length, 12); at++)
        expect(output, "a value's text is in the output").not.toContain(value.slice(at, at + 12));
    }
    expect(output).not.toMatch(/sbx_|eyJ|John Smoke|example\.com/);
    expect(scanText(output, "smoke output")).toEqual([]);
  }, 180_000);

  it("fails naming the first difference when the other side answers in another shape", async () => {
    // Stands in for a real sandbox whose bank return carries `exchange_code` where the simulator sends `code`.
    const real = {
      ...(await simulatorTarget({ bankReturn: { codeParam: "exchange_code" } })),
      title: "the other",
    };
    const { exitCode, output } = await smoke({ reference: await simulatorTarget(), real });

    expect(exitCode).toBe(1);
    expect(output).toContain("TrueLayer smoke against the other, compared with the simulator");
    expect(output.split("\n").at(-1)).toBe(
      'failed: first difference from the simulator: [john/doe] return from the bank: params is "exchange_code" in the real sandbox, "code" in the simulator',
    );
  }, 180_000);
});

describe("npm run smoke:truelayer when the other side refuses", () => {
  it("stops at the refusal, exits 1 and names it as the first difference", async () => {
    // Stands in for a sandbox app whose reconfirmation screen TrueLayer has not reviewed.
    const real = {
      ...(await simulatorTarget(undefined, { consentScreenReviewed: false })),
      title: "the other",
    };
    const { exitCode, output } = await smoke({ reference: await simulatorTarget(), real });

    expect(exitCode).toBe(1);
    expect(output).toMatch(
      /\[john\/eternal\] extend\n {4}call: POST \/data\/v1\/connections\/extend\n.*\n {4}status: 400\n {4}fields: error, error_description, errors, errors.user_has_reconfirmed_consent\n {4}error: validation_error\n/,
    );
    expect(output).toContain("failed: extendConnection failed: validation_error (HTTP 400)");
    expect(output.split("\n").at(-1)).toBe(
      'failed: first difference from the simulator: [john/eternal] extend (POST /data/v1/connections/extend): status is "400" in the real sandbox, "200" in the simulator',
    );
    expect(output).not.toContain("[john/doe]");
  }, 180_000);
});

describe("npm run smoke:truelayer without credentials", () => {
  const run = (env: Record<string, string>) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith("TRUELAYER_")),
    );
    return spawnSync(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        "--conditions=react-server",
        "scripts/smoke-truelayer.ts",
      ],
      { cwd: root, env: { ...clean, ...env } as NodeJS.ProcessEnv, encoding: "utf8", timeout: 30_000 },
    );
  };

  it("says it is skipped and why, and exits 0", () => {
    const result = run({});
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      'TrueLayer smoke skipped: no TrueLayer sandbox credentials (TRUELAYER_CLIENT_ID and TRUELAYER_CLIENT_SECRET unset); see "Using your own TrueLayer sandbox" in README.md.\nskipped\n',
    );
  });

  it("skips the demo's simulator settings rather than sending them to TrueLayer", () => {
    const result = run({
      TRUELAYER_TARGET: "simulator",
      TRUELAYER_CLIENT_ID: "sandbox-demo",
      TRUELAYER_CLIENT_SECRET: "demo-secret-value",
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^TrueLayer smoke skipped: TRUELAYER_TARGET=simulator: .*\nskipped\n$/);
    expect(result.stdout).not.toContain("demo-secret-value");
  });
});
