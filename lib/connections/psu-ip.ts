import { isIP } from "node:net";

/**
 * The end user's IP for TrueLayer's X-PSU-IP header, from the request that carries them: the first
 * hop of X-Forwarded-For (the client, as Vercel and most proxies write it), else X-Real-IP. Anything
 * that is not a plain IP address is ignored rather than forwarded.
 */
export function psuIpFrom(headers: Pick<Headers, "get">): string | undefined {
  const candidates = [headers.get("x-forwarded-for")?.split(",")[0], headers.get("x-real-ip")];
  for (const raw of candidates) {
    const value = raw?.trim();
    if (value && isIP(value)) return value;
  }
  return undefined;
}
