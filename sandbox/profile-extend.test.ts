import { beforeEach, describe, expect, it } from "vitest";
import { bankTrip, setProfile } from "./profile-test-support";
import {
  base,
  client,
  connect,
  exchangeCode,
  extendBody,
  location,
  newClient,
  postForm,
  postJson,
  replaceClient,
  withSandbox,
} from "./test-support";

withSandbox();
beforeEach(() => setProfile(base, client.clientId, { profile: "truelayer-sandbox" }));

const fields = (url: URL) => Object.fromEntries(url.searchParams);

describe("truelayer-sandbox: the bank return after extend authentication_needed", () => {
  it("defaults to code in the query and no state, even when one was sent", async () => {
    const { res } = await bankTrip(base, client, { extend: { state: "s1" } });
    expect(res.status).toBe(302);
    const back = location(res);
    expect(`${back.origin}${back.pathname}`).toBe(client.redirectUri);
    expect(Object.keys(fields(back))).toEqual(["code"]);
    expect((await exchangeCode(base, client, back.searchParams.get("code") ?? "")).status).toBe(200);
  });

  it("codeParam exchange_code and state echo (only if one was sent)", async () => {
    await setProfile(base, client.clientId, {
      options: { bankReturn: { codeParam: "exchange_code", state: "echo" } },
    });
    const withState = location((await bankTrip(base, client, { extend: { state: "s2" } })).res);
    expect(Object.keys(fields(withState)).sort()).toEqual(["exchange_code", "state"]);
    expect(withState.searchParams.get("state")).toBe("s2");
    const code = withState.searchParams.get("exchange_code") ?? "";
    expect((await exchangeCode(base, client, code)).status).toBe(200);
    const without = location((await bankTrip(base, client)).res);
    expect(Object.keys(fields(without))).toEqual(["exchange_code"]);
  });

  it("responseMode form_post answers with an auto-submitting POST form", async () => {
    await setProfile(base, client.clientId, {
      options: { bankReturn: { responseMode: "form_post", state: "echo" } },
    });
    const { res } = await bankTrip(base, client, { extend: { state: "s3" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="${client.redirectUri}">`);
    expect(html).toMatch(/<input type="hidden" name="code" value="sbx_code_[^"]+">/);
    expect(html).toContain('<input type="hidden" name="state" value="s3">');
    expect(html).toContain("document.forms[0].submit()");
  });

  it("a cancel is error=access_denied, with error_description when asked", async () => {
    const plain = location((await bankTrip(base, client, { action: "cancel" })).res);
    expect(fields(plain)).toEqual({ error: "access_denied" });
    await setProfile(base, client.clientId, { options: { bankReturn: { errorDescription: true } } });
    const described = location((await bankTrip(base, client, { password: "cancel" })).res);
    expect(described.searchParams.get("error")).toBe("access_denied");
    expect(described.searchParams.get("error_description")).toEqual(expect.any(String));
    expect(described.searchParams.has("code")).toBe(false);
  });

  it("the superseded /v1/reauthuri keeps code + echoed state", async () => {
    const tokens = await connect(base, client);
    const res = await postJson(base, "/v1/reauthuri", {
      response_type: "code",
      refresh_token: tokens.refresh_token,
      redirect_uri: client.redirectUri,
      state: "r1",
    });
    const { result } = (await res.json()) as { result: string };
    const back = location(await postForm(base, `${new URL(result).pathname}/approve`, { password: "doe" }));
    expect(Object.keys(fields(back)).sort()).toEqual(["code", "state"]);
  });

  it("strict can take the same options", async () => {
    await setProfile(base, client.clientId, {
      profile: "strict",
      options: { bankReturn: { state: "omit" } },
    });
    const back = location((await bankTrip(base, client, { extend: { state: "s4" } })).res);
    expect(Object.keys(fields(back))).toEqual(["code"]);
  });
});

describe("consent screen not reviewed", () => {
  async function extendUnreviewed(profile: "strict" | "truelayer-sandbox", options = {}) {
    replaceClient(await newClient(base, { consentScreenReviewed: false, profile, options }));
    const tokens = await connect(base, client, "john", "eternal");
    const res = await postJson(
      base,
      "/data/v1/connections/extend",
      extendBody(client, tokens.refresh_token ?? ""),
    );
    expect(res.status).toBe(400);
    return (await res.json()) as { error: string; errors?: Record<string, string[]> };
  }

  it("truelayer-sandbox: validation_error on user_has_reconfirmed_consent", async () => {
    const body = await extendUnreviewed("truelayer-sandbox");
    expect(body.error).toBe("validation_error");
    expect(Object.keys(body.errors ?? {})).toEqual(["user_has_reconfirmed_consent"]);
    expect(body.errors?.user_has_reconfirmed_consent?.[0]).toEqual(expect.any(String));
  });

  it("strict: consent_screen_not_reviewed, or the validation shape as an option", async () => {
    expect((await extendUnreviewed("strict")).error).toBe("consent_screen_not_reviewed");
    const optioned = await extendUnreviewed("strict", { consentScreenError: "validation_error" });
    expect(optioned.errors?.user_has_reconfirmed_consent).toHaveLength(1);
  });
});

describe("flakyClientAuth on extend", () => {
  it("fails the marked extend calls with invalid_client and leaves the connection usable", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    await setProfile(base, client.clientId, {
      profile: "truelayer-sandbox",
      options: { flakyClientAuth: "x" },
    });
    const body = extendBody(client, tokens.refresh_token ?? "");
    const refused = await postJson(base, "/data/v1/connections/extend", body);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_client");
    const next = await postJson(base, "/data/v1/connections/extend", body);
    expect(next.status).toBe(200);
    expect(((await next.json()) as { action_needed: string }).action_needed).toBe("no_action_needed");
  });
});
