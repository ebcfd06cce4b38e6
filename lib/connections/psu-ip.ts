import "server-only";
import { clientIpOf } from "@/lib/security/client-ip";

// Only an address a trusted proxy reported (lib/security/client-ip.ts), never one the client chose.
export function psuIpFrom(headers: Pick<Headers, "get">): string | undefined {
  return clientIpOf(headers) ?? undefined;
}
