import type { Persona } from "../kit/seed";
import { seedConnection, syncSeededConnection } from "../kit/seed";
import { appSandbox, moveClocks, sql } from "./fixtures";

// Live connections for the reconfirmation specs: the test kit's one seedConnection (the simulator's
// dialog, stored as the app stores a connect), so these specs do not depend on the connect screens.

export type SeededConnection = { id: string; userId: string; refreshToken: string };

/** Logs in at the simulator as `john`/<password> at one bank and stores the connection for `userId`. */
export async function seedLiveConnection(
  userId: string,
  options: { password: Persona; username?: string; providerId?: string },
): Promise<SeededConnection> {
  const seeded = await seedConnection(appSandbox(), userId, options);
  return { id: seeded.id, userId, refreshToken: seeded.refreshToken };
}

export async function connectionRow(id: string) {
  const [row] = await sql<{
    status: string;
    accessTokenSealed: string;
    refreshTokenSealed: string;
    consentExpiresAt: Date;
  }>(
    `select status, "accessTokenSealed", "refreshTokenSealed", "consentExpiresAt" from "Connection" where id = $1`,
    [id],
  );
  if (!row) throw new Error("no such connection");
  return row;
}

export async function eventsOf(id: string) {
  const rows = await sql<{ type: string; reason: string | null }>(
    `select type, reason from "ConnectionEvent" where "connectionId" = $1 and type <> 'CONNECTED' order by "createdAt", id`,
    [id],
  );
  return rows.map((r) => r.type);
}

/** Registers the app's client again with other settings (e.g. consentScreenReviewed: false). */
export async function setAppClient(settings: { consentScreenReviewed: boolean }) {
  const { controls, redirectUri } = appSandbox();
  const env = process.env;
  await controls.register({
    clientSecret: env.TRUELAYER_CLIENT_SECRET ?? "",
    redirectUris: [redirectUri],
    ...settings,
  });
}

export function inDays(days: number): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "Europe/London",
  }).format(new Date(Date.now() + days * 86_400_000));
}

/**
 * Moves both clocks to `day` as if the app had synced every 25 days: a refresh token dies after 30
 * idle days in the simulator, while consent itself ends on day 90.
 */
export async function ageConnections(day: number, connections: Pick<SeededConnection, "id" | "userId">[]) {
  for (let at = 25; at < day; at += 25) {
    await moveClocks(at);
    for (const connection of connections) await syncSeededConnection(connection.id, connection.userId);
  }
  await moveClocks(day);
}
