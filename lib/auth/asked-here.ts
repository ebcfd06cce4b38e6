import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { cookieName, hostCookieOptions } from "@/lib/security/cookie-name";
import { LINK_MAX_AGE_MS } from "./sign-in-link";

// Session donation (issue 27 item 5, decision 039): keyed hashes of the addresses this browser asked a link for.
const BASE = "reconsent.asked";
const KEEP = 5;
const MARK = /^[\w-]{22}$/;

const markOf = (email: string) =>
  createHmac("sha256", env().AUTH_SECRET).update(`asked-here\n${email}`).digest("base64url").slice(0, 22);

export function marksIn(value: string | undefined): string[] {
  return (value ?? "").split(".").filter((m) => MARK.test(m));
}

export function askedIn(value: string | undefined, email: string): boolean {
  const wanted = Buffer.from(markOf(email));
  return marksIn(value).some((m) => timingSafeEqual(Buffer.from(m), wanted));
}

export async function rememberAskedHere(email: string): Promise<void> {
  const store = await cookies();
  const name = cookieName(BASE);
  const mark = markOf(email);
  const kept = marksIn(store.get(name)?.value)
    .filter((m) => m !== mark)
    .slice(0, KEEP - 1);
  store.set(name, [mark, ...kept].join("."), hostCookieOptions(LINK_MAX_AGE_MS / 1000));
}

export async function askedHere(email: string): Promise<boolean> {
  return askedIn((await cookies()).get(cookieName(BASE))?.value, email);
}

export function askedHereIn(cookieHeader: string | null, email: string): boolean {
  const name = cookieName(BASE);
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name && askedIn(decodeURIComponent(rest.join("=")), email)) return true;
  }
  return false;
}
