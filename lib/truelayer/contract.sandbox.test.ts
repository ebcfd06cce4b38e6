import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createTrueLayerClient, type TrueLayerClient } from "./client";

// The same key checks as the simulator tests, pointed at auth/api.truelayer-sandbox.com. Needs a
// Console sandbox app and a connection made with a mock user (john/eternal makes extend answer
// no_action_needed). TrueLayer may rotate the refresh token on every use: set
// TRUELAYER_SANDBOX_REFRESH_TOKEN_FILE to a file holding it and the test writes the new one back.
const env = (name: string) => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};
const tokenFile = env("TRUELAYER_SANDBOX_REFRESH_TOKEN_FILE");
const config = {
  clientId: env("TRUELAYER_SANDBOX_CLIENT_ID"),
  clientSecret: env("TRUELAYER_SANDBOX_CLIENT_SECRET"),
  redirectUri: env("TRUELAYER_SANDBOX_REDIRECT_URI"),
  refreshToken:
    tokenFile && existsSync(tokenFile)
      ? readFileSync(tokenFile, "utf8").trim()
      : env("TRUELAYER_SANDBOX_REFRESH_TOKEN"),
};
const ready = Boolean(config.clientId && config.clientSecret && config.redirectUri && config.refreshToken);
const title = ready
  ? "TrueLayer real sandbox contract"
  : "skipped: set TRUELAYER_SANDBOX_CLIENT_ID, TRUELAYER_SANDBOX_CLIENT_SECRET, TRUELAYER_SANDBOX_REDIRECT_URI and " +
    "TRUELAYER_SANDBOX_REFRESH_TOKEN (or TRUELAYER_SANDBOX_REFRESH_TOKEN_FILE) to run against TrueLayer's real sandbox";

describe.skipIf(!ready)(title, () => {
  // Built in beforeAll: a skipped describe still runs its body to collect tests.
  let client: TrueLayerClient;
  beforeAll(() => {
    client = createTrueLayerClient({
      target: "sandbox",
      clientId: config.clientId ?? "",
      clientSecret: config.clientSecret ?? "",
      timeoutMs: 20_000,
    });
  });
  const redirectUri = config.redirectUri ?? "";
  let refreshToken = config.refreshToken ?? "";
  let accessToken = "";

  function keep(next: string | undefined) {
    if (!next) return;
    refreshToken = next;
    if (tokenFile) writeFileSync(tokenFile, `${next}\n`, { mode: 0o600 });
  }

  it("the auth dialog accepts our link", async () => {
    const link = client.buildAuthLink({
      redirectUri,
      scopes: ["info", "accounts", "balance", "offline_access"],
      state: "contract",
      providers: ["uk-cs-mock"],
      codeChallenge: client.createPkcePair().challenge,
    });
    const response = await fetch(link, { redirect: "manual" });
    expect(response.status).toBeLessThan(400);
  });

  it("refreshes, and the answer parses", async () => {
    const tokens = await client.refreshToken({ refreshToken });
    keep(tokens.refreshToken);
    accessToken = tokens.accessToken;
    expect(tokens.expiresIn).toBeGreaterThan(0);
  });

  it("reads /me, accounts and a balance", async () => {
    const me = await client.getMe(accessToken);
    expect(me.credentialsId).toBeTruthy();
    const accounts = await client.getAccounts(accessToken);
    const [first] = accounts;
    if (first)
      await expect(client.getBalance(accessToken, first.accountId)).resolves.toHaveProperty("currency");
  });

  it("extends, with one of the documented actions", async () => {
    const result = await client.extendConnection({
      refreshToken,
      redirectUri,
      user: { name: "John Eternal", email: "john.eternal@example.com" },
    });
    expect(["no_action_needed", "authentication_needed", "reconfirmation_of_consent_needed"]).toContain(
      result.action,
    );
    if (result.action === "no_action_needed") keep(result.refreshToken);
  });

  it("refuses a made-up code with invalid_grant", async () => {
    await expect(client.exchangeCode({ code: "not-a-real-code", redirectUri })).rejects.toMatchObject({
      code: "invalid_grant",
      reconnectRequired: true,
    });
  });

  it("answers delete for an unknown token as already gone", async () => {
    await expect(client.deleteConnection("not-a-real-token")).resolves.toBe("already_gone");
  });
});
