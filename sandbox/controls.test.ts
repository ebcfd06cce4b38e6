import { describe, expect, it } from "vitest";
import { startSandbox } from "./server";
import {
  advance,
  authorise,
  base,
  client,
  connect,
  exchangeCode,
  extendBody,
  getControl,
  getWithToken,
  newClient,
  postJson,
  refresh,
  type TestClient,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();

async function calls(clientId = client.clientId) {
  const res = await getControl(base, `/_sandbox/calls?clientId=${encodeURIComponent(clientId)}`);
  return ((await res.json()) as { calls: Array<Record<string, unknown>> }).calls;
}

describe("call log", () => {
  it("records calls with X-PSU-IP and never shows a token, code or secret", async () => {
    const back = await authorise(base, client);
    const code = back.searchParams.get("code") ?? "";
    const tokens = (await (await exchangeCode(base, client, code)).json()) as Tokens;
    await getWithToken(base, "/data/v1/me", tokens.access_token, { "x-psu-ip": "203.0.113.9" });
    const rotated = (await (await refresh(base, client, tokens.refresh_token ?? "")).json()) as Tokens;
    await postJson(base, "/data/v1/connections/extend", extendBody(client, rotated.refresh_token ?? ""));

    const log = await calls();
    const text = JSON.stringify(log);
    for (const secret of [
      code,
      tokens.access_token,
      tokens.refresh_token,
      rotated.refresh_token,
      client.clientSecret,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[REDACTED]");
    const me = log.find((c) => c.path === "/data/v1/me");
    expect(me).toMatchObject({ method: "GET", status: 200, clientId: client.clientId, psuIp: "203.0.113.9" });
    const token = log.find((c) => c.path === "/connect/token");
    expect(token?.body).toMatchObject({ grant_type: "authorization_code", code: "[REDACTED]" });
    expect(log.map((c) => c.path)).toContain("/_dialog/[REDACTED]/login");
  });
});

describe("clock, reset and inspection", () => {
  it("keeps each client's clock separate", async () => {
    const other = await newClient(base);
    const mine = await connect(base, client);
    const theirs = await connect(base, other);
    await advance(base, client.clientId, { advanceDays: 31 });
    expect((await refresh(base, client, mine.refresh_token ?? "")).status).toBe(400);
    expect((await refresh(base, other, theirs.refresh_token ?? "")).status).toBe(200);
    const clock = await (await getControl(base, `/_sandbox/clock?clientId=${client.clientId}`)).json();
    expect(clock).toMatchObject({ offsetMs: 31 * 24 * 3600 * 1000 });
    await postJson(base, "/_sandbox/clock", { clientId: client.clientId, offsetMs: 0 });
    expect(
      await (await getControl(base, `/_sandbox/clock?clientId=${client.clientId}`)).json(),
    ).toMatchObject({
      offsetMs: 0,
    });
  });

  it("lists connections without tokens and resets one client only", async () => {
    const other = await newClient(base);
    await connect(base, client, "john", "multi");
    await connect(base, other);
    const listed = await getControl(
      base,
      `/_sandbox/connections?clientId=${encodeURIComponent(client.clientId)}`,
    );
    const text = await listed.text();
    expect(text).not.toMatch(/sbx_(at|rt)_|eyJ/);
    const { connections } = JSON.parse(text) as { connections: Array<Record<string, unknown>> };
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      persona: "multi",
      status: "active",
      provider: { provider_id: "uk-cs-mock" },
    });

    expect((await postJson(base, "/_sandbox/reset", { clientId: client.clientId })).status).toBe(200);
    const countFor = async (c: TestClient) =>
      (
        (await (await getControl(base, `/_sandbox/connections?clientId=${c.clientId}`)).json()) as {
          connections: [];
        }
      ).connections.length;
    expect(await countFor(client)).toBe(0);
    expect(await countFor(other)).toBe(1);
    expect(await calls()).toHaveLength(0);
  });

  it("ages one connection's consent without touching the clock or its refresh token", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    const me = await getWithToken(base, "/data/v1/me", tokens.access_token);
    const before = (
      (await me.json()) as { results: Array<{ credentials_id: string; consent_expires_at: string }> }
    ).results[0];
    if (!before) throw new Error("no /me result");
    const aged = await postJson(base, "/_sandbox/connections/age", {
      clientId: client.clientId,
      credentialsId: before.credentials_id,
      days: 85,
    });
    expect(aged.status).toBe(200);
    const { consent_expires_at } = (await aged.json()) as { consent_expires_at: string };
    expect(Date.parse(before.consent_expires_at) - Date.parse(consent_expires_at)).toBe(85 * 86_400_000);
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(200);
    const foreign = await postJson(base, "/_sandbox/connections/age", {
      clientId: (await newClient(base)).clientId,
      credentialsId: before.credentials_id,
      days: 1,
    });
    expect(foreign.status).toBe(404);
  });

  it("echo page prints what it received", async () => {
    const html = await (await fetch(`${base}/_sandbox/echo?code=abc&state=s`)).text();
    expect(html).toContain("abc");
  });

  it("validates client registration", async () => {
    expect((await postJson(base, "/_sandbox/clients", { clientId: "x" })).status).toBe(400);
  });
});

describe("mode off", () => {
  it("hides the controls but still serves logos and the API", async () => {
    const off = await startSandbox({
      mode: "off",
      dataFile: null,
      clients: [{ clientId: "c", clientSecret: "s", redirectUris: ["https://app.example/callback"] }],
    });
    try {
      expect((await postJson(off.url, "/_sandbox/clients", {})).status).toBe(404);
      expect((await getControl(off.url, `/_sandbox/calls`)).status).toBe(404);
      expect((await fetch(`${off.url}/_sandbox/logos/uk-cs-mock.svg`)).status).toBe(200);
      const tokens = await connect(off.url, {
        clientId: "c",
        clientSecret: "s",
        redirectUri: "https://app.example/callback",
      });
      expect(tokens.access_token.split(".")).toHaveLength(3);
    } finally {
      await off.close();
    }
  });
});
