import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, startFixture } from "@/test/truelayer-fixture";
import { TrueLayerError } from "./errors";
import { userMessageFor } from "./user-message";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture("data");
});
afterAll(() => fx?.close());

describe("data reads", () => {
  it("getMe, getAccounts and getBalance return typed objects", async () => {
    const { accessToken } = await fx.connect("doe");
    const me = await fx.client.getMe(accessToken);
    expect(me).toMatchObject({
      clientId: fx.clientId,
      consentStatus: "Authorised",
      provider: { providerId: "uk-cs-mock", displayName: expect.any(String) },
    });
    expect(me.consentExpiresAt).toBeInstanceOf(Date);

    const accounts = await fx.client.getAccounts(accessToken);
    expect(accounts.length).toBeGreaterThan(0);
    const [account] = accounts;
    if (!account) throw new Error("no account");
    expect(account).toMatchObject({
      accountId: expect.any(String),
      currency: "GBP",
      accountNumber: { sortCode: expect.any(String), number: expect.any(String) },
    });

    const balance = await fx.client.getBalance(accessToken, account.accountId);
    expect(balance).toMatchObject({
      currency: "GBP",
      available: expect.any(Number),
      current: expect.any(Number),
    });
    expect(balance.updateTimestamp).toBeInstanceOf(Date);
  });

  it("sends X-PSU-IP only when given", async () => {
    const { accessToken } = await fx.connect("doe");
    await fx.client.getMe(accessToken, { psuIp: "203.0.113.7" });
    await fx.client.getMe(accessToken);
    const calls = (await fx.controls.calls()).filter((c) => c.path === "/data/v1/me").slice(-2);
    expect(calls.map((c) => c.psuIp)).toEqual(["203.0.113.7", null]);
  });

  it("an unknown account is a plain 404, not retried", async () => {
    const { accessToken } = await fx.connect("doe");
    const before = fx.sleeps.length;
    const error = await fx.client.getBalance(accessToken, "no/such account").catch((e) => e);
    expect(error).toMatchObject({ code: "account_not_found", status: 404, retryable: false });
    expect(fx.sleeps.length).toBe(before);
  });

  it("an expired or unknown access token is 401 unauthorized: refresh, not reconnect", async () => {
    const error = await fx.client.getAccounts("sbx_at_not-a-token").catch((e) => e);
    expect(error).toMatchObject({
      code: "unauthorized",
      status: 401,
      reconnectRequired: false,
      retryable: false,
    });
    expect(error.message).not.toContain("sbx_at_not-a-token");
  });
});

describe("mock bank error users", () => {
  it.each([
    ["error.account_permanently_locked", 403, false, false],
    ["error.account_temporarily_locked", 403, false, false],
    ["error.user_input_required", 403, true, false],
    ["error.wrong_credentials", 401, true, false],
    ["error.internal_error", 500, false, true],
    ["error.provider_error", 502, false, true],
  ])("%s → HTTP %i", async (username, status, reconnectRequired, retryable) => {
    const { accessToken } = await fx.connect("error", username);
    const error = await fx.client.getAccounts(accessToken).catch((e) => e);
    expect(error).toBeInstanceOf(TrueLayerError);
    expect(error).toMatchObject({
      operation: "getAccounts",
      code: username.slice("error.".length),
      status,
      reconnectRequired,
      retryable,
      outcomeUnknown: false,
    });
    expect(userMessageFor(error)).not.toMatch(/error\.|_/);
    expect(error.message).not.toContain(accessToken);
  });

  it("retries a persistent 5xx only maxReadRetries times, with the user present", async () => {
    const { accessToken } = await fx.connect("error", "error.internal_error");
    const before = (await fx.controls.calls()).length;
    const present = { psuIp: "203.0.113.9" };
    await expect(fx.client.getMe(accessToken, present)).rejects.toMatchObject({ code: "internal_error" });
    expect((await fx.controls.calls()).length - before).toBe(3);
  });
});

describe("deleteConnection", () => {
  it("revokes, then answers a second DELETE with 401 (unauthorized, not proof of gone); the refresh token dies with it", async () => {
    const tokens = await fx.connect("doe");
    await expect(fx.client.deleteConnection(tokens.accessToken)).resolves.toBe("revoked");
    await expect(fx.client.deleteConnection(tokens.accessToken)).resolves.toBe("unauthorized");
    await expect(fx.client.refreshToken({ refreshToken: tokens.refreshToken })).rejects.toMatchObject({
      code: "invalid_grant",
      reconnectRequired: true,
    });
  });
});
