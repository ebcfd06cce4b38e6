// Issue 17 point 4 (decision 031).
import { describe, expect, it } from "vitest";
import { now } from "@/lib/clock";
import { createTestConnection, newUser, reconfirmOne } from "@/test/flows";
import { integrationSuite } from "@/test/integration";
import { stopSharing } from "../stop-sharing";
import { getReconfirmationForUser } from "../store/reconfirmations";
import { bankResults } from "./results";

const suite = integrationSuite();

async function resultsOf(reconfirmationId: string, userId: string) {
  const record = await getReconfirmationForUser(reconfirmationId, userId);
  if (!record) throw new Error("no record");
  return bankResults(record, now());
}

describe("a results page tells the truth after another tab acted", () => {
  it("a failed first press, then a renewal by the second: the first page says it is renewed", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await suite.it.sandbox.controls.injectFault({ endpoint: "extend", kind: "429", retryAfterSeconds: 0 });
    const first = await reconfirmOne(user.id, connection.id);
    if (first.kind !== "finished") throw new Error("expected a result");
    expect((await resultsOf(first.reconfirmationId, user.id))[0]?.status).toBe("failed");
    const second = await reconfirmOne(user.id, connection.id);
    expect(second.kind === "finished" && second.outcomes[0]?.outcome.kind).toBe("extended");
    const [again] = await resultsOf(first.reconfirmationId, user.id);
    expect(again?.status).toBe("extended");
    expect(again?.headline).toMatch(/sharing continues until/);
    expect(again?.detail).toMatch(/another tab/);
  });

  it("after stopping, an earlier renewal's page no longer says sharing continues", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    const renewed = await reconfirmOne(user.id, connection.id);
    if (renewed.kind !== "finished") throw new Error("expected a result");
    await stopSharing(user.id, connection.id);
    const [shown] = await resultsOf(renewed.reconfirmationId, user.id);
    expect(shown?.status).toBe("stopped");
    expect(shown?.headline).not.toMatch(/continues/);
  });

  it("a yes for a bank stopped since the page was shown renews nothing and names it stopped (issue 29 item 5)", async () => {
    const user = await newUser(suite.prisma);
    const connection = await createTestConnection(suite.it, user.id, "eternal");
    await stopSharing(user.id, connection.id);
    const result = await reconfirmOne(user.id, connection.id);
    expect(result).toMatchObject({ kind: "stopped", connectionIds: [connection.id] });
    expect(await suite.prisma.reconfirmationOwner.count({ where: { userId: user.id } })).toBe(0);
  });
});
