import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveBankReauth, completeDialog, DialogError } from "@/kit";
import { type Fixture, REDIRECT_URI, startFixture } from "@/test/truelayer-fixture";
import { TrueLayerError } from "./errors";
import { userMessageFor } from "./user-message";

let fx: Fixture;
let unreviewed: Fixture;
let disabled: Fixture;
beforeAll(async () => {
  [fx, unreviewed, disabled] = await Promise.all([
    startFixture("extend"),
    startFixture("extend-unreviewed", { consentScreenReviewed: false }),
    startFixture("extend-disabled", { extendEnabled: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([fx?.close(), unreviewed?.close(), disabled?.close()]);
});

const user = { name: "John Doe", email: "john@example.com" };
const DAY = 24 * 60 * 60 * 1000;

function extend(
  f: Fixture,
  refreshToken: string,
  who: { name: string; email?: string; phone?: string } = user,
) {
  return f.client.extendConnection({ refreshToken, redirectUri: REDIRECT_URI, user: who });
}

function expectNoSecrets(error: unknown, secrets: string[]) {
  expect(error).toBeInstanceOf(TrueLayerError);
  const text = `${String(error)} ${JSON.stringify(error)}`;
  for (const secret of [...secrets, fx.clientSecret]) expect(text).not.toContain(secret);
}

describe("extendConnection: no_action_needed", () => {
  it("john/eternal: new access and refresh token, consent pushed out 90 days", async () => {
    const tokens = await fx.connect("eternal");
    const result = await extend(fx, tokens.refreshToken);
    if (result.action !== "no_action_needed") throw new Error(`unexpected ${result.action}`);
    expect(result.refreshToken).toBeDefined();
    expect(result.refreshToken).not.toBe(tokens.refreshToken);
    expect(result.consentExpiresAt).toBeInstanceOf(Date);
    expect(Math.abs((result.consentExpiresAt?.getTime() ?? 0) - Date.now() - 90 * DAY)).toBeLessThan(DAY);
    await expect(fx.client.getMe(result.accessToken)).resolves.toMatchObject({ consentStatus: "Authorised" });
    // The rotated-away refresh token is dead, which is why callers must store the new one.
    const error = await fx.client.refreshToken({ refreshToken: tokens.refreshToken }).catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_grant" });
  });

  it("sends the documented body to /data/v1/connections/extend", async () => {
    const sent: { url: string; body: unknown }[] = [];
    const recording = fx.makeClient({
      fetch: (input, init) => {
        sent.push({ url: String(input), body: JSON.parse(String(init?.body)) });
        return fetch(input, init);
      },
    });
    const tokens = await fx.connect("eternal");
    await recording.extendConnection({
      refreshToken: tokens.refreshToken,
      redirectUri: REDIRECT_URI,
      user: { name: "John Eternal", phone: "+447700900123" },
    });
    expect(sent).toEqual([
      {
        url: `${fx.url}/data/v1/connections/extend`,
        body: {
          client_id: fx.clientId,
          client_secret: fx.clientSecret,
          refresh_token: tokens.refreshToken,
          redirect_uri: REDIRECT_URI,
          user_has_reconfirmed_consent: true,
          user: { name: "John Eternal", phone: "+447700900123" },
        },
      },
    ]);
    const call = (await fx.controls.calls()).filter((c) => c.path.endsWith("/connections/extend")).at(-1);
    expect(call).toMatchObject({ method: "POST", path: "/data/v1/connections/extend", status: 200 });
  });

  it("john/norotate: no refresh token comes back and the one sent stays valid", async () => {
    const tokens = await fx.connect("norotate");
    const result = await extend(fx, tokens.refreshToken);
    expect(result).toMatchObject({ action: "no_action_needed", refreshToken: undefined });
    await expect(fx.client.refreshToken({ refreshToken: tokens.refreshToken })).resolves.toMatchObject({
      tokenType: "Bearer",
    });
  });
});

describe("extendConnection: user action needed", () => {
  it("john/doe: authentication_needed, bank approval, code exchanged for tokens", async () => {
    const tokens = await fx.connect("doe");
    const result = await extend(fx, tokens.refreshToken);
    if (result.action !== "authentication_needed") throw new Error(`unexpected ${result.action}`);
    expect(result.userInputLink).toMatch(/\/_bank\/reauth\//);
    const { code } = await approveBankReauth(result.userInputLink);
    const fresh = await fx.client.exchangeCode({ code, redirectUri: REDIRECT_URI });
    expect(fresh.refreshToken).toBeDefined();
    const me = await fx.client.getMe(fresh.accessToken);
    expect(me.consentExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 89 * DAY);
  });

  it("john/cancel: the bank page ends in access_denied", async () => {
    const tokens = await fx.connect("cancel");
    const result = await extend(fx, tokens.refreshToken);
    if (result.action !== "authentication_needed") throw new Error(`unexpected ${result.action}`);
    const error = await approveBankReauth(result.userInputLink, { password: "cancel" }).catch((e) => e);
    expect(error).toBeInstanceOf(DialogError);
    expect(error.error).toBe("access_denied");
  });

  it("john/reconfirm: reconfirmation_of_consent_needed links to the auth dialog", async () => {
    const tokens = await fx.connect("reconfirm");
    const result = await extend(fx, tokens.refreshToken);
    if (result.action !== "reconfirmation_of_consent_needed") throw new Error(`unexpected ${result.action}`);
    expect(new URL(result.userInputLink).searchParams.get("client_id")).toBe(fx.clientId);
    const { code } = await completeDialog(result.userInputLink, { username: "john", password: "reconfirm" });
    await expect(fx.client.exchangeCode({ code, redirectUri: REDIRECT_URI })).resolves.toMatchObject({
      tokenType: "Bearer",
    });
  });
});

describe("extendConnection: errors", () => {
  it("maps validation errors to fieldErrors", async () => {
    const tokens = await fx.connect("eternal");
    const error = await extend(fx, tokens.refreshToken, { name: "John Eternal" }).catch((e) => e);
    expect(error).toMatchObject({
      code: "validation_error",
      status: 400,
      reconnectRequired: false,
      consentScreenNotReviewed: false,
      outcomeUnknown: false,
    });
    expect(error.fieldErrors).toEqual({ "user.email": [expect.stringMatching(/email or user\.phone/)] });
    expect(userMessageFor(error)).toMatch(/email or phone/);
    expectNoSecrets(error, [tokens.refreshToken]);
  });

  it("flags a reconfirmation screen TrueLayer has not reviewed yet", async () => {
    const tokens = await unreviewed.connect("eternal");
    const error = await extend(unreviewed, tokens.refreshToken).catch((e) => e);
    expect(error).toMatchObject({
      code: "consent_screen_not_reviewed",
      status: 400,
      consentScreenNotReviewed: true,
      reconnectRequired: false,
    });
    expect(userMessageFor(error)).toMatch(/isn't available yet/);
  });

  it("a client without extend enabled gets a config error, not a reconnect", async () => {
    const tokens = await disabled.connect("eternal");
    await expect(extend(disabled, tokens.refreshToken)).rejects.toMatchObject({
      code: "unauthorized_client",
      status: 403,
      reconnectRequired: false,
      consentScreenNotReviewed: false,
    });
  });

  it("an unknown refresh token needs a reconnect", async () => {
    const error = await extend(fx, "sbx_rt_does-not-exist").catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_grant", reconnectRequired: true });
    expectNoSecrets(error, ["sbx_rt_does-not-exist"]);
  });
});

describe("lapsed consent", () => {
  it("after 90 days data calls say reconnect, but extend still works", async () => {
    const tokens = await fx.connect("eternal");
    // Keep the refresh token alive (it dies after 30 idle days) until just before consent lapses.
    let refresh = tokens.refreshToken;
    for (const days of [29, 29, 29, 2.99]) {
      await fx.controls.advanceClock(days);
      refresh = (await fx.client.refreshToken({ refreshToken: refresh })).refreshToken ?? refresh;
    }
    const { accessToken } = await fx.client.refreshToken({ refreshToken: refresh }).then((t) => {
      refresh = t.refreshToken ?? refresh;
      return t;
    });
    await fx.controls.advanceClock(0.02);

    const error = await fx.client.getAccounts(accessToken).catch((e) => e);
    expect(error).toMatchObject({
      code: "access_denied",
      status: 403,
      reconnectRequired: true,
      retryable: false,
    });
    expectNoSecrets(error, [accessToken]);
    const lapsed = await fx.client.refreshToken({ refreshToken: refresh }).catch((e) => e);
    expect(lapsed).toMatchObject({ code: "invalid_grant", reconnectRequired: true });

    const result = await extend(fx, refresh);
    if (result.action !== "no_action_needed") throw new Error(`unexpected ${result.action}`);
    await expect(fx.client.getAccounts(result.accessToken)).resolves.not.toHaveLength(0);
  });
});
