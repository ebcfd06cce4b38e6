import { randomUUID } from "node:crypto";
import { snapshotFrom } from "@/lib/connections/connect/complete";
import { claim, keep, release } from "@/lib/connections/store/lease";
import { ageSeededConnection, storeSeededConnection } from "@/lib/connections/store/seed";
import { openSecret, sealedTokenColumns } from "@/lib/connections/tokens";
import { truelayer } from "@/lib/connections/truelayer";
import { sandboxControls } from "./controls";
import { connectViaDialog } from "./dialog";

/** The mock bank's logins (sandbox/README.md); the extra personas are the simulator's own. */
export type Persona = "eternal" | "doe" | "iban" | "norotate" | "reconfirm" | "cancel" | "multi" | "sparse";

export type SeedTarget = { sandboxUrl: string; clientId: string; redirectUri: string };

/**
 * The one way tests, the bench and the demo get a live connection: logs in at the simulator's
 * dialog as `john`/<persona>, exchanges the code with the app's own TrueLayer client, and stores the
 * answer exactly as a connect does. `ageDays` then moves its consent into the past here and at the
 * simulator alike. The app's environment (DATABASE_URL, TRUELAYER_*) must point at both.
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
  const { id } = await storeSeededConnection(userId, snapshotFrom(tokens, me, accounts));
  if (options.ageDays) {
    await ageSimulator(target, me.credentialsId, options.ageDays);
    await ageSeededConnection(id, options.ageDays);
  }
  return { id, credentialsId: me.credentialsId, refreshToken: tokens.refreshToken ?? "" };
}

async function ageSimulator(target: SeedTarget, credentialsId: string, days: number) {
  await sandboxControls(target.sandboxUrl, target.clientId).ageConnection(credentialsId, days);
}

/** What a daily sync does: refresh under a lease and store the successor in the same statement. */
export async function syncSeededConnection(connectionId: string, userId: string): Promise<void> {
  const lease = await claim(connectionId, userId, "seed-sync");
  if (!lease?.refreshTokenSealed) throw new Error("The seeded connection has no refresh token, or is busy.");
  const tokens = await truelayer().refreshToken({ refreshToken: openSecret(lease.refreshTokenSealed) });
  await release(await keep(lease, sealedTokenColumns(tokens)));
}
