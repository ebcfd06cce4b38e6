import { afterAll, afterEach, describe, expect, it } from "vitest";
import { TrueLayerError } from "@/lib/truelayer/errors";
import { failureFields, log, logTo, withRequestId } from "./log";

const lines: string[] = [];
const restore = logTo({ write: (line: string) => lines.push(line) });
afterEach(() => {
  lines.length = 0;
});
afterAll(() => logTo(restore));
const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the logger", () => {
  it("writes one JSON line per event with time, level and event, and the request id of the request it runs in", async () => {
    await withRequestId(new Headers({ "x-vercel-id": "lhr1::abc-123" }), async () => {
      await Promise.resolve();
      log.warn("renewal.extend_failed", { userId: "u1", connectionId: "c1" });
    });
    log.info("outside");
    expect(lines.every((l) => l.endsWith("\n") && l.split("\n").length === 2)).toBe(true);
    const [inside, outside] = parsed();
    expect(inside).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: "warn",
      event: "renewal.extend_failed",
      requestId: "lhr1::abc-123",
      userId: "u1",
      connectionId: "c1",
    });
    expect(outside).toEqual({ time: expect.any(String), level: "info", event: "outside" });
  });

  it("takes TrueLayer's fields from its error, and only a redacted first line of any other", () => {
    const upstream = new TrueLayerError({
      operation: "extendConnection",
      code: "invalid_client",
      status: 401,
      clientRejected: true,
      correlationId: "7f2c0f3e-1d2b-4c8a-9e0f-123456789abc",
      detail: "refresh_token=abc.def",
    });
    expect(failureFields(upstream)).toEqual({
      operation: "extendConnection",
      status: 401,
      code: "invalid_client",
      retryable: false,
      correlationId: "7f2c0f3e-1d2b-4c8a-9e0f-123456789abc",
    });
    const ours = failureFields(new Error("no user jamie@example.com with Bearer eyJabc.def.ghi\nstack"));
    expect(ours).toEqual({ errorName: "Error", errorMessage: expect.any(String) });
    expect(ours.errorMessage).not.toMatch(/jamie|eyJ|stack/);
  });
});
