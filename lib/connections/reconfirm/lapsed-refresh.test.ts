// Issue 25, item 8: once consent lapses a refresh is invalid_grant (TL error codes), but extend still
// works with the same refresh token (TL "Extend a connection"), so that answer must never wipe it.
import { describe, expect, it } from "vitest";
import { ageSeededConnection, setSeededConnection } from "@/kit";
import { now } from "@/lib/clock";
import { storedState } from "@/test/checks";
import { createTestConnection, newUser, reconfirmOne } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { readBalances } from "../balances/read";

const suite = integrationSuite();
const MINUTE = 60_000;

describe("a lapsed connection whose last refresh was refused", () => {
  it("keeps its refresh token, and extend renews it afterwards", async () => {
    const user = await newUser(suite.prisma);
    const conn = await createTestConnection(suite.it, user.id, "eternal");
    // TrueLayer's consent lapsed (its refresh token still fresh); ours had not caught up yet.
    await suite.it.sandbox.controls.ageConnection(conn.credentialsId ?? "", 91);
    await setSeededConnection(conn.id, { accessTokenExpiresAt: new Date(now().getTime() - MINUTE) });

    const read = await readBalances(
      { connectionIds: [conn.id] },
      { psuIp: "203.0.113.9", when: { checkedBefore: now() } },
    );
    expect(read.get(conn.id)).toBe("no_token");
    const refused = (await suite.it.sandbox.controls.calls())
      .filter((c) => c.path === "/connect/token")
      .at(-1);
    expect(refused?.status).toBe(400);
    const after = await storedState(conn.id);
    expect(after).toMatchObject({ status: "NEEDS_BANK_AUTH", statusReason: "reconnect_required" });
    expect(after.refreshTokenSealed).toBe(conn.refreshTokenSealed);

    await ageSeededConnection(conn.id, 91);
    const result = await reconfirmOne(user.id, conn.id);
    expect(result.kind === "finished" && result.outcomes[0]?.outcome.kind).toBe("extended");
    const renewed = await storedState(conn.id);
    expect(renewed.status).toBe("ACTIVE");
    expect(renewed.consentExpiresAt.getTime()).toBeGreaterThan(now().getTime() + 89 * 24 * 60 * MINUTE);
    const sim = (await suite.it.sandbox.controls.connections()).find(
      (c) => c.credentials_id === conn.credentialsId,
    );
    expect(Date.parse(sim?.consent_expires_at ?? "")).toBeGreaterThan(Date.now());
  });
});
