import "server-only";
import { isIP } from "node:net";
import { headers } from "next/headers";
import { env } from "@/lib/env";

/**
 * The client's address, only where the deployment says a proxy it trusts wrote it
 * (`TRUSTED_PROXY_HOPS`; on Vercel the platform overwrites X-Forwarded-For with the client's address,
 * so one hop is trusted by default). Each trusted proxy appends the address it saw, so the client
 * is the entry that many places from the right; anything to its left was sent by the client and is
 * ignored. With no trusted proxy there is no address we can believe: Next passes a client-sent
 * X-Forwarded-For through unchanged, so per-IP limits are off and the other limits carry the load.
 */
export function clientIpFrom(forwardedFor: string | null, trustedHops: number): string | null {
  if (trustedHops < 1 || !forwardedFor) return null;
  const hops = forwardedFor.split(",").map((hop) => hop.trim());
  const candidate = hops[hops.length - trustedHops];
  if (!candidate || !isIP(candidate)) return null;
  return candidate.toLowerCase();
}

export function clientIpOf(list: Pick<Headers, "get">): string | null {
  return clientIpFrom(list.get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
}

export async function clientIp(): Promise<string | null> {
  return clientIpOf(await headers());
}
