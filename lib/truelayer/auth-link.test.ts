import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeDialog, connectViaDialog, DialogError } from "@/kit";
import { type Fixture, REDIRECT_URI, startFixture } from "@/test/truelayer-fixture";
import { TrueLayerError } from "./errors";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture("auth-link");
});
afterAll(() => fx?.close());

describe("buildAuthLink", () => {
  it("puts every parameter in the query, space-separated lists as %20", () => {
    const link = fx.client.buildAuthLink({
      redirectUri: REDIRECT_URI,
      scopes: ["info", "accounts", "offline_access", "info"],
      state: "st-1",
      providers: ["uk-ob-all", "uk-oauth-all"],
      providerId: "uk-ob-mock-harbour",
      codeChallenge: "c".repeat(43),
      nonce: "n-1",
      responseMode: "query",
    });
    expect(link.startsWith(`${fx.url}/?`)).toBe(true);
    expect(link).toContain("scope=info%20accounts%20offline_access&");
    expect(Object.fromEntries(new URL(link).searchParams)).toEqual({
      response_type: "code",
      client_id: fx.clientId,
      redirect_uri: REDIRECT_URI,
      scope: "info accounts offline_access",
      state: "st-1",
      providers: "uk-ob-all uk-oauth-all",
      provider_id: "uk-ob-mock-harbour",
      code_challenge: "c".repeat(43),
      code_challenge_method: "S256",
      nonce: "n-1",
      response_mode: "query",
    });
  });

  // TrueLayer's JavaScript client sends response_mode only when the caller asks for one.
  it("leaves out what was not asked for, response_mode included", () => {
    const params = new URL(
      fx.client.buildAuthLink({ redirectUri: REDIRECT_URI, scopes: ["info"], state: "s" }),
    ).searchParams;
    expect([...params.keys()].sort()).toEqual(
      ["client_id", "redirect_uri", "response_type", "scope", "state"].sort(),
    );
  });

  it.each([
    [{ redirectUri: "not a url", scopes: ["info" as const], state: "s" }],
    [{ redirectUri: REDIRECT_URI, scopes: [], state: "s" }],
    [{ redirectUri: REDIRECT_URI, scopes: ["info" as const], state: "" }],
  ])("rejects bad input %#", (input) => {
    expect(() => fx.client.buildAuthLink(input)).toThrow(TrueLayerError);
  });
});

describe("createPkcePair", () => {
  it("makes an S256 pair of base64url strings, fresh each time", () => {
    const { verifier, challenge } = fx.client.createPkcePair();
    expect(verifier).toMatch(/^[\w-]{43}$/);
    expect(challenge).toBe(createHash("sha256").update(verifier).digest("base64url"));
    expect(fx.client.createPkcePair().verifier).not.toBe(verifier);
  });
});

describe("auth link against the simulator", () => {
  const link = (extra: { codeChallenge?: string } = {}) =>
    fx.client.buildAuthLink({
      redirectUri: REDIRECT_URI,
      scopes: ["info", "accounts", "balance", "offline_access"],
      state: `state-${randomUUID()}`,
      providers: ["uk-cs-mock"],
      ...extra,
    });

  it("goes through bank choice and login, echoing state", async () => {
    const url = link();
    const result = await completeDialog(url, { username: "john", password: "doe" });
    expect(result.state).toBe(new URL(url).searchParams.get("state"));
    expect(result.callbackUrl.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  });

  it("completes a PKCE round trip, and refuses the code without the verifier", async () => {
    const pkce = fx.client.createPkcePair();
    const first = await completeDialog(link({ codeChallenge: pkce.challenge }), {
      username: "john",
      password: "doe",
    });
    const tokens = await fx.client.exchangeCode({
      code: first.code,
      redirectUri: REDIRECT_URI,
      codeVerifier: pkce.verifier,
    });
    expect(tokens.accessToken).toBeTruthy();

    const second = await completeDialog(link({ codeChallenge: pkce.challenge }), {
      username: "john",
      password: "doe",
    });
    const error = await fx.client
      .exchangeCode({ code: second.code, redirectUri: REDIRECT_URI })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TrueLayerError);
    expect(error).toMatchObject({ code: "invalid_grant", status: 400, outcomeUnknown: false });
  });

  it("reports a cancelled dialog as access_denied on the callback", async () => {
    const error = await completeDialog(link(), { username: "john", password: "doe", cancel: true }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(DialogError);
    expect(error.error).toBe("access_denied");
  });

  it("connectViaDialog builds its own link (state, PKCE, bank choice) for other tests to reuse", async () => {
    const pkce = fx.client.createPkcePair();
    const result = await connectViaDialog(fx.url, {
      clientId: fx.clientId,
      redirectUri: REDIRECT_URI,
      username: "john",
      password: "eternal",
      providerId: "uk-ob-mock-harbour",
      providers: "mock",
      state: "helper-state",
      codeChallenge: pkce.challenge,
    });
    expect(result.state).toBe("helper-state");
    const tokens = await fx.client.exchangeCode({
      code: result.code,
      redirectUri: REDIRECT_URI,
      codeVerifier: pkce.verifier,
    });
    await expect(fx.client.getMe(tokens.accessToken)).resolves.toMatchObject({
      provider: { providerId: "uk-ob-mock-harbour" },
    });
  });

  it("reports a wrong password as a DialogError naming the page's alert", async () => {
    const error = await completeDialog(link(), { username: "john", password: "wrong" }).catch((e) => e);
    expect(error).toBeInstanceOf(DialogError);
    expect(error.message).toMatch(/incorrect/);
  });
});
