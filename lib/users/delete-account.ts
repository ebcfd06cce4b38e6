import "server-only";
import { endAllSessions, forgetSignInLinks } from "@/lib/auth/queries";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { lockUserConnections, queueUserGrants } from "@/lib/connections/custody";
import { eraseUnlinkedRows, getConnectionsForUser } from "@/lib/connections/queries";
import { stopSharing } from "@/lib/connections/stop-sharing";
import { retryingDeadlock, transaction } from "@/lib/db";
import { createMailer, sendErrorCode } from "@/lib/reminders/mailer";
import { deletionEmail } from "./deletion-email";
import { deleteUserRow, deletionsRequestedBefore, lockUser, markDeletionRequested } from "./queries";

// Every step reruns (the user's or the scheduled job's) from wherever a crash stopped it (decision 025).

export type DeletionResult = { status: "deleted"; pending: string[] } | { status: "already_deleted" };

/** Marks the account and signs out every device, before anything is revoked. */
export async function beginDeletion(userId: string): Promise<{ email: string | null } | null> {
  const user = await markDeletionRequested(userId);
  if (!user) return null;
  await endAllSessions(userId);
  if (user.email) await forgetSignInLinks(user.email);
  return user;
}

/** Revokes every live connection at TrueLayer, queueing those it cannot reach; returns the banks whose revoke waits. */
export async function revokeForDeletion(userId: string): Promise<string[]> {
  const live = (await getConnectionsForUser(userId)).filter((c) => c.status !== "REVOKED");
  const pending: string[] = [];
  for (const connection of live) {
    const stopped = await stopSharing(userId, connection.id, "deleted");
    // Busy connections keep their tokens until completeDeletion queues them.
    if (!stopped.ok || stopped.reason === "truelayer_unreachable" || stopped.reason === "answer_lost")
      pending.push(connection.providerName);
  }
  return pending;
}

/** One transaction: unrevoked tokens move to the retry queue, then the user and all that cascades go. */
export async function completeDeletion(userId: string): Promise<string[] | null> {
  return retryingDeadlock(() => completeDeletionOnce(userId));
}

async function completeDeletionOnce(userId: string): Promise<string[] | null> {
  return transaction(async (tx) => {
    await lockUserConnections(userId, tx);
    const user = await lockUser(userId, tx);
    if (!user) return null;
    const queued = await queueUserGrants(userId, tx);
    await eraseUnlinkedRows(userId, tx);
    if (user.email) await forgetSignInLinks(user.email, tx);
    await deleteUserRow(userId, tx);
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
  const ids = await deletionsRequestedBefore(new Date(now().getTime() - 5 * 60_000), limit);
  for (const id of ids) await deleteAccount(id);
  return ids.length;
}
