import type { TestProject } from "vitest/node";
import {
  dropDatabase,
  dropStaleDatabases,
  freshDatabase,
  resolveTestDatabase,
} from "../scripts/lib/database.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseUrl: string;
    testDatabaseKind: "postgresql" | "embedded";
  }
}

/** One database for the whole run; each test file then makes its own schema in it (test/db.ts). */
export default async function setup(project: TestProject) {
  const server = await resolveTestDatabase();
  // A name of its own per run, so runs side by side on one server never drop each other's database.
  const name = `reconsent_unit_${process.pid}_${Date.now().toString(36)}`;
  await dropStaleDatabases(server.url, server.kind, "reconsent_unit_");
  const url = await freshDatabase(server.url, server.kind, name);
  project.provide("testDatabaseUrl", url);
  project.provide("testDatabaseKind", server.kind);
  return async () => {
    await dropDatabase(server.url, server.kind, name);
    await server.stop();
  };
}
