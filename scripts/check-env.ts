// `npm run build` runs this before anything else: the same check the server makes at start-up, so a
// deployment that would refuse to start fails its build instead. It reads no database.
import { EnvError, parseEnv } from "@/lib/env";

const source = { ...process.env, NODE_ENV: process.env.NODE_ENV || "production" };
try {
  const env = parseEnv(source);
  const addresses = env.CLIENT_IP_HEADER
    ? `the ${env.CLIENT_IP_HEADER} header`
    : `${env.TRUSTED_PROXY_HOPS} trusted proxy hop(s)`;
  const migrations = env.DIRECT_URL ? "DIRECT_URL" : "DATABASE_URL";
  process.stdout.write(
    `Environment checked: ${env.mode} mode, TrueLayer ${env.TRUELAYER_TARGET}, client addresses from ${addresses}, ` +
      `${env.DATABASE_POOL_SIZE} database connection(s) per instance, migrations through ${migrations}.\n`,
  );
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  process.stderr.write(`${error.message.replace("cannot start", "cannot be built for this deployment")}\n`);
  process.exit(1);
}
