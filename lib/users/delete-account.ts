import "server-only";
import { Prisma } from "@prisma/client";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { queueUserGrants } from "@/lib/connections/custody";
import { stopSharing } from "@/lib/connections/stop-sharing";
import { getConnectionsForUser } from "@/lib/connections/store/connections";
import { eraseUnlinkedRows } from "@/lib/connections/store/erasure";
import { sql, transaction } from "@/lib/db";
import { createMailer, sendErrorCode } from "@/lib/reminders/mailer";
import { deletionEmail } from "./deletion-email";

// Each step can run again: a rerun (the user's, or the scheduled job's for a deletion left half done)
// picks up wherever a crash stopped it (docs/decisions/025-account-deletion.md).

export type DeletionResult = { status: "deleted"; pending: string[] } | { status: "already_deleted" };

/** Marks the account and signs out every device, before anything is revoked. */
export async function beginDeletion(userId: string): Promise<{ email: string | null } | null> {
  const { rows } = await sql<{ email: string | null }>(Prisma.sql`
    UPDATE "User" SET "deletionRequestedAt" = COALESCE("deletionRequestedAt", ${now()}::timestamp(3))
    WHERE "id" = ${userId} RETURNING "email"`);
  const user = rows[0];
  if (!user) return null;
  await sql(Prisma.sql`DELETE FROM "Session" WHERE "userId" = ${userId}`);
  if (user.email) await sql(Prisma.sql`DELETE FROM "VerificationToken" WHERE "identifier" = ${user.email}`);
  return user;
}

/** Revokes every live connection at TrueLayer, queueing those it cannot reach; returns the banks whose revoke waits. */
export async function revokeForDeletion(userId: string): Promise<string[]> {
  const live = (await getConnectionsForUser(userId)).filter((c) => c.status !== "REVOKED");
  const pending: string[] = [];
  for (const connection of live) {
    const stopped = await stopSharing(userId, connection.id, "deleted");
    // Busy connections keep their tokens until completeDeletion queues them.
    if (!stopped.ok || stopped.reason === "truelayer_unreachable") pending.push(connection.providerName);
  }
  return pending;
}

/** One transaction: unrevoked tokens move to the retry queue, then the user and all that cascades go. */
export async function completeDeletion(userId: string): Promise<string[] | null> {
  return transaction(async (tx) => {
    const { rows } = await tx<{ email: string | null }>(
      Prisma.sql`SELECT "email" FROM "User" WHERE "id" = ${userId} FOR UPDATE`,
    );
    const user = rows[0];
    if (!user) return null;
    const queued = await queueUserGrants(userId, tx);
    await eraseUnlinkedRows(userId, tx);
    if (user.email) await tx(Prisma.sql`DELETE FROM "VerificationToken" WHERE "identifier" = ${user.email}`);
    await tx(Prisma.sql`DELETE FROM "User" WHERE "id" = ${userId}`);
    return queued;
  });
}

async function sendConfirmation(email: string, pending: string[]): Promise<void> {
  const mailer = createMailer();
  try {
    await mailer.send({ to: email, ...deletionEmail(pending, brand()) });
  } catch (error) {
    // The deletion the user asked for goes ahead; the address is gone after it, so this is logged only.
    console.warn("Account deletion: confirmation mail failed", sendErrorCode(error));
  } finally {
    mailer.close();
  }
}

export async function deleteAccount(userId: string): Promise<DeletionResult> {
  const begun = await beginDeletion(userId);
  if (!begun) return { status: "already_deleted" };
  const pending = await revokeForDeletion(userId);
  // Sent before the last step, so a crash after it still ends in a rerun that mails (twice at worst).
  if (begun.email) await sendConfirmation(begun.email, pending);
  const queued = await completeDeletion(userId);
  return queued === null
    ? { status: "already_deleted" }
    : { status: "deleted", pending: [...new Set([...pending, ...queued])] };
}

/** For the scheduled job: deletions a crash left unfinished (older than a request could still be running). */
export async function finishInterruptedDeletions(limit = 20): Promise<number> {
  const { rows } = await sql<{ id: string }>(Prisma.sql`
    SELECT "id" FROM "User" WHERE "deletionRequestedAt" < ${new Date(now().getTime() - 5 * 60_000)}::timestamp(3)
    ORDER BY "deletionRequestedAt" LIMIT ${limit}`);
  for (const row of rows) await deleteAccount(row.id);
  return rows.length;
}
