import "server-only";
import { commonRules } from "./environment/common-rules";
import type { Context, Mode, Target } from "./environment/context";
import { databaseUrlOptions } from "./environment/database-url";
import { type FieldName, type Fields, fields, isGiven } from "./environment/fields";

export type { FieldName } from "./environment/fields";

import { productionRules } from "./environment/production-rules";

// The one environment check (decision 035). Mode: RECONSENT_MODE, else production on Vercel or NODE_ENV=production,
// else demo; demo and test (simulator, clock control, demo secrets) are refused unless APP_URL is this machine, off
// Vercel (environment/common-rules.ts).
export { contrastWithWhite } from "./environment/fields";

export type Env = Omit<
  Fields,
  "RECONSENT_MODE" | "TRUSTED_PROXY_HOPS" | "TRUELAYER_TARGET" | "DATABASE_POOL_SIZE"
> & {
  mode: Mode;
  isProduction: boolean;
  TRUELAYER_TARGET: Target;
  TRUSTED_PROXY_HOPS: number;
  DATABASE_POOL_SIZE: number;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Reconsent cannot start: its environment is not valid.\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "EnvError";
  }
}

/** Connections per server instance: Vercel runs many small instances, each with its own pool. */
export const POOL_SIZE_DEFAULT = { vercel: 3, elsewhere: 5 } as const;

/** Every problem at once: each variable is parsed on its own, then the rules judge what parsed. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const { problems, parsed } = judge(source);
  if (problems.length > 0) throw new EnvError(problems);
  return parsed;
}

// Every problem starts with the variable it is about (lib/environment/context.ts `problem`).
const aboutField = (problem: string) => problem.split(" ", 1)[0] ?? "";

/** An operator command: only the variables it names must be valid now; others are refused, by name, if read. */
export function parseEnvFor(source: Record<string, string | undefined>, needs: readonly FieldName[]): Env {
  const { problems, parsed } = judge(source);
  const named = new Set<string>(Object.keys(fields.shape));
  const now = problems.filter((p) => !named.has(aboutField(p)) || needs.includes(aboutField(p) as FieldName));
  if (now.length > 0) throw new EnvError(now);
  const later = new Map<string, string[]>();
  for (const p of problems) later.set(aboutField(p), [...(later.get(aboutField(p)) ?? []), p]);
  return new Proxy(parsed, {
    get(target, key, receiver) {
      const refused = typeof key === "string" ? later.get(key) : undefined;
      if (refused) throw new EnvError(refused);
      return Reflect.get(target, key, receiver);
    },
  });
}

function judge(source: Record<string, string | undefined>): { problems: string[]; parsed: Env } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields.shape)) {
    const parsed = field.safeParse(source[key]);
    if (parsed.success) values[key] = parsed.data;
    else problems.push(...parsed.error.issues.map((issue) => `${key} ${issue.message}`));
  }
  const raw = values as Partial<Fields>;
  const onVercel = isGiven(source.VERCEL) || isGiven(source.VERCEL_ENV);
  const mode = raw.RECONSENT_MODE ?? (onVercel || raw.NODE_ENV === "production" ? "production" : "demo");
  const context: Context = {
    values: raw,
    given: (key: FieldName) => isGiven(source[key]),
    mode,
    onVercel,
    target: raw.TRUELAYER_TARGET ?? (mode === "production" ? undefined : "simulator"),
  };
  const rules = mode === "production" ? [...commonRules, ...productionRules] : commonRules;
  for (const rule of rules) problems.push(...rule(context));
  const valid = raw as Fields;
  const parsed: Env = {
    ...valid,
    mode,
    isProduction: mode === "production",
    TRUELAYER_TARGET: context.target ?? "simulator",
    // Vercel overwrites X-Forwarded-For with the client's address, so its one hop can be believed.
    TRUSTED_PROXY_HOPS: valid.TRUSTED_PROXY_HOPS ?? (onVercel ? 1 : 0),
    DATABASE_POOL_SIZE:
      (valid.DATABASE_URL ? databaseUrlOptions(valid.DATABASE_URL).connectionLimit : undefined) ??
      valid.DATABASE_POOL_SIZE ??
      (onVercel ? POOL_SIZE_DEFAULT.vercel : POOL_SIZE_DEFAULT.elsewhere),
  };
  return { problems, parsed };
}

let cached: Env | undefined;

// Parsed on first use, never at build time.
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function checkEnvFor(needs: readonly FieldName[]): Env {
  cached = undefined;
  cached = parseEnvFor(process.env, needs);
  return cached;
}

export function envProblems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}
