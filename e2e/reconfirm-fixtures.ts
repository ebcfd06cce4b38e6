import { randomUUID } from "node:crypto";
import { keyringFrom, seal as sealWith } from "../lib/crypto/token-seal";
import { connectViaDialog } from "../lib/truelayer/test-helpers";
import { e2eEnv, moveClocks, sql } from "./fixtures";

// Live connections for the reconfirmation specs, made over HTTP through the simulator's dialog and
// stored like the app stores them, so these specs do not depend on the connect screens.

function seal(plain: string): string {
  const env = e2eEnv();
  const keyId = env.TOKEN_ENCRYPTION_KEY_ID ?? "k1";
  return sealWith(plain, keyringFrom({ id: keyId, key: env.TOKEN_ENCRYPTION_KEY ?? "" }));
}

type TokenAnswer = { access_token: string; refresh_token?: string; scope?: string };

async function tokenCall(fields: Record<string, string>): Promise<TokenAnswer> {
  const env = e2eEnv();
  const res = await fetch(`${env.TRUELAYER_AUTH_URL}/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ...fields,
      client_id: env.TRUELAYER_CLIENT_ID ?? "",
      client_secret: env.TRUELAYER_CLIENT_SECRET ?? "",
    }),
  });
  if (!res.ok) throw new Error(`token call answered ${res.status}`);
  return (await res.json()) as TokenAnswer;
}

async function data<T>(path: string, accessToken: string): Promise<T[]> {
  const res = await fetch(`${e2eEnv().TRUELAYER_API_URL}/data/v1${path}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return ((await res.json()) as { results: T[] }).results;
}

type Me = {
  credentials_id: string;
  consent_created_at: string;
  consent_expires_at: string;
  provider: { provider_id: string; display_name: string; logo_uri: string };
};
type Account = {
  account_id: string;
  display_name: string;
  account_type: string;
  currency: string;
  account_number?: { number?: string };
};

/** Logs in at the simulator as `john`/<password> at one bank and stores the connection for `userId`. */
export async function seedLiveConnection(
  userId: string,
  options: { password: string; username?: string; providerId?: string },
): Promise<{ id: string; refreshToken: string }> {
  const env = e2eEnv();
  const { code } = await connectViaDialog(env.TRUELAYER_AUTH_URL ?? "", {
    clientId: env.TRUELAYER_CLIENT_ID ?? "",
    redirectUri: `${env.APP_URL}/callback`,
    username: options.username ?? "john",
    password: options.password,
    providers: "mock",
    providerId: options.providerId ?? "uk-cs-mock",
    state: randomUUID(),
  });
  const tokens = await tokenCall({
    grant_type: "authorization_code",
    code,
    redirect_uri: `${env.APP_URL}/callback`,
  });
  const [me] = await data<Me>("/me", tokens.access_token);
  const accounts = await data<Account>("/accounts", tokens.access_token);
  if (!me || !tokens.refresh_token) throw new Error("the simulator gave no connection");
  const id = `c_${randomUUID()}`;
  await sql(
    `insert into "Connection" (id, "userId", "providerId", "providerName", "providerLogoUrl", "credentialsId", scopes,
       "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "consentCreatedAt", "consentExpiresAt", "updatedAt")
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + interval '1 hour', $11, $12, now())`,
    [
      id,
      userId,
      me.provider.provider_id,
      me.provider.display_name,
      me.provider.logo_uri,
      me.credentials_id,
      (tokens.scope ?? "info accounts balance offline_access").split(" "),
      seal(tokens.access_token),
      seal(tokens.refresh_token),
      env.TOKEN_ENCRYPTION_KEY_ID ?? "k1",
      new Date(me.consent_created_at),
      new Date(me.consent_expires_at),
    ],
  );
  for (const account of accounts) {
    const digits = account.account_number?.number ?? "";
    await sql(
      `insert into "BankAccount" (id, "connectionId", "truelayerAccountId", "displayName", "accountType", "maskedNumber", currency)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        `a_${randomUUID()}`,
        id,
        account.account_id,
        account.display_name,
        account.account_type,
        digits ? `•••• ${digits.slice(-4)}` : null,
        account.currency,
      ],
    );
  }
  return { id, refreshToken: tokens.refresh_token };
}

/** What a daily sync does: spend the refresh token (keeping it alive) and store the rotated pair. */
export async function syncConnection(connectionId: string, refreshToken: string): Promise<string> {
  const tokens = await tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken });
  const next = tokens.refresh_token ?? refreshToken;
  await sql(`update "Connection" set "accessTokenSealed" = $2, "refreshTokenSealed" = $3 where id = $1`, [
    connectionId,
    seal(tokens.access_token),
    seal(next),
  ]);
  return next;
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
  const env = e2eEnv();
  const res = await fetch(`${env.TRUELAYER_API_URL}/_sandbox/clients`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      clientId: env.TRUELAYER_CLIENT_ID,
      clientSecret: env.TRUELAYER_CLIENT_SECRET,
      redirectUris: [`${env.APP_URL}/callback`],
      ...settings,
    }),
  });
  if (!res.ok) throw new Error(`sandbox clients answered ${res.status}`);
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
export async function ageConnections(day: number, connections: { id: string; refreshToken: string }[]) {
  for (let at = 25; at < day; at += 25) {
    await moveClocks(at);
    for (const connection of connections) {
      connection.refreshToken = await syncConnection(connection.id, connection.refreshToken);
    }
  }
  await moveClocks(day);
}
