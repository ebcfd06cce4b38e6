import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type QueryCounter, startQueryCounter } from "./wire-counter";

// The run's database (test/global-setup.ts). DATABASE_URL here is the setup's unreachable default, or whatever
// an earlier file in the same worker left: it failed with "Connection terminated unexpectedly" when it ran first.
const url = inject("testDatabaseUrl");

describe.skipIf(inject("testDatabaseKind") === "embedded")("the bench's statement counter", () => {
  let counter: QueryCounter;
  let client: pg.Client;
  beforeAll(async () => {
    counter = await startQueryCounter(url);
    client = new pg.Client({ connectionString: counter.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await counter.close();
  });

  it("counts simple and extended-protocol statements and keeps each one's text", async () => {
    const before = counter.count();
    await client.query("SELECT 1");
    await client.query("SELECT $1::int AS n", [2]);
    await client.query({ name: "named", text: "SELECT $1::text AS t", values: ["a"] });
    await client.query({ name: "named", text: "SELECT $1::text AS t", values: ["b"] });
    expect(counter.count() - before).toBe(4);
    expect(counter.texts(before)).toEqual([
      "SELECT 1",
      "SELECT $1::int AS n",
      "SELECT $1::text AS t",
      "SELECT $1::text AS t",
    ]);
  });
});
