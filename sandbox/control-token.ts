// Where a client of the simulator's controls finds the run's control token: a simulator started in
// this process registers its own; a separate one (the demo's, the browser tests') is named by
// SANDBOX_CONTROL_TOKEN, which the stack passes to the processes it starts.

export const CONTROL_TOKEN_HEADER = "x-sandbox-token";

const started = new Map<string, string>();

export function rememberControlToken(url: string, token: string): void {
  started.set(new URL(url).origin, token);
}

export function forgetControlToken(url: string): void {
  started.delete(new URL(url).origin);
}

export function controlTokenFor(url: string): string | undefined {
  return started.get(new URL(url).origin) ?? (process.env.SANDBOX_CONTROL_TOKEN?.trim() || undefined);
}

/** The header a control call sends (none when no token is known: the simulator then answers 403). */
export function controlHeaders(url: string): Record<string, string> {
  const token = controlTokenFor(url);
  return token ? { [CONTROL_TOKEN_HEADER]: token } : {};
}
