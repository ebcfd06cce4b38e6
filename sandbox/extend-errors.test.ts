import { describe, expect, it } from "vitest";
import {
  advance,
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

async function extend(
  refreshToken: string,
  extra: Record<string, unknown> = {},
  path = "/data/v1/connections/extend",
) {
  return postJson(base, path, extendBody(client, refreshToken, extra));
}

describe("connections/extend errors", () => {
  async function expectError(res: Response, status: number, error: string) {
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string; errors?: Record<string, string[]> };
    expect(body.error).toBe(error);
    return body;
  }

  it("returns validation_error with a message per field", async () => {
    const body = await expectError(
      await postJson(base, "/data/v1/connections/extend", {}),
      400,
      "validation_error",
    );
    expect(Object.keys(body.errors ?? {}).sort()).toEqual(
      [
        "client_id",
        "client_secret",
        "redirect_uri",
        "refresh_token",
        "user",
        "user_has_reconfirmed_consent",
      ].sort(),
    );
    const tokens = await connect(base, client);
    const bad = await expectError(
      await extend(tokens.refresh_token ?? "", { user_has_reconfirmed_consent: false, user: { name: " " } }),
      400,
      "validation_error",
    );
    expect(bad.errors?.["user.name"]).toHaveLength(1);
    expect(bad.errors?.["user.email"]?.[0]).toMatch(/email or user.phone/);
    expect(bad.errors?.user_has_reconfirmed_consent).toHaveLength(1);
    const email = await expectError(
      await extend(tokens.refresh_token ?? "", { user: { name: "J", email: "not-an-email" } }),
      400,
      "validation_error",
    );
    expect(email.errors?.["user.email"]).toBeDefined();
    const phone = await extend(tokens.refresh_token ?? "", { user: { name: "J", phone: "+44 7700 900123" } });
    expect(phone.status).toBe(200);
  });

  it("rejects non-JSON, bad clients, unknown redirect URIs and dead refresh tokens", async () => {
    const tokens = await connect(base, client);
    await expectError(
      await postForm(base, "/data/v1/connections/extend", { a: "b" }),
      400,
      "invalid_request",
    );
    await expectError(
      await extend(tokens.refresh_token ?? "", { client_secret: "wrong" }),
      400,
      "invalid_client",
    );
    const redirect = await expectError(
      await extend(tokens.refresh_token ?? "", { redirect_uri: "https://evil.example/cb" }),
      400,
      "validation_error",
    );
    expect(redirect.errors?.redirect_uri).toBeDefined();
    await expectError(await extend("sbx_rt_unknown"), 400, "invalid_grant");
    await fetch(`${base}/api/delete`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    await expectError(await extend(tokens.refresh_token ?? ""), 400, "invalid_grant");
  });

  it("rejects an idle-expired refresh token", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    await advance(base, client.clientId, { advanceDays: 31 });
    await expectError(await extend(tokens.refresh_token ?? ""), 400, "invalid_grant");
  });

  it("answers 400 consent_screen_not_reviewed before TrueLayer approves the screen", async () => {
    replaceClient(await newClient(base, { consentScreenReviewed: false }));
    const tokens = await connect(base, client, "john", "eternal");
    await expectError(await extend(tokens.refresh_token ?? ""), 400, "consent_screen_not_reviewed");
  });

  it("answers 403 unauthorized_client when extend is not enabled", async () => {
    replaceClient(await newClient(base, { extendEnabled: false }));
    const tokens = await connect(base, client, "john", "eternal");
    await expectError(await extend(tokens.refresh_token ?? ""), 403, "unauthorized_client");
  });
});

describe("v1/reauthuri (superseded)", () => {
  it("returns a bank re-auth URL that leads to a code", async () => {
    const tokens = await connect(base, client);
    const res = await postJson(base, "/v1/reauthuri", {
      response_type: "code",
      refresh_token: tokens.refresh_token,
      redirect_uri: client.redirectUri,
      state: "r1",
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { success: boolean; result: string };
    expect(body.success).toBe(true);
    const approved = await postForm(base, `${new URL(body.result).pathname}/approve`, { password: "doe" });
    const back = location(approved);
    expect(back.searchParams.get("state")).toBe("r1");
    expect((await exchangeCode(base, client, back.searchParams.get("code") ?? "")).status).toBe(200);
  });

  it("rejects unknown refresh tokens and foreign redirect URIs", async () => {
    const tokens = await connect(base, client);
    const unknown = await postJson(base, "/v1/reauthuri", {
      response_type: "code",
      refresh_token: "sbx_rt_unknown",
      redirect_uri: client.redirectUri,
    });
    expect(unknown.status).toBe(400);
    const foreign = await postJson(base, "/v1/reauthuri", {
      response_type: "code",
      refresh_token: tokens.refresh_token,
      redirect_uri: "https://evil.example/cb",
    });
    expect(foreign.status).toBe(400);
  });
});
