import type { Prisma } from "@prisma/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sandboxControls } from "@/kit";
import { setClockOffset } from "@/lib/clock";
import { storedState } from "@/test/checks";
import { createTestConnection, newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { openSecret } from "../sealed-tokens";
import { truelayer } from "../truelayer-client";
import { commit } from "./hold";
import { drainRevokeQueue, queueUnheldGrant } from "./queue";
import { newTokensFrom } from "./revoke-grant";

// A stop forces the row between the queue's claim and its hand-over of newer tokens (interposed through @/lib/db).
const interpose = vi.hoisted(() => ({ afterClaim: undefined as undefined | (() => Promise<void>) }));
vi.mock("@/lib/db", async (importOriginal) => {
  const db = await importOriginal<typeof import("@/lib/db")>();
  const sql = (async (statement: Prisma.Sql, ...rest: unknown[]) => {
    const result = await (db.sql as (...args: unknown[]) => Promise<unknown>)(statement, ...rest);
    const run = interpose.afterClaim;
    if (run && statement.values.includes("revoke-queue")) {
      interpose.afterClaim = undefined;
      await run();
    }
    return result;
  }) as typeof db.sql;
  return { ...db, sql };
});

const suite = integrationSuite();
const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);
const grantOf = async (credentialsId: string | null) =>
  (await controls().connections()).find((c) => c.credentials_id === credentialsId);

afterEach(() => setClockOffset(0));

describe("the revoke queue's hand-over, forced out by a stop", () => {
  it("keeps the newer tokens queued and revokes the grant", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    const row = await suite.prisma.connection.findUniqueOrThrow({ where: { id: conn.id } });
    // Newer tokens for the connection's grant that no row holds (as a refresh whose lease lapsed leaves them).
    const tokens = await truelayer().refreshToken({ refreshToken: openSecret(row.refreshTokenSealed ?? "") });
    await queueUnheldGrant(row, newTokensFrom(tokens, row.refreshTokenSealed), "refresh_unstored");
    interpose.afterClaim = async () => {
      await commit(
        { connectionId: conn.id, userId: user.id, force: true },
        { kind: "revoked", reason: "user_stopped", retire: { reason: "stopped" } },
      );
    };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await drainRevokeQueue()).toMatchObject({ forgotten: 0 });
    expect(interpose.afterClaim).toBeUndefined();
    expect(await storedState(conn.id)).toMatchObject({ status: "REVOKED" });
    expect(await suite.prisma.pendingRevoke.count({ where: { reason: "refresh_unstored" } })).toBe(1);
    setClockOffset(2 * 24 * 60 * 60 * 1000);
    await controls().advanceClock(2);
    await drainRevokeQueue();
    warn.mockRestore();
    expect((await grantOf(conn.credentialsId))?.status).toBe("revoked");
    expect(await suite.prisma.pendingRevoke.count({ where: { credentialsId: conn.credentialsId } })).toBe(0);
  });
});
