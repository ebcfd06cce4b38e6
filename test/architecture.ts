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

/** Tables outside the store with one writer module each (its Prisma delegate beside it). */
export const OWNED_TABLES: Record<string, { writer: string; delegate: string }> = {
  OperatorAlert: { writer: "lib/alerts/outbox.ts", delegate: "operatorAlert" },
  ScheduledRun: { writer: "lib/readiness/runs.ts", delegate: "scheduledRun" },
};

export type Violation = { file: string; rule: string; line: number };

/** Anything but the owner writing an owned table, by SQL or through Prisma; tests included. */
export function ownedTableViolations(file: string, source: string): Violation[] {
  const out: Violation[] = [];
  for (const [table, { writer, delegate: name }] of Object.entries(OWNED_TABLES)) {
    if (file === writer) continue;
    for (const m of source.matchAll(WRITE_SQL))
      if (m[2] === table)
        out.push({ file, line: lineAt(source, m.index ?? 0), rule: `writes ${table} outside ${writer}` });
    for (const m of source.matchAll(delegate(name)))
      if (WRITES.test(m[1] ?? ""))
        out.push({ file, line: lineAt(source, m.index ?? 0), rule: `writes ${table} outside ${writer}` });
  }
  return out;
}

const isTest = (file: string) =>
  /\.test\.tsx?$/.test(file) ||
  /^(e2e|test)\//.test(file) ||
  /^scripts\/load-reconfirm(-http)?\.ts$/.test(file);

function importsOf(source: string): { spec: string; line: number }[] {
  const out: { spec: string; line: number }[] = [];
  source.split("\n").forEach((text, i) => {
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|^\s*import\s+)["']([^"']+)["']/g)) {
      if (m[1]) out.push({ spec: m[1], line: i + 1 });
    }
  });
  return out;
}

/** Where an import points, as a path from the repository root (aliases, relative paths, extensions resolved). */
function target(file: string, spec: string): string {
  const clean = (path: string) => path.replace(/\.(tsx?|mjs|js)$/, "").replace(/\/index$/, "");
  if (spec.startsWith("@/")) return clean(spec.slice(2));
  if (!spec.startsWith(".")) return `node_modules/${spec}`;
  const parts = file.split("/").slice(0, -1);
  for (const piece of spec.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== ".") parts.push(piece);
  }
  return clean(parts.join("/"));
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

// Across line breaks: `UPDATE` on one line and its table on the next is still a write.
const WRITE_SQL = /\b(insert\s+into|update|delete\s+from|truncate)\s+(?:"?[\w${}.]+"?\.)?"?(\w+)"?/gi;
const ANY_SQL = /"(\w+)"/g;
// A Prisma delegate chain, also when broken across lines (`prisma\n  .connection\n  .update(`).
const delegate = (name: string) => new RegExp(`\\.\\s*${name}\\s*\\.\\s*(\\w+)\\s*\\(`, "g");
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
  for (const m of source.matchAll(WRITE_SQL)) {
    const table = m[2] ?? "";
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
