import "server-only";
import { readFileSync, statSync } from "node:fs";

/**
 * The app's only source of "now". In demo and test mode the clock can be moved (so a consent can be
 * 80 or 95 days old without waiting): in-process for unit tests, or through CLOCK_FILE for a running
 * server. In production both are refused.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

let inProcessOffsetMs = 0;
let fileCache: { path: string; mtimeMs: number; offsetMs: number } | undefined;

function productionMode(): boolean {
  const mode = process.env.RECONSENT_MODE;
  if (mode === "demo" || mode === "test") return false;
  return mode === "production" || process.env.NODE_ENV === "production" || Boolean(process.env.VERCEL);
}

function fileOffsetMs(): number {
  const path = process.env.CLOCK_FILE;
  if (!path || productionMode()) return 0;
  try {
    const { mtimeMs } = statSync(path);
    if (fileCache?.path === path && fileCache.mtimeMs === mtimeMs) return fileCache.offsetMs;
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    const offsetMs =
      typeof parsed === "object" &&
      parsed !== null &&
      "offsetMs" in parsed &&
      typeof parsed.offsetMs === "number"
        ? parsed.offsetMs
        : 0;
    fileCache = { path, mtimeMs, offsetMs };
    return offsetMs;
  } catch {
    return 0;
  }
}

export function now(): Date {
  return new Date(Date.now() + inProcessOffsetMs + fileOffsetMs());
}

/** Moves this process's clock. Refused in production. */
export function setClockOffset(offsetMs: number): void {
  if (productionMode()) throw new Error("The clock cannot be moved in production.");
  inProcessOffsetMs = offsetMs;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}
