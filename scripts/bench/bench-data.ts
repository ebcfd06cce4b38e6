import { randomBytes } from "node:crypto";
import type pg from "pg";
import { seedBulkConnections } from "../../kit";
import { seedConnection } from "../../kit/seed";
import { keyringFrom, seal } from "../../lib/crypto/token-seal";
import type { BenchEnv } from "./stack";

// Realistic volumes without 3,000 trips through the simulator's dialog: the 1,000 users and their
// connections are rows written in bulk (the store's seedBulkConnections; sealed dummy tokens, never
// sent anywhere). Only the connections the reconfirm action extends are real, made through the
// simulator by the test kit's seedConnection.

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
  await seedBulkConnections(
    { prefix, count, daysLeft, sealed, keyId: env.TOKEN_ENCRYPTION_KEY_ID },
    async (statement) => {
      const result = await client.query(statement.text, statement.values);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
  );
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    cookie: cookieFor(`${salt}${prefix}${i + 1}`),
  }));
}

/**
 * A real connection at the simulator (john/eternal: extend answers at once), stored for `userId` by
 * the test kit's seedConnection, ending in 5 days. The app's environment must point at the bench's
 * database and simulator (main.ts sets it).
 */
export async function seedLiveConnection(env: BenchEnv, userId: string): Promise<string> {
  const { id } = await seedConnection(
    {
      sandboxUrl: env.SANDBOX_URL,
      clientId: env.TRUELAYER_CLIENT_ID,
      redirectUri: `${env.APP_URL}/callback`,
    },
    userId,
    { password: "eternal", ageDays: 85 },
  );
  return id;
}
