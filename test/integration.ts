import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { startSandbox } from "@/sandbox/server";
import { createTestDatabase, type TestDatabase } from "./db";

export type Integration = {
  db: TestDatabase;
  prisma: PrismaClient;
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
  options: { consentScreenReviewed?: boolean } = {},
): Promise<Integration> {
  const db = await createTestDatabase();
  const clientId = `sandbox-it-${randomUUID()}`;
  const clientSecret = `secret-${randomUUID()}`;
  const redirectUri = `${process.env.APP_URL}/callback`;
  const sandbox = await startSandbox({
    port: 0,
    dataFile: null,
    mode: "test",
    clients: [
      {
        clientId,
        clientSecret,
        redirectUris: [redirectUri],
        consentScreenReviewed: options.consentScreenReviewed ?? true,
      },
    ],
  });
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    TRUELAYER_CLIENT_ID: clientId,
    TRUELAYER_CLIENT_SECRET: clientSecret,
    TRUELAYER_AUTH_URL: sandbox.url,
    TRUELAYER_API_URL: sandbox.url,
  });
  (globalThis as unknown as { prisma?: PrismaClient }).prisma = db.prisma;
  return {
    db,
    prisma: db.prisma,
    sandboxUrl: sandbox.url,
    clientId,
    clientSecret,
    redirectUri,
    async close() {
      await sandbox.close();
      await db.drop();
    },
  };
}
