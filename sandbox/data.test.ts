import { describe, expect, it } from "vitest";
import { isValidIban } from "./accounts";
import {
  advance,
  authorise,
  base,
  client,
  connect,
  exchangeCode,
  getControl,
  getWithToken,
  refresh,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();

interface AccountJson {
  account_id: string;
  account_type: string;
  display_name: string;
  currency: string;
  account_number: { iban: string; number: string; sort_code: string; swift_bic?: string };
  provider: { display_name: string; logo_uri: string; provider_id: string };
  update_timestamp: string;
}

async function results<T>(res: Response): Promise<T[]> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: T[]; status: string };
  expect(body.status).toBe("Succeeded");
  return body.results;
}

async function accounts(token: string): Promise<AccountJson[]> {
  return results<AccountJson>(await getWithToken(base, "/data/v1/accounts", token));
}

describe("data endpoints", () => {
  it("GET /me describes the connection", async () => {
    const tokens = await connect(base, client);
    const [me] = await results<Record<string, unknown>>(
      await getWithToken(base, "/data/v1/me", tokens.access_token),
    );
    expect(me).toEqual({
      client_id: client.clientId,
      credentials_id: expect.any(String),
      consent_status: "Authorised",
      consent_created_at: expect.any(String),
      consent_expires_at: expect.any(String),
      provider: {
        display_name: "Mock UK Bank",
        logo_uri: `${base}/_sandbox/logos/uk-cs-mock.svg`,
        provider_id: "uk-cs-mock",
      },
    });
    const created = Date.parse(String(me?.consent_created_at));
    expect(Date.parse(String(me?.consent_expires_at)) - created).toBe(90 * 24 * 60 * 60 * 1000);
  });

  it("lists accounts, one account and its balance", async () => {
    const tokens = await connect(base, client);
    const list = await accounts(tokens.access_token);
    expect(list.length).toBe(2);
    const first = list[0] as AccountJson;
    expect(first.currency).toBe("GBP");
    expect(first.account_type).toBe("TRANSACTION");
    expect(first.account_number.sort_code).toMatch(/^\d{2}-\d{2}-\d{2}$/);
    expect(first.account_number.number).toMatch(/^\d{8}$/);
    expect(isValidIban(first.account_number.iban)).toBe(true);
    expect((await fetch(first.provider.logo_uri)).status).toBe(200);

    const [one] = await results<AccountJson>(
      await getWithToken(base, `/data/v1/accounts/${first.account_id}`, tokens.access_token),
    );
    expect({ ...one, update_timestamp: "" }).toEqual({ ...first, update_timestamp: "" });
    const [balance] = await results<Record<string, unknown>>(
      await getWithToken(base, `/data/v1/accounts/${first.account_id}/balance`, tokens.access_token),
    );
    expect(balance).toEqual({
      currency: "GBP",
      available: 1250.4,
      current: 1310.75,
      overdraft: 500,
      update_timestamp: expect.any(String),
    });
    const missing = await getWithToken(base, "/data/v1/accounts/nope/balance", tokens.access_token);
    expect(missing.status).toBe(404);
  });

  it("john/iban gives each account a distinct valid IBAN; john/multi has 3+ accounts", async () => {
    const ibans = (await accounts((await connect(base, client, "john", "iban")).access_token)).map(
      (a) => a.account_number.iban,
    );
    expect(new Set(ibans).size).toBe(ibans.length);
    expect(ibans.every(isValidIban)).toBe(true);
    const doe = (await accounts((await connect(base, client)).access_token)).map(
      (a) => a.account_number.iban,
    );
    expect(new Set(doe).size).toBe(1);
    const multi = await accounts((await connect(base, client, "john", "multi")).access_token);
    expect(multi.length).toBeGreaterThanOrEqual(3);
    expect(new Set(multi.map((a) => a.account_id)).size).toBe(multi.length);
  });

  it("answers 401 without, with unknown, or with an expired access token", async () => {
    const tokens = await connect(base, client);
    expect((await fetch(`${base}/data/v1/me`)).status).toBe(401);
    const unknown = await getWithToken(base, "/data/v1/me", "sbx_at_unknown");
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: string }).error).toBe("unauthorized");
    await advance(base, client.clientId, { advanceMs: 3600 * 1000 });
    expect((await getWithToken(base, "/data/v1/accounts", tokens.access_token)).status).toBe(401);
  });

  it("answers 403 access_denied once the 90-day consent has lapsed", async () => {
    let tokens = await connect(base, client);
    for (let i = 0; i < 3; i++) {
      await advance(base, client.clientId, { advanceDays: 25 });
      tokens = (await (await refresh(base, client, tokens.refresh_token ?? "")).json()) as Tokens;
    }
    await advance(base, client.clientId, { advanceMs: 15 * 24 * 3600 * 1000 - 30 * 60 * 1000 });
    tokens = (await (await refresh(base, client, tokens.refresh_token ?? "")).json()) as Tokens;
    expect((await getWithToken(base, "/data/v1/me", tokens.access_token)).status).toBe(200);
    await advance(base, client.clientId, { advanceMs: 31 * 60 * 1000 });
    const res = await getWithToken(base, "/data/v1/accounts", tokens.access_token);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe("access_denied");
  });

  it("answers 403 insufficient_scope for data outside the granted scope", async () => {
    const back = await authorise(base, client, { extra: { scope: "info" } });
    const res = await exchangeCode(base, client, back.searchParams.get("code") ?? "");
    const tokens = (await res.json()) as Tokens;
    expect((await getWithToken(base, "/data/v1/me", tokens.access_token)).status).toBe(200);
    expect((await getWithToken(base, "/data/v1/accounts", tokens.access_token)).status).toBe(403);
  });

  it.each([
    ["account_permanently_locked", 403],
    ["account_temporarily_locked", 403],
    ["internal_error", 500],
    ["provider_error", 502],
    ["user_input_required", 403],
    ["wrong_credentials", 401],
  ])("error.%s fails every data call with that code", async (code, status) => {
    const tokens = await connect(base, client, `error.${code}`, "error");
    for (const path of ["/data/v1/me", "/data/v1/accounts"]) {
      const res = await getWithToken(base, path, tokens.access_token);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toBe(code);
    }
  });
});

describe("DELETE /api/delete", () => {
  it("revokes the connection: data 401, refresh invalid_grant, second delete 401", async () => {
    const tokens = await connect(base, client);
    const del = () =>
      fetch(`${base}/api/delete`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
    const res = await del();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await getWithToken(base, "/data/v1/me", tokens.access_token)).status).toBe(401);
    const again = await refresh(base, client, tokens.refresh_token ?? "");
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await del()).status).toBe(401);
    const listed = await getControl(
      base,
      `/_sandbox/connections?clientId=${encodeURIComponent(client.clientId)}`,
    );
    const { connections } = (await listed.json()) as { connections: Array<{ status: string }> };
    expect(connections[0]?.status).toBe("revoked");
  });
});

describe("unsupported data endpoints", () => {
  it("answers 501 endpoint_not_supported", async () => {
    const tokens = await connect(base, client);
    const res = await getWithToken(base, "/data/v1/cards", tokens.access_token);
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: string }).error).toBe("endpoint_not_supported");
  });
});
