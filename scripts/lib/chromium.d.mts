import type { AptFacts, AptPlan } from "./apt-package.mjs";

export function chromiumPath(): string | null;
export const CHROMIUM_ARGS: string[];
export type ChromiumFacts = AptFacts;
export type ChromiumPlan = AptPlan;
export function chromiumPlan(facts: ChromiumFacts): ChromiumPlan;
export function machineFacts(): ChromiumFacts;
export function ensureChromium(options?: {
  facts?: ChromiumFacts;
  run?: (command: string, args: string[], logFile: string) => number | null;
  recheck?: () => string | null;
  say?: (line: string) => void;
  logFile?: string;
}): { path: string; problem?: undefined } | { problem: string; path?: undefined };
