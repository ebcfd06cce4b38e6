import "server-only";
import { checkRateLimit, type RateLimitResult, type RateLimitRule, waitInWords } from "./rate-limit";

// Generous for a person, small for a script; the mail limits keep us from being used to flood an inbox.
const HOUR = 60 * 60;
const TEN_MINUTES = 10 * 60;

// Spellings landing in one inbox share its budget (decision 039); the address is NFKC-folded (auth/email-address.ts).
const DOTLESS: Record<string, string> = { "gmail.com": "gmail.com", "googlemail.com": "gmail.com" };

export function mailboxOf(email: string): string {
  const at = email.lastIndexOf("@");
  const domain = email.slice(at + 1);
  const local = email.slice(0, at).split("+")[0] ?? "";
  const dotless = DOTLESS[domain];
  return dotless ? `${local.replaceAll(".", "")}@${dotless}` : `${local}@${domain}`;
}

// First, so requesters spend their own budget before a target's (decision 039); only behind a trusted proxy.
export const limitSignInByIp = (ip: string) =>
  checkRateLimit({ scope: "signin-ip", key: ip, limit: 20, windowSeconds: HOUR });

// Only for addresses with no account: far above a real domain's sign-ups, far below a flood of one company's staff.
export const limitSignInByDomain = (email: string) =>
  checkRateLimit({
    scope: "signin-domain",
    key: email.slice(email.lastIndexOf("@") + 1),
    limit: 300,
    windowSeconds: HOUR,
  });

// Existing users are never counted, so an attacker spending it on made-up addresses cannot stop them signing in.
export const limitNewAddressMail = () =>
  checkRateLimit({ scope: "signin-new-addresses", key: "all", limit: 1000, windowSeconds: HOUR });

// Made-up spellings with no account share one small budget; plain ones and accounts are only paced (decision 039).
export const limitMailToInboxVariants = (email: string) =>
  checkRateLimit({ scope: "signin-inbox-variants", key: mailboxOf(email), limit: 5, windowSeconds: HOUR });

/** Links that go out freely to one address each hour; after that, one per LINK_PACE_S, each retiring the older. */
export const FREE_LINKS_PER_HOUR = 3;
export const LINK_PACE_S = 10 * 60;

export const freeLinkSlot = (email: string) =>
  checkRateLimit({ scope: "signin-address", key: email, limit: FREE_LINKS_PER_HOUR, windowSeconds: HOUR });

export const pacedLinkSlot = (email: string) =>
  checkRateLimit({ scope: "signin-address-paced", key: email, limit: 1, windowSeconds: LINK_PACE_S });

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

// /callback exchanges, counted before TrueLayer: per trip owner, never per address, and in all (decision 044).
export const callbackExchangeBudget = (ownerId: string): RateLimitRule[] => [
  { scope: "callback-exchange-owner", key: ownerId, limit: 20, windowSeconds: TEN_MINUTES },
  { scope: "callback-exchange-all", key: "all", limit: 6000, windowSeconds: 60 },
];

// A data export reads everything a user has: plenty for a person, little for a script hammering the database.
export const limitDataExport = (userId: string) =>
  checkRateLimit({ scope: "export-user", key: userId, limit: 10, windowSeconds: HOUR });
