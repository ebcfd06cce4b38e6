import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ageSeededConnection } from "@/kit";
import { brand } from "@/lib/brand";
import { now } from "@/lib/clock";
import { readBalances } from "@/lib/connections/balances/read";
import { balancesKeptFor, connectionWords } from "@/lib/connections/status-words";
import { stopSharing } from "@/lib/connections/stop-sharing";
import { canonicalJson } from "@/lib/consent/wording";
import { sha256Hex } from "@/lib/crypto/sha256";
import { scanText } from "@/scripts/lib/secret-scan.mjs";
import { connectBank, createTestUser, reconfirmOne } from "@/test/flows";
import { type Integration, startIntegration } from "@/test/integration";

let it_: Integration;
let prisma: PrismaClient;
let exportUserData: typeof import("./export-data").exportUserData;

beforeAll(async () => {
  it_ = await startIntegration();
  prisma = it_.prisma;
  ({ exportUserData } = await import("./export-data"));
});
afterAll(() => it_.close());

/** Every secret or stored hash of this user's rows: none may appear in what they download. */
async function secretsOf(userId: string): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ v: string | null }[]>(
    `SELECT unnest(ARRAY[c."accessTokenSealed", c."refreshTokenSealed", c."leaseId", c."credentialsId"]) AS v
       FROM "Connection" c WHERE c."userId" = $1
     UNION ALL SELECT s."sessionToken" FROM "Session" s WHERE s."userId" = $1
     UNION ALL SELECT unnest(ARRAY[a."stateHash", a."codeVerifierSealed", a."browserHash"]) FROM "AuthState" a WHERE a."userId" = $1
     UNION ALL SELECT x."codeHash" FROM "CodeExchange" x WHERE x."userId" = $1
     UNION ALL SELECT e."browserHash" FROM "ConnectionEvent" e JOIN "Connection" c ON c."id" = e."connectionId" WHERE c."userId" = $1
     UNION ALL SELECT r."subject" FROM "Reconfirmation" r JOIN "ReconfirmationOwner" o ON o."reconfirmationId" = r."id" WHERE o."userId" = $1`,
    userId,
  );
  return rows.flatMap((r) => (r.v ? [r.v] : []));
}

describe("download my data", () => {
  it("holds the profile, connections, accounts and each consent's exact wording, and never a token or a stored hash", async () => {
    const user = await createTestUser("Ada Lovelace");
    await connectBank(user.id);
    const connection = await prisma.connection.findFirstOrThrow({ where: { userId: user.id } });
    const result = await reconfirmOne(user.id, connection.id);
    expect(result.kind).toBe("finished");
    await readBalances(
      { connectionIds: [connection.id] },
      { psuIp: "203.0.113.9", when: { checkedBefore: now() } },
    );
    await prisma.session.create({
      data: {
        userId: user.id,
        sessionToken: `sess-${user.id}-secret`,
        expires: new Date(Date.now() + 86_400_000),
      },
    });
    await prisma.reminder.create({
      data: {
        userId: user.id,
        connectionId: connection.id,
        consentExpiresAt: connection.consentExpiresAt,
        threshold: 7,
        status: "SENT",
        claimedAt: new Date(),
        sentAt: new Date(),
      },
    });

    const data = await exportUserData(user.id);
    const text = JSON.stringify(data);
    expect(data?.profile).toMatchObject({ name: "Ada Lovelace", email: user.email });
    expect(data?.connections[0]?.accounts.length).toBeGreaterThan(0);
    for (const account of data?.connections[0]?.accounts ?? [])
      expect(account.balance).toMatchObject({ current: expect.stringMatching(/^-?\d+\.\d\d$/) });
    expect(data?.connections[0]?.history.map((e) => e.type)).toEqual(["CONNECTED", "EXTENDED"]);
    expect(data?.connections[0]?.history.map((e) => e.said)).toEqual([
      "Connected",
      expect.stringMatching(/^Renewed until \d{1,2} [A-Z][a-z]+ \d{4}$/),
    ]);
    expect(data?.remindersSent).toMatchObject([
      { bank: connection.providerName, daysBefore: 7, status: "SENT" },
    ]);
    const [consent] = data?.consentHistory ?? [];
    expect(consent?.wording?.banks[0]?.accounts).toEqual(
      data?.connections[0]?.accounts.map((a) => (a.number ? `${a.name} ${a.number}` : a.name)).sort(),
    );
    expect(consent && sha256Hex(canonicalJson(consent.wording))).toBe(consent?.wordingHash);
    expect(consent?.outcomes.map((o) => o.outcome)).toEqual(["EXTENDED"]);
    expect(consent?.outcomes.map((o) => o.said)).toEqual(["Renewed"]);

    expect(scanText(text, "export")).toEqual([]);
    const secrets = await secretsOf(user.id);
    expect(secrets.length).toBeGreaterThan(4);
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
    expect(text).not.toMatch(/v1\.k1\./);
  });

  it("says exactly which balances are kept, erases them when sharing stops, and zones every timestamp (issue 29 item 1)", async () => {
    const user = await createTestUser("Bal Ance");
    await connectBank(user.id);
    const connection = await prisma.connection.findFirstOrThrow({ where: { userId: user.id } });
    await readBalances(
      { connectionIds: [connection.id] },
      { psuIp: "203.0.113.9", when: { checkedBefore: now() } },
    );
    const live = (await exportUserData(user.id))?.connections[0];
    expect(live?.balances).toBe(balancesKeptFor("active"));
    expect(live?.balances).not.toMatch(/not stored/i);
    expect(live?.accounts.every((a) => a.balance?.readAt.endsWith("Z"))).toBe(true);

    expect((await stopSharing(user.id, connection.id)).ok).toBe(true);
    const figures = await prisma.bankAccount.findMany({ where: { connectionId: connection.id } });
    expect(figures.length).toBeGreaterThan(0);
    for (const a of figures)
      expect([a.balanceCurrent, a.balanceAvailable, a.balanceCurrency, a.balanceReadAt]).toEqual([
        null,
        null,
        null,
        null,
      ]);
    const data = await exportUserData(user.id);
    const stopped = data?.connections[0];
    expect(stopped?.status).toMatch(/^Stopped by you on \d+ \w+ \d{4}$/);
    expect(stopped?.balances).toBe(balancesKeptFor("revoked"));
    expect(stopped?.accounts.map((a) => a.balance)).toEqual(figures.map(() => null));

    const stamps = JSON.stringify(data).match(/\d{4}-\d\d-\d\dT\d\d:\d\d[^"]*/g) ?? [];
    expect(stamps.length).toBeGreaterThan(5);
    expect(stamps.filter((t) => !/(Z|[+-]\d\d:\d\d)$/.test(t))).toEqual([]);
  });

  it("is null for a user who does not exist", async () => {
    expect(await exportUserData("nobody")).toBeNull();
  });

  it("says of a paused connection what its card says, never the stored ACTIVE (issue 29)", async () => {
    const user = await createTestUser("Pau Sed");
    await connectBank(user.id);
    const connection = await prisma.connection.findFirstOrThrow({ where: { userId: user.id } });
    await ageSeededConnection(connection.id, 100);
    const aged = await prisma.connection.findUniqueOrThrow({ where: { id: connection.id } });
    const [paused] = (await exportUserData(user.id))?.connections ?? [];
    const words = connectionWords({ ...aged, providerName: aged.providerName }, now(), brand().appName);
    expect(words.state).toBe("lapsed");
    expect(paused?.status).toBe(words.label);
    expect(paused?.status).toMatch(/^Paused since /);
    expect(paused?.consent).toBe(words.period);
    expect(JSON.stringify(paused)).not.toMatch(/"ACTIVE"|\bactive\b/i);
  });
});
