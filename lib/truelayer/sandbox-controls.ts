// Test-only: the simulator's JSON control endpoints (POST /_sandbox/clock, /_sandbox/faults, ...).

export type FaultKind = "delay" | "500" | "503" | "429" | "malformed_json" | "reset" | "lost_response";

export interface Fault {
  endpoint: "token" | "extend" | "data" | "delete";
  kind: FaultKind;
  count?: number;
  /** For "delay". */
  ms?: number;
  /** For "429". */
  retryAfterSeconds?: number;
}

async function control(sandboxUrl: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandboxUrl.replace(/\/+$/, "")}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`sandbox control ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

export interface SandboxCall {
  clientId: string | null;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | null;
  psuIp: string | null;
  fault: string | null;
  /** Request body with secrets redacted by the simulator. */
  body: unknown;
}

/** The simulator's JSON test controls (only in mode "test"/"demo"), scoped to one client id. */
export function sandboxControls(sandboxUrl: string, clientId: string) {
  const query = `clientId=${encodeURIComponent(clientId)}`;
  return {
    advanceClock: async (days: number) => {
      await control(sandboxUrl, "/_sandbox/clock", { clientId, advanceDays: days });
    },
    injectFault: async (fault: Fault) => {
      await control(sandboxUrl, "/_sandbox/faults", { clientId, count: 1, ...fault });
    },
    calls: async () =>
      ((await control(sandboxUrl, `/_sandbox/calls?${query}`)) as { calls: SandboxCall[] }).calls,
    connections: async () =>
      (
        (await control(sandboxUrl, `/_sandbox/connections?${query}`)) as {
          connections: Record<string, unknown>[];
        }
      ).connections,
  };
}
