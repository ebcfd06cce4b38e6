import { describe, expect, it } from "vitest";
import { formatDateTime } from "@/lib/format";
import { revokeQueueWords } from "./queue-words";

describe("revokeQueueWords", () => {
  it("counts the queue and the lost grants, one or many", () => {
    expect(revokeQueueWords({ size: 0, oldestAt: null, lostGrants: 0 })).toBe(
      "0 grants wait to be revoked at TrueLayer. 0 lost grants (an answer from TrueLayer that never reached us).",
    );
    const at = new Date("2026-12-01T09:30:00Z");
    expect(revokeQueueWords({ size: 1, oldestAt: at, lostGrants: 1 })).toBe(
      `1 grant waits to be revoked at TrueLayer, the oldest since ${formatDateTime(at)}. 1 lost grant (an answer from TrueLayer that never reached us).`,
    );
  });
});
