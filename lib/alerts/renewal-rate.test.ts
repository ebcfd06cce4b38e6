import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as cron } from "@/app/api/cron/reminders/route";
import { GET as ready } from "@/app/api/ready/route";
import { sandboxControls } from "@/kit";
import { setClockOffset } from "@/lib/clock";
import { appendEvents } from "@/lib/connections/store/connection-events";
import { createTestConnection, newUser, reconfirmOne } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { logTo } from "../log";
import { checkRenewalFailureRate } from "./renewal-rate";

// Issue 28 item 1: "renewal failure rate over a threshold" (default: 20% of at least 20 results in the last hour).

const received: { kind: string; count: number }[] = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    received.push(JSON.parse(body));
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
process.env.ALERT_WEBHOOK_URL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
const SECRET = "cron-secret-for-renewal-rate-tests-51c2";
process.env.CRON_SECRET = SECRET;

const suite = integrationSuite();
const restoreLog = logTo({ write: () => true });
const HOUR = 3_600_000;
let hourStart = new Date(0);
const rateAlerts = () =>
  suite.prisma.operatorAlert.findMany({
    where: { kind: "renewal_failure_rate", windowStart: { gte: hourStart } },
    orderBy: { windowStart: "asc" },
  });
const authorized = () =>
  new Request("http://127.0.0.1:3999/x", { headers: { authorization: `Bearer ${SECRET}` } });

let block = 0;
let offset = 0;
/** Moves the app's clock to half past an hour of its own, days from any other test's. */
function freshHour() {
  block += 1;
  const halfPast = Math.ceil(Date.now() / HOUR) * HOUR + block * 240 * HOUR + HOUR / 2;
  hourStart = new Date(halfPast - HOUR / 2);
  moveClock(halfPast - Date.now());
}
function moveClock(to: number) {
  offset = to;
  setClockOffset(offset);
}

let renewal: { connectionId: string; reconfirmationId: string } | undefined;
/** `ok` extended and `failed` failed renewal results, `minutesAgo` before the app's now (one real renewal's ids). */
async function results(ok: number, failed: number, minutesAgo = 1) {
  if (!renewal) {
    // Made at the real time, hours before any test's own hour.
    const moved = offset;
    moveClock(0);
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    const result = await reconfirmOne(user.id, connection.id);
    if (result.kind !== "finished") throw new Error("expected a finished reconfirmation");
    renewal = { connectionId: connection.id, reconfirmationId: result.reconfirmationId };
    moveClock(moved);
  }
  const ids = renewal;
  const moved = offset;
  moveClock(offset - minutesAgo * 60_000);
  await appendEvents([
    ...Array.from({ length: ok }, () => ({ ...ids, type: "EXTENDED" as const })),
    ...Array.from({ length: failed }, () => ({
      ...ids,
      type: "FAILED" as const,
      reason: "bank_unavailable",
    })),
  ]);
  moveClock(moved);
}

afterEach(() => {
  moveClock(0);
  received.length = 0;
});
afterAll(async () => {
  logTo(restoreLog);
  await new Promise((resolve) => receiver.close(resolve));
});

describe("renewal failure rate", () => {
  it("stays quiet below the threshold: too few results, or too few of them failed", async () => {
    freshHour();
    await results(0, 19);
    expect(await checkRenewalFailureRate()).toEqual({ results: 19, failed: 19, overThreshold: false });
    await results(16, 0);
    // 19 of 35 failed, but a result older than the hour no longer counts.
    freshHour();
    await results(17, 3);
    await results(0, 30, 61);
    expect(await checkRenewalFailureRate()).toEqual({ results: 20, failed: 3, overThreshold: false });
    expect(await rateAlerts()).toEqual([]);
    expect(received).toEqual([]);
  });

  it("at 20% of 20 it raises one alert, posted once; checks within the hour count it; the next hour, a new one", async () => {
    freshHour();
    await results(16, 4);
    expect(await checkRenewalFailureRate()).toEqual({ results: 20, failed: 4, overThreshold: true });
    expect(received).toEqual([expect.objectContaining({ kind: "renewal_failure_rate", count: 1 })]);
    await checkRenewalFailureRate();
    await results(0, 5);
    await checkRenewalFailureRate();
    expect(received).toHaveLength(1);
    expect(await rateAlerts()).toEqual([
      expect.objectContaining({
        count: 3,
        summary: expect.stringMatching(/^4 of the last hour's 20 renewal results failed/),
      }),
    ]);
    moveClock(offset + HOUR);
    await results(10, 10);
    await checkRenewalFailureRate();
    expect(await rateAlerts()).toHaveLength(2);
    expect(received).toHaveLength(2);
  });

  it("the scheduled job and readiness check it: their answers say so, and the alert stays one", async () => {
    freshHour();
    await results(10, 15);
    const run = await cron(authorized());
    expect((await run.json()).renewals).toEqual({ results: 25, failed: 15, overThreshold: true });
    const readiness = await (await ready(authorized())).json();
    expect(readiness.truelayer.renewalsLastHour).toEqual({ results: 25, failed: 15, overThreshold: true });
    expect(await rateAlerts()).toEqual([expect.objectContaining({ count: 2 })]);
  });

  it("a failed renewal checks it at once, so the alert needs neither the job nor a monitor", async () => {
    freshHour();
    await results(10, 9);
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await sandboxControls(suite.it.sandboxUrl, suite.it.clientId).injectFault({
      endpoint: "extend",
      kind: "500",
      count: 1,
    });
    const result = await reconfirmOne(user.id, connection.id);
    expect(result.kind === "finished" && result.outcomes[0]?.outcome).toEqual({
      kind: "failed",
      reason: "outcome_unknown",
    });
    expect(await rateAlerts()).toEqual([expect.objectContaining({ count: 1 })]);
    expect(received).toEqual([expect.objectContaining({ kind: "renewal_failure_rate" })]);
  });
});
