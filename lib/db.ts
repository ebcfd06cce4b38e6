import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./env";

/** Splits Prisma's `?schema=` convention off a URL, since node-postgres does not know it. */
export function adapterFor(databaseUrl: string): PrismaPg {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return new PrismaPg({ connectionString: url.toString(), max: 5 }, schema ? { schema } : undefined);
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
