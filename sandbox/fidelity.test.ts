// Issue 25: what TrueLayer's public pages settle, modelled alike in both profiles (sources in README.md).
import { describe, expect, it } from "vitest";
import { sandboxControls } from "./client/controls";
import { extend, setProfile } from "./profile-test-support";
import type { ProfileName } from "./profiles";
import {
  advance,
  authorise,
  base,
  client,
  connect,
  exchangeCode,
  getWithToken,
  newClient,
  postForm,
  postJson,
  refresh,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();

async function errorOf(res: Response) {
  return { status: res.status, error: ((await res.json()) as { error: string }).error };
}

const tokensOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
};

const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;

describe.each<ProfileName>(["strict", "truelayer-sandbox"])("under the %s profile", (profile) => {
  const use = () => setProfile(base, client.clientId, { profile });

  it("a wrong, reused or expired code is 400 invalid_authorization_code (TL error codes)", async () => {
    await use();
    const back = await authorise(base, client);
    const code = back.searchParams.get("code") ?? "";
    expect(await errorOf(await exchangeCode(base, client, `${code}x`))).toEqual({
      status: 400,
      error: "invalid_authorization_code",
    });
    await tokensOf(await exchangeCode(base, client, code));
    expect(await errorOf(await exchangeCode(base, client, code))).toEqual({
      status: 400,
      error: "invalid_authorization_code",
    });
    const late = (await authorise(base, client)).searchParams.get("code") ?? "";
    await advance(base, client.clientId, { advanceMs: 5 * 60 * 1000 + 1000 });
    expect(await errorOf(await exchangeCode(base, client, late))).toEqual({
      status: 400,
      error: "invalid_authorization_code",
    });
  });

  it("a redirect_uri other than the code's stays invalid_grant", async () => {
    await use();
    const code = (await authorise(base, client)).searchParams.get("code") ?? "";
    const res = await exchangeCode(base, client, code, { redirect_uri: "https://app.example/other" });
    expect(await errorOf(res)).toEqual({ status: 400, error: "invalid_grant" });
  });

  it("invalid_client is a 400 at the token endpoint and at extend (TL error codes)", async () => {
    await use();
    const tokens = await connect(base, client, "john", "eternal");
    const wrong = { ...client, clientSecret: "not-the-secret" };
    expect(await errorOf(await refresh(base, wrong, tokens.refresh_token ?? ""))).toEqual({
      status: 400,
      error: "invalid_client",
    });
    const res = await postJson(base, "/data/v1/connections/extend", {
      client_id: client.clientId,
      client_secret: "not-the-secret",
      refresh_token: tokens.refresh_token,
      redirect_uri: client.redirectUri,
      user_has_reconfirmed_consent: true,
      user: { name: "John Doe", email: "john@example.com" },
    });
    expect(await errorOf(res)).toEqual({ status: 400, error: "invalid_client" });
  });

  it("only the last access token works (TL support)", async () => {
    await use();
    const first = await connect(base, client);
    const second = await tokensOf(await refresh(base, client, first.refresh_token ?? ""));
    expect((await getWithToken(base, "/data/v1/me", first.access_token)).status).toBe(401);
    expect((await getWithToken(base, "/data/v1/me", second.access_token)).status).toBe(200);
  });

  it("access tokens are HS256 JWTs carrying the simulator's marker; refresh tokens stay opaque", async () => {
    await use();
    const tokens = await connect(base, client);
    const parts = tokens.access_token.split(".");
    expect(parts).toHaveLength(3);
    expect(parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))).toBe(true);
    expect(decode(parts[0] ?? "")).toEqual({ alg: "HS256", typ: "JWT", kid: "sbx-simulator" });
    expect(decode(parts[1] ?? "")).toMatchObject({ sbx: "at", client_id: client.clientId });
    expect(tokens.refresh_token).toMatch(/^sbx_rt_/);
    const again = await tokensOf(await refresh(base, client, tokens.refresh_token ?? ""));
    expect(again.access_token).not.toBe(tokens.access_token);
  });

  it("every answer carries an X-TL-Correlation-Id, errors and injected faults included (TL headers)", async () => {
    await use();
    const tokens = await connect(base, client, "john", "eternal");
    const me = await getWithToken(base, "/data/v1/me", tokens.access_token);
    const denied = await getWithToken(base, "/data/v1/me", "not-a-token");
    const badForm = await postForm(base, "/connect/token", {});
    await sandboxControls(base, client.clientId).injectFault({ endpoint: "data", kind: "503" });
    const faulted = await getWithToken(base, "/data/v1/me", tokens.access_token);
    const ids = [me, denied, badForm, faulted].map((r) => r.headers.get("x-tl-correlation-id"));
    expect([me.status, denied.status, badForm.status, faulted.status]).toEqual([200, 401, 400, 503]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(4);
  });

  it("rotateRefreshTokens overrides the profile either way", async () => {
    const rotate = profile === "truelayer-sandbox";
    await setProfile(base, client.clientId, { profile, options: { rotateRefreshTokens: rotate } });
    const first = await connect(base, client, "john", "eternal");
    const second = await tokensOf(await refresh(base, client, first.refresh_token ?? ""));
    expect(second.refresh_token === first.refresh_token).toBe(!rotate);
    const answer = await extend(base, client, second.refresh_token ?? "");
    expect(answer.refresh_token === second.refresh_token).toBe(!rotate);
  });
});

describe("extend's no_action_needed answer", () => {
  it("carries neither expires_in nor consent_expires_at under truelayer-sandbox (TL pages promise neither)", async () => {
    const sandboxClient = await newClient(base, { profile: "truelayer-sandbox" });
    const tokens = await connect(base, sandboxClient, "john", "eternal");
    const answer = await extend(base, sandboxClient, tokens.refresh_token ?? "");
    expect(answer.action_needed).toBe("no_action_needed");
    expect(answer.access_token).toBeTruthy();
    expect(Object.keys(answer)).not.toContain("expires_in");
    expect(Object.keys(answer)).not.toContain("consent_expires_at");
  });

  it("carries both under strict", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    const answer = await extend(base, client, tokens.refresh_token ?? "");
    expect(answer).toMatchObject({ expires_in: 3600, consent_expires_at: expect.any(String) });
  });
});

describe("the unattended allowance counts every attempt", () => {
  it("a faulted balance call without X-PSU-IP uses one of the four; with X-PSU-IP none", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    const accounts = (await (await getWithToken(base, "/data/v1/accounts", tokens.access_token)).json()) as {
      results: { account_id: string }[];
    };
    const path = `/data/v1/accounts/${accounts.results[0]?.account_id}/balance`;
    const controls = sandboxControls(base, client.clientId);
    await controls.injectFault({ endpoint: "balance", kind: "503" });
    expect((await getWithToken(base, path, tokens.access_token)).status).toBe(503);
    await controls.injectFault({ endpoint: "balance", kind: "500" });
    expect((await getWithToken(base, path, tokens.access_token, { "x-psu-ip": "203.0.113.9" })).status).toBe(
      500,
    );
    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await getWithToken(base, path, tokens.access_token)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
