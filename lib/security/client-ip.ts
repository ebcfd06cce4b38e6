import "server-only";
import { headers } from "next/headers";

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client's address as the hosting proxy reports it: the first hop of X-Forwarded-For (Vercel sets
 * the header itself, so a client cannot choose it there), else X-Real-IP. Null when unknown or
 * loopback: then there is no proxy in front telling us who the client is, and a per-IP limit would
 * lump every visitor together.
 */
export function clientIpFrom(forwardedFor: string | null, realIp: string | null): string | null {
  const first = (forwardedFor?.split(",")[0] ?? realIp ?? "").trim().slice(0, 64);
  if (!first || LOOPBACK.test(first)) return null;
  return first.toLowerCase();
}

export async function clientIp(): Promise<string | null> {
  const list = await headers();
  return clientIpFrom(list.get("x-forwarded-for"), list.get("x-real-ip"));
}
