import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as cron } from "@/app/api/cron/reminders/route";
import { GET as ready } from "@/app/api/ready/route";
import { sandboxControls } from "@/kit";
import { setClockOffset } from "@/lib/clock";
import { stopSharing } from "@/lib/connections/stop-sharing";
import { runScheduledJob } from "@/lib/maintenance/scheduled";
import { createTestConnection, newUser } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { logTo } from "../log";

// Issue 28 item 2.

const SECRET = "cron-secret-for-readiness-tests-7d1e0b";
process.env.CRON_SECRET = SECRET;
const suite = integrationSuite();
const controls = () => sandboxControls(suite.it.sandboxUrl, suite.it.clientId);
const call = (handler: (r: Request) => Promise<Response>, authorization?: string) =>
  handler(new Request("http://127.0.0.1:3999/x", { headers: authorization ? { authorization } : {} }));
const DAY = 86_400_000;
logTo({ write: () => true });

afterEach(() => {
  setClockOffset(0);
  vi.restoreAllMocks();
});

describe("readiness", () => {
  it("answers only with the job's secret, and says what is not ready: here, a job that never ran", async () => {
    expect((await call(ready)).status).toBe(401);
    expect((await call(ready, "Bearer wrong")).status).toBe(401);
    const res = await call(ready, `Bearer ${SECRET}`);
    expect(res.status).toBe(503);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({
      ready: false,
      checks: {
        database: { ok: true },
        configuration: { ok: true },
        scheduledJob: { ok: false, detail: "the scheduled job has never run" },
        revokeQueue: { ok: true },
      },
      truelayer: { lastSuccessAt: null },
    });
  });

  it("is ready once the job ran; TrueLayer's last success comes from stored tokens, with no call on the probe", async () => {
    const user = await newUser(suite.prisma);
    await createTestConnection(suite.it, user.id, "eternal");
    expect((await call(cron, `Bearer ${SECRET}`)).status).toBe(200);
    const calls = (await controls().calls()).length;
    const res = await call(ready, `Bearer ${SECRET}`);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.ready).toBe(true);
    expect(Math.abs(new Date(body.truelayer.lastSuccessAt).getTime() - Date.now())).toBeLessThan(120_000);
    expect((await controls().calls()).length).toBe(calls);
  });

  it("a run stopped at its budget is normal: recorded, not late, still ready", async () => {
    const { late, body } = await runScheduledJob(-1);
    expect({ late, finished: body.finished }).toEqual({ late: false, finished: false });
    const res = await call(ready, `Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    expect((await res.json()).checks.scheduledJob.detail).toMatch(/stopped at its budget, resumes next run$/);
  });

  it("a revoke left over a day: the job answers 500 and raises 'work late'; readiness says why it is not ready", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await controls().injectFault({ endpoint: "delete", kind: "503", count: 50 });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    await stopSharing(user.id, connection.id);
    setClockOffset(2 * DAY);
    const res = await call(cron, `Bearer ${SECRET}`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      late: true,
      maintenance: { revokeQueue: { late: true, size: 1 } },
    });
    expect(await suite.prisma.operatorAlert.count({ where: { kind: "work_late" } })).toBe(1);
    const readiness = await (await call(ready, `Bearer ${SECRET}`)).json();
    expect(readiness).toMatchObject({
      ready: false,
      checks: {
        revokeQueue: {
          ok: false,
          detail: expect.stringMatching(/^1 waiting, oldest queued .*: older than a day$/),
        },
        scheduledJob: { ok: false, detail: expect.stringMatching(/it left work late$/) },
      },
    });
    expect(JSON.stringify(readiness)).not.toContain(SECRET);
  });
});
