import { listenProblem } from "./listener";
import type { SandboxSettings } from "./run";

// What `npm run smoke:truelayer` does with the environment it is given. Pure: tested case by case.

export const DEFAULT_REDIRECT_URI = "http://localhost:3000/callback";

export type SmokePlan =
  | { kind: "skip"; reason: string }
  | { kind: "problem"; problem: string }
  | { kind: "run"; settings: SandboxSettings };

const TARGETS = new Set(["simulator", "sandbox", "production"]);
const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

function isLoopback(value: string): boolean {
  try {
    return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(value).hostname);
  } catch {
    return false;
  }
}

export function smokePlan(env: Record<string, string | undefined>): SmokePlan {
  const target = set(env.TRUELAYER_TARGET);
  if (target && target !== "sandbox") {
    const named = TARGETS.has(target) ? target : "(unknown)";
    return {
      kind: "skip",
      reason: `TRUELAYER_TARGET=${named}: this smoke runs only against TrueLayer's sandbox (set TRUELAYER_TARGET=sandbox, or leave it unset)`,
    };
  }
  const clientId = set(env.TRUELAYER_CLIENT_ID);
  const clientSecret = set(env.TRUELAYER_CLIENT_SECRET);
  if (!clientId || !clientSecret) {
    const missing = [!clientId && "TRUELAYER_CLIENT_ID", !clientSecret && "TRUELAYER_CLIENT_SECRET"].filter(
      Boolean,
    );
    return {
      kind: "skip",
      reason: `no TrueLayer sandbox credentials (${missing.join(" and ")} unset); see "Using your own TrueLayer sandbox" in README.md`,
    };
  }
  if (!clientId.startsWith("sandbox-"))
    return {
      kind: "problem",
      problem: "TRUELAYER_CLIENT_ID is not a sandbox client id (those start with sandbox-)",
    };
  const redirectUri = set(env.SMOKE_REDIRECT_URI) ?? DEFAULT_REDIRECT_URI;
  const problem = listenProblem(redirectUri);
  if (problem) return { kind: "problem", problem };
  const authUrl = set(env.TRUELAYER_AUTH_URL);
  const apiUrl = set(env.TRUELAYER_API_URL);
  for (const [name, value] of [
    ["TRUELAYER_AUTH_URL", authUrl],
    ["TRUELAYER_API_URL", apiUrl],
  ] as const) {
    if (value && isLoopback(value))
      return {
        kind: "problem",
        problem: `${name} points at this machine (the simulator?): unset it to use TrueLayer's sandbox hosts`,
      };
  }
  return { kind: "run", settings: { clientId, clientSecret, redirectUri, authUrl, apiUrl } };
}
