import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { sandboxControls } from "@/kit";
import { logTo } from "@/lib/log";
import { createTestConnection, newUser, reconfirmOne } from "@/test/flows";
import { integrationSuite } from "@/test/integration";

// Issue 28 finding 1 (decision 050).

const suite = integrationSuite({ profile: "truelayer-sandbox" });
const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);
let lines: string[] = [];
const restore = logTo({ write: (line: string) => lines.push(line) });
afterEach(async () => {
  lines = [];
  vi.restoreAllMocks();
  await controls().setProfile("truelayer-sandbox", {});
});
afterAll(() => logTo(restore));

async function failedRenewal(arrange: () => Promise<unknown>) {
  const user = await newUser(suite.prisma);
  const connection = await createTestConnection(suite.it, user.id, "eternal");
  lines = [];
  await arrange();
  const result = await reconfirmOne(user.id, connection.id);
  const extendCalls = (await controls().calls()).filter((c) => c.path.endsWith("/connections/extend"));
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    user,
    connection,
    result,
    parsed,
    correlationId: extendCalls.at(-1)?.correlationId,
    raw: lines.join(""),
  };
}

const kinds = [
  { name: "a 500", fault: "500", reason: "outcome_unknown", answered: true },
  { name: "a 429", fault: "429", reason: "bank_unavailable", answered: true },
  { name: "a reset connection", fault: "reset", reason: "outcome_unknown", answered: false },
  {
    name: "extend not enabled for us",
    fault: "unauthorized_client",
    reason: "consent_screen_not_reviewed",
    answered: true,
  },
] as const;

describe("a renewal TrueLayer refuses logs one JSON line", () => {
  for (const kind of kinds) {
    it(`${kind.name} on extend`, async () => {
      const run = await failedRenewal(() =>
        controls().injectFault({ endpoint: "extend", kind: kind.fault, count: 1 }),
      );
      expect(run.result.kind === "finished" && run.result.outcomes[0]?.outcome).toMatchObject({
        kind: "failed",
        reason: kind.reason,
      });
      // One line for the failure; an alert, where the kind raises one, is its own event without TrueLayer's fields.
      const failures = run.parsed.filter((l) => l.event !== "operator_alert.raised");
      expect(failures).toHaveLength(1);
      expect(run.parsed.filter((l) => l.correlationId !== undefined)).toHaveLength(kind.answered ? 1 : 0);
      const [line] = failures;
      expect(line).toMatchObject({
        event: "renewal.extend_failed",
        level: kind.reason === "consent_screen_not_reviewed" ? "error" : "warn",
        userId: run.user.id,
        connectionId: run.connection.id,
        reason: kind.reason,
        operation: "extendConnection",
      });
      expect(new Date(String(line?.time)).getTime()).toBeGreaterThan(Date.now() - 60_000);
      if (kind.answered) {
        expect(run.correlationId).toMatch(/^[0-9a-f-]{36}$/);
        expect(line?.correlationId).toBe(run.correlationId);
      } else expect(line?.correlationId).toBeUndefined();
      expect(run.raw).not.toContain(run.user.email ?? "@");
      // "eyJ" (a JWT's start) in its own case: our lowercase ids may hold "eyj" by chance (seen once in CI).
      expect(run.raw).not.toMatch(/token/i);
      expect(run.raw).not.toMatch(/eyJ/);
    });
  }

  it("our client credentials refused (invalid_client)", async () => {
    const run = await failedRenewal(() => controls().setProfile("truelayer-sandbox", { flakyClientAuth: 1 }));
    expect(run.result.kind === "finished" && run.result.outcomes[0]?.outcome).toMatchObject({
      reason: "client_rejected",
    });
    expect(run.parsed.map((l) => l.event)).toEqual(["renewal.extend_failed", "operator_alert.raised"]);
    expect(run.parsed[0]).toMatchObject({
      event: "renewal.extend_failed",
      level: "error",
      reason: "client_rejected",
      connectionId: run.connection.id,
      correlationId: run.correlationId,
    });
    expect(run.correlationId).toBeTruthy();
  });
});
