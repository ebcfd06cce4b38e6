// Just enough of SQL's lexical rules to read migrations: comments, quotes and dollar-quoted bodies.

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
export function actions(text: string): string[] {
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
