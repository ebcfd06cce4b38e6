import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAttempt } from "@/lib/security/rate-limit";
import { commitModeAfter } from "@/test/db";
import { type Integration, startIntegration } from "@/test/integration";
import { submissionStatement } from "./reconfirmations";

let it_: Integration;
beforeAll(async () => {
  it_ = await startIntegration();
});
afterAll(() => it_.close());

describe("submissionStatement", () => {
  it("commits its only write, the renewal count, without waiting for the disk", async () => {
    const attempt = countAttempt({ scope: "test", key: "u1", limit: 10, windowSeconds: 600 });
    const statement = submissionStatement({
      userId: "u1",
      shownIds: ["c1"],
      chosenIds: ["c1"],
      copyHash: "0".repeat(64),
      since: new Date(0),
      attempt: attempt.statement,
    });
    expect(await commitModeAfter(statement)).toBe("off");
    expect(await it_.prisma.rateLimit.count()).toBe(1);
  });
});
