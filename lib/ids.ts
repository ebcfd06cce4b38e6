import { randomBytes } from "node:crypto";

/** Our record ids are cuids (tests use "c_<uuid>"); anything else is not ours and never reaches a query. */
const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isRecordId(value: unknown): value is string {
  return typeof value === "string" && RECORD_ID.test(value);
}

let counter = 0;

// Prisma's `cuid()` default only runs in its client. Time and a per-process counter come first, fixed width, so
// ids made by one process sort in the order they were made.
export function newId(): string {
  counter = (counter + 1) % 36 ** 4;
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, "0");
  return `c${Date.now().toString(36).padStart(9, "0")}${counter.toString(36).padStart(4, "0")}${random}`;
}
