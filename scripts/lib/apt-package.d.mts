export type AptFacts = {
  found: string | null;
  isRoot: boolean;
  passwordlessSudo: boolean;
  hasAptGet: boolean;
};
export type AptPlan =
  | { kind: "found"; path: string }
  | { kind: "install"; commands: string[][]; advice: string }
  | { kind: "cannot"; advice: string };
export function machineFactsFor(found: string | null): AptFacts;
export function aptPlan(
  pkg: { pkg: string; name: string; envVar: string; installFlags?: string[] },
  facts: AptFacts,
): AptPlan;
export function runLogged(command: string, args: string[], logFile: string): number | null;
