import pg from "pg";

const NAME_OID = 19;
const NAME_ARRAY_OID = 1003;
const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;

type Field = { dataTypeID: number };
type Result = { fields?: Field[] };
type Callback = (err: Error | null, res: Result) => void;

function asText(result: Result): Result {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
    if (field.dataTypeID === NAME_ARRAY_OID) field.dataTypeID = TEXT_ARRAY_OID;
  }
  return result;
}

/**
 * A pool for the Prisma CLI only. adapter-pg cannot map PostgreSQL's catalog type `name`
 * (prisma/orm#27403), which the migrate engine reads; report it as text instead.
 * The app's runtime pool needs none of this.
 */
export function migrationPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString });
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    const patched = (...args: unknown[]): unknown => {
      const last = args.at(-1);
      if (typeof last === "function") {
        const callback = last as Callback;
        args[args.length - 1] = (err: Error | null, res: Result) => callback(err, err ? res : asText(res));
        return original(...args);
      }
      const out = original(...args);
      return out instanceof Promise ? out.then((res: Result) => asText(res)) : out;
    };
    Object.assign(client, { query: patched });
  });
  return pool;
}
