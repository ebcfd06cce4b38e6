// The rules of docs/architecture.md, as checks over the source text: who may import whom, and who
// may touch the connection store's tables. Pure, so the test can also show each rule catches a breach.

export const STORE_DIR = "lib/connections/store/";
/** The only writer of a connection's row and its tokens, and of the revoke queue (docs/decisions/043). */
export const CUSTODY_DIR = "lib/connections/custody/";
export const CUSTODY_TABLES = new Set(["Connection", "PendingRevoke"]);

/** The tables lib/connections/store/ owns, with Prisma's delegate name for each. */
export const STORE_TABLES: Record<string, string> = {
  Connection: "connection",
  BankAccount: "bankAccount",
  ConnectionEvent: "connectionEvent",
  AuthState: "authState",
  CodeExchange: "codeExchange",
  Reconfirmation: "reconfirmation",
  ReconfirmationItem: "reconfirmationItem",
  ReconfirmationOwner: "reconfirmationOwner",
  ReconfirmationOutcome: "reconfirmationOutcome",
  ConsentWording: "consentWording",
  PendingRevoke: "pendingRevoke",
  ParkedReturn: "parkedReturn",
  CallbackPost: "callbackPost",
};

/**
 * Tables outside the store: one module of ours writes each, in one dialect, and other domains reach the table
 * only through that module's domain (docs/decisions/063). next-auth's Prisma adapter writes User, Session,
 * VerificationToken and Account too (sign-in, link use). `seeded`: fixtures (tests, kit/, e2e/, scripts/,
 * prisma/) may write rows of it to set a scene; the others they leave to the writer.
 */
type Owned = { writer: string; delegate: string; dialect: "sql" | "prisma"; seeded?: true };
const SEEDED = true;
const owned = (writer: string, delegate: string, dialect: Owned["dialect"], seeded = false): Owned =>
  seeded ? { writer, delegate, dialect, seeded } : { writer, delegate, dialect };

export const OWNED_TABLES: Record<string, Owned> = {
  User: owned("lib/users/queries.ts", "user", "sql", SEEDED),
  Session: owned("lib/auth/queries.ts", "session", "sql", SEEDED),
  VerificationToken: owned("lib/auth/queries.ts", "verificationToken", "sql", SEEDED),
  Account: owned("next-auth's Prisma adapter", "account", "prisma", SEEDED),
  ReminderLink: owned("lib/auth/reminder-link.ts", "reminderLink", "sql", SEEDED),
  Reminder: owned("lib/reminders/queries.ts", "reminder", "prisma", SEEDED),
  FunnelEvent: owned("lib/funnel/record.ts", "funnelEvent", "sql", SEEDED),
  RateLimit: owned("lib/security/rate-limit.ts", "rateLimit", "sql", SEEDED),
  SecurityEvent: owned("lib/security/events.ts", "securityEvent", "prisma", SEEDED),
  OperatorAlert: owned("lib/alerts/outbox.ts", "operatorAlert", "sql"),
  ScheduledRun: owned("lib/readiness/runs.ts", "scheduledRun", "sql"),
};

/**
 * Reads of another domain's table that stay, each for a reason: the session lookup joins its user in the one
 * statement of every request (decision 013), a reminder link's session joins its user likewise, and the store's
 * reminder list and dashboard read the user's address and name in the statement that reads the connections, and
 * the late-reminder count (readiness) reads the reminders sent in the statement that walks the due connections, and
 * the day's unattended reads pick users seen in a fortnight (their sessions) in the statement that picks connections.
 */
export const CROSS_DOMAIN_READS: Record<string, string[]> = {
  Session: ["lib/connections/store/balances.ts"],
  Reminder: ["lib/connections/store/connections.ts"],
  User: [
    "lib/auth/queries.ts",
    "lib/connections/store/connections.ts",
    "lib/connections/store/reconfirmations.ts",
    "lib/auth/reminder-link.ts",
  ],
};

export type Violation = { file: string; rule: string; line: number };

const domainOf = (file: string) => file.split("/").slice(0, 2).join("/");

/**
 * An owned table written by anyone but its writer (tests included, unless it is `seeded`),
 * written by its writer in the other dialect, or read by lib/ code of another domain.
 */
export function ownedTableViolations(file: string, source: string): Violation[] {
  const out: Violation[] = [];
  const fixture = isTest(file) || isFixture(file);
  for (const [table, { writer, delegate: name, dialect, seeded }] of Object.entries(OWNED_TABLES)) {
    const mine = file === writer;
    const found = (index: number, rule: string) => out.push({ file, line: lineAt(source, index), rule });
    for (const m of source.matchAll(WRITE_SQL)) {
      if (sqlTable(m).table !== table) continue;
      if (!mine && !(seeded && fixture)) found(m.index ?? 0, `writes ${table} outside ${writer}`);
      else if (mine && dialect !== "sql") found(m.index ?? 0, `writes ${table} in SQL beside Prisma`);
    }
    for (const m of source.matchAll(delegate(name))) {
      if (!WRITES.test(m[1] ?? "")) continue;
      if (!mine && !(seeded && fixture)) found(m.index ?? 0, `writes ${table} outside ${writer}`);
      else if (mine && dialect !== "prisma") found(m.index ?? 0, `writes ${table} through Prisma beside SQL`);
    }
    if (!file.startsWith("lib/") || fixture || domainOf(file) === domainOf(writer)) continue;
    if (CROSS_DOMAIN_READS[table]?.includes(file)) continue;
    const reads = [
      ...[...source.matchAll(READ_SQL)].filter((m) => sqlTable(m).quoted && sqlTable(m).table === table),
      ...source.matchAll(delegate(name)),
    ];
    for (const m of reads) found(m.index ?? 0, `reads ${table} outside ${domainOf(writer)}`);
  }
  return out;
}

// Test data builders: the kit's and the benches' (custody's fixtures live beside the transitions they mirror).
const isFixture = (file: string) =>
  /^(kit|e2e|scripts|prisma)\//.test(file) || file === "lib/connections/custody/fixtures.ts";

const isTest = (file: string) =>
  /\.test\.tsx?$/.test(file) ||
  /^(e2e|test)\//.test(file) ||
  /^scripts\/load-reconfirm(-http)?\.ts$/.test(file);

// Between two tokens: white space and comments (SQL's and JavaScript's), across lines.
const GAP = String.raw`(?:\s|/\*[\s\S]*?\*/|--[^\n]*(?:\n|$)|//[^\n]*(?:\n|$))`;

/**
 * Every module a file names: static, side-effect, `export … from`, dynamic `import()` and `require()`, type-only
 * ones included, also when the specifier sits on another line or behind a comment (template specifiers too,
 * when they hold no `${}`).
 */
const IMPORT = new RegExp(
  String.raw`(?:\bfrom|\bimport${GAP}*\(|\brequire${GAP}*\(|^[ \t]*import)${GAP}*(["'\x60])([^"'\x60\n\x24]+)\1`,
  "gm",
);

export function importsOf(source: string): { spec: string; line: number }[] {
  return [...source.matchAll(IMPORT)].map((m) => ({
    spec: m[2] ?? "",
    line: lineAt(source, (m.index ?? 0) + m[0].length - 1),
  }));
}

/** Where an import points, as a path from the repository root (aliases, relative paths, extensions resolved). */
export function target(file: string, spec: string): string {
  const bare = spec.replace(/[?#].*$/, "");
  const alias = bare.startsWith("@/");
  if (!alias && !bare.startsWith(".")) return `node_modules/${bare}`;
  const parts = alias ? [] : file.split("/").slice(0, -1);
  for (const piece of (alias ? bare.slice(2) : bare).split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== "." && piece !== "") parts.push(piece);
  }
  return parts
    .join("/")
    .replace(/\.(tsx?|mts|cts|mjs|cjs|jsx?)$/, "")
    .replace(/\/index$/, "");
}

export function importViolations(file: string, source: string): Violation[] {
  const out: Violation[] = [];
  for (const { spec, line } of importsOf(source)) {
    const to = target(file, spec);
    if (file.startsWith("app/")) {
      if (to.startsWith(STORE_DIR.slice(0, -1)))
        out.push({ file, line, rule: "app/ imports the connection store" });
      if (to === "node_modules/@prisma/client" || to === "lib/db")
        out.push({ file, line, rule: "app/ imports Prisma or the database" });
    }
    if (
      file.startsWith("lib/") &&
      !file.startsWith("lib/connections/") &&
      !isTest(file) &&
      to.startsWith(STORE_DIR.slice(0, -1))
    )
      out.push({ file, line, rule: "lib/ outside lib/connections imports the connection store" });
    if (file.startsWith("lib/") && !isTest(file) && /^(sandbox|scripts|e2e|test|inbox|kit)(\/|$)/.test(to)) {
      out.push({ file, line, rule: `lib/ imports ${to.split("/")[0]}/` });
    }
    // The simulator stands for TrueLayer: it knows nothing of the app (the kit, kit/, joins the two).
    if (file.startsWith("sandbox/") && /^(lib|app|kit|scripts|e2e|test|inbox)(\/|$)/.test(to)) {
      out.push({ file, line, rule: `sandbox/ imports ${to.split("/")[0]}/` });
    }
  }
  return out;
}

// A table as SQL names it: after `ONLY` and a schema (`public.`, `"${schema}".`) if any, quoted or not.
const TABLE = String.raw`(?:only${GAP}+)?(?:(?:"[^"\n]*"|[\w\x24{}]+)${GAP}*\.${GAP}*)?("?)(\w+)"?`;
const WRITE_SQL = new RegExp(
  String.raw`\b(?:insert${GAP}+into|update|delete${GAP}+from|truncate(?:${GAP}+table)?|merge${GAP}+into|copy)${GAP}+${TABLE}`,
  "gi",
);
const READ_SQL = new RegExp(String.raw`\b(?:from|join|into|update|table|using)${GAP}+${TABLE}`, "gi");
const ANY_SQL = /"(\w+)"/g;
/** The table a WRITE_SQL or READ_SQL match names (group 2), and whether it was quoted (group 1). */
const sqlTable = (m: RegExpMatchArray) => ({ table: m[2] ?? "", quoted: m[1] === '"' });

// JavaScript between two tokens of a delegate chain.
const JS_GAP = String.raw`(?:\s|/\*[\s\S]*?\*/|//[^\n]*\n)*`;
// A Prisma delegate chain: `.connection.update(`, also across lines and comments, through `?.`, or as
// `["connection"]`.
const delegate = (name: string) =>
  new RegExp(
    String.raw`(?:\??\.${JS_GAP}${name}\b|\[${JS_GAP}["'\x60]${name}["'\x60]${JS_GAP}\])${JS_GAP}\??\.${JS_GAP}(\w+)${JS_GAP}(?:\?\.)?\(`,
    "g",
  );
const WRITES =
  /^(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)$/;

const lineAt = (source: string, index: number) => source.slice(0, index).split("\n").length;

/**
 * Outside the store, source code touches none of its tables; tests may read them (to check what happened) but
 * write them only through the store or the test kit. A connection's row and the revoke queue are written only by
 * the custody module, wherever else the store may write.
 */
export function tableViolations(file: string, source: string): Violation[] {
  // The database's own tests (its rules, its migrations) and the secret scanner work on raw rows.
  if (/^prisma\/.*\.test\.ts$/.test(file) || file.startsWith("scripts/lib/secret-scan")) return [];
  const custody = file.startsWith(CUSTODY_DIR);
  const store = custody || file.startsWith(STORE_DIR);
  const test = isTest(file);
  const out: Violation[] = [];
  const tables = new Set(Object.keys(STORE_TABLES));
  const writes = new Set<number>();
  for (const m of source.matchAll(WRITE_SQL)) {
    const { table } = sqlTable(m);
    writes.add((m.index ?? 0) + m[0].length);
    if (!tables.has(table)) continue;
    const line = lineAt(source, m.index ?? 0);
    if (CUSTODY_TABLES.has(table) && !custody)
      out.push({ file, line, rule: `writes ${table} outside custody` });
    else if (!store) out.push({ file, line, rule: `writes ${table} outside the store` });
  }
  if (!store && !test) {
    source.split("\n").forEach((text, i) => {
      for (const m of text.matchAll(ANY_SQL)) {
        if (m[1] && tables.has(m[1]) && /\b(select|from|join|into|update)\b/i.test(text))
          out.push({ file, line: i + 1, rule: `reads ${m[1]} outside the store` });
      }
    });
    // A read whose table stands on another line than its keyword.
    const seen = new Set(out.map((v) => v.line));
    for (const m of source.matchAll(READ_SQL)) {
      const { table, quoted } = sqlTable(m);
      const end = (m.index ?? 0) + m[0].length;
      const line = lineAt(source, end - 1);
      if (quoted && tables.has(table) && !seen.has(line) && !writes.has(end))
        out.push({ file, line, rule: `reads ${table} outside the store` });
    }
  }
  if (!store) {
    for (const [table, name] of Object.entries(STORE_TABLES)) {
      for (const m of source.matchAll(delegate(name))) {
        if (!test || WRITES.test(m[1] ?? ""))
          out.push({
            file,
            line: lineAt(source, m.index ?? 0),
            rule: `uses prisma.${name} (${table}) outside the store`,
          });
      }
    }
  }
  return out;
}

/**
 * The import circles among the given files (each a strongly connected set of two or more, or a file importing
 * itself), type-only imports included: a circle closed by `import type` still ties two modules into one.
 */
export function importCycles(sources: Map<string, string>): string[][] {
  const byPath = new Map<string, string>();
  for (const file of sources.keys()) byPath.set(target(file, `@/${file}`), file);
  const edges = new Map<string, string[]>();
  for (const [file, source] of sources) {
    const to = importsOf(source)
      .map(({ spec }) => byPath.get(target(file, spec)))
      .filter((f): f is string => f !== undefined);
    edges.set(file, [...new Set(to)]);
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let top: string | undefined;
    do {
      top = stack.pop();
      if (top === undefined) break;
      onStack.delete(top);
      component.push(top);
    } while (top !== file);
    if (component.length > 1 || edges.get(file)?.includes(file)) out.push(component.sort());
  };
  for (const file of sources.keys()) if (!index.has(file)) visit(file);
  return out;
}

/** One way to a database client: `db()` from lib/db.ts. No other lib/ or app/ module makes one or takes one. */
export function clientViolations(file: string, source: string): Violation[] {
  if (!/^(lib|app)\//.test(file) || file === "lib/db.ts" || isTest(file)) return [];
  const pattern = new RegExp(
    String.raw`\b(?:new${JS_GAP}PrismaClient\b|createPrismaClient\b|PrismaClient\b(?!\w))`,
    "g",
  );
  return [...source.matchAll(pattern)].map((m) => ({
    file,
    line: lineAt(source, m.index ?? 0),
    rule: "gets or takes a database client other than db()",
  }));
}

/**
 * Source files in lib/ that share a name, where the shape does not explain it (decision 064): a domain's
 * `queries.ts` (its door), an `index.ts` (a folder's public face), `actions/inputs.ts` and `actions/<flow>.ts` (one
 * server action per file, named for the flow it runs) are parallel by design; anything else is a collision.
 */
export function nameCollisions(files: string[]): string[][] {
  const byName = new Map<string, string[]>();
  for (const file of files) {
    if (!file.startsWith("lib/") || isTest(file) || !/\.(tsx?|mjs)$/.test(file)) continue;
    const name = file.split("/").pop() ?? file;
    byName.set(name, [...(byName.get(name) ?? []), file]);
  }
  const parallel = (name: string, group: string[]) =>
    name === "queries.ts" ||
    name === "index.ts" ||
    group.filter((f) => !/\/actions\/[^/]+$/.test(f)).length <= 1;
  return [...byName.entries()]
    .filter(([name, group]) => group.length > 1 && !parallel(name, group))
    .map(([, g]) => g);
}

/** Exported functions and constants of lib/ (tests aside) that share a name: each name means one thing. */
export function exportCollisions(sources: Map<string, string>): string[][] {
  const byName = new Map<string, string[]>();
  for (const [file, source] of sources) {
    if (!file.startsWith("lib/") || isTest(file)) continue;
    for (const m of source.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+(\w+)/gm))
      if (m[1] && !byName.get(m[1])?.includes(file)) byName.set(m[1], [...(byName.get(m[1]) ?? []), file]);
  }
  return [...byName.values()].filter((group) => group.length > 1);
}

/**
 * Comment lines of lib/ (its tests included, as they live beside the code) over its non-blank lines, in .ts,
 * .tsx and .mjs files: a line counts as comment when, trimmed, it starts with `//` or `/*`, or lies inside a
 * block comment (JSDoc `*` lines and the closing `*\/` included). Code with a comment after it on the same line
 * counts as code.
 */
export function commentLines(sources: Map<string, string>): { comment: number; total: number } {
  let comment = 0;
  let total = 0;
  for (const [file, source] of sources) {
    if (!file.startsWith("lib/") || !/\.(tsx?|mjs)$/.test(file)) continue;
    let inBlock = false;
    for (const raw of source.split("\n")) {
      const line = raw.trim();
      if (line === "") continue;
      total++;
      if (inBlock) {
        comment++;
        if (line.includes("*/")) inBlock = false;
      } else if (line.startsWith("//")) comment++;
      else if (line.startsWith("/*")) {
        comment++;
        inBlock = !line.includes("*/");
      }
    }
  }
  return { comment, total };
}

/** Page and route files (app/**\/page.tsx, app/**\/route.ts): how many lines each has, as `wc -l` counts them. */
export function pageSizes(sources: Map<string, string>): {
  files: number;
  median: number;
  max: number;
  largest: string;
} {
  const sizes = [...sources]
    .filter(([file]) => /^app\/(.*\/)?(page\.tsx|route\.ts)$/.test(file))
    .map(([file, source]) => ({ file, lines: (source.match(/\n/g) ?? []).length }))
    .sort((a, b) => a.lines - b.lines);
  const middle = sizes.length / 2;
  const median =
    sizes.length === 0
      ? 0
      : sizes.length % 2
        ? (sizes[Math.floor(middle)]?.lines ?? 0)
        : ((sizes[middle - 1]?.lines ?? 0) + (sizes[middle]?.lines ?? 0)) / 2;
  const last = sizes.at(-1);
  return { files: sizes.length, median, max: last?.lines ?? 0, largest: last?.file ?? "" };
}
