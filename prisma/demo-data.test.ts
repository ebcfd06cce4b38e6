import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Integration, startIntegration } from "@/test/integration";
import { now } from "../lib/clock";
import { consentState } from "../lib/connections/consent-state";
import { DEMO_EMAIL, seedDemo } from "./demo-data";

let it_: Integration;
beforeAll(async () => {
  it_ = await startIntegration();
});
afterAll(async () => it_.close());

describe("demo seed", () => {
  it("makes an active, an expiring and a lapsed connection that the simulator agrees with", async () => {
    expect(await seedDemo()).toBe(3);
    const rows = await it_.prisma.connection.findMany({
      where: { user: { email: DEMO_EMAIL } },
      include: { accounts: true },
      orderBy: { consentExpiresAt: "desc" },
    });
    expect(rows.map((r) => consentState(r, now()))).toEqual(["active", "expiring", "lapsed"]);
    expect(Math.round((rows[1]?.consentExpiresAt.getTime() ?? 0) - now().getTime()) / 86_400_000).toBeCloseTo(
      5,
      0,
    );
    for (const row of rows) {
      expect(row.refreshTokenSealed).toMatch(/^v1\./);
      expect(row.accounts.length).toBeGreaterThan(0);
    }
    const connections = await it_.sandbox.controls.connections();
    for (const row of rows) {
      const there = connections.find((c) => c.credentials_id === row.credentialsId);
      expect(there && Date.parse(there.consent_expires_at)).toBe(row.consentExpiresAt.getTime());
    }
    expect(await seedDemo()).toBe(0);
  });
});
