export type CallbackParams = {
  code?: string | null;
  /** TrueLayer's extensions page names the extend return's code `exchange_code`; its guide says `code`. */
  exchange_code?: string | null;
  state?: string | null;
  error?: string | null;
};

export const CALLBACK_FIELDS = ["code", "exchange_code", "state", "error"] as const;

// Codes and states are short: caps keep a return cookie-sized (4 KB sealed); oversize is a broken link, not stored.
const MAX_LENGTH: Record<(typeof CALLBACK_FIELDS)[number], number> = {
  code: 1024,
  exchange_code: 1024,
  state: 128,
  error: 64,
};

export function callbackParamsFrom(get: (field: string) => string | null | undefined): CallbackParams {
  const params: CallbackParams = {};
  for (const field of CALLBACK_FIELDS) {
    const value = get(field);
    if (typeof value === "string" && value.length > 0 && value.length <= MAX_LENGTH[field])
      params[field] = value;
  }
  return params;
}
