import { beforeEach, describe, expect, it } from "vitest";
import { bankTrip, extend, setProfile } from "./profile-test-support";
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
  newClient,
  postJson,
  refresh,
  type Tokens,
  withSandbox,
} from "./test-support";

withSandbox();
beforeEach(() => setProfile(base, client.clientId, { profile: "truelayer-sandbox" }));

async function expectError(res: Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(((await res.json()) as { error: string }).error).toBe(error);
}

const tokensOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
};

describe("truelayer-sandbox: refresh tokens do not rotate", () => {
  it("answers a refresh_token grant with the same refresh token, which keeps working", async () => {
    const first = await connect(base, client);
    const second = await tokensOf(await refresh(base, client, first.refresh_token ?? ""));
    expect(second.refresh_token).toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await refresh(base, client, first.refresh_token ?? "")).status).toBe(200);
  });

  it("extend no_action_needed (john/eternal) returns the refresh token it was sent", async () => {
    const tokens = await connect(base, client, "john", "eternal");
    const answer = await extend(base, client, tokens.refresh_token ?? "");
    expect(answer.action_needed).toBe("no_action_needed");
    expect(answer.refresh_token).toBe(tokens.refresh_token);
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(200);
  });

  it("john/norotate still returns no refresh token", async () => {
    const tokens = await connect(base, client, "john", "norotate");
    expect((await extend(base, client, tokens.refresh_token ?? "")).refresh_token).toBeUndefined();
  });

  it("a bank re-authentication code gives back the same refresh token", async () => {
    const { res, tokens } = await bankTrip(base, client);
    const fresh = await tokensOf(
      await exchangeCode(base, client, location(res).searchParams.get("code") ?? ""),
    );
    expect(fresh.refresh_token).toBe(tokens.refresh_token);
  });
});

describe("truelayer-sandbox: only the last access token is valid", () => {
  it("kills the earlier access token on refresh", async () => {
    const first = await connect(base, client);
    const second = await tokensOf(await refresh(base, client, first.refresh_token ?? ""));
    expect((await getWithToken(base, "/data/v1/me", first.access_token)).status).toBe(401);
    expect((await getWithToken(base, "/data/v1/me", second.access_token)).status).toBe(200);
  });
});

describe("truelayer-sandbox: invalid_client", () => {
  it("is a 400 at /connect/token, extend and reauthuri", async () => {
    const tokens = await connect(base, client);
    const wrong = { ...client, clientSecret: "wrong" };
    await expectError(await refresh(base, wrong, tokens.refresh_token ?? ""), 400, "invalid_client");
    await expectError(
      await postJson(base, "/data/v1/connections/extend", extendBody(wrong, tokens.refresh_token ?? "")),
      400,
      "invalid_client",
    );
    const reauth = await postJson(base, "/v1/reauthuri", {
      response_type: "code",
      refresh_token: tokens.refresh_token,
      redirect_uri: client.redirectUri,
      client_id: client.clientId,
      client_secret: "wrong",
    });
    await expectError(reauth, 400, "invalid_client");
  });

  it("answers a bad, foreign or revoked refresh token with 400 invalid_client", async () => {
    const tokens = await connect(base, client);
    await expectError(await refresh(base, client, "sbx_rt_never_valid"), 400, "invalid_client");
    const other = await newClient(base, { profile: "truelayer-sandbox" });
    await expectError(await refresh(base, other, tokens.refresh_token ?? ""), 400, "invalid_client");
    await fetch(`${base}/api/delete`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    await expectError(await refresh(base, client, tokens.refresh_token ?? ""), 400, "invalid_client");
  });

  it("keeps invalid_grant for an idle-expired refresh token", async () => {
    const tokens = await connect(base, client);
    await advance(base, client.clientId, { advanceDays: 31 });
    await expectError(await refresh(base, client, tokens.refresh_token ?? ""), 400, "invalid_grant");
  });

  it("flakyClientAuth N fails the next N token calls even with the right secret", async () => {
    const tokens = await connect(base, client);
    await setProfile(base, client.clientId, {
      profile: "truelayer-sandbox",
      options: { flakyClientAuth: 2 },
    });
    await expectError(await refresh(base, client, tokens.refresh_token ?? ""), 400, "invalid_client");
    await expectError(await refresh(base, client, tokens.refresh_token ?? ""), 400, "invalid_client");
    expect((await refresh(base, client, tokens.refresh_token ?? "")).status).toBe(200);
  });

  it("a flakyClientAuth pattern fails the calls marked x, and the token is untouched", async () => {
    const tokens = await connect(base, client);
    await setProfile(base, client.clientId, { options: { flakyClientAuth: "x.x" } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await refresh(base, client, tokens.refresh_token ?? "")).status);
    expect(statuses).toEqual([400, 200, 400, 200]);
    const state = (await (
      await getControl(base, `/_sandbox/profile?clientId=${client.clientId}`)
    ).json()) as {
      options: Record<string, unknown>;
    };
    expect(state.options.flakyClientAuth).toBeUndefined();
  });

  it("under strict, flaky client auth is the same 400", async () => {
    const tokens = await connect(base, client);
    await setProfile(base, client.clientId, { profile: "strict", options: { flakyClientAuth: 1 } });
    await expectError(await refresh(base, client, tokens.refresh_token ?? ""), 400, "invalid_client");
  });
});
