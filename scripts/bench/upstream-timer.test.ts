import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstreamTimer, type UpstreamTimer } from "./upstream-timer";

// Answers every request 100 ms after it arrives.
let upstream: http.Server;
let timer: UpstreamTimer;
beforeAll(async () => {
  upstream = http.createServer((_req, res) => {
    setTimeout(() => res.end("ok"), 100);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const address = upstream.address();
  if (!address || typeof address === "string") throw new Error("no port");
  timer = await startUpstreamTimer(`http://127.0.0.1:${address.port}`);
});
afterAll(async () => {
  await timer.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe("the upstream timer", () => {
  it("counts calls in flight at once once, so a request's own cost is not understated", async () => {
    const before = timer.totals();
    const started = performance.now();
    await Promise.all([1, 2, 3].map(async () => (await fetch(`${timer.url}/data/v1/me`)).text()));
    const wall = performance.now() - started;
    const after = timer.totals();
    expect(after.calls - before.calls).toBe(3);
    // Three overlapping 100 ms waits summed would be about three times the wall time.
    expect(after.ms - before.ms).toBeGreaterThan(0);
    expect(after.ms - before.ms).toBeLessThanOrEqual(wall);
    expect(timer.answers()["/data/v1/me 200"]).toBe(3);
  });
});
