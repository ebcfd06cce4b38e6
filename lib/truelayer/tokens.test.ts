import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeDialog } from "@/kit";
import { type Fixture, REDIRECT_URI, startFixture } from "@/test/truelayer-fixture";
import { TrueLayerError } from "./errors";
import { userMessageFor } from "./user-message";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture("tokens");
});
afterAll(() => fx?.close());

async function newCode(
  scopes: ("info" | "accounts" | "offline_access")[] = ["info", "accounts", "offline_access"],
) {
  const link = fx.client.buildAuthLink({
    redirectUri: REDIRECT_URI,
    scopes,
    state: randomUUID(),
    providers: ["uk-cs-mock"],
  });
  return (await completeDialog(link, { username: "john", password: "doe" })).code;
}

function expectNoSecrets(error: unknown, secrets: string[]) {
  expect(error).toBeInstanceOf(TrueLayerError);
  const text = `${String(error)} ${JSON.stringify(error)}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toContain(fx.clientSecret);
}

describe("exchangeCode", () => {
  it("returns typed tokens", async () => {
    const tokens = await fx.client.exchangeCode({ code: await newCode(), redirectUri: REDIRECT_URI });
    expect(tokens).toMatchObject({
      expiresIn: 3600,
      tokenType: "Bearer",
      scope: ["info", "accounts", "offline_access"],
    });
    expect(tokens.accessToken).toMatch(/\S{20,}/);
    expect(tokens.refreshToken).toMatch(/\S{20,}/);
  });

  it("gives no refresh token without offline_access", async () => {
    const tokens = await fx.client.exchangeCode({ code: await newCode(["info"]), redirectUri: REDIRECT_URI });
    expect(tokens.refreshToken).toBeUndefined();
  });

  it("refuses a code the second time: invalid_authorization_code, start again (not reconnect), nothing leaked", async () => {
    const code = await newCode();
    await fx.client.exchangeCode({ code, redirectUri: REDIRECT_URI });
    const error = await fx.client.exchangeCode({ code, redirectUri: REDIRECT_URI }).catch((e) => e);
    expect(error).toMatchObject({
      operation: "exchangeCode",
      code: "invalid_authorization_code",
      status: 400,
      codeRejected: true,
      reconnectRequired: false,
      retryable: false,
      outcomeUnknown: false,
    });
    expect(userMessageFor(error)).toBe(
      "The link from your bank had already been used or had expired. Please start again.",
    );
    expectNoSecrets(error, [code]);
  });

  it("refuses a redirect_uri that differs from the link's: invalid_grant, also a link to start again", async () => {
    const error = await fx.client
      .exchangeCode({ code: await newCode(), redirectUri: "http://localhost:3999/other" })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_grant", codeRejected: true, reconnectRequired: false });
    expect(userMessageFor(error)).not.toMatch(/reconnect/i);
  });

  it("carries TrueLayer's X-TL-Correlation-Id on the error, and in what a logger gets", async () => {
    const error = await fx.client
      .exchangeCode({ code: "never-issued-code", redirectUri: REDIRECT_URI })
      .catch((e) => e);
    const [call] = (await fx.controls.calls()).filter((c) => c.path === "/connect/token").slice(-1);
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.correlationId).toBe(call?.correlationId);
    expect(error.toJSON()).toMatchObject({ correlationId: error.correlationId });
  });

  it("treats a wrong client secret as our problem, not the user's", async () => {
    const wrong = fx.makeClient({ clientSecret: "not-the-secret" });
    const error = await wrong
      .exchangeCode({ code: await newCode(), redirectUri: REDIRECT_URI })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_client", reconnectRequired: false, retryable: false });
    expectNoSecrets(error, ["not-the-secret"]);
  });
});

describe("refreshToken", () => {
  it("rotates: the new refresh token works, the old one is refused", async () => {
    const first = await fx.connect();
    const second = await fx.client.refreshToken({ refreshToken: first.refreshToken });
    expect(second.refreshToken).toBeDefined();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);

    const error = await fx.client.refreshToken({ refreshToken: first.refreshToken }).catch((e) => e);
    expect(error).toMatchObject({
      operation: "refreshToken",
      code: "invalid_grant",
      reconnectRequired: true,
    });
    expectNoSecrets(error, [first.refreshToken, first.accessToken]);

    await expect(fx.client.refreshToken({ refreshToken: second.refreshToken ?? "" })).resolves.toMatchObject({
      tokenType: "Bearer",
    });
  });

  it("refuses a refresh token left unused for 31 days", async () => {
    const tokens = await fx.connect();
    await fx.controls.advanceClock(31);
    const error = await fx.client.refreshToken({ refreshToken: tokens.refreshToken }).catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_grant", status: 400, reconnectRequired: true });
    expectNoSecrets(error, [tokens.refreshToken]);
  });
});
