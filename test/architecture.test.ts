import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  clientViolations,
  commentLines,
  exportCollisions,
  importCycles,
  importViolations,
  nameCollisions,
  ownedTableViolations,
  pageSizes,
  tableViolations,
} from "./architecture";

// docs/architecture.md: app → domain (lib/<domain>) → store / TrueLayer client → database; the
// simulator and the test kit beside it. These fail when a change breaks a rule.

const root = path.resolve(import.meta.dirname, "..");
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !f.startsWith("docs/") && !f.startsWith("test/architecture"));
const read = (file: string) => {
  try {
    return readFileSync(path.join(root, file), "utf8");
  } catch {
    return "";
  }
};

describe("architecture rules hold in the tree", () => {
  it("app/ reaches the database only through lib/, and never the connection store or Prisma", () => {
    expect(
      files.flatMap((f) => importViolations(f, read(f)).filter((v) => v.file.startsWith("app/"))),
    ).toEqual([]);
  });

  it("lib/ imports nothing of sandbox/, scripts/, e2e/, test/, inbox/ or kit/ (tests aside)", () => {
    expect(
      files.flatMap((f) => importViolations(f, read(f)).filter((v) => v.file.startsWith("lib/"))),
    ).toEqual([]);
  });

  it("sandbox/ imports nothing of the app: it stands for TrueLayer", () => {
    expect(
      files.flatMap((f) => importViolations(f, read(f)).filter((v) => v.file.startsWith("sandbox/"))),
    ).toEqual([]);
  });

  it("nothing outside the store touches its tables (tests read them only); custody alone writes a connection", () => {
    expect(files.flatMap((f) => tableViolations(f, read(f)))).toEqual([]);
  });

  it("one way to a database client: db(), never a PrismaClient made or passed in lib/ or app/", () => {
    expect(files.flatMap((f) => clientViolations(f, read(f)))).toEqual([]);
  });

  it("no two lib/ files share a name unless their folders are parallel, no two exports share a name", () => {
    expect(nameCollisions(files)).toEqual([]);
    expect(exportCollisions(new Map(files.map((f) => [f, read(f)])))).toEqual([]);
  });

  // Issue 31's goal, met: 5.60% once the day's branches merged, 5.26%, 4.60%, then 3.99% once why-comments were
  // condensed and those a decision already says point to it. Never raise it; lower it as comments go.
  it("lib/ comments stay at most 4% of its lines (goal met; the models sit at 0-3%)", () => {
    const { comment, total } = commentLines(new Map(files.map((f) => [f, read(f)])));
    expect(comment / total).toBeLessThanOrEqual(0.04);
  });

  // Issue 31: thin pages; what decides what to show lives in lib/, shared markup in components.
  it("page and route files: median at most 40 lines, none over 120", () => {
    const sizes = pageSizes(new Map(files.map((f) => [f, read(f)])));
    expect(sizes.files).toBeGreaterThan(30);
    expect(sizes.median).toBeLessThanOrEqual(40);
    expect(sizes.max, `the largest is ${sizes.largest}`).toBeLessThanOrEqual(120);
  });

  it("no import circles among the modules (tests aside), type-only imports included", () => {
    const modules = files.filter((f) => !/\.(test|spec)\.tsx?$/.test(f));
    expect(importCycles(new Map(modules.map((f) => [f, read(f)])))).toEqual([]);
  });

  it("a table outside the store has one writer module (operator alerts: lib/alerts/outbox.ts)", () => {
    expect(files.flatMap((f) => ownedTableViolations(f, read(f)))).toEqual([]);
  });
});

describe("each rule catches a breach", () => {
  it("app/ importing the store, Prisma or the database", () => {
    expect(
      importViolations("app/page.tsx", 'import { dueFor } from "@/lib/connections/store/connections";'),
    ).toHaveLength(1);
    expect(importViolations("app/page.tsx", 'import { PrismaClient } from "@prisma/client";')).toHaveLength(
      1,
    );
    expect(importViolations("app/x/page.tsx", 'import { db } from "../../lib/db";')).toHaveLength(1);
    expect(importViolations("app/page.tsx", 'import { dueFor } from "@/lib/connections/queries";')).toEqual(
      [],
    );
  });

  it("lib/ importing the simulator, scripts or tests", () => {
    expect(
      importViolations("lib/a/b.ts", 'import { startSandbox } from "../../sandbox/server";'),
    ).toHaveLength(1);
    expect(
      importViolations("lib/a/b.ts", 'const x = await import("@/scripts/lib/database.mjs");'),
    ).toHaveLength(1);
    expect(
      importViolations("lib/a/b.test.ts", 'import { startTestSandbox } from "@/sandbox/client";'),
    ).toEqual([]);
  });

  it("a store table written or read elsewhere", () => {
    expect(tableViolations("lib/reminders/x.ts", "await prisma.connection.findMany({})")).toHaveLength(1);
    expect(tableViolations("lib/reminders/x.ts", 'sql`SELECT 1 FROM "Connection"`')).toHaveLength(1);
    expect(
      tableViolations("e2e/x.ts", 'await sql(`insert into "Connection" (id) values ($1)`)'),
    ).toHaveLength(1);
    expect(tableViolations("e2e/x.ts", 'await sql(`select * from "Connection"`)')).toEqual([]);
    expect(tableViolations("lib/x.test.ts", "await prisma.connectionEvent.create({})")).toHaveLength(1);
    expect(tableViolations("lib/connections/store/x.ts", 'INSERT INTO "BankAccount"')).toEqual([]);
  });
});

describe("an owned table written elsewhere is caught", () => {
  it("by SQL or by Prisma, in a test too, but not by its writer", () => {
    expect(
      ownedTableViolations("lib/alerts/deliver.ts", 'sql`UPDATE "OperatorAlert" SET x = 1`'),
    ).toHaveLength(1);
    expect(ownedTableViolations("lib/x.test.ts", "await prisma.operatorAlert.create({})")).toHaveLength(1);
    expect(ownedTableViolations("lib/x.test.ts", "await prisma.operatorAlert.findMany({})")).toEqual([]);
    expect(ownedTableViolations("lib/alerts/outbox.ts", 'INSERT INTO "OperatorAlert" (id)')).toEqual([]);
  });
});

describe("the rules have no holes", () => {
  it("a connection's row and the revoke queue are written by custody alone, even from the store", () => {
    expect(
      tableViolations("lib/connections/store/x.ts", 'sql`UPDATE "Connection" SET "status" = $1`'),
    ).toHaveLength(1);
    expect(
      tableViolations("lib/connections/store/x.ts", 'sql`INSERT INTO "PendingRevoke" (id)`'),
    ).toHaveLength(1);
    expect(tableViolations("lib/connections/store/x.ts", 'sql`UPDATE "BankAccount" SET x = 1`')).toEqual([]);
    expect(tableViolations("lib/connections/custody/x.ts", 'sql`UPDATE "Connection" SET x = 1`')).toEqual([]);
  });

  it("an UPDATE whose table is on the next line, and a delegate chain across lines", () => {
    expect(tableViolations("lib/reminders/x.ts", 'sql`\n  UPDATE\n    "Connection" SET x = 1`')).toEqual([
      { file: "lib/reminders/x.ts", line: 2, rule: "writes Connection outside custody" },
    ]);
    expect(tableViolations("lib/x.test.ts", "await prisma\n  .connection\n  .update({})")).toHaveLength(1);
    expect(tableViolations("lib/x.test.ts", "await db()\n  .pendingRevoke.create({})")).toHaveLength(1);
  });

  it("imports written with an extension or through an index file", () => {
    expect(importViolations("app/x/page.tsx", 'import { db } from "@/lib/db.ts";')).toHaveLength(1);
    expect(
      importViolations("app/x/page.tsx", 'import { x } from "@/lib/connections/store/index.ts";'),
    ).toHaveLength(1);
  });

  it("the simulator importing the app, the kit or the tests", () => {
    expect(importViolations("sandbox/routes/x.ts", 'import { now } from "@/lib/clock";')).toHaveLength(1);
    expect(
      importViolations("sandbox/client/x.ts", 'import { seedConnection } from "../../kit";'),
    ).toHaveLength(1);
    expect(importViolations("sandbox/x.test.ts", 'import { db } from "../lib/db";')).toHaveLength(1);
    expect(importViolations("sandbox/routes/x.ts", 'import { json } from "../http";')).toEqual([]);
  });
});
