import type { TestProject } from "vitest/node";
import { freshDatabase, resolveTestDatabase } from "../scripts/lib/database.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseUrl: string;
    testDatabaseKind: "postgresql" | "embedded";
  }
}

/** One database for the whole run; each test file then makes its own schema in it (test/db.ts). */
export default async function setup(project: TestProject) {
  const server = await resolveTestDatabase();
  const url = await freshDatabase(server.url, server.kind, "reconsent_unit");
  project.provide("testDatabaseUrl", url);
  project.provide("testDatabaseKind", server.kind);
  return async () => {
    await server.stop();
  };
}
