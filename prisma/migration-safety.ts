import { type ColumnType, widens } from "./column-types";
import { actions, statements } from "./sql-statements";

export type { ColumnType } from "./column-types";

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
