/** Our record ids are cuids (tests use "c_<uuid>"); anything else is not ours and never reaches a query. */
const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isRecordId(value: unknown): value is string {
  return typeof value === "string" && RECORD_ID.test(value);
}
