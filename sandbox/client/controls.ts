import type { z } from "zod";
import type { CallRecord } from "../calls";
import type { SandboxClientOptions } from "../clients";
import { CONTROL_TOKEN_HEADER, controlTokenFor } from "../control-token";
import type { FaultInput } from "../faults";
import type { ProfileName, ProfileOptions } from "../profiles";

// The one client of the simulator's JSON controls (/_sandbox/*), typed from the simulator's own
// types. Scoped to one client id: each test, bench run or demo has a client of its own.

export type Fault = Omit<z.input<typeof FaultInput>, "clientId">;
export type FaultKind = Fault["kind"];
export type SandboxCall = CallRecord;
/** One connection as `GET /_sandbox/connections` lists it (never its tokens). */
export type SimulatedConnection = {
  credentials_id: string;
  client_id: string;
  persona: string;
  username: string;
  provider: { provider_id: string; display_name: string };
  status: string;
  scope: string;
  account_count: number;
  consent_created_at: string;
  consent_expires_at: string;
  me_lag: { shown_expires_at: string; until: string } | null;
  has_refresh_token: boolean;
  refresh_token_last_used_at: string;
  refresh_token_sha256: string | null;
  answer_lost_at: string | null;
  last_code_sha256: string | null;
};
export type ClientRegistration = Omit<SandboxClientOptions, "clientId">;

const DAY_MS = 24 * 60 * 60 * 1000;

async function call<T>(sandboxUrl: string, token: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { [CONTROL_TOKEN_HEADER]: token };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${sandboxUrl.replace(/\/+$/, "")}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`sandbox control ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** `token` defaults to the run's own (sandbox/control-token.ts): in process, or SANDBOX_CONTROL_TOKEN. */
export function sandboxControls(
  sandboxUrl: string,
  clientId: string,
  token = controlTokenFor(sandboxUrl) ?? "",
) {
  const query = `clientId=${encodeURIComponent(clientId)}`;
  const control = <T = unknown>(url: string, path: string, body?: unknown) => call<T>(url, token, path, body);
  return {
    register: (client: ClientRegistration) =>
      control(sandboxUrl, "/_sandbox/clients", { clientId, ...client }),
    /** Sets this client's clock `days` ahead of real time (0 puts it back). */
    setClock: (days: number) => control(sandboxUrl, "/_sandbox/clock", { clientId, offsetMs: days * DAY_MS }),
    advanceClock: (days: number) => control(sandboxUrl, "/_sandbox/clock", { clientId, advanceDays: days }),
    injectFault: (fault: Fault) => control(sandboxUrl, "/_sandbox/faults", { clientId, count: 1, ...fault }),
    clearFaults: () => control(sandboxUrl, "/_sandbox/faults/clear", { clientId }),
    calls: async () =>
      (await control<{ calls: SandboxCall[] }>(sandboxUrl, `/_sandbox/calls?${query}`)).calls,
    connections: async () =>
      (await control<{ connections: SimulatedConnection[] }>(sandboxUrl, `/_sandbox/connections?${query}`))
        .connections,
    /** Makes one connection's consent `days` older, leaving its refresh token alone. */
    ageConnection: (credentialsId: string, days: number) =>
      control(sandboxUrl, "/_sandbox/connections/age", { clientId, credentialsId, days }),
    setProfile: (profile: ProfileName | undefined, options?: ProfileOptions) =>
      control(sandboxUrl, "/_sandbox/profile", { clientId, profile, options }),
    clearMeLag: () => control(sandboxUrl, "/_sandbox/me-lag/clear", { clientId }),
    reset: () => control(sandboxUrl, "/_sandbox/reset", { clientId }),
  };
}

export type SandboxControls = ReturnType<typeof sandboxControls>;
