import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { EmailAddress } from "@/lib/auth/email-address";
import { env } from "@/lib/env";

let key: Buffer | undefined;

function subjectKey(): Buffer {
  const config = env();
  key ??= config.CONSENT_SUBJECT_KEY
    ? Buffer.from(config.CONSENT_SUBJECT_KEY, "utf8")
    : Buffer.from(hkdfSync("sha256", config.AUTH_SECRET, "", "reconsent consent-subject v1", 32));
  return key;
}

/** Normalised as sign-in does, so the operator can answer for an address however it is typed. */
export function normaliseEmail(email: string): string {
  const parsed = EmailAddress.safeParse(email);
  return parsed.success ? parsed.data : email.normalize("NFKC").trim().toLowerCase();
}

/** The pseudonym consent records carry instead of a name or email: HMAC-SHA-256, hex. */
export function consentSubject(email: string): string {
  return createHmac("sha256", subjectKey()).update(normaliseEmail(email), "utf8").digest("hex");
}
