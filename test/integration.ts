import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll } from "vitest";
import { startTestSandbox, type TestSandbox } from "@/kit";
import type { ProfileName, ProfileOptions } from "@/sandbox/profiles";
import { createTestDatabase, type TestDatabase } from "./db";

export type Integration = {
  db: TestDatabase;
  prisma: PrismaClient;
  sandbox: TestSandbox;
  sandboxUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  close(): Promise<void>;
};

/**
 * For integration tests of lib/ code: a schema of its own, an in-process TrueLayer simulator with a
 * client of its own, and the app's environment pointed at both. Call it in beforeAll, before any app
 * code reads the environment (env() and db() are read once per test file).
 */
export async function startIntegration(
  options: { consentScreenReviewed?: boolean; profile?: ProfileName; options?: ProfileOptions } = {},
): Promise<Integration> {
  const db = await createTestDatabase();
  const sandbox = await startTestSandbox({
    name: "it",
    redirectUri: `${process.env.APP_URL}/callback`,
    consentScreenReviewed: options.consentScreenReviewed ?? true,
    profile: options.profile,
    options: options.options,
  });
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    TRUELAYER_CLIENT_ID: sandbox.clientId,
    TRUELAYER_CLIENT_SECRET: sandbox.clientSecret,
    TRUELAYER_AUTH_URL: sandbox.url,
    TRUELAYER_API_URL: sandbox.url,
  });
  (globalThis as unknown as { prisma?: PrismaClient }).prisma = db.prisma;
  return {
    db,
    prisma: db.prisma,
    sandbox,
    sandboxUrl: sandbox.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    redirectUri: sandbox.redirectUri,
    async close() {
      await sandbox.close();
      await db.drop();
    },
  };
}

/** One integration for a test file, started before its tests and closed after; read `suite.it`/`suite.prisma` in tests. */
export function integrationSuite(options?: Parameters<typeof startIntegration>[0]) {
  const suite = {} as { it: Integration; prisma: PrismaClient };
  beforeAll(async () => {
    suite.it = await startIntegration(options);
    suite.prisma = suite.it.prisma;
  });
  afterAll(() => suite.it.close());
  return suite;
}
