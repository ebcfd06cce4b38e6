import "server-only";
import { readFileSync, statSync } from "node:fs";
import { env } from "./env";

// The only source of "now": movable in demo and test mode (in-process, or through CLOCK_FILE), never in production.

const DAY_MS = 24 * 60 * 60 * 1000;

let inProcessOffsetMs = 0;
let fileCache: { path: string; mtimeMs: number; offsetMs: number } | undefined;

function fileOffsetMs(): number {
  const { CLOCK_FILE: path, isProduction } = env();
  if (!path || isProduction) return 0;
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

export function setClockOffset(offsetMs: number): void {
  if (env().isProduction) throw new Error("The clock cannot be moved in production.");
  inProcessOffsetMs = offsetMs;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}
