export function startStack(options: {
  env: Record<string, string>;
  next?: "dev" | "start";
  appPort: number;
  quiet?: boolean;
  seed?: boolean;
  logFile?: string;
}): Promise<import("./lib/stack-plan.mjs").StackPlan>;
export function startLocalServices(options: {
  env: Record<string, string | undefined>;
  simulator?: boolean;
  quiet?: boolean;
  logFile?: string;
}): Promise<void>;
