import "server-only";
import { createHmac } from "node:crypto";
import type { SecurityEventKind } from "@prisma/client";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { checkRateLimit } from "./rate-limit";

export type { SecurityEventKind };

export type SecurityEventInput = {
  kind: SecurityEventKind;
  userId?: string | null;
  /** Our own short code; anything else is stored as "other", so no upstream text or token can slip in. */
  reason?: string;
  /** The address or network involved: only its keyed hash is stored. */
  subject?: string | null;
  /** Caused by a request nobody signed in made: counted against a shared cap so a flood cannot grow the table. */
  unauthenticated?: boolean;
};

// Words and paths only: no digits, so no token, code or id fits, and short.
const REASON = /^[A-Za-z/][A-Za-z_/.:-]{0,47}$/;
/** Events from requests without a session, for everyone together (decision 042). */
export const ANONYMOUS_EVENTS_PER_HOUR = 1000;

export const subjectHash = (subject: string) =>
  createHmac("sha256", env().AUTH_SECRET).update(`security-event\n${subject}`).digest("hex").slice(0, 32);

/** The only writer of SecurityEvent (append-only in the database too). */
export async function recordSecurityEvent(input: SecurityEventInput): Promise<boolean> {
  if (input.unauthenticated) {
    const cap = await checkRateLimit({
      scope: "security-events-unauthenticated",
      key: "all",
      limit: ANONYMOUS_EVENTS_PER_HOUR,
      windowSeconds: 60 * 60,
    });
    if (!cap.allowed) return false;
  }
  await db().securityEvent.create({
    data: {
      kind: input.kind,
      userId: input.userId ?? null,
      reason: input.reason === undefined ? null : REASON.test(input.reason) ? input.reason : "other",
      subjectHash: input.subject ? subjectHash(input.subject) : null,
    },
  });
  return true;
}

export type SecurityEventRow = {
  id: string;
  kind: SecurityEventKind;
  reason: string | null;
  createdAt: Date;
};

export async function securityEventsOf(userId: string, take = 20): Promise<SecurityEventRow[]> {
  return db().securityEvent.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, reason: true, createdAt: true },
  });
}

export async function latestSecurityEvents(take = 200) {
  return db().securityEvent.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, reason: true, createdAt: true, userId: true, subjectHash: true },
  });
}

/** Retention: a year for events of an account, 90 days for the rest (decision 042). */
export async function pruneSecurityEvents(accountCutoff: Date, anonymousCutoff: Date): Promise<number> {
  const { count } = await db().securityEvent.deleteMany({
    where: {
      OR: [{ createdAt: { lt: accountCutoff } }, { userId: null, createdAt: { lt: anonymousCutoff } }],
    },
  });
  return count;
}
