import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

// The purpose is part of what is signed, so this token can never stand in for any other use of AUTH_SECRET.
const PURPOSE = "reconsent:unsubscribe:reminders:v1";

function signature(userId: string): Buffer {
  return createHmac("sha256", env().AUTH_SECRET).update(`${PURPOSE}\n${userId}`).digest();
}

// Stops reminder emails without signing in; it does not expire.
export function unsubscribeToken(userId: string): string {
  return `${Buffer.from(userId).toString("base64url")}.${signature(userId).toString("base64url")}`;
}

export function verifyUnsubscribeToken(token: unknown): string | null {
  if (typeof token !== "string" || token.length > 512) return null;
  const [encodedUser, encodedSignature, extra] = token.split(".");
  if (!encodedUser || !encodedSignature || extra !== undefined) return null;
  const userId = Buffer.from(encodedUser, "base64url").toString("utf8");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(userId)) return null;
  const given = Buffer.from(encodedSignature, "base64url");
  const expected = signature(userId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return userId;
}

export function unsubscribeUrl(userId: string): string {
  const url = new URL("/unsubscribe", env().APP_URL);
  url.searchParams.set("token", unsubscribeToken(userId));
  return url.toString();
}
