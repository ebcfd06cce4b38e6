// Test-only: connect a bank for a user through the real flow (auth link → simulator dialog → callback).
import type { PrismaClient } from "@prisma/client";
import { type Credentials, completeDialog } from "@/lib/truelayer/test-helpers";
import { handleCallback } from "./callback";
import { startConnect } from "./connect";

export async function newUser(prisma: PrismaClient, name = "Jamie Example") {
  const email = `u-${Math.random().toString(36).slice(2)}@example.test`;
  return prisma.user.create({ data: { email, name } });
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

export function exchangeIdFrom(path: string): string {
  const match = /^\/connections\/result\/([^/?]+)$/.exec(path);
  if (!match?.[1]) throw new Error(`not a result path: ${path}`);
  return match[1];
}
