import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { approveBankReauth } from "@/kit";
import { createPrismaClient } from "@/lib/db";
import { callsTo } from "@/test/checks";
import { bankApproval, createTestConnection, createTestUser, newTrip, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";
import { handleCallback } from "./bank-return/callback";
import { stopSharing } from "./stop-sharing";

// Many requests at once on pools of 5 (production) and 1 (embedded). A deadlock fails fast by name (DatabaseBusyError
// after the acquire timeout), never as a hung test.
const embedded = inject("testDatabaseKind") === "embedded";
const title = embedded
  ? "pool deadlocks (SKIPPED: needs real PostgreSQL; the embedded database cannot show it)"
  : "no pool deadlock under concurrent load, real PostgreSQL";

let tl: Integration;
beforeAll(async () => {
  if (!embedded) tl = await startIntegration();
});
afterAll(() => tl?.close());

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

async function usersWithConnections(count: number, password: "eternal" | "doe") {
  return inBatches(
    Array.from({ length: count }, (_, i) => i),
    20,
    async () => {
      const user = await createTestUser();
      const connection = await createTestConnection(tl, user.id, password);
      return { userId: user.id, connectionId: connection.id };
    },
  );
}

async function rowsOf(ids: string[]) {
  return tl.prisma.connection.findMany({
    where: { id: { in: ids } },
    select: {
      status: true,
      leaseId: true,
      refreshTokenSealed: true,
      events: { select: { type: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
}

const laterEvents = (row: { events: { type: string }[] }) =>
  row.events.map((e) => e.type).filter((t) => t !== "CONNECTED");

describe.skipIf(embedded)(title, () => {
  for (const poolSize of [5, 1]) {
    describe(`pool of ${poolSize}`, () => {
      let client: PrismaClient;
      beforeAll(() => {
        client = createPrismaClient(`${tl.db.url}&connection_limit=${poolSize}`);
        globalForPrisma.prisma = client;
      });
      afterAll(async () => {
        globalForPrisma.prisma = tl.prisma;
        await client?.$disconnect();
      });

      for (const count of [20, 200]) {
        it(`${count} bank connects return to /callback at once`, { timeout: 90_000 }, async () => {
          const users = await inBatches(
            Array.from({ length: count }, (_, i) => i),
            20,
            () => createTestUser(),
          );
          const approvals = await inBatches(users, 20, async (u) => ({
            userId: u.id,
            approval: await bankApproval(u.id),
          }));
          const paths = await Promise.all(approvals.map((a) => handleCallback(a.approval, a.userId)));
          expect(paths.filter((p) => p.startsWith("/connections/result/"))).toHaveLength(count);
          const exchanges = await tl.prisma.codeExchange.findMany({
            where: { userId: { in: users.map((u) => u.id) } },
          });
          expect(exchanges.map((e) => e.outcome)).toEqual(Array(count).fill("connect:connected"));
          const connections = await tl.prisma.connection.findMany({
            where: { userId: { in: users.map((u) => u.id) } },
            select: { leaseId: true, status: true },
          });
          expect(connections).toEqual(Array(count).fill({ leaseId: null, status: "ACTIVE" }));
        });
      }

      it("200 reconfirmations at once, no bank trip", { timeout: 90_000 }, async () => {
        const seeded = await usersWithConnections(200, "eternal");
        const before = await callsTo(tl, "/connections/extend");
        const results = await Promise.all(seeded.map((s) => reconfirmOne(s.userId, s.connectionId)));
        expect(results.map((r) => (r.kind === "finished" ? r.outcomes[0]?.outcome.kind : r.kind))).toEqual(
          Array(200).fill("extended"),
        );
        expect((await callsTo(tl, "/connections/extend")) - before).toBe(200);
        const rows = await rowsOf(seeded.map((s) => s.connectionId));
        expect(rows.map((r) => [r.leaseId, laterEvents(r)])).toEqual(Array(200).fill([null, ["EXTENDED"]]));
      });

      it("200 reconfirmations at once, each through a bank trip and back", { timeout: 120_000 }, async () => {
        const seeded = await usersWithConnections(200, "doe");
        const trips = seeded.map(() => newTrip());
        const results = await Promise.all(
          seeded.map((s, n) => reconfirmOne(s.userId, s.connectionId, trips[n]?.hash)),
        );
        const links = results.map((r) => (r.kind === "finished" ? r.firstLink : undefined));
        expect(links.filter(Boolean)).toHaveLength(200);
        const codes = await inBatches(links, 20, async (link) => (await approveBankReauth(link ?? "")).code);
        // Every browser comes back from its bank at the same moment, signed out, with its trip's cookie.
        const paths = await Promise.all(
          codes.map((code, n) => handleCallback({ code }, null, { tripHashes: [trips[n]?.hash ?? ""] })),
        );
        expect(paths.filter((p) => p.startsWith("/reconfirm/progress?exchange="))).toHaveLength(200);
        const rows = await rowsOf(seeded.map((s) => s.connectionId));
        expect(rows.map((r) => [r.status, r.leaseId, laterEvents(r)])).toEqual(
          Array(200).fill(["ACTIVE", null, ["SENT_TO_BANK", "COMPLETED_AT_BANK"]]),
        );
      });

      it("stop sharing for 200 connections at once, 20 of them pressed twice", {
        timeout: 90_000,
      }, async () => {
        const seeded = await usersWithConnections(200, "eternal");
        const presses = [...seeded, ...seeded.slice(0, 20)];
        const results = await Promise.all(presses.map((s) => stopSharing(s.userId, s.connectionId)));
        const byConnection = new Map<string, string[]>();
        presses.forEach((s, i) => {
          const r = results[i];
          const seen = byConnection.get(s.connectionId) ?? [];
          byConnection.set(s.connectionId, [...seen, r?.ok ? r.reason : (r?.problem ?? "missing")]);
        });
        for (const outcomes of byConnection.values()) {
          expect(outcomes.filter((o) => o === "user_stopped")).toHaveLength(1);
          expect(outcomes.filter((o) => !["user_stopped", "busy", "already_stopped"].includes(o))).toEqual(
            [],
          );
        }
        const rows = await rowsOf(seeded.map((s) => s.connectionId));
        expect(rows.map((r) => [r.status, r.leaseId, r.refreshTokenSealed, laterEvents(r)])).toEqual(
          Array(200).fill(["REVOKED", null, null, ["REVOKED"]]),
        );
      });
    });
  }
});
