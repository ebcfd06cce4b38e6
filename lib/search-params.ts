/** A query parameter a page reads once: given twice (`?a=1&a=2`), its first value counts. */
export const firstParam = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;
