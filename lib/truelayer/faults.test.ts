import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { completeDialog, type FaultKind } from "@/kit";
import { type Fixture, REDIRECT_URI, startFixture } from "@/test/truelayer-fixture";
import { TrueLayerError } from "./errors";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture("faults");
});
afterAll(() => fx?.close());
beforeEach(() => {
  fx.sleeps.length = 0;
});

const TIMEOUT_MS = 300;
const user = { name: "John Eternal", email: "john@example.com" };

async function callsTo(path: string) {
  return (await fx.controls.calls()).filter((c) => c.path === path);
}

function expectNoSecrets(error: unknown, secrets: string[]) {
  expect(error).toBeInstanceOf(TrueLayerError);
  const text = `${String(error)} ${JSON.stringify(error)}`;
  for (const secret of [...secrets, fx.clientSecret]) expect(text).not.toContain(secret);
}

const present = { psuIp: "203.0.113.9" };

describe("reads with the user present (X-PSU-IP) retry transient failures", () => {
  it.each<[FaultKind, { ms?: number }]>([
    ["500", {}],
    ["503", {}],
    ["reset", {}],
    ["malformed_json", {}],
    ["lost_response", {}],
    ["delay", { ms: TIMEOUT_MS * 4 }],
  ])("%s once → succeeds on the second attempt", async (kind, extra) => {
    const client = fx.makeClient({ timeoutMs: TIMEOUT_MS * 2 });
    const { accessToken } = await fx.connect("doe");
    const before = (await callsTo("/data/v1/accounts")).length;
    await fx.controls.injectFault({ endpoint: "data", kind, ...extra });
    await expect(client.getAccounts(accessToken, present)).resolves.not.toHaveLength(0);
    const calls = (await callsTo("/data/v1/accounts")).slice(before);
    expect(calls.map((c) => c.fault)).toEqual([kind, null]);
    // Backoff: 200 ms ceiling on the first retry, jitter fixed at 0.5 → 150 ms.
    expect(fx.sleeps).toEqual([150]);
  });

  it("429 waits exactly Retry-After", async () => {
    const { accessToken } = await fx.connect("doe");
    await fx.controls.injectFault({ endpoint: "data", kind: "429", retryAfterSeconds: 3 });
    await expect(fx.client.getMe(accessToken, present)).resolves.toMatchObject({
      consentStatus: "Authorised",
    });
    expect(fx.sleeps).toEqual([3000]);
  });

  it("429 with a Retry-After beyond the cap fails at once as rate_limited", async () => {
    const { accessToken } = await fx.connect("doe");
    await fx.controls.injectFault({ endpoint: "data", kind: "429", retryAfterSeconds: 120 });
    const error = await fx.client.getMe(accessToken, present).catch((e) => e);
    expect(error).toMatchObject({
      code: "rate_limited",
      status: 429,
      retryable: true,
      retryAfterSeconds: 120,
    });
    expect(fx.sleeps).toEqual([]);
    expectNoSecrets(error, [accessToken]);
  });

  it("gives up after maxReadRetries with exponential backoff", async () => {
    const { accessToken } = await fx.connect("doe");
    await fx.controls.injectFault({ endpoint: "data", kind: "503", count: 3 });
    const error = await fx.client.getMe(accessToken, present).catch((e) => e);
    expect(error).toMatchObject({
      code: "service_unavailable",
      status: 503,
      retryable: true,
      outcomeUnknown: false,
    });
    expect(fx.sleeps).toEqual([150, 300]);
  });

  it("maxReadRetries: 0 turns retries off", async () => {
    const { accessToken } = await fx.connect("doe");
    await fx.controls.injectFault({ endpoint: "data", kind: "500" });
    const error = await fx
      .makeClient({ maxReadRetries: 0 })
      .getMe(accessToken, present)
      .catch((e) => e);
    expect(error).toMatchObject({ code: "internal_error", retryable: true });
    expect(fx.sleeps).toEqual([]);
  });
});

describe("unattended reads (no X-PSU-IP) are never retried", () => {
  it.each<FaultKind>(["500", "503", "reset", "malformed_json", "429"])(
    "%s → fails after one call, which the bank counted",
    async (kind) => {
      const { accessToken } = await fx.connect("doe");
      const before = (await callsTo("/data/v1/accounts")).length;
      await fx.controls.injectFault({ endpoint: "data", kind, retryAfterSeconds: 1 });
      const error = await fx.client.getAccounts(accessToken).catch((e) => e);
      expect(error).toMatchObject({ retryable: true });
      expect((await callsTo("/data/v1/accounts")).length - before).toBe(1);
      expect(fx.sleeps).toEqual([]);
    },
  );
});

/** A fault at a call that changes state, and the code it is reported with (the outcome unknown). */
const UNKNOWN_OUTCOMES: [FaultKind, string][] = [
  ["500", "internal_error"],
  ["503", "service_unavailable"],
  ["reset", "network"],
  ["malformed_json", "malformed_response"],
  ["delay", "timeout"],
];

describe("token calls are never retried and report an unknown outcome", () => {
  it.each(UNKNOWN_OUTCOMES)("refresh with %s → %s, outcomeUnknown", async (kind, code) => {
    const tokens = await fx.connect("doe");
    const before = (await callsTo("/connect/token")).length;
    await fx.controls.injectFault({ endpoint: "token", kind, ms: TIMEOUT_MS * 3 });
    const client = fx.makeClient({ timeoutMs: TIMEOUT_MS });
    const error = await client.refreshToken({ refreshToken: tokens.refreshToken }).catch((e) => e);
    expect(error).toMatchObject({
      operation: "refreshToken",
      code,
      outcomeUnknown: true,
      reconnectRequired: false,
    });
    expect((await callsTo("/connect/token")).length - before).toBe(1);
    expect(fx.sleeps).toEqual([]);
    expectNoSecrets(error, [tokens.refreshToken, tokens.accessToken]);
  });

  it("refresh lost_response: TrueLayer rotated, so the old refresh token is now dead", async () => {
    const tokens = await fx.connect("doe");
    await fx.controls.injectFault({ endpoint: "token", kind: "lost_response" });
    const error = await fx.client.refreshToken({ refreshToken: tokens.refreshToken }).catch((e) => e);
    expect(error).toMatchObject({ code: "server_error", status: 502, outcomeUnknown: true });
    await expect(fx.client.refreshToken({ refreshToken: tokens.refreshToken })).rejects.toMatchObject({
      code: "invalid_grant",
    });
  });

  it("code exchange lost_response: the code was spent", async () => {
    const link = fx.client.buildAuthLink({
      redirectUri: REDIRECT_URI,
      scopes: ["info", "offline_access"],
      state: "lost-exchange",
      providers: ["uk-cs-mock"],
    });
    const { code } = await completeDialog(link, { username: "john", password: "doe" });
    await fx.controls.injectFault({ endpoint: "token", kind: "lost_response" });
    const error = await fx.client.exchangeCode({ code, redirectUri: REDIRECT_URI }).catch((e) => e);
    expect(error).toMatchObject({ operation: "exchangeCode", outcomeUnknown: true });
    expectNoSecrets(error, [code]);
    await expect(fx.client.exchangeCode({ code, redirectUri: REDIRECT_URI })).rejects.toMatchObject({
      code: "invalid_authorization_code",
    });
  });
});

describe("extend is never retried and reports an unknown outcome", () => {
  it.each(UNKNOWN_OUTCOMES)("%s → %s", async (kind, code) => {
    const tokens = await fx.connect("eternal");
    const before = (await callsTo("/data/v1/connections/extend")).length;
    await fx.controls.injectFault({ endpoint: "extend", kind, ms: TIMEOUT_MS * 3 });
    const client = fx.makeClient({ timeoutMs: TIMEOUT_MS });
    const error = await client
      .extendConnection({ refreshToken: tokens.refreshToken, redirectUri: REDIRECT_URI, user })
      .catch((e) => e);
    expect(error).toMatchObject({ operation: "extendConnection", code, outcomeUnknown: true });
    expect((await callsTo("/data/v1/connections/extend")).length - before).toBe(1);
    expectNoSecrets(error, [tokens.refreshToken]);
  });

  it("lost_response: the connection was extended and the sent refresh token rotated away", async () => {
    const tokens = await fx.connect("eternal");
    await fx.controls.injectFault({ endpoint: "extend", kind: "lost_response" });
    const error = await fx.client
      .extendConnection({ refreshToken: tokens.refreshToken, redirectUri: REDIRECT_URI, user })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 502, retryable: true, outcomeUnknown: true });
    await expect(fx.client.refreshToken({ refreshToken: tokens.refreshToken })).rejects.toMatchObject({
      code: "invalid_grant",
      reconnectRequired: true,
    });
  });
});

describe("delete is not retried", () => {
  it("a 500 surfaces once; repeating by hand is safe", async () => {
    const tokens = await fx.connect("doe");
    await fx.controls.injectFault({ endpoint: "delete", kind: "500" });
    const error = await fx.client.deleteConnection(tokens.accessToken).catch((e) => e);
    expect(error).toMatchObject({
      operation: "deleteConnection",
      code: "internal_error",
      outcomeUnknown: false,
    });
    expect(fx.sleeps).toEqual([]);
    await expect(fx.client.deleteConnection(tokens.accessToken)).resolves.toBe("revoked");
  });
});
