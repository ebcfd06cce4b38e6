import { describe, expect, it } from "vitest";
import { setProfile } from "./profile-test-support";
import {
  advance,
  base,
  client,
  connect,
  getControl,
  getWithToken,
  postJson,
  refresh,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();

const HOUR = 3600 * 1000;

interface Balance {
  currency: string;
  available: number;
  current: number;
  update_timestamp: string;
}

async function accountIds(token: string): Promise<string[]> {
  const res = await getWithToken(base, "/data/v1/accounts", token);
  return ((await res.json()) as { results: Array<{ account_id: string }> }).results.map((a) => a.account_id);
}

async function firstAccount(token: string): Promise<string> {
  return (await accountIds(token))[0] ?? "";
}

const balancePath = (accountId: string) => `/data/v1/accounts/${accountId}/balance`;

async function balance(token: string, accountId: string, psuIp?: string) {
  return getWithToken(base, balancePath(accountId), token, psuIp ? { "x-psu-ip": psuIp } : {});
}

async function read(res: Response): Promise<Balance> {
  expect(res.status).toBe(200);
  const [value] = ((await res.json()) as { results: Balance[] }).results;
  if (!value) throw new Error("no balance");
  return value;
}

/** A live access token after the clock moved. */
async function renew(tokens: Tokens): Promise<Tokens> {
  const next = (await (await refresh(base, client, tokens.refresh_token ?? "")).json()) as Tokens;
  return next;
}

describe.each(["strict", "truelayer-sandbox"] as const)("balances (%s)", (profile) => {
  it("change with simulated time, deterministically, with the documented fields", async () => {
    await setProfile(base, client.clientId, { profile });
    let tokens = await connect(base, client);
    const account = await firstAccount(tokens.access_token);
    const first = await read(await balance(tokens.access_token, account, "203.0.113.1"));
    expect(Object.keys(first).sort()).toEqual([
      "available",
      "currency",
      "current",
      "overdraft",
      "update_timestamp",
    ]);
    expect(first.currency).toBe("GBP");
    expect(await read(await balance(tokens.access_token, account, "203.0.113.1"))).toEqual(first);
    const seen = new Set([first.current]);
    for (let hour = 0; hour < 3; hour++) {
      await advance(base, client.clientId, { advanceMs: HOUR });
      tokens = await renew(tokens);
      const later = await read(await balance(tokens.access_token, account, "203.0.113.1"));
      expect(Date.parse(later.update_timestamp)).toBeGreaterThan(Date.parse(first.update_timestamp));
      seen.add(later.current);
    }
    expect(seen.size).toBe(4);
  });

  it("allows 4 unattended calls per account per 24 h; the 5th is 429 unattended_calls_limit_exceeded", async () => {
    await setProfile(base, client.clientId, { profile });
    let tokens = await connect(base, client);
    const [account = "", other = ""] = await accountIds(tokens.access_token);
    for (let i = 0; i < 4; i++) expect((await balance(tokens.access_token, account)).status).toBe(200);
    const limited = await balance(tokens.access_token, account);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: string }).error).toBe("unattended_calls_limit_exceeded");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account has its own allowance, and with the user present there is no limit.
    expect((await balance(tokens.access_token, other)).status).toBe(200);
    for (let i = 0; i < 6; i++)
      expect((await balance(tokens.access_token, account, "198.51.100.7")).status).toBe(200);
    await advance(base, client.clientId, { advanceMs: 24 * HOUR });
    tokens = await renew(tokens);
    expect((await balance(tokens.access_token, account)).status).toBe(200);
  });
});

describe("balance faults and the call log", () => {
  it("a balance fault answers 429 with Retry-After and does not touch other data calls", async () => {
    const tokens = await connect(base, client);
    const account = await firstAccount(tokens.access_token);
    const fault = await postJson(base, "/_sandbox/faults", {
      clientId: client.clientId,
      endpoint: "balance",
      kind: "429",
      retryAfterSeconds: 9,
    });
    expect(fault.status).toBe(201);
    expect((await getWithToken(base, "/data/v1/me", tokens.access_token)).status).toBe(200);
    const res = await balance(tokens.access_token, account);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("9");
    expect((await balance(tokens.access_token, account)).status).toBe(200);
  });

  it("records path, connection, X-PSU-IP and status so tests can count calls", async () => {
    const tokens = await connect(base, client);
    const account = await firstAccount(tokens.access_token);
    for (let i = 0; i < 5; i++) await balance(tokens.access_token, account);
    await balance(tokens.access_token, account, "203.0.113.9");
    const log = (await (await getControl(base, `/_sandbox/calls?clientId=${client.clientId}`)).json()) as {
      calls: Array<{ path: string; psuIp: string | null; status: number; credentialsId: string | null }>;
    };
    const calls = log.calls.filter((c) => c.path === balancePath(account));
    expect(calls.map((c) => [c.psuIp, c.status])).toEqual([
      [null, 200],
      [null, 200],
      [null, 200],
      [null, 200],
      [null, 429],
      ["203.0.113.9", 200],
    ]);
    expect(new Set(calls.map((c) => c.credentialsId)).size).toBe(1);
    expect(calls[0]?.credentialsId).toEqual(expect.any(String));
  });
});
