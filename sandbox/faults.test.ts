import { describe, expect, it } from "vitest";
import {
  base,
  client,
  connect,
  extendBody,
  getWithToken,
  newClient,
  postJson,
  refresh,
  type TestClient,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();

async function fault(body: Record<string, unknown>) {
  const res = await postJson(base, "/_sandbox/faults", { clientId: client.clientId, count: 1, ...body });
  expect(res.status).toBe(201);
}

describe("faults", () => {
  it("500 and 503 answer without doing the work, for count calls", async () => {
    const tokens = await connect(base, client);
    await fault({ endpoint: "token", kind: "500", count: 2 });
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(500);
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(500);
    await fault({ endpoint: "token", kind: "503" });
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(503);
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(200);
  });

  it("429 carries Retry-After", async () => {
    const tokens = await connect(base, client);
    await fault({ endpoint: "data", kind: "429", retryAfterSeconds: 7 });
    const res = await getWithToken(base, "/data/v1/me", tokens.access_token);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect((await getWithToken(base, "/data/v1/me", tokens.access_token)).status).toBe(200);
  });

  it("delay slows the call down and then answers normally", async () => {
    const tokens = await connect(base, client);
    await fault({ endpoint: "data", kind: "delay", ms: 300 });
    const started = Date.now();
    const res = await getWithToken(base, "/data/v1/me", tokens.access_token);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.status).toBe(200);
  });

  it("malformed_json sends an unparseable 200 body", async () => {
    const tokens = await connect(base, client);
    await fault({ endpoint: "extend", kind: "malformed_json" });
    const res = await postJson(
      base,
      "/data/v1/connections/extend",
      extendBody(client, tokens.refresh_token ?? ""),
    );
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it("reset destroys the socket", async () => {
    const tokens = await connect(base, client);
    await fault({ endpoint: "delete", kind: "reset" });
    const del = () =>
      fetch(`${base}/api/delete`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
    await expect(del()).rejects.toThrow();
    expect((await del()).status).toBe(200);
  });

  it("lost_response does the work but the caller sees a 502", async () => {
    const tokens = await connect(base, client);
    await fault({ endpoint: "token", kind: "lost_response" });
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(502);
    // The rotation happened, so the old refresh token is now dead.
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(400);
  });

  it("applies to reauthuri and only to the named client", async () => {
    const other = await newClient(base);
    const tokens = await connect(base, client);
    const otherTokens = await connect(base, other);
    await fault({ endpoint: "reauthuri", kind: "500" });
    const ask = (t: Tokens, c: TestClient) =>
      postJson(base, "/v1/reauthuri", {
        response_type: "code",
        refresh_token: t.refresh_token,
        redirect_uri: c.redirectUri,
        client_id: c.clientId,
        client_secret: c.clientSecret,
      });
    expect((await ask(otherTokens, other)).status).toBe(200);
    expect((await ask(tokens, client)).status).toBe(500);
  });

  it("rejects invalid fault requests", async () => {
    const res = await postJson(base, "/_sandbox/faults", { endpoint: "nope", kind: "500" });
    expect(res.status).toBe(400);
  });
});
