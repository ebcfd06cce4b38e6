// Test-only: real connections for integration tests, made by driving the simulator's dialog.
import { randomUUID } from "node:crypto";
import { addDays, now } from "@/lib/clock";
import { db } from "@/lib/db";
import { connectViaDialog, sandboxControls } from "@/lib/truelayer/test-helpers";
import type { Integration } from "@/test/integration";
import { CONSENT_DAYS } from "./consent-state";
import { maskAccountNumber } from "./describe";
import { openSecret, sealedTokenColumns } from "./tokens";
import { truelayer } from "./truelayer";

export async function createTestUser(name: string | null = "Jamie Example") {
  return db().user.create({ data: { email: `u-${randomUUID()}@example.test`, name } });
}

/** A connection made through the simulator's dialog with this persona's password, stored like the app does. */
export async function createTestConnection(
  it: Pick<Integration, "sandboxUrl" | "clientId" | "redirectUri">,
  userId: string,
  password: "eternal" | "doe" | "norotate" | "reconfirm" | "cancel" | "multi",
) {
  const { code } = await connectViaDialog(it.sandboxUrl, {
    clientId: it.clientId,
    redirectUri: it.redirectUri,
    username: "john",
    password,
    providerId: "uk-cs-mock",
    // Each auth link opens once; the state makes every link unique.
    state: randomUUID(),
  });
  const tokens = await truelayer().exchangeCode({ code, redirectUri: it.redirectUri });
  const me = await truelayer().getMe(tokens.accessToken);
  const accounts = await truelayer().getAccounts(tokens.accessToken);
  const at = now();
  const provider = accounts[0]?.provider;
  return db().connection.create({
    data: {
      userId,
      providerId: me.provider?.providerId ?? "uk-cs-mock",
      providerName: provider?.displayName ?? "Mock UK Bank",
      providerLogoUrl: provider?.logoUri,
      credentialsId: me.credentialsId,
      scopes: tokens.scope ?? ["info", "accounts", "balance", "offline_access"],
      ...sealedTokenColumns(tokens),
      accessTokenExpiresAt: new Date(at.getTime() + tokens.expiresIn * 1000),
      consentCreatedAt: me.consentCreatedAt ?? at,
      consentExpiresAt: me.consentExpiresAt ?? addDays(at, CONSENT_DAYS),
      events: { create: { type: "CONNECTED", createdAt: at } },
      accounts: {
        create: accounts.map((a) => ({
          truelayerAccountId: a.accountId,
          displayName: a.displayName,
          accountType: a.accountType,
          maskedNumber: maskAccountNumber(a.accountNumber?.number, a.accountNumber?.iban),
          currency: a.currency,
        })),
      },
    },
  });
}

/** What a daily sync does: refresh the tokens (keeping the refresh token alive) and store the rotation. */
export async function refreshTestConnection(connectionId: string): Promise<void> {
  const row = await db().connection.findUniqueOrThrow({ where: { id: connectionId } });
  if (!row.refreshTokenSealed) throw new Error("no refresh token");
  const tokens = await truelayer().refreshToken({ refreshToken: openSecret(row.refreshTokenSealed) });
  await db().connection.update({ where: { id: connectionId }, data: sealedTokenColumns(tokens) });
}

export async function setSandboxClock(it: Integration, days: number): Promise<void> {
  const response = await fetch(`${it.sandboxUrl}/_sandbox/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientId: it.clientId, offsetMs: days * 24 * 60 * 60 * 1000 }),
  });
  if (!response.ok) throw new Error(`sandbox clock answered ${response.status}`);
}

export async function extendCalls(it: Integration): Promise<number> {
  const calls = await sandboxControls(it.sandboxUrl, it.clientId).calls();
  return calls.filter((c) => c.path.endsWith("/connections/extend")).length;
}
