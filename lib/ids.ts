import { randomBytes } from "node:crypto";

/** Our record ids are cuids (tests use "c_<uuid>"); anything else is not ours and never reaches a query. */
const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isRecordId(value: unknown): value is string {
  return typeof value === "string" && RECORD_ID.test(value);
}

let counter = 0;
let pool = Buffer.alloc(0);
let used = 0;

function random64(): bigint {
  if (used === pool.length) {
    pool = randomBytes(8 * 128);
    used = 0;
  }
  used += 8;
  return pool.readBigUInt64BE(used - 8);
}

// Prisma's `cuid()` runs only in its client. Fixed-width time and per-process counter first: one process's ids sort.
export function newId(): string {
  counter = (counter + 1) % 36 ** 4;
  const random = random64().toString(36).padStart(13, "0");
  return `c${Date.now().toString(36).padStart(9, "0")}${counter.toString(36).padStart(4, "0")}${random}`;
}
