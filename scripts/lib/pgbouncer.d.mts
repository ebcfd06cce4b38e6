import type { AptFacts, AptPlan } from "./apt-package.mjs";

export type PgbouncerFacts = AptFacts;
export type PgbouncerPlan = AptPlan;
export function pgbouncerPath(): string | null;
export function pgbouncerPlan(facts: PgbouncerFacts): PgbouncerPlan;
export function machineFacts(): PgbouncerFacts;
export function ensurePgbouncer(options?: {
  facts?: PgbouncerFacts;
  run?: (command: string, args: string[], logFile: string) => number | null;
  recheck?: () => string | null;
  say?: (line: string) => void;
  logFile?: string;
}): { path: string; problem?: undefined } | { path?: undefined; problem: string };
export function pgbouncerConfig(options: { upstream: string; port: number; authFile: string }): string;
export function startPgbouncer(options: {
  binary: string;
  upstream: string;
}): Promise<{ url: string; port: number; log: string; stop(): Promise<void> }>;
