import { afterAll, beforeAll, expect, it } from "vitest";
import { now } from "@/lib/clock";
import { type Integration, startIntegration } from "@/test/integration";

let tl: Integration;
beforeAll(async () => {
  // Before TrueLayer approves our reconfirmation screen, extend answers 400.
  tl = await startIntegration({ consentScreenReviewed: false });
});
afterAll(async () => {
  await tl?.close();
});

it("keeps the tokens and offers a reconnect when TrueLayer has not reviewed the screen yet", async () => {
  const { createTestUser, createTestConnection } = await import("@/test/flows");
  const { copyFor, reconfirmConnections } = await import("./workflow");
  const { getUserConnections } = await import("../store/connections");
  const { bankResults } = await import("./results");
  const { getReconfirmationForUser } = await import("../store/reconfirmations");
  const { db } = await import("@/lib/db");
  const user = await createTestUser();
  const conn = await createTestConnection(tl, user.id, "eternal");
  const { hash } = copyFor(await getUserConnections(user.id, [conn.id]), now());
  const ids = [conn.id];
  const { logTo } = await import("@/lib/log");
  const lines: string[] = [];
  const restore = logTo({ write: (line: string) => lines.push(line) });
  const result = await reconfirmConnections(
    { connectionId: ids, shownConnectionId: ids, copyHash: hash },
    user.id,
  );
  if (result.kind !== "finished") throw new Error(result.message);
  expect(result.outcomes[0]?.outcome).toEqual({ kind: "failed", reason: "consent_screen_not_reviewed" });
  logTo(restore);
  // Launch day's failure: one error line an operator can search for, with TrueLayer's correlation id, and the alert.
  expect(lines.map((line) => JSON.parse(line))).toEqual([
    expect.objectContaining({
      level: "error",
      event: "renewal.extend_failed",
      reason: "consent_screen_not_reviewed",
      connectionId: conn.id,
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    }),
    expect.objectContaining({
      level: "error",
      event: "operator_alert.raised",
      kind: "consent_screen_not_reviewed",
    }),
  ]);
  expect(await db().operatorAlert.count({ where: { kind: "consent_screen_not_reviewed" } })).toBe(1);
  const after = await db().connection.findUniqueOrThrow({
    where: { id: conn.id },
    include: { events: true },
  });
  expect(after.status).toBe("ACTIVE");
  expect(after.refreshTokenSealed).toBe(conn.refreshTokenSealed);
  expect(after.events.find((e) => e.type === "FAILED")?.reason).toBe("consent_screen_not_reviewed");
  const record = await getReconfirmationForUser(result.reconfirmationId, user.id);
  if (!record) throw new Error("no reconfirmation");
  expect(bankResults(record, now())[0]).toMatchObject({ status: "reconnect", connectionId: conn.id });
});
