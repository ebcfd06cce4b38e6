import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { e2eEnv, expect, test } from "./fixtures";
import { startSecondServer } from "./second-server";

// Decision 053: the production build, started with OTEL_EXPORTER_OTLP_ENDPOINT, sends its spans (Next.js's and our
// SQL's) to an OTLP/HTTP receiver through @vercel/otel, with the one-time token of a request's URL cut out.

const bodies: Buffer[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (req.url === "/v1/traces") bodies.push(Buffer.concat(chunks));
    res.writeHead(200).end();
  });
});
let stopServer: (() => void) | undefined;
let origin = "";

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const server = await startSecondServer(
    { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}` },
    { readyPath: "/api/health", ready: (status) => status === 200 },
  );
  origin = server.origin;
  stopServer = server.stop;
});

test.afterAll(async () => {
  stopServer?.();
  await new Promise((resolve) => receiver.close(resolve));
});

test("a production server with an OTLP endpoint sends its request and SQL spans, with no token from a URL", async () => {
  test.setTimeout(60_000);
  const secret = e2eEnv().CRON_SECRET ?? "";
  const ready = await fetch(`${origin}/api/ready`, { headers: { authorization: `Bearer ${secret}` } });
  expect([200, 503]).toContain(ready.status);
  const token = "tok-tracing-e2e-5f0c2a9b7d";
  await fetch(`${origin}/signin/confirm?token=${token}&email=traced%40example.test`);
  const sent = () => Buffer.concat(bodies).toString("latin1");
  // The batch goes out within its 5-second delay.
  await expect
    .poll(() => sent().includes("/signin/confirm") && sent().includes("db.query.summary"), {
      timeout: 30_000,
    })
    .toBe(true);
  expect(sent()).toContain("SELECT ScheduledRun");
  expect(sent()).toContain("/api/ready");
  for (const leaked of [token, "traced%40example.test", "traced@example.test", secret])
    expect(sent()).not.toContain(leaked);
});
