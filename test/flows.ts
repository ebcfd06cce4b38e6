// Test-only: users and banks for integration tests, through the real flows (auth link → simulator
// dialog → callback; the reconfirm workflow) and the test kit's one seedConnection.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import {
  type Credentials,
  completeDialog,
  type DialogOutcome,
  type Persona,
  sandboxControls,
  seedConnection,
  syncSeededConnection,
} from "@/kit";
import { now } from "@/lib/clock";
import {
  type CallbackContext,
  callbackParamsFrom,
  handleCallback,
} from "@/lib/connections/bank-return/callback";
import { startConnect } from "@/lib/connections/connect/start";
import { copyFor, reconfirmConnections } from "@/lib/connections/reconfirm/workflow";
import { getUserConnections } from "@/lib/connections/store/connections";
import { db } from "@/lib/db";
import type { Integration } from "./integration";

export async function createTestUser(name: string | null = "Jamie Example") {
  return db().user.create({ data: { email: `u-${randomUUID()}@example.test`, name } });
}

/** A live connection through the simulator's dialog, stored as the app stores one (the kit's seedConnection). */
export async function createTestConnection(
  it: Pick<Integration, "sandboxUrl" | "clientId" | "redirectUri">,
  userId: string,
  password: Persona,
) {
  const { id } = await seedConnection(it, userId, { password });
  return db().connection.findUniqueOrThrow({ where: { id } });
}

/** Starts a connect, logs in at the simulator, returns the callback's code and state (not yet used). */
export async function bankApproval(
  userId: string,
  creds: Partial<Credentials> = {},
  options: { reconnectId?: string; browserHash?: string } = {},
) {
  const started = await startConnect(userId, options);
  if (!started.ok) throw new Error("startConnect refused");
  const outcome = await completeDialog(started.link, {
    username: "john",
    password: "eternal",
    providerId: "uk-cs-mock",
    ...creds,
  });
  return { code: outcome.code, state: outcome.state ?? null };
}

/** The whole connect flow; returns the path the callback redirected to. */
export async function connectBank(userId: string, creds: Partial<Credentials> = {}) {
  const approval = await bankApproval(userId, creds);
  return handleCallback(approval, userId);
}

/** The exchange a bank return's answer names: a connect's result page, or `?exchange=` (progress, finish). */
export function exchangeIdFrom(path: string): string {
  const id =
    /^\/connections\/result\/([^/?]+)$/.exec(path)?.[1] ??
    new URL(path, "http://x").searchParams.get("exchange");
  if (!id) throw new Error(`no exchange in: ${path}`);
  return id;
}

/** `tripHash`: the hash of the trip secret a browser's cookie would hold (pass it as `tripHashes` on its return). */
export async function reconfirmOne(userId: string, connectionId: string, tripHash?: string) {
  const { hash } = copyFor(await getUserConnections(userId, [connectionId]), now());
  return reconfirmConnections(
    { connectionId: [connectionId], shownConnectionId: [connectionId], copyHash: hash },
    userId,
    undefined,
    tripHash ? async () => tripHash : undefined,
  );
}

/** A browser's trip secret and the hash the trip's row keeps. */
export function newTrip(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, hash: createHash("sha256").update(secret).digest("hex") };
}

/** What a daily sync does (the kit's syncSeededConnection). */
export const refreshTestConnection = syncSeededConnection;

export async function setSandboxClock(it: Pick<Integration, "sandboxUrl" | "clientId">, days: number) {
  await sandboxControls(it.sandboxUrl, it.clientId).setClock(days);
}

export async function extendCalls(it: Pick<Integration, "sandboxUrl" | "clientId">): Promise<number> {
  const calls = await sandboxControls(it.sandboxUrl, it.clientId).calls();
  return calls.filter((c) => c.path.endsWith("/connections/extend")).length;
}

export async function newUser(prisma: PrismaClient, name = "Jamie Example") {
  return prisma.user.create({ data: { email: `u-${randomUUID()}@example.test`, name } });
}

/** A renewal the bank must approve: the trip its browser's cookie holds, and the link to the bank. */
export async function reconfirmThroughBank(userId: string, connectionId: string) {
  const trip = newTrip();
  const result = await reconfirmOne(userId, connectionId, trip.hash);
  if (result.kind !== "finished" || !result.firstLink) throw new Error("expected a bank trip");
  return { trip, link: result.firstLink };
}

/** A new user with one bank connected through the whole connect flow; the connection with its accounts. */
export async function connectedUser(prisma: PrismaClient, password: "eternal" | "doe" = "eternal") {
  const user = await newUser(prisma);
  const path = await connectBank(user.id, { password });
  const exchange = await prisma.codeExchange.findUniqueOrThrow({ where: { id: exchangeIdFrom(path) } });
  if (exchange.outcome !== "connect:connected") throw new Error(`the connect ended ${exchange.outcome}`);
  const connection = await prisma.connection.findUniqueOrThrow({
    where: { id: exchange.connectionId ?? "" },
    include: { accounts: true },
  });
  return { user, connection };
}

/** Delivers a bank return as the browser would: a GET's query, or a form_post's fields (carried to our GET). */
export async function returnToApp(
  back: DialogOutcome,
  sessionUserId: string | null,
  context: CallbackContext = {},
) {
  if (back.method === "GET") {
    return handleCallback(
      callbackParamsFrom((field) => back.params[field]),
      sessionUserId,
      context,
    );
  }
  return handleCallback(
    callbackParamsFrom((field) => back.params[field]),
    sessionUserId,
    context,
  );
}
