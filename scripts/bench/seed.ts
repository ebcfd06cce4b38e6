import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { keyringFrom, seal } from "../../lib/crypto/token-seal";
import { connectViaDialog } from "../../lib/truelayer/test-helpers";
import type { BenchEnv } from "./stack";

// Realistic volumes without 3,000 trips through the simulator's dialog: the 1,000 users and their
// connections are rows written straight to the database (sealed dummy tokens, never sent anywhere).
// Only the connections the reconfirm action extends are real, made through the simulator.

export type BenchUser = { id: string; cookie: string };

const sealer = (env: BenchEnv) => {
  const ring = keyringFrom({ id: env.TOKEN_ENCRYPTION_KEY_ID, key: env.TOKEN_ENCRYPTION_KEY });
  return (plain: string) => seal(plain, ring);
};

const cookieFor = (token: string) => `next-auth.session-token=${token}`;

/** `count` users, each signed in, with connections ending in `daysLeft` days (one entry each). */
export async function seedUsers(
  client: pg.Pool,
  env: BenchEnv,
  prefix: string,
  count: number,
  daysLeft: number[],
): Promise<BenchUser[]> {
  const salt = randomBytes(8).toString("hex");
  const sealed = sealer(env)("bench-dummy-token");
  await client.query(
    `insert into "User" (id, email, name, "emailVerified", "updatedAt")
     select $1 || g, $1 || g || '@bench.example', 'Bench User ' || g, now(), now() from generate_series(1, $2) g`,
    [prefix, count],
  );
  await client.query(
    `insert into "Session" (id, "sessionToken", "userId", expires)
     select 's_' || $1 || g, $3 || $1 || g, $1 || g, now() + interval '30 days' from generate_series(1, $2) g`,
    [prefix, count, salt],
  );
  for (const [n, days] of daysLeft.entries()) {
    await client.query(
      `insert into "Connection" (id, "userId", "providerId", "providerName", "providerLogoUrl", "credentialsId", scopes,
         "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "consentCreatedAt",
         "consentExpiresAt", "updatedAt")
       select 'c_' || $1 || g || '_' || $2, $1 || g, 'uk-ob-bench-' || $2, 'Bench Bank ' || $2, null, 'cred-' || $1 || g || '-' || $2,
         array['info','accounts','balance','offline_access'], $3, $3, $4, now() + interval '1 hour',
         now() - interval '1 day' * (90 - $5::int), now() + interval '1 day' * $5::int, now()
       from generate_series(1, $6) g`,
      [prefix, n, sealed, env.TOKEN_ENCRYPTION_KEY_ID, days, count],
    );
    await client.query(
      `insert into "BankAccount" (id, "connectionId", "truelayerAccountId", "displayName", "accountType", "maskedNumber", currency)
       select 'a_' || $1 || g || '_' || $2 || '_' || k, 'c_' || $1 || g || '_' || $2, 'acc-' || $1 || g || '-' || $2 || '-' || k,
         (array['Current Account','Instant Saver'])[k], 'TRANSACTION', '•••• ' || (1000 + k), 'GBP'
       from generate_series(1, $3) g, generate_series(1, 2) k`,
      [prefix, n, count],
    );
  }
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    cookie: cookieFor(`${salt}${prefix}${i + 1}`),
  }));
}

type Tokens = { access_token: string; refresh_token?: string; scope?: string };
type Me = {
  credentials_id: string;
  consent_created_at: string;
  consent_expires_at: string;
  provider: { provider_id: string; display_name: string; logo_uri: string };
};
type Account = { account_id: string; display_name: string; account_type: string; currency: string };

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what} answered ${res.status}`);
  return (await res.json()) as T;
}

/** A real connection at the simulator (john/eternal: extend answers at once), stored for `userId`. */
export async function seedLiveConnection(client: pg.Pool, env: BenchEnv, userId: string): Promise<string> {
  const sandbox = env.SANDBOX_URL;
  const { code } = await connectViaDialog(sandbox, {
    clientId: env.TRUELAYER_CLIENT_ID,
    redirectUri: `${env.APP_URL}/callback`,
    username: "john",
    password: "eternal",
    providers: "mock",
    providerId: "uk-cs-mock",
    state: randomUUID(),
  });
  const tokens = await json<Tokens>(
    await fetch(`${sandbox}/connect/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: `${env.APP_URL}/callback`,
        client_id: env.TRUELAYER_CLIENT_ID,
        client_secret: env.TRUELAYER_CLIENT_SECRET,
      }),
    }),
    "token",
  );
  const data = async <T>(path: string) =>
    (
      await json<{ results: T[] }>(
        await fetch(`${sandbox}/data/v1${path}`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        }),
        path,
      )
    ).results;
  const [me] = await data<Me>("/me");
  const accounts = await data<Account>("/accounts");
  if (!me || !tokens.refresh_token) throw new Error("the simulator gave no connection");
  const id = `c_${randomUUID()}`;
  const sealOne = sealer(env);
  await client.query(
    `insert into "Connection" (id, "userId", "providerId", "providerName", "providerLogoUrl", "credentialsId", scopes,
       "accessTokenSealed", "refreshTokenSealed", "tokenKeyId", "accessTokenExpiresAt", "consentCreatedAt", "consentExpiresAt", "updatedAt")
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + interval '1 hour', $11, now() + interval '5 days', now())`,
    [
      id,
      userId,
      me.provider.provider_id,
      me.provider.display_name,
      me.provider.logo_uri,
      me.credentials_id,
      (tokens.scope ?? "info accounts balance offline_access").split(" "),
      sealOne(tokens.access_token),
      sealOne(tokens.refresh_token),
      env.TOKEN_ENCRYPTION_KEY_ID,
      new Date(me.consent_created_at),
    ],
  );
  for (const account of accounts) {
    await client.query(
      `insert into "BankAccount" (id, "connectionId", "truelayerAccountId", "displayName", "accountType", currency)
       values ($1, $2, $3, $4, $5, $6)`,
      [
        `a_${randomUUID()}`,
        id,
        account.account_id,
        account.display_name,
        account.account_type,
        account.currency,
      ],
    );
  }
  return id;
}
