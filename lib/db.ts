import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./env";

/**
 * Splits Prisma's `?schema=` and `?connection_limit=` conventions off a URL, since node-postgres knows
 * neither. The embedded database needs `connection_limit=1`: its socket server interleaves protocol
 * messages of concurrent connections, which can hand one query another's result.
 */
export function adapterFor(databaseUrl: string): PrismaPg {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  const limit = Number(url.searchParams.get("connection_limit") ?? 5);
  url.searchParams.delete("schema");
  url.searchParams.delete("connection_limit");
  const max = Number.isInteger(limit) && limit > 0 ? limit : 5;
  return new PrismaPg({ connectionString: url.toString(), max }, schema ? { schema } : undefined);
}

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: adapterFor(databaseUrl) });
}

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** One client per server process; `next dev` reloads modules, so keep it on globalThis. */
export function db(): PrismaClient {
  globalForPrisma.prisma ??= createPrismaClient(env().DATABASE_URL);
  return globalForPrisma.prisma;
}
