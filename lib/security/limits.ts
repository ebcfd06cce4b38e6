import "server-only";
import { checkRateLimit, type RateLimitResult, type RateLimitRule, waitInWords } from "./rate-limit";

// Generous for a person, small for a script; the mail limits keep us from being used to flood an inbox.
const HOUR = 60 * 60;
const TEN_MINUTES = 10 * 60;

// `a+x@example.com` and `a@example.com` are distinct accounts whose mail lands in one inbox, so they share it.
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at).split("+")[0] ?? "";
  return `${local}${email.slice(at)}`;
}

export const limitSignInByMailbox = (email: string) =>
  checkRateLimit({ scope: "signin-mailbox", key: mailboxOf(email), limit: 5, windowSeconds: HOUR });

// Far above a real domain's sign-ins, far below a flood of one company's staff.
export const limitSignInByDomain = (email: string) =>
  checkRateLimit({
    scope: "signin-domain",
    key: email.slice(email.lastIndexOf("@") + 1),
    limit: 300,
    windowSeconds: HOUR,
  });

// Only where a trusted proxy reports the address (lib/security/client-ip.ts).
export const limitSignInByIp = (ip: string) =>
  checkRateLimit({ scope: "signin-ip", key: ip, limit: 20, windowSeconds: HOUR });

// Existing users are never counted, so an attacker spending it on made-up addresses cannot stop them signing in.
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

export function tooManyMessage(what: string, result: RateLimitResult): string {
  return `${what} Please try again in ${waitInWords(result.retryAfterSeconds)}.`;
}

// Code exchanges from /callback, counted before TrueLayer is called: per trip owner (never per address: carrier NAT
// puts many phones behind one), and for everyone together well above the renewal spike the bench measures
// (2,000 renewals within a minute or two).
export const callbackExchangeBudget = (ownerId: string): RateLimitRule[] => [
  { scope: "callback-exchange-owner", key: ownerId, limit: 20, windowSeconds: TEN_MINUTES },
  { scope: "callback-exchange-all", key: "all", limit: 6000, windowSeconds: 60 },
];

// A data export reads everything a user has: plenty for a person, little for a script hammering the database.
export const limitDataExport = (userId: string) =>
  checkRateLimit({ scope: "export-user", key: userId, limit: 10, windowSeconds: HOUR });
