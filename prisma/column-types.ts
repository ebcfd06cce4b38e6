// Whether a column's type change keeps every value the old type held (decision 037).

export type ColumnType = {
  dataType: string;
  length: number | null;
  precision: number | null;
  scale: number | null;
  datetimePrecision: number | null;
};

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
