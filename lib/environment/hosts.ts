import { isIP } from "node:net";

const RESERVED_SUFFIXES = [".localhost", ".test", ".example", ".invalid", ".local", ".internal"];
const RESERVED_DOMAINS = ["example.com", "example.net", "example.org"];

const bare = (hostname: string) =>
  hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");

function ipv4Octets(host: string): number[] | null {
  const mapped = host.startsWith("::ffff:") ? host.slice(7) : host;
  return isIP(mapped) === 4 ? mapped.split(".").map(Number) : null;
}

/** localhost, 127.0.0.0/8, ::1 and the unspecified addresses: only this machine answers there. */
export function isThisMachine(hostname: string): boolean {
  const host = bare(hostname);
  if (host === "localhost" || host.endsWith(".localhost") || host === "::1" || host === "::") return true;
  const v4 = ipv4Octets(host);
  return v4 !== null && (v4[0] === 127 || v4[0] === 0);
}

/** Names no deployment can own (RFC 2606, RFC 6761, mDNS and the private-use .internal). */
export function isReservedName(hostname: string): boolean {
  const host = bare(hostname);
  if (isIP(host)) return false;
  return (
    RESERVED_SUFFIXES.some((suffix) => host === suffix.slice(1) || host.endsWith(suffix)) ||
    RESERVED_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))
  );
}

export function isPrivateAddress(hostname: string): boolean {
  const host = bare(hostname);
  const v4 = ipv4Octets(host);
  if (v4) {
    const [a = 0, b = 0] = v4;
    return (
      a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
    );
  }
  return isIP(host) === 6 && /^(f[cd]|fe[89ab])/.test(host);
}

export function notPublic(hostname: string, { privateAllowed = true } = {}): string | null {
  if (isThisMachine(hostname)) return "points at this machine";
  if (isReservedName(hostname)) return `uses the reserved name ${bare(hostname)}`;
  if (!privateAllowed && isPrivateAddress(hostname)) return "points at a private network address";
  return null;
}
