import { describe, expect, it } from "vitest";
import { pkceChallenge } from "./secrets";
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

async function codeFor(extra: Record<string, string> = {}): Promise<string> {
  return (await authorise(base, client, { extra })).searchParams.get("code") ?? "";
}

async function expectError(res: Response, status: number, error: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(body.error_description).toEqual(expect.any(String));
}

describe("authorization_code grant", () => {
  it("exchanges a code for tokens", async () => {
    const res = await exchangeCode(base, client, await codeFor());
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Tokens;
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/),
      refresh_token: expect.stringMatching(/^sbx_rt_/),
      expires_in: 3600,
      token_type: "Bearer",
      scope: "info accounts balance offline_access",
    });
  });

  it("gives no refresh token without offline_access", async () => {
    const res = await exchangeCode(base, client, await codeFor({ scope: "info accounts" }));
    const tokens = (await res.json()) as Tokens;
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe("info accounts");
  });

  it("accepts each code once", async () => {
    const code = await codeFor();
    expect((await exchangeCode(base, client, code)).status).toBe(200);
    await expectError(await exchangeCode(base, client, code), 400, "invalid_authorization_code");
  });

  it("expires codes after 5 minutes", async () => {
    const code = await codeFor();
    await advance(base, client.clientId, { advanceMs: 5 * 60 * 1000 + 1 });
    await expectError(await exchangeCode(base, client, code), 400, "invalid_authorization_code");
  });

  it("requires the same redirect_uri", async () => {
    const code = await codeFor();
    await expectError(
      await exchangeCode(base, client, code, { redirect_uri: "https://app.example/other" }),
      400,
      "invalid_grant",
    );
    expect((await exchangeCode(base, client, code)).status).toBe(200);
  });

  it("enforces PKCE when the link had a code_challenge", async () => {
    const verifier = `${"v".repeat(20)}-verifier-0123456789abcdefghijklmnop`;
    const code = await codeFor({ code_challenge: pkceChallenge(verifier), code_challenge_method: "S256" });
    await expectError(await exchangeCode(base, client, code), 400, "invalid_grant");
    await expectError(
      await exchangeCode(base, client, code, { code_verifier: "wrong" }),
      400,
      "invalid_grant",
    );
    expect((await exchangeCode(base, client, code, { code_verifier: verifier })).status).toBe(200);
  });

  it("rejects a code_verifier when the link had no challenge", async () => {
    await expectError(
      await exchangeCode(base, client, await codeFor(), { code_verifier: "x" }),
      400,
      "invalid_request",
    );
  });

  it("rejects bad clients, JSON bodies, missing and unknown grant types", async () => {
    const code = await codeFor();
    await expectError(
      await exchangeCode(base, { ...client, clientSecret: "wrong" }, code),
      400,
      "invalid_client",
    );
    await expectError(
      await exchangeCode(base, { ...client, clientId: "unknown" }, code),
      400,
      "invalid_client",
    );
    await expectError(
      await postJson(base, "/connect/token", { grant_type: "authorization_code", code }),
      400,
      "invalid_request",
    );
    const creds = { client_id: client.clientId, client_secret: client.clientSecret };
    await expectError(await postForm(base, "/connect/token", creds), 400, "invalid_request");
    await expectError(
      await postForm(base, "/connect/token", { ...creds, grant_type: "password" }),
      400,
      "unsupported_grant_type",
    );
    await expectError(
      await exchangeCode(base, client, "sbx_code_made_up"),
      400,
      "invalid_authorization_code",
    );
  });

  it("does not accept another client's code", async () => {
    const other = await newClient(base);
    const code = await codeFor();
    await expectError(await exchangeCode(base, other, code), 400, "invalid_authorization_code");
  });
});

describe("refresh_token grant", () => {
  it("rotates: the new refresh token works and the old one dies", async () => {
    const first = await connect(base, client);
    const res = await refresh(base, client, first.refresh_token ?? "");
    expect(res.status).toBe(200);
    const second = (await res.json()) as Tokens;
    expect(second.refresh_token).toMatch(/^sbx_rt_/);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await getWithToken(base, "/data/v1/me", second.access_token)).status).toBe(200);
    await expectError(await refresh(base, client, first.refresh_token ?? ""), 400, "invalid_grant");
    expect((await refresh(base, client, second.refresh_token ?? "")).status).toBe(200);
  });

  it("expires a refresh token after 30 days without use", async () => {
    const used = await connect(base, client);
    const idle = await connect(base, client);
    await advance(base, client.clientId, { advanceDays: 29 });
    const kept = (await (await refresh(base, client, used.refresh_token ?? "")).json()) as Tokens;
    await advance(base, client.clientId, { advanceDays: 2 });
    await expectError(await refresh(base, client, idle.refresh_token ?? ""), 400, "invalid_grant");
    expect((await refresh(base, client, kept.refresh_token ?? "")).status).toBe(200);
  });

  it("stops refreshing once the 90-day consent has lapsed", async () => {
    let tokens = await connect(base, client);
    for (let day = 0; day < 3; day++) {
      await advance(base, client.clientId, { advanceDays: 25 });
      tokens = (await (await refresh(base, client, tokens.refresh_token ?? "")).json()) as Tokens;
    }
    await advance(base, client.clientId, { advanceDays: 16 });
    await expectError(await refresh(base, client, tokens.refresh_token ?? ""), 400, "invalid_grant");
  });

  it("rejects a refresh token used by another client", async () => {
    const tokens = await connect(base, client);
    const other = await newClient(base);
    await expectError(await refresh(base, other, tokens.refresh_token ?? ""), 400, "invalid_grant");
  });
});
