import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

// The local tooling servers (this simulator and the demo's inbox) bind loopback, which stops other
// machines but not a web page: a page on evil.example can rebind its own name to 127.0.0.1 and then
// read these servers as its own origin (DNS rebinding). Its requests still say `Host: evil.example`,
// so only the loopback names on the server's own port are answered, and what a page must never
// drive (the simulator's controls, the inbox's JSON) also needs a per-run token a page cannot know.

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** The Host values this server answers: each loopback name with its own port. */
export function allowedHosts(port: number, extra: string[] = []): string[] {
  return [...LOOPBACK_NAMES, ...extra].map((name) => `${name}:${port}`);
}

export type Refusal = { status: 400 | 421; message: string };

/**
 * Why a request must not be answered, or undefined. Refused: a target in absolute form (its
 * authority would stand in for Host), no Host or more than one, and any Host not in `allowed`.
 * Names compare without case (a DNS name has none); nothing else is normalised.
 */
export function hostRefusal(req: IncomingMessage, allowed: string[]): Refusal | undefined {
  if (!req.url?.startsWith("/")) return { status: 400, message: "Only origin-form request targets." };
  const hosts = req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i]?.toLowerCase() === "host");
  const host = hosts.length === 1 ? req.headers.host?.toLowerCase() : undefined;
  if (host === undefined) return { status: 400, message: "Exactly one Host header, please." };
  if (!allowed.includes(host))
    return {
      status: 421,
      message: `This local server answers only ${allowed.map((h) => `http://${h}`).join(", ")}.`,
    };
  return undefined;
}

/** A fresh per-run token for a local server's private API. */
export function newLocalToken(): string {
  return randomBytes(32).toString("base64url");
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether a request header carries exactly this run's token (compared in constant time). */
export function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== "string" || given.length === 0 || token.length === 0) return false;
  return timingSafeEqual(digest(given), digest(token));
}
