import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "@/lib/clock";
import { type Sql, sql } from "@/lib/db";
import { failureFields, log } from "@/lib/log";
import { type BalanceReadClaim, type ClaimedReadRow, claimFromRow } from "./balance-claims";
import { queueUnheldGrant, revokeQueuedNow } from "./queue";
import {
  type Claimed,
  type CommitTarget,
  claimStatement,
  commitStatement,
  type HeldRow,
  type Lease,
  releaseStatement,
} from "./statements";
import type { NewTokens, Transition } from "./transitions";

export class LostLeaseError extends Error {
  constructor() {
    super("Another request changed this connection first.");
    this.name = "LostLeaseError";
  }
}

/** For a record without tokens: when another request took the connection, what it records stands. */
export function ignoreLostLease(error: unknown): void {
  if (!(error instanceof LostLeaseError)) throw error;
}

export type Hold = { held: Claimed } | { busy: HeldRow & { connectionId: string } } | { missing: true };

/** Claims the connection, or says what its holder has recorded so far: one statement, no wait. `{ credentialsId }`
 * finds the live connection holding that grant, whoever's it is. */
export async function hold(
  connection: string | { credentialsId: string },
  userId: string | null,
  purpose: string,
): Promise<Hold> {
  const which = typeof connection === "string" ? [connection] : connection;
  const { rows } = await sql<Claimed & { leaseId: string | null }>(
    claimStatement(which, userId, purpose, now(), true),
  );
  const row = rows[0];
  if (!row) return { missing: true };
  return row.leaseId ? { held: row as Claimed } : { busy: row };
}

// Past TrueLayer's 10 s timeout: a live request has answered by then; a crashed one is left to its lease.
export const WAIT_FOR_OTHER_MS = 15_000;
const POLL_MS = 100;

/** The one wait loop: waits while another request holds it; what that one recorded is in the held row's facts. */
export async function holdOrWait(
  connection: string | { credentialsId: string },
  userId: string | null,
  purpose: string,
  waitMs = WAIT_FOR_OTHER_MS,
): Promise<Hold> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const attempt = await hold(connection, userId, purpose);
    if (!("busy" in attempt) || Date.now() >= deadline) return attempt;
    await sleep(POLL_MS);
  }
}

export type Holding = Lease & Pick<HeldRow, "providerId" | "providerName" | "credentialsId">;
type WithTokens = Extract<Transition, { tokens: NewTokens }>;
type CommitOptions = {
  tx?: Sql;
  userId?: string;
  keepLease?: boolean;
  revokeNow?: boolean;
  /** A renewal's balance read, claimed in this statement (balance-claims.ts claimOnWrite). */
  claimRead?: { unattended: boolean };
};

/** Writes the transition under the lease (a stop: whatever is in flight), else queues its new tokens and throws
 * LostLeaseError. A retired grant is queued in the same statement and, with `revokeNow`, tried at once. */
export async function commit(
  target: Holding,
  transition: Transition,
  options?: CommitOptions,
): Promise<{ version: number; read?: BalanceReadClaim }>;
export async function commit(
  target: Lease | CommitTarget,
  transition: Exclude<Transition, WithTokens>,
  options?: CommitOptions,
): Promise<{ version: number; read?: BalanceReadClaim }>;
export async function commit(
  target: Holding | Lease | CommitTarget,
  transition: Transition,
  options: CommitOptions = {},
): Promise<{ version: number; read?: BalanceReadClaim }> {
  const t: CommitTarget = "leaseId" in target ? { lease: target } : target;
  const statement = commitStatement(t, transition, now(), options);
  type Row = { id: string; version: number; queuedId: string | null } & Partial<ClaimedReadRow>;
  const { rows } = options.tx ? await options.tx<Row>(statement) : await sql<Row>(statement);
  const row = rows[0];
  if (!row) {
    if ("tokens" in transition && "providerId" in target) {
      const reason = transition.kind === "extended" ? "renewal_unstored" : "refresh_unstored";
      await queueUnheldGrant(target, transition.tokens, reason);
    }
    throw new LostLeaseError();
  }
  const read = row.readClaimed === undefined ? undefined : claimFromRow(row.id, row as Row & ClaimedReadRow);
  if (options.revokeNow && row.queuedId)
    await revokeQueuedNow(row.queuedId).catch((error: unknown) =>
      log.warn("custody.revoke_now_failed", { reason: "replaced", ...failureFields(error) }),
    );
  return read ? { version: row.version, read } : { version: row.version };
}

// Also when the call failed before TrueLayer acted, or was refused; nothing else changes.
export async function release(lease: Lease): Promise<void> {
  await sql(releaseStatement(lease));
}
