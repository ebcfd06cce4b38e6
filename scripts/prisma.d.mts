import type { SpawnSyncReturns } from "node:child_process";
export function prismaEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function runPrisma(
  args: string[],
  options?: { env?: Record<string, string>; stdio?: "inherit" | "pipe" },
): SpawnSyncReturns<string>;
