export function chromiumPath(): string | null;
export const CHROMIUM_ARGS: string[];
export type ChromiumFacts = {
  found: string | null;
  isRoot: boolean;
  passwordlessSudo: boolean;
  hasAptGet: boolean;
};
export type ChromiumPlan =
  | { kind: "found"; path: string }
  | { kind: "install"; commands: string[][]; advice: string }
  | { kind: "cannot"; advice: string };
export function chromiumPlan(facts: ChromiumFacts): ChromiumPlan;
export function machineFacts(): ChromiumFacts;
export function ensureChromium(options?: {
  facts?: ChromiumFacts;
  run?: (command: string, args: string[], logFile: string) => number | null;
  recheck?: () => string | null;
  say?: (line: string) => void;
  logFile?: string;
}): { path: string; problem?: undefined } | { problem: string; path?: undefined };
