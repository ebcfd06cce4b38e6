import { type Persona, seedConnection } from "../kit/seed";
import { hasConnections } from "../lib/connections/store/connections";
import { callbackUrl } from "../lib/connections/truelayer-client";
import { db } from "../lib/db";
import { env } from "../lib/env";

/**
 * Demo data that agrees with the TrueLayer simulator: the demo user's connections are made through
 * the simulator's own auth dialog (the test kit's seedConnection), then aged there and here alike,
 * so every screen has real tokens.
 */
export const DEMO_EMAIL = "demo@reconsent.localhost";

const DEMO_CONNECTIONS: readonly { providerId: string; password: Persona; ageDays: number }[] = [
  { providerId: "uk-oauth-mock-kestrel", password: "multi", ageDays: 20 }, // active
  { providerId: "uk-cs-mock", password: "eternal", ageDays: 85 }, // expiring in 5 days
  { providerId: "uk-ob-mock-harbour", password: "doe", ageDays: 100 }, // lapsed 10 days ago
];

/** Idempotent: does nothing once the demo user has connections. */
export async function seedDemo(): Promise<number> {
  const prisma = db();
  const user = await prisma.user.upsert({
    where: { email: DEMO_EMAIL },
    update: {},
    create: { email: DEMO_EMAIL, name: "Alex Demo", emailVerified: new Date() },
  });
  if (await hasConnections(user.id)) return 0;

  const config = env();
  const target = {
    sandboxUrl: config.TRUELAYER_AUTH_URL ?? "",
    clientId: config.TRUELAYER_CLIENT_ID,
    redirectUri: callbackUrl(),
  };
  for (const demo of DEMO_CONNECTIONS) {
    await seedConnection(target, user.id, {
      password: demo.password,
      providerId: demo.providerId,
      ageDays: demo.ageDays,
    });
  }
  return DEMO_CONNECTIONS.length;
}
