import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/unsubscribe/route";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from "./unsubscribe-token";

let database: TestDatabase;
let alex: { id: string };
let bo: { id: string };

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  (globalThis as unknown as { prisma?: PrismaClient }).prisma = database.prisma;
  alex = await database.prisma.user.create({ data: { email: "alex@example.test" } });
  bo = await database.prisma.user.create({ data: { email: "bo@example.test" } });
});
afterAll(async () => database.drop());

const enabled = async (id: string) =>
  (await database.prisma.user.findUniqueOrThrow({ where: { id } })).remindersEnabled;

function tampered(token: string, otherUserId: string): string[] {
  const [user, signature = ""] = token.split(".");
  const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "AB" : "AA"}`;
  return [
    `${user}.${flipped}`,
    `${Buffer.from(otherUserId).toString("base64url")}.${signature}`,
    `${user}.${signature.slice(0, -4)}`,
    `${user}`,
    `${token}.x`,
    "",
  ];
}

const oneClick = (url: string) =>
  POST(
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    }),
  );

describe("unsubscribe link", () => {
  it("is made for one user and refuses any change to it", () => {
    const token = unsubscribeToken(alex.id);
    expect(verifyUnsubscribeToken(token)).toBe(alex.id);
    for (const bad of tampered(token, bo.id)) expect(verifyUnsubscribeToken(bad)).toBeNull();
    expect(verifyUnsubscribeToken(undefined)).toBeNull();
  });

  it("GET only shows a button; POST stops that user's emails without signing in", async () => {
    const url = unsubscribeUrl(alex.id);
    const page = await GET(new Request(url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain("Stop reminder emails</button>");
    expect(html).not.toContain("alex@example.test");
    expect(await enabled(alex.id)).toBe(true);

    const done = await oneClick(url);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Reminder emails stopped");
    expect(await enabled(alex.id)).toBe(false);
    expect(await enabled(bo.id)).toBe(true);
  });

  it("refuses a tampered token, changing nothing and naming no one", async () => {
    for (const bad of tampered(unsubscribeToken(bo.id), alex.id)) {
      const url = `http://127.0.0.1:3999/unsubscribe?token=${encodeURIComponent(bad)}`;
      for (const res of [await GET(new Request(url)), await oneClick(url)]) {
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(html).toContain("This link is not valid");
        expect(html).not.toMatch(/example\.test/);
      }
    }
    expect(await enabled(bo.id)).toBe(true);
  });
});
