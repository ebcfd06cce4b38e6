import { describe, expect, it } from "vitest";
import { completeDialog, seedBareConnection, setSeededConnection } from "@/kit";
import { sha256Hex } from "@/lib/crypto/sha256";
import { bankApproval, connectBank, exchangeIdFrom, newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { handleCallback } from "../bank-return/callback";
import { openSecret } from "../sealed-tokens";
import { type BankSnapshot, findConnectionToReplace } from "../store/connections";
import { createAuthState } from "../store/exchanges";

const suite = integrationSuite();

async function connectionFor(path: string) {
  const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeIdFrom(path) } });
  return {
    outcome: exchange.outcome,
    connection: await suite.prisma.connection.findUniqueOrThrow({
      where: { id: exchange.connectionId ?? "" },
      include: { events: { orderBy: { createdAt: "asc" } }, accounts: true },
    }),
  };
}

describe("connecting a bank the user already has replaces it in place", () => {
  it("a reconnect started from a connection replaces that connection", async () => {
    const user = await newUser(suite.prisma);
    const first = await connectionFor(await connectBank(user.id));
    const approval = await bankApproval(user.id, {}, { reconnectId: first.connection.id });
    const second = await connectionFor(await handleCallback(approval, user.id));

    expect(second.outcome).toBe("connect:reconnected");
    expect(second.connection.id).toBe(first.connection.id);
    expect(second.connection.version).toBeGreaterThan(first.connection.version);
    expect(second.connection.accessTokenSealed).not.toBe(first.connection.accessTokenSealed);
    expect(second.connection.events.map((e) => e.type)).toEqual(["CONNECTED", "RECONNECTED"]);
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(1);
    const state = await suite.prisma.authState.findFirstOrThrow({
      where: { userId: user.id, purpose: "RECONNECT" },
    });
    expect(state.connectionIds).toEqual([first.connection.id]);
  });

  it("the same credentials at TrueLayer replace the connection instead of adding one", async () => {
    const user = await newUser(suite.prisma);
    const first = await connectionFor(await connectBank(user.id, { password: "reconfirm" }));
    // The simulator's reconfirmation dialog hands back a code for the same credentials_id.
    const state = "state-for-same-credentials-test-0123456789";
    await createAuthState({
      stateHash: sha256Hex(state),
      userId: user.id,
      purpose: "CONNECT",
      connectionIds: [],
      redirectUri: suite.it.redirectUri,
      expiresAt: new Date(Date.now() + 600_000),
      codeVerifierSealed: null,
    });
    const extend = await fetch(`${suite.it.sandboxUrl}/data/v1/connections/extend`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: suite.it.clientId,
        client_secret: suite.it.clientSecret,
        refresh_token: openSecret(first.connection.refreshTokenSealed ?? ""),
        redirect_uri: suite.it.redirectUri,
        user_has_reconfirmed_consent: true,
        user: { name: "Jamie Example", email: user.email },
        state,
      }),
    });
    const { user_input_link } = (await extend.json()) as { user_input_link: string };
    const approval = await completeDialog(user_input_link, { username: "john", password: "reconfirm" });
    const second = await connectionFor(await handleCallback({ code: approval.code, state }, user.id));

    expect(second.outcome).toBe("connect:reconnected");
    expect(second.connection.id).toBe(first.connection.id);
    expect(second.connection.credentialsId).toBe(first.connection.credentialsId);
    expect(second.connection.events.map((e) => e.type)).toEqual(["CONNECTED", "RECONNECTED"]);
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(1);
  });

  it("matches the same bank with exactly the same accounts, and nothing less", async () => {
    const user = await newUser(suite.prisma);
    const existing = {
      id: await seedBareConnection(user.id, {
        providerId: "uk-cs-mock",
        providerName: "Mock UK Bank",
        credentialsId: "old-credentials",
        consentCreatedAt: new Date(),
        consentExpiresAt: new Date(),
        accounts: ["acc-1", "acc-2"].map((id) => ({ truelayerAccountId: id, displayName: id })),
      }),
    };
    const snapshot = (accountIds: string[], providerId = "uk-cs-mock") =>
      ({
        credentialsId: "new-credentials",
        providerId,
        accounts: accountIds.map((truelayerAccountId) => ({ truelayerAccountId })),
      }) as BankSnapshot;

    expect((await findConnectionToReplace(user.id, snapshot(["acc-2", "acc-1"])))?.id).toBe(existing.id);
    expect(await findConnectionToReplace(user.id, snapshot(["acc-1"]))).toBeNull();
    expect(
      await findConnectionToReplace(user.id, snapshot(["acc-1", "acc-2"], "uk-ob-mock-harbour")),
    ).toBeNull();
    await setSeededConnection(existing.id, { status: "REVOKED" });
    expect(await findConnectionToReplace(user.id, snapshot(["acc-1", "acc-2"]))).toBeNull();
  });

  it("the same credentials come before the same bank with the same accounts", async () => {
    const user = await newUser(suite.prisma);
    const bare = (credentialsId: string | undefined, accounts: string[]) =>
      seedBareConnection(user.id, {
        providerId: "uk-cs-mock",
        providerName: "Mock UK Bank",
        ...(credentialsId ? { credentialsId } : {}),
        consentCreatedAt: new Date(),
        consentExpiresAt: new Date(),
        accounts: accounts.map((id) => ({ truelayerAccountId: id, displayName: id })),
      });
    // No credentials id on record (an old row): still only a same-bank match, never ahead of the credentials.
    const sameAccounts = await bare(undefined, ["acc-1", "acc-2"]);
    const sameCredentials = await bare("the-credentials", ["acc-9"]);
    const snapshot = (credentialsId: string) =>
      ({
        credentialsId,
        providerId: "uk-cs-mock",
        accounts: ["acc-1", "acc-2"].map((truelayerAccountId) => ({ truelayerAccountId })),
      }) as BankSnapshot;
    expect((await findConnectionToReplace(user.id, snapshot("the-credentials")))?.id).toBe(sameCredentials);
    expect((await findConnectionToReplace(user.id, snapshot("unknown")))?.id).toBe(sameAccounts);
    expect((await findConnectionToReplace(user.id, snapshot("unknown"), sameCredentials))?.id).toBe(
      sameCredentials,
    );
  });

  it("a second, different login at the same bank is a new connection", async () => {
    const user = await newUser(suite.prisma);
    await connectBank(user.id);
    await connectBank(user.id);
    expect(await suite.prisma.connection.count({ where: { userId: user.id } })).toBe(2);
  });
});
