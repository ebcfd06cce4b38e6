// The expand/contract rule for migrations (docs/decisions/037-expand-contract-migrations.md): a migration
// runs while the previous deployment still serves traffic, so it must not take away what that code uses.

export type Rule =
  | "drop-table"
  | "drop-column"
  | "rename-table"
  | "rename-column"
  | "narrow-type"
  | "set-not-null"
  | "add-required-column"
  | "dynamic-ddl";
export type Breach = { rule: Rule; detail: string; statement: string };
export type ColumnType = {
  dataType: string;
  length: number | null;
  precision: number | null;
  scale: number | null;
  datetimePrecision: number | null;
};
/** The columns before a migration runs, keyed "table.column". */
export type Columns = Map<string, ColumnType>;

/** The line that marks a migration as the contract step of an earlier, already shipped expand. */
export const CONTRACT_MARKER = /^-- contract-of: (\d{14}_[a-z0-9_]+)\s*$/;

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const NAME = String.raw`${IDENT}(?:\.${IDENT})?`;
const NOT_A_COLUMN = String.raw`(?!(?:CONSTRAINT|DEFAULT|IDENTITY|EXPRESSION)\b)(?!NOT\s+NULL\b)`;

function unquote(name: string): string {
  const last = name.match(new RegExp(`${IDENT}$`))?.[0] ?? name;
  return last.startsWith('"') ? last.slice(1, -1).replaceAll('""', '"') : last.toLowerCase();
}

/** Statements without comments, split at semicolons outside quotes and dollar-quoted bodies. */
export function statements(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const dollar = /^\$[A-Za-z_]*\$/.exec(rest)?.[0];
    if (rest.startsWith("--")) i = sql.indexOf("\n", i) === -1 ? sql.length : sql.indexOf("\n", i);
    else if (rest.startsWith("/*")) i = sql.indexOf("*/", i) === -1 ? sql.length : sql.indexOf("*/", i) + 2;
    else if (rest[0] === "'" || rest[0] === '"' || dollar) {
      const close = dollar ?? rest[0] ?? "";
      const end = sql.indexOf(close, i + close.length);
      const stop = end === -1 ? sql.length : end + close.length;
      current += sql.slice(i, stop);
      i = stop;
    } else if (rest[0] === ";") {
      out.push(current);
      current = "";
      i++;
    } else {
      current += rest[0];
      i++;
    }
  }
  out.push(current);
  return out.map((s) => s.replace(/\s+/g, " ").trim()).filter(Boolean);
}

/** Splits an ALTER TABLE's actions at commas outside parentheses and quotes. */
function actions(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (const ch of text) {
    if (quote) quote = ch === quote ? null : quote;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts;
}

type Parsed = { family: string; rank: number; length?: number; precision?: number; scale?: number };

const FAMILIES: [RegExp, string, number][] = [
  [/^(SMALLINT|INT2)$/, "integer", 1],
  [/^(INTEGER|INT|INT4|SERIAL)$/, "integer", 2],
  [/^(BIGINT|INT8|BIGSERIAL)$/, "integer", 3],
  [/^(REAL|FLOAT4)$/, "float", 1],
  [/^(DOUBLE PRECISION|FLOAT8)$/, "float", 2],
  [/^(CHARACTER|CHAR|BPCHAR)$/, "text", 1],
  [/^(CHARACTER VARYING|VARCHAR)$/, "text", 2],
  [/^TEXT$/, "text", 3],
  [/^(NUMERIC|DECIMAL)$/, "numeric", 1],
  [/^(TIMESTAMP|TIMESTAMP WITHOUT TIME ZONE)$/, "timestamp", 1],
  [/^(TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)$/, "timestamptz", 1],
];

function parseType(text: string): Parsed {
  const match = /^([A-Za-z ]+?)\s*(?:\((\d+)(?:\s*,\s*(\d+))?\))?(\s+WITH(?:OUT)? TIME ZONE)?$/i.exec(
    text.trim(),
  );
  const base = `${match?.[1] ?? text}${match?.[4] ?? ""}`.toUpperCase().replace(/\s+/g, " ").trim();
  const [, family, rank] = FAMILIES.find(([re]) => re.test(base)) ?? [null, base, 0];
  const first = match?.[2] === undefined ? undefined : Number(match[2]);
  const second = match?.[3] === undefined ? undefined : Number(match[3]);
  if (family === "numeric")
    return { family, rank, precision: first, scale: second ?? (first === undefined ? undefined : 0) };
  if (family === "timestamp" || family === "timestamptz") return { family, rank, precision: first ?? 6 };
  return { family, rank, length: first };
}

function fromCatalog(column: ColumnType): Parsed {
  const parsed = parseType(column.dataType);
  if (parsed.family === "numeric")
    return { ...parsed, precision: column.precision ?? undefined, scale: column.scale ?? undefined };
  if (parsed.family.startsWith("timestamp")) return { ...parsed, precision: column.datetimePrecision ?? 6 };
  return { ...parsed, length: column.length ?? undefined };
}

/** Whether every value of the old type fits the new one unchanged; unknown pairs count as narrowing. */
export function widens(before: ColumnType, afterText: string): boolean {
  const old = fromCatalog(before);
  const next = parseType(afterText);
  if (old.family !== next.family) return false;
  if (old.family === "text") {
    if (next.rank === 3) return true;
    if (next.rank < old.rank || old.rank === 3) return false;
    return next.length === undefined || (old.length !== undefined && next.length >= old.length);
  }
  if (old.family === "numeric") {
    if (next.precision === undefined) return true;
    if (old.precision === undefined) return false;
    const digits = (p: Parsed) => (p.precision ?? 0) - (p.scale ?? 0);
    return (next.scale ?? 0) >= (old.scale ?? 0) && digits(next) >= digits(old);
  }
  if (old.family.startsWith("timestamp")) return (next.precision ?? 6) >= (old.precision ?? 6);
  if (old.rank > 0) return next.rank >= old.rank;
  return afterText.trim().toUpperCase() === before.dataType.toUpperCase();
}

function alterTableBreaches(table: string, rest: string, statement: string, columns: Columns): Breach[] {
  const found = (rule: Rule, detail: string): Breach => ({ rule, detail, statement });
  if (/^RENAME TO /i.test(rest) || /^SET SCHEMA /i.test(rest))
    return [found("rename-table", `moves table ${table}`)];
  const renamed = new RegExp(`^RENAME (?:COLUMN )?(?!CONSTRAINT\\b)(${IDENT}) TO `, "i").exec(rest);
  if (renamed?.[1]) return [found("rename-column", `renames column ${table}.${unquote(renamed[1])}`)];
  const breaches: Breach[] = [];
  for (const action of actions(rest)) {
    const dropped = new RegExp(`^DROP ${NOT_A_COLUMN}(?:COLUMN )?(?:IF EXISTS )?(${IDENT})`, "i").exec(
      action,
    );
    if (dropped?.[1]) breaches.push(found("drop-column", `drops column ${table}.${unquote(dropped[1])}`));
    const typed = new RegExp(
      `^ALTER (?:COLUMN )?(${IDENT}) (?:SET DATA )?TYPE (.+?)(?: USING .*| COLLATE .*)?$`,
      "i",
    ).exec(action);
    if (typed?.[1] && typed[2]) {
      const column = unquote(typed[1]);
      const before = columns.get(`${table}.${column}`);
      if (!before || !widens(before, typed[2]))
        breaches.push(
          found(
            "narrow-type",
            `changes ${table}.${column} from ${before?.dataType ?? "an unknown type"} to ${typed[2]}`,
          ),
        );
    }
    const notNull = new RegExp(`^ALTER (?:COLUMN )?(${IDENT}) SET NOT NULL`, "i").exec(action);
    if (notNull?.[1]) breaches.push(found("set-not-null", `makes ${table}.${unquote(notNull[1])} required`));
    const added = new RegExp(
      `^ADD (?!(?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|EXCLUDE)\\b)(?:COLUMN )?(?:IF NOT EXISTS )?(${IDENT}) (.*)$`,
      "i",
    ).exec(action);
    if (
      added?.[1] &&
      /\bNOT NULL\b/i.test(added[2] ?? "") &&
      !/\b(DEFAULT|GENERATED|SERIAL|BIGSERIAL)\b/i.test(added[2] ?? "")
    )
      breaches.push(
        found("add-required-column", `adds required column ${table}.${unquote(added[1])} without a default`),
      );
  }
  return breaches;
}

/** What in `sql` would break the code still running while it migrates. */
export function breachesIn(sql: string, columns: Columns = new Map()): Breach[] {
  return statements(sql).flatMap((statement): Breach[] => {
    const dropTable = /^DROP TABLE (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$/i.exec(statement);
    if (dropTable?.[1])
      return actions(dropTable[1]).map((name) => ({
        rule: "drop-table",
        detail: `drops table ${unquote(name)}`,
        statement,
      }));
    const alter = new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${NAME})\\s*\\*? (.*)$`, "i").exec(
      statement,
    );
    if (alter?.[1] && alter[2]) return alterTableBreaches(unquote(alter[1]), alter[2], statement, columns);
    if (/^DO /i.test(statement) && /\b(DROP|RENAME|ALTER)\b/i.test(statement))
      return [
        {
          rule: "dynamic-ddl",
          detail: "changes tables inside a DO block, which this check cannot read",
          statement,
        },
      ];
    return [];
  });
}

export type Migration = { name: string; sql: string };

/** The rule's verdict on a folder of migrations, oldest first: one line per refused migration. */
export function checkMigrations(
  migrations: Migration[],
  shipped: readonly string[],
  columnsBefore: (index: number) => Columns,
): string[] {
  const names = migrations.map((m) => m.name);
  return migrations.flatMap(({ name, sql }, index) => {
    if (shipped.includes(name)) return [];
    const breaches = breachesIn(sql, columnsBefore(index));
    if (breaches.length === 0) return [];
    const firstLine = sql.split("\n").find((line) => line.trim() !== "") ?? "";
    const expand = CONTRACT_MARKER.exec(firstLine.trim())?.[1];
    if (expand && names.indexOf(expand) >= 0 && names.indexOf(expand) < index) return [];
    const what = breaches.map((b) => b.detail).join("; ");
    if (expand)
      return [`${name} names ${expand} as its expand, but no earlier migration has that name (${what})`];
    return [
      `${name} ${what}: the previous deployment still uses it while this migrates. Ship the expand first, then mark this as its contract step with a first line "-- contract-of: <expand migration>".`,
    ];
  });
}
