import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { clearRevokeQueue, seedBareConnection, setSeededConnection } from "@/kit";
import { addDays, now } from "@/lib/clock";
import { wordingParameters } from "@/lib/connections/reconfirm/copy";
import { recordReconfirmation } from "@/lib/connections/store/reconfirmations";
import { consentSubject } from "@/lib/consent/subject";
import { templateText, WORDING_TEMPLATE, WORDING_VERSION } from "@/lib/consent/wording";
import { retryingDeadlock, sql, transaction } from "@/lib/db";
import { appDb, withAppDatabase } from "@/test/db";
import { completeDeletion } from "./delete-account";

// A renewal's claim locks the Connection row, then its consent record's foreign key wants the User row; the
// deletion locks both too. Found as a deadlock by the custody property test's concurrent ops.

withAppDatabase();

async function userWithConnection() {
  const user = await appDb.prisma.user.create({
    data: { email: `race-${Date.now()}@example.test`, name: "Ada Lovelace" },
  });
  const scopes = ["info", "accounts", "balance", "offline_access"];
  const connection = {
    id: await seedBareConnection(user.id, {
      providerId: "uk-ob-race",
      providerName: "Race Bank",
      consentCreatedAt: addDays(now(), -80),
      consentExpiresAt: addDays(now(), 10),
      scopes,
    }),
    providerId: "uk-ob-race",
    providerName: "Race Bank",
    scopes,
  };
  await setSeededConnection(connection.id, {
    accessTokenSealed: "sealed-access",
    refreshTokenSealed: "sealed-refresh",
    tokenKeyId: "k1",
    accessTokenExpiresAt: new Date(now().getTime() + 3600_000),
  });
  return { user, connection };
}

type Seeded = Awaited<ReturnType<typeof userWithConnection>>;

function renewal(user: Seeded["user"], connection: Seeded["connection"]) {
  return recordReconfirmation(
    {
      userId: user.id,
      subject: consentSubject(user.email ?? ""),
      copyHash: "0".repeat(64),
      wording: { version: WORDING_VERSION, template: templateText(WORDING_TEMPLATE) },
      parameters: wordingParameters([{ ...connection, accounts: [] }], now()),
      accounts: { [connection.id]: [] },
    },
    [connection],
  );
}

/** Backends waiting on a lock that one of `pids` holds or waits for ahead of them. */
async function blockedBy(pids: number[]): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>(Prisma.sql`
    SELECT pid FROM pg_stat_activity WHERE pg_blocking_pids(pid) && ${pids}::int[] AND NOT pid = ANY(${pids}::int[])`);
  return rows.map((r) => r.pid);
}

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("timed out waiting for a lock wait");
}

/** Runs `first` then `second` while a third transaction holds the connection, so each queues for it in that order. */
async function inOrder<A, B>(connectionId: string, first: () => Promise<A>, second: () => Promise<B>) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holder = 0;
  const holding = transaction(async (tx) => {
    const { rows } = await tx<{ pid: number }>(Prisma.sql`
      SELECT pg_backend_pid() AS "pid" FROM "Connection" WHERE "id" = ${connectionId} FOR NO KEY UPDATE`);
    holder = rows[0]?.pid ?? 0;
    await held;
  });
  await waitFor(async () => (holder ? holder : undefined));
  const a = first();
  const [firstPid] = await waitFor(async () => {
    const pids = await blockedBy([holder]);
    return pids.length ? pids : undefined;
  });
  const b = second();
  await waitFor(async () => {
    const pids = await blockedBy([holder, firstPid ?? 0]);
    return pids.length ? pids : undefined;
  });
  release();
  await holding;
  return Promise.allSettled([a, b]);
}

const failure = (settled: PromiseSettledResult<unknown>) =>
  settled.status === "rejected" ? String(settled.reason) : "";

async function expectDeletedWithGrantQueued(userId: string) {
  expect(await appDb.prisma.user.count({ where: { id: userId } })).toBe(0);
  expect(await appDb.prisma.connection.count({ where: { userId } })).toBe(0);
  expect(
    await appDb.prisma.pendingRevoke.findMany({
      where: { providerName: "Race Bank", reason: "deleted" },
      select: { refreshTokenSealed: true },
    }),
  ).toEqual([{ refreshTokenSealed: "sealed-refresh" }]);
}

describe("a renewal and the account's deletion at the same moment", () => {
  it("ends both when the renewal's claim comes first, without a deadlock; the grant is queued", async () => {
    await clearRevokeQueue();
    const { user, connection } = await userWithConnection();
    const [renewed, deleted] = await inOrder(
      connection.id,
      () => renewal(user, connection),
      () => completeDeletion(user.id),
    );
    expect(failure(renewed)).toBe("");
    expect(failure(deleted)).toBe("");
    expect(renewed.status === "fulfilled" && renewed.value.claims.has(connection.id)).toBe(true);
    expect(deleted).toMatchObject({ status: "fulfilled", value: ["Race Bank"] });
    await expectDeletedWithGrantQueued(user.id);
  });

  it("when the deletion comes first, the renewal finds the account gone and records no consent", async () => {
    await clearRevokeQueue();
    const { user, connection } = await userWithConnection();
    const [deleted, renewed] = await inOrder(
      connection.id,
      () => completeDeletion(user.id),
      () => renewal(user, connection),
    );
    expect(failure(deleted)).toBe("");
    expect(failure(renewed)).toMatch(/foreign key/);
    expect(await appDb.prisma.reconfirmationItem.count({ where: { connectionId: connection.id } })).toBe(0);
    await expectDeletedWithGrantQueued(user.id);
  });
});

describe("a deletion that PostgreSQL ends in a deadlock", () => {
  const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01" });

  it("runs again, up to three times in all", async () => {
    let calls = 0;
    const attempt = async () => {
      calls++;
      if (calls < 3) throw deadlock;
      return "deleted";
    };
    await expect(retryingDeadlock(attempt)).resolves.toBe("deleted");
    expect(calls).toBe(3);
  });

  it("gives up after the third, and never retries another error", async () => {
    let calls = 0;
    const throwing = (error: Error) => async () => {
      calls++;
      throw error;
    };
    await expect(retryingDeadlock(throwing(deadlock))).rejects.toBe(deadlock);
    expect(calls).toBe(3);
    const other = Object.assign(new Error("foreign key"), { code: "23503" });
    await expect(retryingDeadlock(throwing(other))).rejects.toBe(other);
    expect(calls).toBe(4);
  });
});
