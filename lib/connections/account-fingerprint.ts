import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";

/** One bank account under a new account id (re-authentication). Keyed: reveals no number; its purpose keeps it apart
 * from AUTH_SECRET's other uses. */
export function accountFingerprint(
  number: { number?: string; sortCode?: string; iban?: string } | undefined,
) {
  const local = number?.number && number.sortCode ? `${number.sortCode}:${number.number}` : undefined;
  const value = (local ?? number?.iban)?.replace(/[\s-]/g, "").toUpperCase();
  if (!value) return null;
  return createHmac("sha256", env().AUTH_SECRET).update(`account-fingerprint\n${value}`).digest("hex");
}
