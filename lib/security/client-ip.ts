import "server-only";
import { isIP } from "node:net";
import { headers } from "next/headers";
import { env } from "@/lib/env";

// Each trusted proxy (`TRUSTED_PROXY_HOPS`) appends the address it saw, so the client is that many from the right;
// anything further left is client-sent. Without a trusted proxy nothing can be believed (Next passes a client's
// X-Forwarded-For through), so per-IP limits are off.
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
