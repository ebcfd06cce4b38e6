import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { controlHeaders } from "./control-token";
import { isLoopback } from "./loopback";
import { type Sandbox, startSandbox } from "./server";
import { getControl, newClient, postForm, postJson, refresh, type TestClient } from "./test-support";

const started: Sandbox[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const sandbox of started.splice(0)) await sandbox.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startSandbox>[0] = {}): Promise<string> {
  const sandbox = await startSandbox({ port: 0, dataFile: null, ...options });
  started.push(sandbox);
  return sandbox.url;
}

async function profileOf(base: string, clientId: string) {
  const res = await getControl(base, `/_sandbox/profile?clientId=${encodeURIComponent(clientId)}`);
  return { status: res.status, body: (await res.json()) as { profile?: string; options?: object } };
}

const fixed: TestClient = { clientId: "c1", clientSecret: "s1", redirectUri: "https://app.example/callback" };
const fixedOptions = { ...fixed, redirectUris: [fixed.redirectUri] };

describe("choosing a profile", () => {
  it("defaults to strict everywhere", async () => {
    const base = await start({ clients: [fixedOptions] });
    expect((await profileOf(base, "c1")).body.profile).toBe("strict");
    expect((await profileOf(base, (await newClient(base)).clientId)).body.profile).toBe("strict");
    // strict answers an unknown refresh token with invalid_grant, truelayer-sandbox with invalid_client.
    const unknown = await refresh(base, fixed, "x");
    expect(((await unknown.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("the server profile applies to clients registered without one and to unknown clients", async () => {
    const base = await start({ profile: "truelayer-sandbox", clients: [fixedOptions] });
    expect((await profileOf(base, "c1")).body.profile).toBe("truelayer-sandbox");
    expect((await profileOf(base, (await newClient(base)).clientId)).body.profile).toBe("truelayer-sandbox");
    const unknown = await refresh(base, { ...fixed, clientId: "nobody" }, "x");
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toBe("invalid_client");
  });

  it("a client's own profile wins, at start-up and through POST /_sandbox/clients", async () => {
    const base = await start({ clients: [{ ...fixedOptions, profile: "truelayer-sandbox" }] });
    expect((await profileOf(base, "c1")).body.profile).toBe("truelayer-sandbox");
    const registered = await postJson(base, "/_sandbox/clients", {
      ...fixedOptions,
      clientId: "c2",
      profile: "truelayer-sandbox",
      options: { flakyClientAuth: 2, meLagMs: 0 },
    });
    expect(await registered.json()).toEqual({ clientId: "c2", profile: "truelayer-sandbox" });
    expect((await profileOf(base, "c2")).body.options).toEqual({ flakyClientAuth: "xx", meLagMs: 0 });
  });

  it("POST /_sandbox/profile changes profile and replaces options; GET shows the behaviour", async () => {
    const base = await start({ clients: [fixedOptions] });
    const set = await postJson(base, "/_sandbox/profile", {
      clientId: "c1",
      profile: "truelayer-sandbox",
      options: { bankReturn: { codeParam: "exchange_code" } },
    });
    expect(set.status).toBe(200);
    const body = (await set.json()) as { behaviour: Record<string, unknown> };
    expect(body.behaviour).toMatchObject({
      profile: "truelayer-sandbox",
      rotateRefreshTokens: false,
      rejectedRefreshError: "invalid_client",
      extendAnswerExpiry: false,
      bankReturn: { codeParam: "exchange_code", state: "omit", responseMode: "query" },
      meLagMs: 3_600_000,
    });
    await postJson(base, "/_sandbox/profile", { clientId: "c1", options: { meLagMs: 5 } });
    expect((await profileOf(base, "c1")).body).toMatchObject({
      profile: "truelayer-sandbox",
      options: { meLagMs: 5 },
    });
    await postJson(base, "/_sandbox/profile", { clientId: "c1", profile: "strict" });
    expect((await profileOf(base, "c1")).body).toMatchObject({ profile: "strict", options: {} });
  });

  it("rejects unknown clients, profiles and options", async () => {
    const base = await start({ clients: [fixedOptions] });
    expect((await postJson(base, "/_sandbox/profile", { clientId: "nobody" })).status).toBe(404);
    expect((await profileOf(base, "nobody")).status).toBe(404);
    for (const bad of [
      { profile: "prod" },
      { options: { rotate: true } },
      { options: { flakyClientAuth: "xo" } },
    ]) {
      expect((await postJson(base, "/_sandbox/profile", { clientId: "c1", ...bad })).status).toBe(400);
    }
    expect((await postJson(base, "/_sandbox/clients", { ...fixedOptions, profile: "prod" })).status).toBe(
      400,
    );
  });

  it("keeps profiles in the data file; older files without them load as strict", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-profile-"));
    dirs.push(dir);
    const dataFile = join(dir, "sandbox.json");
    const first = await startSandbox({
      dataFile,
      clients: [{ ...fixedOptions, profile: "truelayer-sandbox" }],
    });
    await first.close();
    const second = await start({ dataFile });
    expect((await profileOf(second, "c1")).body.profile).toBe("truelayer-sandbox");
    const stored = JSON.parse(readFileSync(dataFile, "utf8")) as { clients: Record<string, object> };
    const { profile: _p, options: _o, ...old } = stored.clients.c1 as Record<string, unknown>;
    writeFileSync(dataFile, JSON.stringify({ ...stored, clients: { c1: old } }));
    const third = await start({ dataFile });
    expect((await profileOf(third, "c1")).body.profile).toBe("strict");
  });
});

describe("controls are JSON-only and loopback-only", () => {
  it("POST /_sandbox/reset needs a JSON body: 415 otherwise", async () => {
    const base = await start();
    expect((await postForm(base, "/_sandbox/reset", { clientId: "c1" })).status).toBe(415);
    const token = controlHeaders(base);
    const plain = await fetch(`${base}/_sandbox/reset`, { method: "POST", body: "{}", headers: token });
    expect(plain.status).toBe(415);
    expect((await fetch(`${base}/_sandbox/reset`, { method: "POST", headers: token })).status).toBe(415);
    const empty = await fetch(`${base}/_sandbox/reset`, {
      method: "POST",
      headers: { "content-type": "application/json", ...token },
    });
    expect(empty.status).toBe(400);
    expect((await postJson(base, "/_sandbox/reset", {})).status).toBe(200);
  });

  it("the other POST controls refuse non-JSON too; the echo page still takes a form", async () => {
    const base = await start();
    for (const path of ["/_sandbox/clients", "/_sandbox/clock", "/_sandbox/faults", "/_sandbox/profile"]) {
      expect((await postForm(base, path, { clientId: "c1" })).status).toBe(415);
    }
    expect((await postForm(base, "/_sandbox/echo", { code: "abc" })).status).toBe(200);
  });

  it("refuses to bind a non-loopback address unless the controls are off", async () => {
    await expect(startSandbox({ host: "0.0.0.0", mode: "demo", dataFile: null })).rejects.toThrow(
      /loopback-only/,
    );
    await expect(startSandbox({ host: "192.0.2.1", mode: "test", dataFile: null })).rejects.toThrow(
      /SANDBOX_MODE=off/,
    );
    expect(
      ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"].every(isLoopback),
    ).toBe(true);
    expect(["0.0.0.0", "::", "192.168.1.2", "example.com", "128.0.0.1"].some(isLoopback)).toBe(false);
  });
});
