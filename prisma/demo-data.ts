import { addDays } from "../lib/clock";
import { completeConnect } from "../lib/connections/complete-connect";
import { callbackUrl } from "../lib/connections/truelayer";
import { db } from "../lib/db";
import { env } from "../lib/env";
import { connectViaDialog } from "../lib/truelayer/test-helpers";

/**
 * Demo data that agrees with the TrueLayer simulator: the demo user's connections are made through
 * the simulator's own auth dialog, then aged there and here alike, so every screen has real tokens.
 */
export const DEMO_EMAIL = "demo@reconsent.localhost";

const DEMO_CONNECTIONS = [
  { providerId: "uk-oauth-mock-kestrel", password: "multi", ageDays: 20 }, // active
  { providerId: "uk-cs-mock", password: "eternal", ageDays: 85 }, // expiring in 5 days
  { providerId: "uk-ob-mock-harbour", password: "doe", ageDays: 100 }, // lapsed 10 days ago
] as const;

async function ageAtSimulator(credentialsId: string, days: number) {
  const config = env();
  const res = await fetch(`${config.TRUELAYER_API_URL}/_sandbox/connections/age`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientId: config.TRUELAYER_CLIENT_ID, credentialsId, days }),
  });
  if (!res.ok) throw new Error(`The simulator refused to age a demo connection (${res.status}).`);
}

/** Idempotent: does nothing once the demo user has connections. */
export async function seedDemo(): Promise<number> {
  const prisma = db();
  const user = await prisma.user.upsert({
    where: { email: DEMO_EMAIL },
    update: {},
    create: { email: DEMO_EMAIL, name: "Alex Demo", emailVerified: new Date() },
  });
  if ((await prisma.connection.count({ where: { userId: user.id } })) > 0) return 0;

  const config = env();
  for (const demo of DEMO_CONNECTIONS) {
    const { code } = await connectViaDialog(config.TRUELAYER_AUTH_URL ?? "", {
      clientId: config.TRUELAYER_CLIENT_ID,
      redirectUri: callbackUrl(),
      username: "john",
      password: demo.password,
      providers: demo.providerId,
      providerId: demo.providerId,
    });
    const result = await completeConnect(
      {
        userId: user.id,
        purpose: "CONNECT",
        connectionIds: [],
        redirectUri: callbackUrl(),
        codeVerifierSealed: null,
      },
      code,
    );
    if (!result.connectionId)
      throw new Error(`Connecting the demo ${demo.providerId} failed: ${result.outcome}`);
    const row = await prisma.connection.findUniqueOrThrow({ where: { id: result.connectionId } });
    if (!row.credentialsId) throw new Error("The demo connection has no credentials id.");
    await ageAtSimulator(row.credentialsId, demo.ageDays);
    await prisma.connection.update({
      where: { id: row.id },
      data: {
        consentCreatedAt: addDays(row.consentCreatedAt, -demo.ageDays),
        consentExpiresAt: addDays(row.consentExpiresAt, -demo.ageDays),
      },
    });
  }
  return DEMO_CONNECTIONS.length;
}
