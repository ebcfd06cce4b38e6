import "server-only";
import { recordSecurityEvent } from "@/lib/security/events";
import {
  freeLinkSlot,
  LINK_PACE_S,
  limitMailToInboxVariants,
  limitNewAddressMail,
  limitSignInByDomain,
  limitSignInByIp,
  mailboxOf,
  pacedLinkSlot,
} from "@/lib/security/limits";
import type { RateLimitResult } from "@/lib/security/rate-limit";
import { findUserIdByEmail, hasAccount } from "@/lib/users/queries";
import { requestSignInLink } from "./sign-in-link";

export type LinkRequestOutcome =
  | { kind: "sent" }
  // Nothing sent, but a link from less than LINK_PACE_S ago is live in that inbox.
  | { kind: "recent"; retryAfterSeconds: number }
  | { kind: "refused"; budget: "network" | "inbox" | "domain" | "new_addresses"; retryAfterSeconds: number };

type Budget = Extract<LinkRequestOutcome, { kind: "refused" }>["budget"];

async function refusal(email: string, budget: Budget, r: RateLimitResult): Promise<LinkRequestOutcome> {
  await recordSecurityEvent({
    kind: "SIGN_IN_REFUSED",
    userId: await findUserIdByEmail(email),
    reason: `link_budget:${budget}`,
    subject: email,
    unauthenticated: true,
  });
  return { kind: "refused", budget, retryAfterSeconds: r.retryAfterSeconds };
}

/** Requester's budget first; nobody can lock an address out: free links, then one per pace window (decision 039). */
export async function askForSignInLink(
  email: string,
  requester: string | null,
  callbackUrl: string,
): Promise<LinkRequestOutcome> {
  if (requester) {
    const byIp = await limitSignInByIp(requester);
    if (!byIp.allowed) return refusal(email, "network", byIp);
  }
  if (!(await hasAccount(email))) {
    if (email !== mailboxOf(email)) {
      const variants = await limitMailToInboxVariants(email);
      if (!variants.allowed) return refusal(email, "inbox", variants);
    }
    const byDomain = await limitSignInByDomain(email);
    if (!byDomain.allowed) return refusal(email, "domain", byDomain);
    const byNew = await limitNewAddressMail();
    if (!byNew.allowed) return refusal(email, "new_addresses", byNew);
  }
  if ((await freeLinkSlot(email)).allowed) {
    await requestSignInLink(email, callbackUrl);
    return { kind: "sent" };
  }
  const paced = await pacedLinkSlot(email);
  if (!paced.allowed) return { kind: "recent", retryAfterSeconds: paced.retryAfterSeconds };
  await requestSignInLink(email, callbackUrl, 0);
  return { kind: "sent" };
}

export { LINK_PACE_S };
