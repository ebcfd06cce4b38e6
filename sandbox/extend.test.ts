import { describe, expect, it } from "vitest";
import {
  advance,
  base,
  client,
  connect,
  exchangeCode,
  extendBody,
  getControl,
  getWithToken,
  location,
  postForm,
  postJson,
  refresh,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();

const DAY = 24 * 60 * 60 * 1000;

interface ExtendResponse extends Partial<Tokens> {
  action_needed: string;
  user_input_link?: string;
  consent_expires_at?: string;
}

async function extend(
  refreshToken: string,
  extra: Record<string, unknown> = {},
  path = "/data/v1/connections/extend",
) {
  return postJson(base, path, extendBody(client, refreshToken, extra));
}

async function credentialsId(accessToken: string): Promise<string> {
  const me = (await (await getWithToken(base, "/data/v1/me", accessToken)).json()) as {
    results: Array<{ credentials_id: string; consent_expires_at: string }>;
  };
  return me.results[0]?.credentials_id ?? "";
}

async function consentExpiry(): Promise<number> {
  const res = await getControl(base, `/_sandbox/connections?clientId=${encodeURIComponent(client.clientId)}`);
  const { connections } = (await res.json()) as { connections: Array<{ consent_expires_at: string }> };
  return Date.parse(connections[0]?.consent_expires_at ?? "");
}

describe("connections/extend branches", () => {
  it("john/eternal: no_action_needed with rotated tokens and 90 more days", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    await advance(base, client.clientId, { advanceDays: 20 });
    const res = await extend(tokens.refresh_token ?? "");
    expect(res.status).toBe(200);
    const body = (await res.json()) as ExtendResponse;
    expect(body.action_needed).toBe("no_action_needed");
    expect(body.access_token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.expires_in).toBe(3600);
    expect(body.token_type).toBe("Bearer");
    expect(body.refresh_token).toMatch(/^sbx_rt_/);
    const expires = Date.parse(body.consent_expires_at ?? "");
    expect(Math.abs(expires - (Date.now() + 110 * DAY))).toBeLessThan(60_000);
    expect(await consentExpiry()).toBe(expires);
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(400);
    expect((await refresh(base, client, body.refresh_token ?? "")).status).toBe(200);
  });

  it("john/norotate: no_action_needed without a refresh token; the sent one stays valid", async () => {
    const tokens = await connect(base, client, "john", "norotate");
    const body = (await (await extend(tokens.refresh_token ?? "")).json()) as ExtendResponse;
    expect(body.action_needed).toBe("no_action_needed");
    expect(body.access_token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.refresh_token).toBeUndefined();
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(200);
  });

  it("john/doe: authentication_needed, bank re-auth, code for the same connection", async () => {
    const tokens = await connect(base, client);
    const id = await credentialsId(tokens.access_token);
    await advance(base, client.clientId, { advanceDays: 20 });
    const body = (await (await extend(tokens.refresh_token ?? "")).json()) as ExtendResponse;
    expect(body.action_needed).toBe("authentication_needed");
    const link = new URL(body.user_input_link ?? "");
    expect(link.pathname).toMatch(/^\/_bank\/reauth\//);
    const page = await (await fetch(link)).text();
    expect(page).toContain("Re-authenticate with Mock UK Bank");

    const wrong = await postForm(base, `${link.pathname}/approve`, { password: "nope" });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain("incorrect");
    const approved = await postForm(base, `${link.pathname}/approve`, { password: "doe" });
    expect(approved.status).toBe(302);
    const back = location(approved);
    expect(`${back.origin}${back.pathname}`).toBe(client.redirectUri);
    expect(back.searchParams.has("state")).toBe(false);
    const res = await exchangeCode(base, client, back.searchParams.get("code") ?? "");
    expect(res.status).toBe(200);
    const fresh = (await res.json()) as Tokens;
    expect(await credentialsId(fresh.access_token)).toBe(id);
    expect(Math.abs((await consentExpiry()) - (Date.now() + 110 * DAY))).toBeLessThan(60_000);
    expect((await fetch(link)).status).toBe(400);
  });

  it("passes a state given in the extend body through the bank redirect", async () => {
    const tokens = await connect(base, client);
    const body = (await (
      await extend(tokens.refresh_token ?? "", { state: "xyz" })
    ).json()) as ExtendResponse;
    const path = new URL(body.user_input_link ?? "").pathname;
    const approved = await postForm(base, `${path}/approve`, { password: "doe" });
    expect(location(approved).searchParams.get("state")).toBe("xyz");
  });

  it("john/cancel: the bank page only ends in access_denied", async () => {
    const tokens = await connect(base, client, "john", "cancel");
    const body = (await (await extend(tokens.refresh_token ?? "")).json()) as ExtendResponse;
    expect(body.action_needed).toBe("authentication_needed");
    const path = new URL(body.user_input_link ?? "").pathname;
    const res = await postForm(base, `${path}/approve`, { password: "cancel" });
    expect(location(res).searchParams.get("error")).toBe("access_denied");
    expect(location(res).searchParams.get("code")).toBeNull();
  });

  it("john/reconfirm: reconfirmation_of_consent_needed via the auth dialog", async () => {
    const tokens = await connect(base, client, "john", "reconfirm");
    const id = await credentialsId(tokens.access_token);
    const body = (await (await extend(tokens.refresh_token ?? "")).json()) as ExtendResponse;
    expect(body.action_needed).toBe("reconfirmation_of_consent_needed");
    const opened = await fetch(body.user_input_link ?? "", { redirect: "manual" });
    expect(opened.status).toBe(303);
    const dialog = location(opened).pathname;
    const page = await (await fetch(`${base}${dialog}`)).text();
    expect(page).toContain("Reconfirm access to Mock UK Bank");
    expect(page).toContain('value="john"');
    const other = await postForm(base, `${dialog}/login`, { username: "john", password: "doe" });
    expect(await other.text()).toContain("same user");
    const done = await postForm(base, `${dialog}/login`, { username: "john", password: "reconfirm" });
    const code = location(done).searchParams.get("code") ?? "";
    const fresh = (await (await exchangeCode(base, client, code)).json()) as Tokens;
    expect(await credentialsId(fresh.access_token)).toBe(id);
  });

  it("also answers on /connections/extend", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    const res = await extend(tokens.refresh_token ?? "", {}, "/connections/extend");
    expect(((await res.json()) as ExtendResponse).action_needed).toBe("no_action_needed");
  });

  it("extends a connection whose 90-day consent has lapsed", async () => {
    let tokens = await connect(base, client, "john", "eternal");
    for (let i = 0; i < 3; i++) {
      await advance(base, client.clientId, { advanceDays: 25 });
      tokens = (await (await refresh(base, client, tokens.refresh_token ?? "")).json()) as Tokens;
    }
    await advance(base, client.clientId, { advanceDays: 16 });
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(400);
    const body = (await (await extend(tokens.refresh_token ?? "")).json()) as ExtendResponse;
    expect(body.action_needed).toBe("no_action_needed");
    expect((await getWithToken(base, "/data/v1/me", body.access_token ?? "")).status).toBe(200);
  });
});
