import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/cron/reminders/route";
import { TestMailbox } from "@/inbox/test-mailbox";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { checkCronAuthorization } from "./cron-auth";

const SECRET = "cron-secret-for-tests-5f0c2a9e71d84b36";
const mailbox = new TestMailbox();
let database: TestDatabase;

beforeAll(async () => {
  await mailbox.start();
  database = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: database.url, SMTP_URL: mailbox.url, CRON_SECRET: SECRET });
  (globalThis as unknown as { prisma?: PrismaClient }).prisma = database.prisma;
});
afterAll(async () => {
  await mailbox.stop();
  await database.drop();
});

const call = (handler: (r: Request) => Promise<Response>, authorization?: string) =>
  handler(
    new Request("http://127.0.0.1:3999/api/cron/reminders", {
      headers: authorization ? { authorization } : {},
    }),
  );

describe("cron route", () => {
  it("refuses a missing or wrong secret with 401 and runs nothing", async () => {
    for (const authorization of [
      undefined,
      SECRET,
      `Bearer ${SECRET}x`,
      `Bearer ${SECRET.slice(0, -1)}`,
      `bearer ${SECRET}`,
      "Bearer ",
      `Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}`,
    ]) {
      for (const handler of [GET, POST]) {
        const res = await call(handler, authorization);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ error: "unauthorized" });
      }
    }
    expect(await database.prisma.reminder.count()).toBe(0);
  });

  it("runs the reminders for Vercel Cron's bearer secret", async () => {
    const res = await call(GET, `Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({
      emailsSent: 0,
      finished: true,
      maintenance: { revokes: { revoked: 0 }, deletionsFinished: 0, pruned: { consentRecords: 0 } },
      balances: { read: 0, skipped: 0, failed: 0 },
    });
  });

  it("treats a deployment without CRON_SECRET as not configured, whatever is sent", () => {
    expect(checkCronAuthorization("Bearer ", undefined)).toBe("unconfigured");
    expect(checkCronAuthorization("Bearer undefined", undefined)).toBe("unconfigured");
    expect(checkCronAuthorization(null, SECRET)).toBe("denied");
    expect(checkCronAuthorization(`Bearer ${SECRET}`, SECRET)).toBe("ok");
  });
});
