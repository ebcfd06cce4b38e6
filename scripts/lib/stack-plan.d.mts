export type StackPlan = { target: string; simulator: boolean; seed: boolean; problems: string[] };
export function stackPlan(env: Record<string, string | undefined>, options?: { seed?: boolean }): StackPlan;
