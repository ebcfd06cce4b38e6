import { randomUUID } from "node:crypto";
import { addDays } from "@/lib/clock";
import { hold, refreshHeld, snapshotFrom } from "@/lib/connections/custody";
import { storeSeededConnection } from "@/lib/connections/custody/fixtures";
import { truelayer } from "@/lib/connections/truelayer-client";
import { connectViaDialog, sandboxControls } from "@/sandbox/client";

/** The mock bank's logins (sandbox/README.md); the extra personas are the simulator's own. */
export type Persona = "eternal" | "doe" | "iban" | "norotate" | "reconfirm" | "cancel" | "multi" | "sparse";

export type SeedTarget = { sandboxUrl: string; clientId: string; redirectUri: string };

/**
 * The one way tests, the bench and the demo get a live connection: logs in at the simulator's
 * dialog as `john`/<persona>, exchanges the code with the app's own TrueLayer client, and stores the
 * answer exactly as a connect does. With `ageDays` the connect is recorded as made that many days ago (its row,
 * its consent dates and its "Connected" event alike, so history and card agree), and the simulator is aged to
 * match. The app's environment (DATABASE_URL, TRUELAYER_*) must point at both.
 */
export async function seedConnection(
  target: SeedTarget,
  userId: string,
  options: { password: Persona; username?: string; providerId?: string; ageDays?: number },
): Promise<{ id: string; credentialsId: string; refreshToken: string }> {
  const providerId = options.providerId ?? "uk-cs-mock";
  const { code } = await connectViaDialog(target.sandboxUrl, {
    clientId: target.clientId,
    redirectUri: target.redirectUri,
    username: options.username ?? "john",
    password: options.password,
    providers: providerId,
    providerId,
    // Each auth link opens once; the state makes every link unique.
    state: randomUUID(),
  });
  const client = truelayer();
  const tokens = await client.exchangeCode({ code, redirectUri: target.redirectUri });
  const [me, accounts] = await Promise.all([
    client.getMe(tokens.accessToken),
    client.getAccounts(tokens.accessToken),
  ]);
  const snapshot = snapshotFrom(tokens, me, accounts);
  const days = options.ageDays ?? 0;
  const aged = {
    ...snapshot,
    consentCreatedAt: addDays(snapshot.consentCreatedAt, -days),
    consentExpiresAt: addDays(snapshot.consentExpiresAt, -days),
  };
  const { id } = await storeSeededConnection(userId, aged, days ? aged.consentCreatedAt : undefined);
  if (days) await ageSimulator(target, me.credentialsId, days);
  return { id, credentialsId: me.credentialsId, refreshToken: tokens.refreshToken ?? "" };
}

async function ageSimulator(target: SeedTarget, credentialsId: string, days: number) {
  await sandboxControls(target.sandboxUrl, target.clientId).ageConnection(credentialsId, days);
}

/** What a daily sync does: custody's one refresh path, under a lease, the successor stored before use. */
export async function syncSeededConnection(connectionId: string, userId: string): Promise<void> {
  const got = await hold(connectionId, userId, "seed-sync");
  if (!("held" in got) || !got.held.refreshTokenSealed)
    throw new Error("The seeded connection has no refresh token, or is busy.");
  const refreshed = await refreshHeld(got.held);
  if (!("token" in refreshed))
    throw new Error(`The seeded connection's refresh failed: ${refreshed.problem}`);
}
