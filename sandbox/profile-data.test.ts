import { beforeEach, describe, expect, it } from "vitest";
import { sandboxControls } from "./client/controls";
import { bankTrip, extend, getMe, setProfile } from "./profile-test-support";
import {
  advance,
  authLink,
  base,
  client,
  connect,
  exchangeCode,
  getControl,
  getWithToken,
  location,
  openLink,
  postForm,
  postJson,
  refresh,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();
beforeEach(() => setProfile(base, client.clientId, { profile: "truelayer-sandbox" }));

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

async function accounts(token: string): Promise<Array<Record<string, unknown>>> {
  const res = await getWithToken(base, "/data/v1/accounts", token);
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Array<Record<string, unknown>> }).results;
}

describe("truelayer-sandbox: the mock provider as public fixtures show it", () => {
  it("takes providers=uk-cs-mock and answers provider_id mock / Mock, logo on the simulator", async () => {
    const dialog = await openLink(authLink(base, client, { providers: "uk-cs-mock" }));
    expect(await (await fetch(`${base}${dialog}`)).text()).toContain("<span>Mock</span>");
    const tokens = await connect(base, client);
    const expected = {
      provider_id: "mock",
      display_name: "Mock",
      logo_uri: `${base}/_sandbox/logos/uk-cs-mock.svg`,
    };
    expect((await getMe(base, tokens.access_token)).provider).toEqual(expected);
    const [first] = await accounts(tokens.access_token);
    expect(first?.provider).toEqual(expected);
    expect((await fetch(expected.logo_uri)).status).toBe(200);
  });
});

describe("john/sparse (both profiles)", () => {
  it.each(["strict", "truelayer-sandbox"] as const)(
    "%s: one account lacks display_name, one lacks account_id",
    async (profile) => {
      await setProfile(base, client.clientId, { profile });
      const list = await accounts((await connect(base, client, "john", "sparse")).access_token);
      expect(list).toHaveLength(3);
      expect(list.filter((a) => !("display_name" in a))).toHaveLength(1);
      expect(list.filter((a) => !("account_id" in a))).toHaveLength(1);
      expect(list.filter((a) => "account_id" in a && "display_name" in a)).toHaveLength(1);
    },
  );
});

describe("truelayer-sandbox: /me lags after a renewal", () => {
  /** A live access token after the clock moved (truelayer-sandbox refreshes keep the refresh token). */
  async function accessNow(tokens: Tokens): Promise<string> {
    return ((await (await refresh(base, client, tokens.refresh_token ?? "")).json()) as Tokens).access_token;
  }

  it("keeps the old consent_expires_at for an hour after extend no_action_needed", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    const before = (await getMe(base, tokens.access_token)).consent_expires_at;
    await advance(base, client.clientId, { advanceDays: 10 });
    const answer = await extend(base, client, tokens.refresh_token ?? "");
    // The answer names no expiry under this profile: the simulator's own listing has the real one.
    const [renewed] = await sandboxControls(base, client.clientId).connections();
    expect(Date.parse(renewed?.consent_expires_at ?? "")).toBeGreaterThan(Date.parse(before));
    expect((await getMe(base, answer.access_token ?? "")).consent_expires_at).toBe(before);
    await advance(base, client.clientId, { advanceMs: HOUR - 60_000 });
    expect((await getMe(base, await accessNow(tokens))).consent_expires_at).toBe(before);
    await advance(base, client.clientId, { advanceMs: 60_000 });
    expect((await getMe(base, await accessNow(tokens))).consent_expires_at).toBe(renewed?.consent_expires_at);
  });

  it("lags after a bank re-authentication code exchange, until the control clears it", async () => {
    const tokens = await connect(base, client);
    const before = (await getMe(base, tokens.access_token)).consent_expires_at;
    await advance(base, client.clientId, { advanceDays: 5 });
    const answer = await extend(base, client, tokens.refresh_token ?? "");
    const bank = new URL(answer.user_input_link ?? "").pathname;
    const back = location(await postForm(base, `${bank}/approve`, { password: "doe" }));
    const code = back.searchParams.get("code") ?? "";
    const fresh = (await (await exchangeCode(base, client, code)).json()) as Tokens;
    expect((await getMe(base, fresh.access_token)).consent_expires_at).toBe(before);
    const listed = (await (
      await getControl(base, `/_sandbox/connections?clientId=${client.clientId}`)
    ).json()) as {
      connections: Array<{ consent_expires_at: string; me_lag: { shown_expires_at: string } | null }>;
    };
    const real = listed.connections[0]?.consent_expires_at;
    expect(Date.parse(real ?? "")).toBeGreaterThan(Date.parse(before));
    expect(listed.connections[0]?.me_lag?.shown_expires_at).toBe(before);
    const cleared = await postJson(base, "/_sandbox/me-lag/clear", { clientId: client.clientId });
    expect(await cleared.json()).toEqual({ cleared: 1 });
    expect((await getMe(base, fresh.access_token)).consent_expires_at).toBe(real);
  });

  it("the window is an option; 0 and strict show the new expiry at once", async () => {
    await setProfile(base, client.clientId, { profile: "truelayer-sandbox", options: { meLagMs: 2 * DAY } });
    const tokens = await connect(base, client, "john", "eternal");
    const before = (await getMe(base, tokens.access_token)).consent_expires_at;
    await advance(base, client.clientId, { advanceDays: 1 });
    await extend(base, client, tokens.refresh_token ?? "");
    await advance(base, client.clientId, { advanceDays: 2, advanceMs: -60_000 });
    expect((await getMe(base, await accessNow(tokens))).consent_expires_at).toBe(before);
    for (const body of [{ profile: "strict" as const }, { options: { meLagMs: 0 } }]) {
      await setProfile(base, client.clientId, body);
      await postJson(base, "/_sandbox/me-lag/clear", { clientId: client.clientId });
      // strict rotates, so carry on with whichever refresh token came back.
      const answer = await extend(base, client, tokens.refresh_token ?? "");
      tokens.refresh_token = answer.refresh_token ?? tokens.refresh_token;
      expect((await getMe(base, answer.access_token ?? "")).consent_expires_at).toBe(
        answer.consent_expires_at,
      );
    }
  });
});

describe("re-authentication options", () => {
  it("newCredentialsIdOnReauth: the code exchange after a bank trip gives a new credentials_id", async () => {
    await setProfile(base, client.clientId, { options: { newCredentialsIdOnReauth: true } });
    const { res, tokens } = await bankTrip(base, client);
    const old = (await getMe(base, tokens.access_token)).credentials_id;
    const code = location(res).searchParams.get("code") ?? "";
    const fresh = (await (await exchangeCode(base, client, code)).json()) as Tokens;
    expect((await getMe(base, fresh.access_token)).credentials_id).not.toBe(old);
    expect((await getWithToken(base, "/data/v1/me", tokens.access_token)).status).toBe(401);
  });

  it("newAccountIdsOnReauth: same accounts (by number), new account ids; old ids 404", async () => {
    await setProfile(base, client.clientId, { options: { newAccountIdsOnReauth: true } });
    const { res, tokens } = await bankTrip(base, client);
    const before = await accounts(tokens.access_token);
    const id = (await getMe(base, tokens.access_token)).credentials_id;
    const code = location(res).searchParams.get("code") ?? "";
    const fresh = (await (await exchangeCode(base, client, code)).json()) as Tokens;
    const after = await accounts(fresh.access_token);
    expect(after.map((a) => a.account_number)).toEqual(before.map((a) => a.account_number));
    for (const [i, account] of after.entries()) expect(account.account_id).not.toBe(before[i]?.account_id);
    const old = await getWithToken(
      base,
      `/data/v1/accounts/${String(before[0]?.account_id)}`,
      fresh.access_token,
    );
    expect(old.status).toBe(404);
    expect((await getMe(base, fresh.access_token)).credentials_id).toBe(id);
  });
});
