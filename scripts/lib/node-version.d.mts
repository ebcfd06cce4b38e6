export const NODE_FOR_TESTS: string;
export function supported(version: string): boolean;
export function binaryPackage(platform?: string, arch?: string): string | null;
export function cacheDir(env?: Record<string, string | undefined>): string;
export type NodePlan =
  | { kind: "current" }
  | { kind: "cached"; path: string }
  | { kind: "install"; pkg: string }
  | { kind: "cannot"; advice: string };
export function nodePlan(facts: {
  current: string;
  override?: string;
  cached: string | null;
  pkg: string | null;
  reexecuted: boolean;
}): NodePlan;
export function fetchNode(options: {
  pkg: string;
  dir?: string;
  run?: (
    command: string,
    args: string[],
    options: object,
  ) => { status: number | null; stderr?: string | null };
}): { path: string; problem?: undefined } | { path?: undefined; problem: string };
export function runOnSupportedNode(
  script: string,
  options?: { current?: string; env?: Record<string, string | undefined>; say?: (line: string) => void },
): Promise<void>;
