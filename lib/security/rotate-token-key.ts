import "server-only";
import { SEALED_SOURCES, type SealedSource } from "@/lib/connections/custody/sealed";
import { type Keyring, keyIdOf, open, seal } from "@/lib/crypto/token-seal";

/** Counts only: a rotation report never holds a token or a key. */
export type RotationCounts = {
  checked: number;
  rotated: number;
  current: number;
  skipped: number;
  unreadable: number;
};
export type RotationReport = Record<SealedSource["table"], RotationCounts>;

type Options = {
  batchSize?: number;
  /** Test seam: runs after each batch is read and before it is written. */
  afterRead?: (ids: string[]) => Promise<void>;
};

const counts = (): RotationCounts => ({ checked: 0, rotated: 0, current: 0, skipped: 0, unreadable: 0 });

function resealed(value: string | null, ring: Keyring): string | null {
  if (value === null || keyIdOf(value) === ring.currentKeyId) return value;
  return seal(open(value, ring), ring);
}

async function rotate(source: SealedSource, ring: Keyring, options: Options) {
  const out = counts();
  let cursor = "";
  for (;;) {
    const rows = await source.read(cursor, options.batchSize ?? 100);
    if (rows.length === 0) return out;
    cursor = rows[rows.length - 1]?.id ?? cursor;
    await options.afterRead?.(rows.map((r) => r.id));
    for (const row of rows) {
      out.checked++;
      let values: (string | null)[];
      try {
        values = row.values.map((v) => resealed(v, ring));
      } catch {
        out.unreadable++;
        continue;
      }
      if (values.every((v, n) => v === row.values[n])) out.current++;
      else if (await source.write(row, values, ring.currentKeyId)) out.rotated++;
      else out.skipped++;
    }
  }
}

// Idempotent, safe beside traffic: rows changed since read or held are skipped and counted (run again). Every table
// keeping a sealed value is covered, the revoke queue included.
export async function rotateTokenKey(ring: Keyring, options: Options = {}) {
  const report = {} as RotationReport;
  for (const source of SEALED_SOURCES) report[source.table] = await rotate(source, ring, options);
  return report;
}

export const valuesLeft = (report: RotationReport) =>
  Object.values(report).reduce((n, c) => n + c.skipped + c.unreadable, 0);
