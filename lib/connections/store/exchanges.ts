import "server-only";
import { type AuthStatePurpose, Prisma } from "@prisma/client";
import { now } from "@/lib/clock";
import { type Sql, sql } from "@/lib/db";
import { newId } from "@/lib/ids";
import { countAttempt, type RateLimitRule } from "@/lib/security/rate-limit";

// Codes are kept by hash, so a repeat shows the finished result.

export type AuthState = {
  id: string;
  userId: string;
  purpose: AuthStatePurpose;
  connectionIds: string[];
  providerId: string | null;
  codeVerifierSealed: string | null;
  redirectUri: string;
  browserHash: string | null;
  expiresAt: Date;
  consumedAt: Date | null;
};

export async function createAuthState(
  data: Omit<AuthState, "id" | "consumedAt" | "browserHash" | "providerId"> & {
    stateHash: string;
    providerId?: string;
    browserHash?: string;
    codeVerifierSealed: string | null;
  },
): Promise<void> {
  await sql(Prisma.sql`
    INSERT INTO "AuthState" ("id", "stateHash", "userId", "purpose", "connectionIds", "providerId",
      "codeVerifierSealed", "redirectUri", "browserHash", "expiresAt", "createdAt")
    VALUES (${newId()}, ${data.stateHash}, ${data.userId}, ${data.purpose}::"AuthStatePurpose",
      ${data.connectionIds}::text[], ${data.providerId ?? null}, ${data.codeVerifierSealed}, ${data.redirectUri},
      ${data.browserHash ?? null}, ${data.expiresAt}::timestamp(3), ${now()}::timestamp(3))`);
}

const STATE_COLUMNS = Prisma.sql`s."id", s."userId", s."purpose"::text AS "purpose", s."connectionIds", s."providerId",
  s."codeVerifierSealed", s."redirectUri", s."browserHash", s."expiresAt", s."consumedAt"`;

/** A return's code exchange (if seen) and its state row, in one round trip; `parksExpired` lets /callback sweep
 * parked returns only when one is past its time, at no statement of its own. */
export async function findReturn(
  codeHash: string,
  stateHash: string | null,
  at: Date = now(),
): Promise<{ seen: CodeExchange | null; state: AuthState | null; parksExpired: boolean }> {
  const { rows } = await sql<
    Partial<AuthState> & {
      exchangeId: string | null;
      exchangeUserId: string | null;
      exchangeConnectionId: string | null;
      outcome: string | null;
      parksExpired: boolean;
    }
  >(Prisma.sql`
    SELECT e."id" AS "exchangeId", e."userId" AS "exchangeUserId", e."connectionId" AS "exchangeConnectionId",
      e."outcome", ${STATE_COLUMNS},
      EXISTS (SELECT 1 FROM "ParkedReturn" p WHERE p."expiresAt" <= ${at}::timestamp(3)) AS "parksExpired"
    FROM (SELECT 1) one
    LEFT JOIN "CodeExchange" e ON e."codeHash" = ${codeHash}
    LEFT JOIN "AuthState" s ON s."stateHash" = ${stateHash}`);
  const row = rows[0];
  if (!row) return { seen: null, state: null, parksExpired: false };
  const { exchangeId, exchangeUserId, exchangeConnectionId, outcome, parksExpired, ...state } = row;
  return {
    parksExpired,
    seen:
      exchangeId && outcome
        ? decoded({ id: exchangeId, userId: exchangeUserId, connectionId: exchangeConnectionId, outcome })
        : null,
    state: state.id ? (state as AuthState) : null,
  };
}

/** Consumes the state and, only if that won, claims the code, in one statement (`claimedId` null: already claimed). */
export async function consumeStateAndClaimCode(
  stateId: string,
  codeHash: string,
  pending: { flow: "connect" | "extend"; userId: string },
  at: Date,
  budget: RateLimitRule[] = [],
): Promise<{ consumed: boolean; claimedId: string | null; overBudget: boolean }> {
  const limits = budgetParts(budget);
  const { rows } = await sql<{ consumed: number; claimedId: string | null; overBudget: boolean }>(Prisma.sql`
    WITH ${limits.ctes} consumed AS (
      UPDATE "AuthState" SET "consumedAt" = ${at}::timestamp(3)
      WHERE "id" = ${stateId} AND "consumedAt" IS NULL AND "expiresAt" > ${at}::timestamp(3) AND ${limits.within}
      RETURNING "id"
    ), claimed AS (
      INSERT INTO "CodeExchange" ("id", "codeHash", "userId", "outcome", "createdAt")
      SELECT ${newId()}, ${codeHash}, ${pending.userId}, ${`${pending.flow}:pending`}, ${at}::timestamp(3) FROM consumed
      ON CONFLICT ("codeHash") DO NOTHING RETURNING "id"
    )
    SELECT (SELECT count(*) FROM consumed)::int AS "consumed", (SELECT "id" FROM claimed) AS "claimedId",
      NOT ${limits.within} AS "overBudget"`);
  return {
    consumed: (rows[0]?.consumed ?? 0) > 0,
    claimedId: rows[0]?.claimedId ?? null,
    overBudget: rows[0]?.overBudget ?? false,
  };
}

// Counted in the statement that claims the code, before any call to TrueLayer: over budget, nothing is claimed.
function budgetParts(rules: RateLimitRule[]): { ctes: Prisma.Sql; within: Prisma.Sql } {
  if (rules.length === 0) return { ctes: Prisma.empty, within: Prisma.sql`true` };
  const counted = rules.map((rule, n) => ({ n, rule, attempt: countAttempt(rule) }));
  return {
    ctes: Prisma.sql`${Prisma.join(
      counted.map(({ n, attempt }) => Prisma.sql`${Prisma.raw(`b${n}`)} AS (${attempt.statement}),`),
      " ",
    )}`,
    within: Prisma.join(
      counted.map(({ n, rule }) => Prisma.sql`(SELECT "count" FROM ${Prisma.raw(`b${n}`)}) <= ${rule.limit}`),
      " AND ",
    ),
  };
}

export async function findAuthState(stateHash: string): Promise<AuthState | null> {
  const { rows } = await sql<AuthState>(Prisma.sql`
    SELECT "id", "userId", "purpose"::text AS "purpose", "connectionIds", "providerId", "codeVerifierSealed",
      "redirectUri", "browserHash", "expiresAt", "consumedAt"
    FROM "AuthState" WHERE "stateHash" = ${stateHash}`);
  return rows[0] ?? null;
}

// So exactly one caller wins.
export async function consumeAuthState(id: string, at: Date): Promise<boolean> {
  const { rowCount } = await sql(Prisma.sql`
    UPDATE "AuthState" SET "consumedAt" = ${at}::timestamp(3)
    WHERE "id" = ${id} AND "consumedAt" IS NULL AND "expiresAt" > ${at}::timestamp(3)`);
  return rowCount === 1;
}

// Stored as "<flow>:<status>[:<our reason>]".
export type ExchangeOutcome =
  | { flow: "connect"; status: "pending" | "parked" | "connected" | "reconnected" }
  | { flow: "extend"; status: "pending" | "parked" | "completed" }
  | { flow: "connect" | "extend"; status: "failed"; reason: string };

export function encodeOutcome(outcome: ExchangeOutcome): string {
  return outcome.status === "failed"
    ? `${outcome.flow}:failed:${outcome.reason}`
    : `${outcome.flow}:${outcome.status}`;
}

export function decodeOutcome(stored: string): ExchangeOutcome {
  const [flow, status, ...rest] = stored.split(":");
  const f = flow === "extend" ? "extend" : "connect";
  if (status === "failed") return { flow: f, status: "failed", reason: rest.join(":") || "unknown" };
  if (f === "extend" && (status === "pending" || status === "parked" || status === "completed"))
    return { flow: f, status };
  if (
    f === "connect" &&
    (status === "pending" || status === "parked" || status === "connected" || status === "reconnected")
  )
    return { flow: f, status };
  return { flow: f, status: "failed", reason: "unknown" };
}

export type CodeExchange = {
  id: string;
  userId: string | null;
  connectionId: string | null;
  outcome: ExchangeOutcome;
};

type ExchangeRow = Omit<CodeExchange, "outcome"> & { outcome: string };
const decoded = (row: ExchangeRow): CodeExchange => ({ ...row, outcome: decodeOutcome(row.outcome) });
const EXCHANGE = Prisma.sql`SELECT "id", "userId", "connectionId", "outcome" FROM "CodeExchange"`;

// Recorded before the exchange: the first arrival claims it; a repeat (a reload, a second tab, a race) gets it as it stands.
export async function claimCodeExchange(
  codeHash: string,
  pending: { flow: "connect" | "extend"; userId?: string },
  budget: RateLimitRule[] = [],
): Promise<
  | { claimed: true; id: string }
  | { claimed: false; exchange: CodeExchange }
  | { claimed: false; overBudget: true }
> {
  const limits = budgetParts(budget);
  const { rows } = await sql<{ id: string | null; overBudget: boolean }>(Prisma.sql`
    WITH ${limits.ctes} ins AS (
      INSERT INTO "CodeExchange" ("id", "codeHash", "userId", "outcome", "createdAt")
      SELECT ${newId()}, ${codeHash}, ${pending.userId ?? null}, ${`${pending.flow}:pending`}, ${now()}::timestamp(3)
      WHERE ${limits.within}
      ON CONFLICT ("codeHash") DO NOTHING RETURNING "id"
    )
    SELECT (SELECT "id" FROM ins) AS "id", NOT ${limits.within} AS "overBudget"`);
  if (rows[0]?.id) return { claimed: true, id: rows[0].id };
  if (rows[0]?.overBudget) return { claimed: false, overBudget: true };
  const seen = await findCodeExchange(codeHash);
  if (!seen) throw new Error("A claimed code exchange disappeared.");
  return { claimed: false, exchange: seen };
}

export async function findCodeExchange(codeHash: string): Promise<CodeExchange | null> {
  const { rows } = await sql<ExchangeRow>(Prisma.sql`${EXCHANGE} WHERE "codeHash" = ${codeHash}`);
  return rows[0] ? decoded(rows[0]) : null;
}

export async function getCodeExchange(id: string): Promise<CodeExchange | null> {
  const { rows } = await sql<ExchangeRow>(Prisma.sql`${EXCHANGE} WHERE "id" = ${id}`);
  return rows[0] ? decoded(rows[0]) : null;
}

export async function getCodeExchangeForUser(id: string, userId: string): Promise<CodeExchange | null> {
  const exchange = await getCodeExchange(id);
  return exchange?.userId === userId ? exchange : null;
}

export type Settlement = {
  id: string;
  outcome: ExchangeOutcome;
  about?: { userId?: string | null; connectionId?: string | null };
};

/** A statement, or a CTE of the storing one; clears the held grant, put where it belongs in the same transaction. */
export function settleStatement({ id, outcome, about = {} }: Settlement): Prisma.Sql {
  return Prisma.sql`
    UPDATE "CodeExchange" SET "outcome" = ${encodeOutcome(outcome)}, "grantSealed" = NULL,
      "userId" = ${about.userId === undefined ? Prisma.sql`"userId"` : Prisma.sql`${about.userId}`},
      "connectionId" = ${about.connectionId === undefined ? Prisma.sql`"connectionId"` : Prisma.sql`${about.connectionId}`}
    WHERE "id" = ${id}`;
}

export async function settleCodeExchange(
  id: string,
  outcome: ExchangeOutcome,
  about: { userId?: string | null; connectionId?: string | null } = {},
  tx?: Sql,
): Promise<void> {
  const statement = settleStatement({ id, outcome, about });
  if (tx) await tx(statement);
  else await sql(statement);
}
