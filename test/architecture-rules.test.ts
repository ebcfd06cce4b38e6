import { describe, expect, it } from "vitest";
import * as rules from "./architecture";

// The rules of test/architecture.ts fed every way we could think of to write each breach: the same breach in
// other white space, behind comments, quoted or schema-qualified, with an extension, by alias or relative path.
// Each variant must be caught; the few lines at the end must not be.

const cross = <T>(...lists: T[][]): T[][] =>
  lists.reduce<T[][]>((acc, list) => acc.flatMap((row) => list.map((item) => [...row, item])), [[]]);

const GAPS = [" ", "\n    ", "\t", " /* why */ ", " -- why\n  ", "\n\n  "];
const TABLES = (t: string) => [
  `"${t}"`,
  `"public"."${t}"`,
  `public."${t}"`,
  `"\${schema}"."${t}"`,
  `ONLY "${t}"`,
];
const WRITE_KEYWORDS = (gap: string) => [
  "UPDATE",
  "update",
  `INSERT${gap}INTO`,
  `DELETE${gap}FROM`,
  "TRUNCATE",
  `TRUNCATE${gap}TABLE`,
  `MERGE${gap}INTO`,
];
const writes = (table: string) =>
  cross(GAPS, TABLES(table)).flatMap(([gap = " ", name = ""]) =>
    WRITE_KEYWORDS(gap).map((kw) => `await sql\`\n  ${kw}${gap}${name} SET "x" = 1\`;`),
  );

const RECEIVERS = ["prisma", "db()", "tx", "this.client", "(await db())"];
const LINKS = [".", "\n  .", " /* c */ .", "?.", " // c\n  ."];
const delegateCalls = (name: string, method: string) =>
  cross(RECEIVERS, LINKS, [name, `["${name}"]`, `[ '${name}' ]`], LINKS).map(
    ([receiver = "", link = ".", access = "", link2 = "."]) =>
      `await ${receiver}${access.startsWith("[") ? link.replace(/\??\.$/, "") : link}${access}${link2}${method}({});`,
  );

const QUOTES = ['"', "'", "`"];
const STATEMENTS = (s: string) => [
  `import { db } from ${s};`,
  `import type { Db } from ${s};`,
  `import ${s};`,
  `import * as db from ${s};`,
  `export { db } from ${s};`,
  `export * from ${s};`,
  `const m = await import(${s});`,
  `const m = await import(\n  ${s}\n);`,
  `const m = require(${s});`,
  `import {\n  db,\n  type Db,\n} from\n  ${s};`,
  `import { db } from /* c */ ${s};`,
];
const imports = (specs: string[]) =>
  cross(specs, QUOTES).flatMap(([spec = "", q = '"']) => STATEMENTS(`${q}${spec}${q}`));

describe("every way of writing a breach is caught", () => {
  it("a store table written outside custody, by SQL in any spacing, comment, quoting or schema", () => {
    const variants = writes("Connection");
    expect(variants.length).toBeGreaterThan(200);
    for (const source of variants)
      expect(rules.tableViolations("lib/reminders/x.ts", source), source).toContainEqual(
        expect.objectContaining({ rule: "writes Connection outside custody" }),
      );
  });

  it("a store table written from the store itself when custody owns it", () => {
    for (const source of writes("PendingRevoke"))
      expect(rules.tableViolations("lib/connections/store/x.ts", source), source).toHaveLength(1);
  });

  it("an owned table written by another module", () => {
    for (const source of writes("OperatorAlert"))
      expect(rules.ownedTableViolations("lib/alerts/deliver.ts", source), source).toHaveLength(1);
    for (const source of delegateCalls("operatorAlert", "upsert"))
      expect(rules.ownedTableViolations("lib/alerts/deliver.ts", source), source).toHaveLength(1);
  });

  it("a store table read outside the store, the table on any line after its keyword", () => {
    for (const [gap = " ", name = ""] of cross(GAPS, TABLES("BankAccount")))
      for (const kw of ["FROM", "JOIN", "from"]) {
        const source = `await sql\`SELECT 1\n  ${kw}${gap}${name}\``;
        expect(rules.tableViolations("lib/reminders/x.ts", source), source).toContainEqual(
          expect.objectContaining({ rule: "reads BankAccount outside the store" }),
        );
      }
  });

  it("a Prisma delegate chain, however it is broken, bracketed or optional", () => {
    const variants = delegateCalls("connection", "update");
    expect(variants.length).toBeGreaterThan(300);
    for (const source of variants)
      expect(rules.tableViolations("lib/x.test.ts", source), source).toContainEqual(
        expect.objectContaining({ rule: "uses prisma.connection (Connection) outside the store" }),
      );
    for (const source of delegateCalls("bankAccount", "findMany"))
      expect(rules.tableViolations("lib/reminders/x.ts", source), source).toHaveLength(1);
  });

  it("app/ naming the database or the store, by alias or relative path, with or without an extension", () => {
    const db = ["@/lib/db", "@/lib/db.ts", "@/lib/db.js", "@/lib/./db", "@/app/../lib/db", "../../../lib/db"];
    const store = [
      "@/lib/connections/store",
      "@/lib/connections/store/index.ts",
      "../../../lib/connections/store/x",
    ];
    for (const source of imports([...db, ...store, "@prisma/client"]))
      expect(rules.importViolations("app/(app)/x/page.tsx", source), source).toHaveLength(1);
  });

  it("sandbox/ naming the app, lib/ naming the simulator", () => {
    const sandboxToLib = ["@/lib/clock", "@/lib/clock.ts", "../../lib/clock", "../../lib/clock.mjs", "@/kit"];
    for (const source of imports(sandboxToLib))
      expect(rules.importViolations("sandbox/routes/x.ts", source), source).toHaveLength(1);
    for (const source of imports(["@/sandbox/server", "../../sandbox/server.ts", "@/kit/seed"]))
      expect(rules.importViolations("lib/a/b.ts", source), source).toHaveLength(1);
  });
});

describe("one writer, one dialect, one door per domain", () => {
  it("a table written by another module, or by its writer in the other dialect, in any spelling", () => {
    for (const source of [...writes("User"), ...delegateCalls("user", "update")])
      expect(rules.ownedTableViolations("lib/funnel/queries.ts", source), source).toContainEqual(
        expect.objectContaining({ rule: "writes User outside lib/users/queries.ts" }),
      );
    for (const source of delegateCalls("rateLimit", "deleteMany"))
      expect(rules.ownedTableViolations("lib/security/rate-limit.ts", source), source).toEqual([
        expect.objectContaining({ rule: "writes RateLimit through Prisma beside SQL" }),
      ]);
    for (const source of writes("SecurityEvent"))
      expect(rules.ownedTableViolations("lib/security/events.ts", source), source).toEqual([
        expect.objectContaining({ rule: "writes SecurityEvent in SQL beside Prisma" }),
      ]);
  });

  it("another domain's table read from lib/, by SQL or Prisma", () => {
    for (const [gap = " ", name = ""] of cross(GAPS, TABLES("Session")))
      expect(
        rules.ownedTableViolations("lib/users/delete-account.ts", `sql\`SELECT 1 FROM${gap}${name}\``),
      ).toEqual([expect.objectContaining({ rule: "reads Session outside lib/auth" })]);
    for (const source of delegateCalls("user", "findUnique"))
      expect(rules.ownedTableViolations("lib/reminders/preferences.ts", source), source).toHaveLength(1);
  });

  it("lib/ outside lib/connections importing a store module", () => {
    const store = [
      "@/lib/connections/store/export",
      "../connections/store/retention.ts",
      "@/lib/connections/store",
    ];
    for (const source of imports(store))
      expect(rules.importViolations("lib/maintenance/run.ts", source), source).toHaveLength(1);
  });

  it("a database client made or passed anywhere but lib/db.ts", () => {
    for (const source of [
      'import type { PrismaClient } from "@prisma/client";\nexport function f(prisma: PrismaClient) {}',
      "const c = new PrismaClient({});",
      "const c = new\n  PrismaClient();",
      'const c = createPrismaClient("postgres://x");',
    ])
      expect(rules.clientViolations("lib/reminders/queries.ts", source).length, source).toBeGreaterThan(0);
    expect(rules.clientViolations("lib/db.ts", "export function db(): PrismaClient {}")).toEqual([]);
    expect(
      rules.clientViolations("lib/ops/failure.ts", 'name === "PrismaClientInitializationError"'),
    ).toEqual([]);
  });

  it("but fixtures seed rows, writers write in their dialect, domains read their own tables", () => {
    expect(rules.ownedTableViolations("kit/seed.ts", "await db().user.create({})")).toEqual([]);
    expect(rules.ownedTableViolations("e2e/x.spec.ts", 'sql`INSERT INTO "Session" (x)`')).toEqual([]);
    expect(rules.ownedTableViolations("lib/security/rate-limit.ts", 'sql`DELETE FROM "RateLimit"`')).toEqual(
      [],
    );
    expect(rules.ownedTableViolations("lib/users/export-data.ts", "await db().user.findUnique({})")).toEqual(
      [],
    );
    expect(rules.importViolations("lib/connections/x.ts", 'import { a } from "./store/audit";')).toEqual([]);
    expect(
      rules.importViolations("lib/alerts/a.test.ts", 'import { a } from "@/lib/connections/store/audit";'),
    ).toEqual([]);
  });
});

describe("names that collide are found", () => {
  it("two lib files of one name in folders of different shape, but not a domain's queries.ts or an action", () => {
    expect(rules.nameCollisions(["lib/a/extend.ts", "lib/b/c/extend.ts", "lib/a/extend.test.ts"])).toEqual([
      ["lib/a/extend.ts", "lib/b/c/extend.ts"],
    ]);
    expect(
      rules.nameCollisions(["lib/a/actions/seed.ts", "lib/b/actions/seed.ts", "lib/c/seed.ts"]),
    ).toHaveLength(0);
    expect(rules.nameCollisions(["lib/a/seed.ts", "lib/c/seed.ts", "lib/d/actions/seed.ts"])).toHaveLength(1);
    expect(
      rules.nameCollisions(["lib/a/queries.ts", "lib/b/queries.ts", "lib/a/index.ts", "lib/b/index.ts"]),
    ).toEqual([]);
    expect(rules.nameCollisions(["sandbox/routes/extend.ts", "lib/truelayer/extend.ts"])).toEqual([]);
  });

  it("two exports of one name, functions or constants, async or not", () => {
    const sources = new Map([
      ["lib/a.ts", "export async function sha256Hex(v: string) {}"],
      ["lib/b.ts", "export const sha256Hex = (t: string) => t;"],
      ["lib/c.ts", "export function other() {}"],
      ["lib/c.test.ts", "export function other() {}"],
      // Overloads: one function.
      [
        "lib/d.ts",
        "export function over(a: string): void;\nexport function over(a: number): void;\nexport function over(a: unknown) {}",
      ],
    ]);
    expect(rules.exportCollisions(sources)).toEqual([["lib/a.ts", "lib/b.ts"]]);
  });
});

describe("comment lines are counted by the written rule", () => {
  it("line and block comments, JSDoc lines, not code with a trailing comment, not blank lines, lib/ only", () => {
    const source = [
      "// one",
      "/** two */",
      "/*",
      " * four",
      " */",
      "const a = 1; // code",
      "",
      "  // seven, indented",
      "const b = `// in a string`;",
    ].join("\n");
    expect(
      rules.commentLines(
        new Map([
          ["lib/a.ts", source],
          ["app/b.ts", source],
        ]),
      ),
    ).toEqual({ comment: 6, total: 8 });
  });
});

describe("page sizes", () => {
  const lines = (n: number) => "x\n".repeat(n);
  it("count only app/ pages and routes, and take the median of an even or odd count", () => {
    const sources = new Map([
      ["app/page.tsx", lines(10)],
      ["app/(g)/a/page.tsx", lines(30)],
      ["app/api/b/route.ts", lines(50)],
      ["app/(g)/a/_components/big.tsx", lines(500)],
      ["lib/page.tsx", lines(500)],
    ]);
    expect(rules.pageSizes(sources)).toEqual({
      files: 3,
      median: 30,
      max: 50,
      largest: "app/api/b/route.ts",
    });
    sources.set("app/c/page.tsx", lines(121));
    expect(rules.pageSizes(sources)).toEqual({ files: 4, median: 40, max: 121, largest: "app/c/page.tsx" });
  });
});

describe("and what is no breach is let be", () => {
  it("the simulator's own modules, our own tables, words that only look like SQL", () => {
    expect(rules.importViolations("sandbox/routes/x.ts", 'import { json } from "../http";')).toEqual([]);
    expect(
      rules.importViolations("app/x/page.tsx", 'import { dueFor } from "@/lib/connections/queries";'),
    ).toEqual([]);
    expect(rules.tableViolations("lib/users/x.ts", "await prisma.user.update({})")).toEqual([]);
    expect(rules.tableViolations("lib/users/x.ts", "// we update only the connection's owner here")).toEqual(
      [],
    );
    expect(
      rules.tableViolations("lib/connections/store/x.ts", 'sql`UPDATE\n  "BankAccount" SET x = 1`'),
    ).toEqual([]);
    expect(rules.tableViolations("lib/connections/custody/x.ts", 'sql`UPDATE /* c */ "Connection"`')).toEqual(
      [],
    );
  });
});

describe("import circles are found", () => {
  const graph = (edges: Record<string, string>) => new Map(Object.entries(edges));

  it("closed by a type-only import, across folders, by alias or relative path, with or without an extension", () => {
    const closers = [
      (s: string) => `import type { T } from ${s};`,
      (s: string) => `import { type T } from ${s};`,
      (s: string) => `export type { T } from ${s};`,
      (s: string) => `const m = await import(\n  ${s}\n);`,
    ];
    for (const [close, spec] of cross<unknown>(closers, [
      '"./a"',
      '"@/lib/x/a.ts"',
      "'../x/a'",
      '"./a.js"',
    ])) {
      const closing = (close as (s: string) => string)(spec as string);
      const cycles = rules.importCycles(
        graph({
          "lib/x/a.ts": 'import { b } from "@/lib/y/b";',
          "lib/y/b.ts": 'import { c } from "../x/c";',
          "lib/x/c.ts": closing.replace("../x/a", "./a"),
        }),
      );
      expect(cycles, closing).toEqual([["lib/x/a.ts", "lib/x/c.ts", "lib/y/b.ts"]]);
    }
  });

  it("a module importing itself, two circles apart, and none where the graph is a tree", () => {
    expect(rules.importCycles(graph({ "sandbox/a.ts": 'import type { A } from "./a";' }))).toEqual([
      ["sandbox/a.ts"],
    ]);
    expect(
      rules.importCycles(
        graph({
          "sandbox/http.ts": 'import type { CallLog } from "./calls";',
          "sandbox/calls.ts": 'import type { Result } from "./http";',
          "lib/auth/index.ts": 'import { s } from "./sessions";',
          "lib/auth/sessions.ts": 'import { i } from "@/lib/auth";',
        }),
      ),
    ).toHaveLength(2);
    expect(
      rules.importCycles(
        graph({
          "sandbox/http.ts": "",
          "sandbox/calls.ts": 'import type { Result } from "./http";',
          "sandbox/context.ts":
            'import type { CallLog } from "./calls";\nimport type { Result } from "./http";',
        }),
      ),
    ).toEqual([]);
  });
});
