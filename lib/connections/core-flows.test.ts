// Both simulator profiles (issue 16), with and without rotation (issue 25): what passes under one only rests on a
// guess the client and the simulator share.
import { beforeAll, describe, expect, it } from "vitest";
import { approveBankReauth } from "@/kit";
import type { ProfileName } from "@/sandbox/profiles";
import {
  bankApproval,
  connectedUser,
  exchangeIdFrom,
  reconfirmOne,
  reconfirmThroughBank,
  returnToApp,
} from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { handleCallback } from "./bank-return/callback";
import { stopSharing } from "./stop-sharing";

const suite = integrationSuite();

describe.each<[ProfileName, boolean]>([
  ["strict", true],
  ["strict", false],
  ["truelayer-sandbox", false],
  ["truelayer-sandbox", true],
])("core flows under the %s profile, rotating refresh tokens: %s", (profile, rotateRefreshTokens) => {
  beforeAll(() => suite.it.sandbox.controls.setProfile(profile, { rotateRefreshTokens }));

  const connected = (password: "eternal" | "doe") => connectedUser(suite.prisma, password);

  it("connects a bank with its accounts", async () => {
    const { connection } = await connected("eternal");
    expect(connection.status).toBe("ACTIVE");
    expect(connection.accounts.length).toBeGreaterThan(0);
    expect(connection.providerName).toBe(profile === "strict" ? "Mock UK Bank" : "Mock");
  });

  it("reconfirms without a bank trip", async () => {
    const { user, connection } = await connected("eternal");
    const result = await reconfirmOne(user.id, connection.id);
    expect(result.kind === "finished" && result.outcomes[0]?.outcome.kind).toBe("extended");
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after.consentExpiresAt.getTime()).toBeGreaterThan(connection.consentExpiresAt.getTime());
  });

  it("reconfirms with a bank trip", async () => {
    const { user, connection } = await connected("doe");
    const { trip, link } = await reconfirmThroughBank(user.id, connection.id);
    const back = await approveBankReauth(link);
    expect(await returnToApp(back, user.id, { tripHashes: [trip.hash] })).toMatch(/^\/reconfirm\/progress/);
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after.status).toBe("ACTIVE");
    expect(after.consentExpiresAt.getTime()).toBeGreaterThan(connection.consentExpiresAt.getTime());
  });

  it("reconnects in place, the bank preselected with an auth-link provider_id (the sandbox's /me says `mock`)", async () => {
    const { user, connection } = await connected("eternal");
    const approval = await bankApproval(user.id, {}, { reconnectId: connection.id });
    const path = await handleCallback(approval, user.id);
    const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({
      where: { id: exchangeIdFrom(path) },
    });
    expect(exchange).toMatchObject({ outcome: "connect:reconnected", connectionId: connection.id });
    const state = await suite.prisma.authState.findFirstOrThrow({
      where: { userId: user.id, purpose: "RECONNECT" },
    });
    expect(state.providerId).toBe(connection.providerId);
  });

  it("stops sharing: revoked at TrueLayer and tokens gone here", async () => {
    const { user, connection } = await connected("eternal");
    expect(await stopSharing(user.id, connection.id)).toMatchObject({ ok: true, reason: "user_stopped" });
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after).toMatchObject({ status: "REVOKED", accessTokenSealed: null, refreshTokenSealed: null });
    const sim = (await suite.it.sandbox.controls.connections()).find(
      (c) => c.credentials_id === connection.credentialsId,
    );
    expect(sim?.status).not.toBe("active");
  });
});
