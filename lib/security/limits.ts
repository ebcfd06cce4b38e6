import "server-only";
import { checkRateLimit, type RateLimitResult, type RateLimitRule, waitInWords } from "./rate-limit";

// The limits, in one place. Generous for a person, small for a script: a user connects or renews a
// handful of banks a year; the mail limits keep us from being used to flood an inbox.
const HOUR = 60 * 60;
const TEN_MINUTES = 10 * 60;

/**
 * One mailbox's budget: `a+x@example.com` and `a@example.com` are distinct accounts, but their mail
 * lands in one inbox, so they share it.
 */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at).split("+")[0] ?? "";
  return `${local}${email.slice(at)}`;
}

export const limitSignInByMailbox = (email: string) =>
  checkRateLimit({ scope: "signin-mailbox", key: mailboxOf(email), limit: 5, windowSeconds: HOUR });

/** One domain's budget: far above a real domain's sign-ins, far below a flood of one company's staff. */
export const limitSignInByDomain = (email: string) =>
  checkRateLimit({
    scope: "signin-domain",
    key: email.slice(email.lastIndexOf("@") + 1),
    limit: 300,
    windowSeconds: HOUR,
  });

/** Only where a trusted proxy reports the address (lib/security/client-ip.ts). */
export const limitSignInByIp = (ip: string) =>
  checkRateLimit({ scope: "signin-ip", key: ip, limit: 20, windowSeconds: HOUR });

/**
 * All mail to addresses with no account yet, across every instance. Existing users are never
 * counted against it, so an attacker who spends it on made-up addresses cannot stop them signing in;
 * only new sign-ups wait, and are told so.
 */
export const limitNewAddressMail = () =>
  checkRateLimit({ scope: "signin-new-addresses", key: "all", limit: 1000, windowSeconds: HOUR });

export const limitConnect = (userId: string) =>
  checkRateLimit({ scope: "connect-user", key: userId, limit: 10, windowSeconds: TEN_MINUTES });

export const reconfirmLimit = (userId: string): RateLimitRule => ({
  scope: "reconfirm-user",
  key: userId,
  limit: 10,
  windowSeconds: TEN_MINUTES,
});

export const limitReconfirm = (userId: string) => checkRateLimit(reconfirmLimit(userId));

/** The form message for a refused attempt (forms show it with role="alert"). */
export function tooManyMessage(what: string, result: RateLimitResult): string {
  return `${what} Please try again in ${waitInWords(result.retryAfterSeconds)}.`;
}

/**
 * Returns to /callback that match no state of ours while no bank trip is under way: answered without
 * calling TrueLayer, and counted per trusted address. Never real returns: a renewal spike from one
 * carrier's address, or many phones behind it, is not slowed.
 */
export const limitUnmatchedReturn = (ip: string) =>
  checkRateLimit({ scope: "callback-unmatched-ip", key: ip, limit: 30, windowSeconds: TEN_MINUTES });
