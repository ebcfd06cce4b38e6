export function startStack(options: {
  env: Record<string, string>;
  next?: "dev" | "start";
  appPort: number;
  quiet?: boolean;
  seed?: boolean;
  logFile?: string;
}): Promise<import("./lib/stack-plan.mjs").StackPlan>;
