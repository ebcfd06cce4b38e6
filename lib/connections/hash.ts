import "server-only";
import { createHash } from "node:crypto";

/** How states and codes are stored: only their SHA-256, so a database leak cannot replay them. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
