import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectViaDialog, startTestSandbox, type TestSandbox } from "@/kit";
import { createTrueLayerClient, type TrueLayerClient } from "./client";

// The simulator's truelayer-sandbox profile always; the real sandbox when TRUELAYER_SANDBOX_* is set (john/eternal:
// no_action_needed, john/doe: authentication_needed). Rotated tokens go to TRUELAYER_SANDBOX_REFRESH_TOKEN_FILE
// (`npm run smoke:truelayer` makes its own).
const env = (name: string) => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};
const tokenFile = env("TRUELAYER_SANDBOX_REFRESH_TOKEN_FILE");
const real = {
  clientId: env("TRUELAYER_SANDBOX_CLIENT_ID"),
  clientSecret: env("TRUELAYER_SANDBOX_CLIENT_SECRET"),
  redirectUri: env("TRUELAYER_SANDBOX_REDIRECT_URI"),
  refreshToken:
    tokenFile && existsSync(tokenFile)
      ? readFileSync(tokenFile, "utf8").trim()
      : env("TRUELAYER_SANDBOX_REFRESH_TOKEN"),
  doeRefreshToken: env("TRUELAYER_SANDBOX_DOE_REFRESH_TOKEN"),
};
const ready = Boolean(real.clientId && real.clientSecret && real.redirectUri && real.refreshToken);
const realTitle = ready
  ? "TrueLayer real sandbox contract"
  : "skipped: set TRUELAYER_SANDBOX_CLIENT_ID, TRUELAYER_SANDBOX_CLIENT_SECRET, TRUELAYER_SANDBOX_REDIRECT_URI and " +
    "TRUELAYER_SANDBOX_REFRESH_TOKEN (or TRUELAYER_SANDBOX_REFRESH_TOKEN_FILE) to run against TrueLayer's real sandbox";

type Target = {
  client: TrueLayerClient;
  redirectUri: string;
  /** john/eternal's refresh token; `keep` stores its successor. */
  refreshToken: string;
  keep(next: string | undefined): void;
  doeRefreshToken?: string;
};

function contract(setup: () => Promise<Target>, options: { hasDoe: () => boolean }) {
  // Built in beforeAll: a skipped describe still runs its body to collect tests.
  let target: Target;
  let accessToken = "";
  beforeAll(async () => {
    target = await setup();
  });

  it("the auth link leads, through its redirects, to the dialog page", async () => {
    const link = target.client.buildAuthLink({
      redirectUri: target.redirectUri,
      scopes: ["info", "accounts", "balance", "offline_access"],
      state: "contract",
      providers: ["uk-cs-mock"],
      codeChallenge: target.client.createPkcePair().challenge,
    });
    let url = link;
    let response = await fetch(url, { redirect: "manual" });
    for (let hop = 0; hop < 5 && response.status >= 300 && response.status < 400; hop++) {
      const location = response.headers.get("location");
      expect(location, `redirect ${hop + 1} has a Location`).toBeTruthy();
      url = new URL(location ?? "", url).toString();
      // Never back to us: that would be an error return (or a code without the dialog).
      expect(url.startsWith(target.redirectUri)).toBe(false);
      response = await fetch(url, { redirect: "manual" });
    }
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/<html|<!doctype html/i);
  });

  it("refreshes, and the answer parses", async () => {
    const tokens = await target.client.refreshToken({ refreshToken: target.refreshToken });
    target.keep(tokens.refreshToken);
    accessToken = tokens.accessToken;
    expect(tokens.expiresIn).toBeGreaterThan(0);
  });

  it("reads /me, accounts and a balance", async () => {
    const me = await target.client.getMe(accessToken);
    expect(me.credentialsId).toBeTruthy();
    const accounts = await target.client.getAccounts(accessToken);
    const [first] = accounts;
    if (first)
      await expect(target.client.getBalance(accessToken, first.accountId)).resolves.toHaveProperty(
        "currency",
      );
  });

  it("extends john/eternal with no_action_needed", async () => {
    const result = await target.client.extendConnection({
      refreshToken: target.refreshToken,
      redirectUri: target.redirectUri,
      user: { name: "John Eternal", email: "john.eternal@example.com" },
    });
    expect(result.action).toBe("no_action_needed");
    if (result.action === "no_action_needed") {
      target.keep(result.refreshToken);
      expect(result.accessToken).toBeTruthy();
    }
  });

  it.skipIf(!options.hasDoe())(
    "extends john/doe with authentication_needed and a link to follow",
    async () => {
      const result = await target.client.extendConnection({
        refreshToken: target.doeRefreshToken ?? "",
        redirectUri: target.redirectUri,
        user: { name: "John Doe", email: "john.doe@example.com" },
      });
      expect(result.action).toBe("authentication_needed");
      if (result.action === "authentication_needed")
        expect(new URL(result.userInputLink).protocol).toMatch(/^https?:$/);
    },
  );

  it("refuses a made-up code as a code to start again with (invalid_authorization_code on TL's error page)", async () => {
    await expect(
      target.client.exchangeCode({ code: "not-a-real-code", redirectUri: target.redirectUri }),
    ).rejects.toMatchObject({ codeRejected: true, reconnectRequired: false });
  });

  it("answers delete for an unknown token with 401, which the client reports as unauthorized", async () => {
    await expect(target.client.deleteConnection("not-a-real-token")).resolves.toBe("unauthorized");
  });
}

describe("TrueLayer contract: the simulator under its truelayer-sandbox profile", () => {
  let sandbox: TestSandbox;
  afterAll(() => sandbox?.close());
  contract(
    async () => {
      sandbox = await startTestSandbox({ profile: "truelayer-sandbox", name: "contract" });
      const client = createTrueLayerClient({
        target: "simulator",
        authUrl: sandbox.url,
        apiUrl: sandbox.url,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
      });
      const connect = async (password: string) => {
        const { code } = await connectViaDialog(sandbox.url, {
          clientId: sandbox.clientId,
          redirectUri: sandbox.redirectUri,
          username: "john",
          password,
          state: randomUUID(),
        });
        const tokens = await client.exchangeCode({ code, redirectUri: sandbox.redirectUri });
        return tokens.refreshToken ?? "";
      };
      const target: Target = {
        client,
        redirectUri: sandbox.redirectUri,
        refreshToken: await connect("eternal"),
        doeRefreshToken: await connect("doe"),
        keep: (next) => {
          if (next) target.refreshToken = next;
        },
      };
      return target;
    },
    { hasDoe: () => true },
  );
});

describe.skipIf(!ready)(realTitle, () => {
  contract(
    async () => {
      const target: Target = {
        client: createTrueLayerClient({
          target: "sandbox",
          clientId: real.clientId ?? "",
          clientSecret: real.clientSecret ?? "",
          timeoutMs: 20_000,
        }),
        redirectUri: real.redirectUri ?? "",
        refreshToken: real.refreshToken ?? "",
        doeRefreshToken: real.doeRefreshToken,
        keep: (next) => {
          if (!next) return;
          target.refreshToken = next;
          if (tokenFile) writeFileSync(tokenFile, `${next}\n`, { mode: 0o600 });
        },
      };
      return target;
    },
    { hasDoe: () => Boolean(real.doeRefreshToken) },
  );
});
