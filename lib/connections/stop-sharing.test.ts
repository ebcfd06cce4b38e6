import { afterEach, describe, expect, it } from "vitest";
import { sandboxControls } from "@/kit";
import { setClockOffset } from "@/lib/clock";
import { connectBank, exchangeIdFrom, newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { openSecret } from "./sealed-tokens";
import { stopSharing } from "./stop-sharing";
import { truelayer } from "./truelayer-client";

const suite = integrationSuite();
afterEach(async () => {
  setClockOffset(0);
  await suite.it.sandbox.controls.setClock(0);
});

const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);

async function connected() {
  const user = await newUser(suite.prisma);
  const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({
    where: { id: exchangeIdFrom(await connectBank(user.id)) },
  });
  const connection = await suite.prisma.connection.findUniqueOrThrow({
    where: { id: exchange.connectionId ?? "" },
  });
  return { user, connection };
}

async function expectRevoked(id: string, reason: string) {
  const row = await suite.prisma.connection.findUniqueOrThrow({ where: { id }, include: { events: true } });
  expect(row).toMatchObject({
    status: "REVOKED",
    statusReason: reason,
    accessTokenSealed: null,
    refreshTokenSealed: null,
    leaseId: null,
  });
  expect(row.events.filter((e) => e.type === "REVOKED").map((e) => e.reason)).toEqual([reason]);
}

async function sandboxStatus(credentialsId: string | null) {
  const all = await controls().connections();
  return all.find((c) => c.credentials_id === credentialsId)?.status;
}

describe("stop sharing", () => {
  it("revokes at TrueLayer, then deletes our tokens and marks the connection stopped", async () => {
    const { user, connection } = await connected();
    expect(await stopSharing(user.id, connection.id)).toEqual({
      ok: true,
      reason: "user_stopped",
      providerName: "Mock UK Bank",
    });
    await expectRevoked(connection.id, "user_stopped");
    expect(await sandboxStatus(connection.credentialsId)).toBe("revoked");
    expect(await stopSharing(user.id, connection.id)).toMatchObject({ ok: true, reason: "already_stopped" });
  });

  it("refuses another user's connection and changes nothing", async () => {
    const { connection } = await connected();
    const intruder = await newUser(suite.prisma);
    expect(await stopSharing(intruder.id, connection.id)).toEqual({ ok: false, problem: "not_found" });
    const row = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row.status).toBe("ACTIVE");
    expect(row.accessTokenSealed).toBe(connection.accessTokenSealed);
    expect(await sandboxStatus(connection.credentialsId)).toBe("active");
  });

  it("still stops locally, and says why, when TrueLayer cannot be reached", async () => {
    const { user, connection } = await connected();
    await controls().injectFault({ endpoint: "delete", kind: "503" });
    expect(await stopSharing(user.id, connection.id)).toMatchObject({
      ok: true,
      reason: "truelayer_unreachable",
    });
    await expectRevoked(connection.id, "truelayer_unreachable");
  });

  it("records that TrueLayer had already ended it", async () => {
    const { user, connection } = await connected();
    await truelayer().deleteConnection(openSecret(connection.accessTokenSealed ?? ""));
    expect(await stopSharing(user.id, connection.id)).toMatchObject({
      ok: true,
      reason: "already_ended_at_truelayer",
    });
    await expectRevoked(connection.id, "already_ended_at_truelayer");
  });

  it("refreshes an expired access token (storing the new tokens first), then revokes", async () => {
    const { user, connection } = await connected();
    const twoHours = 2 * 60 * 60 * 1000;
    setClockOffset(twoHours);
    await suite.it.sandbox.controls.advanceClock(twoHours / 86_400_000);
    const callsBefore = (await controls().calls()).length;

    expect(await stopSharing(user.id, connection.id)).toMatchObject({ ok: true, reason: "user_stopped" });
    const calls = (await controls().calls())
      .slice(callsBefore)
      .map((c) => `${c.method} ${c.path} ${c.status}`);
    expect(calls).toEqual(["POST /connect/token 200", "DELETE /api/delete 200"]);
    await expectRevoked(connection.id, "user_stopped");
    expect(await sandboxStatus(connection.credentialsId)).toBe("revoked");
  });
});
