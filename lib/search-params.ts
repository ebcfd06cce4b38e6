import { isRecordId } from "@/lib/ids";

/** A query parameter a page reads once: given twice (`?a=1&a=2`), its first value counts. */
export const firstParam = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** The record ids a query parameter names (once or repeated), at most `limit`; anything else is dropped. */
export function recordIds(value: string | string[] | undefined, limit = 20): string[] {
  return [value ?? []].flat().filter(isRecordId).slice(0, limit);
}
