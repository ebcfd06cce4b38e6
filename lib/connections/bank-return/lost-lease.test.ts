import type { Prisma } from "@prisma/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { approveBankReauth, sandboxControls } from "@/kit";
import { setClockOffset } from "@/lib/clock";
import {
  bankApproval,
  connectedUser,
  exchangeIdFrom,
  newTrip,
  reconfirmThroughBank,
  returnToApp,
} from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { bankReturnFailureWords } from "../connect/outcome";
import { drainRevokeQueue, hold } from "../custody";
import { LEASE_MS } from "../custody/statements";
import { handleCallback } from "./callback";
import { finishParked } from "./finish";

// Between a bank return's claim and its write (via @/lib/db), the lease lapses and a keep-alive takes the row.
const interpose = vi.hoisted(() => ({
  afterHold: undefined as undefined | { purpose: string; run: () => Promise<void> },
}));
vi.mock("@/lib/db", async (importOriginal) => {
  const db = await importOriginal<typeof import("@/lib/db")>();
  const sql = (async (statement: Prisma.Sql, ...rest: unknown[]) => {
    const result = (await (db.sql as (...args: unknown[]) => Promise<unknown>)(statement, ...rest)) as {
      rows: { leaseId?: string | null }[];
    };
    const hook = interpose.afterHold;
    if (hook && statement.values.includes(hook.purpose) && result.rows[0]?.leaseId) {
      interpose.afterHold = undefined;
      await hook.run();
    }
    return result;
  }) as typeof db.sql;
  return { ...db, sql };
});

const suite = integrationSuite();
const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);

afterEach(() => {
  interpose.afterHold = undefined;
  setClockOffset(0);
});

function takenAfter(purpose: string, connectionId: string, userId: string) {
  interpose.afterHold = {
    purpose,
    run: async () => {
      setClockOffset(LEASE_MS + 1_000);
      const other = await hold(connectionId, userId, "keep-alive");
      if (!("held" in other)) throw new Error("the lapsed lease was not taken");
    },
  };
}

const connected = (password: "eternal" | "doe") => connectedUser(suite.prisma, password);

const queueIds = async () =>
  new Set((await suite.prisma.pendingRevoke.findMany({ select: { id: true } })).map((r) => r.id));

/** The grant a bank return brought: on no row, one queue entry since `before`, and the exchange settled as `outcome`. */
async function queuedOnce(exchangeId: string, outcome: string, before: Set<string>) {
  const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeId } });
  expect(exchange).toMatchObject({ outcome, grantSealed: null });
  const queued = (await suite.prisma.pendingRevoke.findMany()).filter((r) => !before.has(r.id));
  expect(queued).toHaveLength(1);
  expect(queued[0]?.refreshTokenSealed).not.toBeNull();
  return queued[0];
}

/** The reconnect was told busy, the grant it brought is ended at TrueLayer, and the connection kept its own. */
async function reconnectEndedBusy(
  exchangeId: string,
  grantsBefore: Set<string>,
  connection: { id: string; credentialsId: string | null },
) {
  const exchange = await suite.prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeId } });
  expect(exchange).toMatchObject({ outcome: "connect:failed:busy", grantSealed: null });
  const newGrants = (await controls().connections()).filter((c) => !grantsBefore.has(c.credentials_id));
  expect(newGrants.map((c) => c.status)).toEqual(["revoked"]);
  const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
  expect(after).toMatchObject({ credentialsId: connection.credentialsId, status: "ACTIVE" });
}

describe("a bank return whose connection another request took meanwhile", () => {
  it("an extend return says the connection was busy and queues the new grant once, instead of an error page", async () => {
    const { user, connection } = await connected("doe");
    const { trip, link } = await reconfirmThroughBank(user.id, connection.id);
    const back = await approveBankReauth(link);
    takenAfter("extend-bank-return", connection.id, user.id);
    const before = await queueIds();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const path = await returnToApp(back, user.id, { tripHashes: [trip.hash] });
    warn.mockRestore();
    expect(interpose.afterHold).toBeUndefined();
    const exchangeId = exchangeIdFrom(path);
    expect(path).toMatch(/^\/reconfirm\/progress\?exchange=/);
    await queuedOnce(exchangeId, "extend:failed:connection_busy", before);
    expect(bankReturnFailureWords("connection_busy")).toMatch(
      /^You approved at your bank, but another change to this connection was in progress.* keeps its old end date/,
    );
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after.consentExpiresAt).toEqual(connection.consentExpiresAt);
    expect(after.leasePurpose).toBe("keep-alive");
  });

  it("a reconnect says another change was in progress and ends the new grant (it said 'something went wrong')", async () => {
    const { user, connection } = await connected("eternal");
    const grantsBefore = new Set((await controls().connections()).map((c) => c.credentials_id));
    const approval = await bankApproval(user.id, {}, { reconnectId: connection.id });
    takenAfter("reconnect", connection.id, user.id);
    const path = await handleCallback(approval, user.id);
    expect(interpose.afterHold).toBeUndefined();
    await reconnectEndedBusy(exchangeIdFrom(path), grantsBefore, connection);
  });

  it("a parked reconnect its owner takes after signing in says busy, and the grant it brought is ended", async () => {
    const { user, connection } = await connected("eternal");
    const grantsBefore = new Set((await controls().connections()).map((c) => c.credentials_id));
    const approval = await bankApproval(
      user.id,
      {},
      { reconnectId: connection.id, browserHash: newTrip().hash },
    );
    const browserHash = newTrip().secret;
    const path = await handleCallback(approval, null, { park: async () => browserHash });
    expect(path).toMatch(/^\/connections\/finish\?exchange=/);
    const exchangeId = exchangeIdFrom(path);
    takenAfter("reconnect", connection.id, user.id);
    expect(await finishParked(exchangeId, browserHash, user.id)).toBe(`/connections/result/${exchangeId}`);
    expect(interpose.afterHold).toBeUndefined();
    expect(await suite.prisma.parkedReturn.count({ where: { exchangeId } })).toBe(0);
    await drainRevokeQueue();
    await reconnectEndedBusy(exchangeId, grantsBefore, connection);
  });

  it("a cancel at the bank still shows the cancelled page; the other request's record stands", async () => {
    const { user, connection } = await connected("doe");
    const { trip } = await reconfirmThroughBank(user.id, connection.id);
    takenAfter("cancelled-at-bank", connection.id, user.id);
    const path = await handleCallback({ error: "access_denied" }, user.id, { tripHashes: [trip.hash] });
    expect(interpose.afterHold).toBeUndefined();
    expect(path).toBe(`/connections/cancelled?from=reconfirm&connection=${connection.id}`);
    const after = await suite.prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after.leasePurpose).toBe("keep-alive");
  });
});
