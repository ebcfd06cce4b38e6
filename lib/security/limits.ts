import "server-only";
import { checkRateLimit, type RateLimitResult, type RateLimitRule, waitInWords } from "./rate-limit";

// The limits, in one place. Generous for a person, small for a script: a user connects or renews a
// handful of banks a year; the mail limits keep us from being used to flood an inbox.
const HOUR = 60 * 60;
const TEN_MINUTES = 10 * 60;

export const limitSignInByAddress = (email: string) =>
  checkRateLimit({ scope: "signin-address", key: email, limit: 5, windowSeconds: HOUR });

export const limitSignInByIp = (ip: string) =>
  checkRateLimit({ scope: "signin-ip", key: ip, limit: 20, windowSeconds: HOUR });

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
