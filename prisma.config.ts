import path from "node:path";
import { defineConfig } from "prisma/config";
import { migrationConnection } from "./prisma/migration-pool";

// The JS schema engine needs no native download, so migrate works offline and on Vercel alike.
// Migrations take DIRECT_URL when set: a pooler in transaction mode cannot hold their session.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { pool, schema } = migrationConnection(migrationUrl());
    return new PrismaPg(pool, { schema });
  },
});

function migrationUrl(): string {
  const url = process.env.DIRECT_URL || process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the Prisma CLI needs a database to migrate.");
  return url;
}
