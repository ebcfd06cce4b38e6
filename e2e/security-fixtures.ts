import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { seedCodeExchange } from "../kit";
import { commit } from "../lib/connections/custody";
import { consentRecordFor } from "../lib/connections/reconfirm/workflow";
import { getUserConnections } from "../lib/connections/store/connections";
import { createAuthState } from "../lib/connections/store/exchanges";
import { recordReconfirmation } from "../lib/connections/store/reconfirmations";
import { seedTokenlessConnection } from "./connect-flow";
import { e2eEnv, sql, type TestUser } from "./fixtures";
import { seedLiveConnection } from "./reconfirm-fixtures";

// Another user's whole world (a live connection with tokens, a reconfirmation waiting at the bank,
// finished code exchanges, an open bank-trip state), and a snapshot of every row that is theirs, so a
// spec can show that nothing a signed-in stranger sends changes any of it.

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** A session row for `user`; the token goes in the next-auth.session-token cookie. */
export async function sessionTokenFor(user: TestUser): Promise<string> {
  const token = randomBytes(32).toString("hex");
  await sql(
    `insert into "Session" (id, "sessionToken", "userId", expires) values ($1, $2, $3, now() + interval '1 day')`,
    [`s_${randomUUID()}`, token, user.id],
  );
  return token;
}

/** A reconfirmation of `connectionId` whose bank still needs the user (shows "Continue to …"). */
export async function seedReconfirmationAtBank(userId: string, connectionId: string): Promise<string> {
  const [connection] = await getUserConnections(userId, [connectionId]);
  if (!connection) throw new Error("no such connection");
  const record = consentRecordFor({
    userId,
    email: "seeded@example.test",
    shown: [connection],
    copyHash: sha256(connectionId),
    at: new Date(),
  });
  const { reconfirmationId, claims } = await recordReconfirmation(record, [
    { ...connection, scopes: ["info", "accounts"] },
  ]);
  const lease = claims.get(connectionId);
  if (!lease) throw new Error("the seeded connection is busy");
  await commit(lease, {
    kind: "sent_to_bank",
    reconfirmationId,
    tripSecretHash: null,
    action: "authentication_needed",
  });
  return reconfirmationId;
}

export type OtherWorld = {
  user: TestUser;
  connectionId: string;
  plainConnectionId: string;
  reconfirmationId: string;
  connectExchangeId: string;
  extendExchangeId: string;
  rawState: string;
};

export async function seedOtherWorld(user: TestUser): Promise<OtherWorld> {
  const { id: connectionId } = await seedLiveConnection(user.id, { password: "eternal" });
  const plainConnectionId = await seedTokenlessConnection(user.id);
  const reconfirmationId = await seedReconfirmationAtBank(user.id, connectionId);
  const connectExchangeId = await seedCodeExchange(
    user.id,
    { flow: "connect", status: "connected" },
    connectionId,
  );
  const extendExchangeId = await seedCodeExchange(
    user.id,
    { flow: "extend", status: "completed" },
    connectionId,
  );
  const rawState = randomBytes(32).toString("base64url");
  await createAuthState({
    stateHash: sha256(rawState),
    userId: user.id,
    purpose: "RECONNECT",
    connectionIds: [connectionId],
    providerId: "uk-cs-mock",
    codeVerifierSealed: null,
    redirectUri: `${e2eEnv().APP_URL}/callback`,
    expiresAt: new Date(Date.now() + 10 * 60_000),
  });
  return {
    user,
    connectionId,
    plainConnectionId,
    reconfirmationId,
    connectExchangeId,
    extendExchangeId,
    rawState,
  };
}

/** Every row that belongs to `userId`, as JSON, for before/after comparison. */
export async function snapshotOf(userId: string): Promise<string> {
  const mine = `"connectionId" in (select id from "Connection" where "userId" = $1)`;
  const queries: Record<string, string> = {
    user: `select name, email, "remindersEnabled", role from "User" where id = $1`,
    sessions: `select "sessionToken", expires from "Session" where "userId" = $1 order by id`,
    connections: `select * from "Connection" where "userId" = $1 order by id`,
    accounts: `select * from "BankAccount" where ${mine} order by id`,
    events: `select * from "ConnectionEvent" where ${mine} order by id`,
    reconfirmations: `select r.* from "Reconfirmation" r join "ReconfirmationOwner" o on o."reconfirmationId" = r.id where o."userId" = $1 order by r.id`,
    items: `select * from "ReconfirmationItem" where ${mine} order by id`,
    states: `select * from "AuthState" where "userId" = $1 order by id`,
    exchanges: `select * from "CodeExchange" where "userId" = $1 or ${mine} order by id`,
    funnel: `select * from "FunnelEvent" where "userId" = $1 order by id`,
    reminders: `select * from "Reminder" where "userId" = $1 order by id`,
  };
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(queries)) out[name] = await sql(text, [userId]);
  return JSON.stringify(out);
}

/** The unsubscribe token the app would mail `userId` (same HMAC as lib/reminders/unsubscribe-token.ts). */
export function unsubscribeTokenFor(userId: string): string {
  const signature = createHmac("sha256", e2eEnv().AUTH_SECRET ?? "")
    .update(`reconsent:unsubscribe:reminders:v1\n${userId}`)
    .digest("base64url");
  return `${Buffer.from(userId).toString("base64url")}.${signature}`;
}
