import "server-only";
import { clientIpOf } from "@/lib/security/client-ip";

/**
 * The end user's IP for TrueLayer's X-PSU-IP header, from the request that carries them: the address a
 * trusted proxy reported (lib/security/client-ip.ts), never one the client chose.
 */
export function psuIpFrom(headers: Pick<Headers, "get">): string | undefined {
  return clientIpOf(headers) ?? undefined;
}
