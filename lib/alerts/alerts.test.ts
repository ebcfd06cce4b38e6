import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { sandboxControls } from "@/kit";
import { setClockOffset } from "@/lib/clock";
import { bankResults } from "@/lib/connections/reconfirm/results";
import { stopSharing } from "@/lib/connections/stop-sharing";
import { getReconfirmationForUser } from "@/lib/connections/store/reconfirmations";
import { runMaintenance } from "@/lib/maintenance/run";
import { createTestConnection, newUser, reconfirmOne } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { logTo } from "../log";

// Issue 28 item 1: operator alerts.

type Posted = { kind: string; count: number; summary: string; text: string };
const received: Posted[] = [];
let failNext = 0;
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    if (failNext > 0) {
      failNext--;
      res.writeHead(500).end();
      return;
    }
    received.push(JSON.parse(body) as Posted);
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
// Before the app first reads its environment (integrationSuite's beforeAll).
process.env.ALERT_WEBHOOK_URL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const suite = integrationSuite({ profile: "truelayer-sandbox" });
const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);
const alerts = () => suite.prisma.operatorAlert.findMany({ orderBy: { firstAt: "asc" } });
const DAY = 86_400_000;
const lines: string[] = [];
const restoreLog = logTo({ write: (line: string) => lines.push(line) });

afterEach(async () => {
  received.length = 0;
  failNext = 0;
  setClockOffset(0);
  vi.restoreAllMocks();
  await controls().setProfile("truelayer-sandbox", {});
});
afterAll(async () => {
  logTo(restoreLog);
  await new Promise((resolve) => receiver.close(resolve));
});

async function refusedRenewal() {
  const user = await newUser(suite.prisma);
  const connection = await createTestConnection(suite.it, user.id, "eternal");
  await controls().setProfile("truelayer-sandbox", { flakyClientAuth: 1 });
  const result = await reconfirmOne(user.id, connection.id);
  if (result.kind !== "finished") throw new Error("expected a finished reconfirmation");
  const record = await getReconfirmationForUser(result.reconfirmationId, user.id);
  if (!record) throw new Error("no reconfirmation");
  return { outcome: result.outcomes[0]?.outcome, words: bankResults(record, new Date())[0]?.detail ?? "" };
}

describe("operator alerts", () => {
  it("credentials refused: one row and one post however often it happens within the hour; a new hour, a new one", async () => {
    const first = await refusedRenewal();
    expect(first.outcome).toEqual({ kind: "failed", reason: "client_rejected" });
    expect(first.words).toContain("our team has been alerted");
    expect(received).toEqual([expect.objectContaining({ kind: "credentials_refused", count: 1 })]);
    expect(received[0]?.text).toMatch(/^TrueLayer refused our client credentials: .*\/operator\/status$/);
    await refusedRenewal();
    await refusedRenewal();
    expect(received).toHaveLength(1);
    expect(await alerts()).toEqual([
      expect.objectContaining({ kind: "credentials_refused", count: 3, deliveredAt: expect.any(Date) }),
    ]);
    setClockOffset(2 * 3_600_000);
    await refusedRenewal();
    expect(received).toHaveLength(2);
    expect((await alerts()).map((a) => a.count)).toEqual([3, 1]);
  });

  it("consent screen not reviewed raises its own alert", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "extend", kind: "unauthorized_client" });
    const result = await reconfirmOne(user.id, connection.id);
    expect(result.kind === "finished" && result.outcomes[0]?.outcome).toMatchObject({
      reason: "consent_screen_not_reviewed",
    });
    expect(received).toEqual([expect.objectContaining({ kind: "consent_screen_not_reviewed" })]);
  });

  it("a webhook that fails is retried by the scheduled job; a revoke queue older than a day is alerted there", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "delete", kind: "503", count: 50 });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    await stopSharing(user.id, connection.id);
    setClockOffset(DAY + 3_600_000);
    failNext = 1;
    const late = await runMaintenance();
    expect(late.revokeQueue).toMatchObject({ late: true, size: 1 });
    // Tried at once when raised (and refused), so not yet due again in this run.
    expect(late.alerts).toEqual({ delivered: 0, failed: 0, webhook: true });
    expect(received).toEqual([]);
    const [row] = (await alerts()).filter((a) => a.kind === "revoke_queue_stale");
    expect(row).toMatchObject({ deliveredAt: null, attempts: 1, lastError: "http_500" });
    expect((await runMaintenance()).alerts).toMatchObject({ delivered: 0, failed: 0 });
    setClockOffset(DAY + 3_600_000 + 10 * 60_000);
    await runMaintenance();
    // Delivered by the run (or, when the clock crossed into a new day's window, by that window's own first post).
    expect(await suite.prisma.operatorAlert.findUniqueOrThrow({ where: { id: row?.id } })).toMatchObject({
      deliveredAt: expect.any(Date),
      attempts: 2,
      lastError: null,
    });
    expect(received[0]).toMatchObject({
      kind: "revoke_queue_stale",
      summary: expect.stringMatching(/^1 grant\(s\) wait/),
    });
    expect(JSON.stringify(received)).not.toMatch(/eyJ|token_|@/);
  });

  // Last: it takes the table away.
  it("when the alert cannot be recorded, the user is not told our team has been alerted", async () => {
    await suite.prisma.$executeRawUnsafe('ALTER TABLE "OperatorAlert" RENAME TO "OperatorAlertGone"');
    try {
      const refused = await refusedRenewal();
      expect(refused.outcome).toEqual({ kind: "failed", reason: "client_rejected_unalerted" });
      expect(refused.words).toContain("This is on our side");
      expect(refused.words).not.toContain("alerted");
      expect(lines.map((l) => JSON.parse(l))).toContainEqual(
        expect.objectContaining({ event: "operator_alert.not_recorded", kind: "credentials_refused" }),
      );
    } finally {
      await suite.prisma.$executeRawUnsafe('ALTER TABLE "OperatorAlertGone" RENAME TO "OperatorAlert"');
    }
  });
});
