import "server-only";
import { isIP } from "node:net";
import { headers } from "next/headers";
import { env } from "@/lib/env";

// Each trusted proxy (`TRUSTED_PROXY_HOPS`) appends what it saw, so the client is that many from the right; further
// left is client-sent. Without one, nothing is believable (Next passes X-Forwarded-For on): per-IP limits are off.
export function clientIpFrom(forwardedFor: string | null, trustedHops: number): string | null {
  if (trustedHops < 1 || !forwardedFor) return null;
  const hops = forwardedFor.split(",").map((hop) => hop.trim());
  const candidate = hops[hops.length - trustedHops];
  if (!candidate || !isIP(candidate)) return null;
  return candidate.toLowerCase();
}

/** A platform header (CLIENT_IP_HEADER) that the platform sets to the one address it saw. */
export function clientIpFromPlatformHeader(value: string | null): string | null {
  const candidate = value?.trim() ?? "";
  return isIP(candidate) ? candidate.toLowerCase() : null;
}

export function clientIpOf(list: Pick<Headers, "get">): string | null {
  const { CLIENT_IP_HEADER, TRUSTED_PROXY_HOPS } = env();
  return CLIENT_IP_HEADER
    ? clientIpFromPlatformHeader(list.get(CLIENT_IP_HEADER))
    : clientIpFrom(list.get("x-forwarded-for"), TRUSTED_PROXY_HOPS);
}

export async function clientIp(): Promise<string | null> {
  return clientIpOf(await headers());
}
