import type { CallLog } from "./calls";
import type { Faults } from "./faults";
import type { FaultEndpoint, Result, SandboxRequest } from "./http";
import type { ProfileName } from "./profiles";
import type { Store } from "./store";

export interface Config {
  mode: "test" | "demo" | "off";
  refreshTokenIdleDays: number;
  /** For clients registered without a profile, and for calls whose client is unknown. */
  defaultProfile: ProfileName;
}

export interface Ctx {
  store: Store;
  config: Config;
  faults: Faults;
  calls: CallLog;
  /**
   * Refresh tokens last presented or issued, by credentials_id; memory only (the data file holds hashes),
   * so truelayer-sandbox can hand the same token back after a bank re-authentication.
   */
  refreshTokens: Map<string, string>;
  /** Signs access tokens (HS256); random per simulator run, memory only. */
  signingKey: Buffer;
  /** What the controls need in X-Sandbox-Token; per run, memory only. */
  controlToken: string;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  path: RegExp;
  /** Fault injection targets, most general first; routes without one never get faults. */
  endpoint?: FaultEndpoint | FaultEndpoint[];
  /** Test controls: need the run's control token, hidden when mode is "off" and left out of the call log. */
  control?: boolean;
  /**
   * A page for browser tests (the echo redirect target): hidden when mode is "off" and left out of the call
   * log like a control, but opened by a browser, so it needs no token. It shows only the request itself.
   */
  testPage?: boolean;
  /** Left out of the call log (static assets). */
  unlogged?: boolean;
  /** Skip writing the data file after this route. */
  readOnly?: boolean;
  /** The client a call belongs to, for the call log, faults and clocks. */
  clientOf?: (req: SandboxRequest, ctx: Ctx, params: string[]) => string | undefined;
  /** Runs when an injected fault answered instead of `handle` (the call still reached TrueLayer). */
  onFault?: (req: SandboxRequest, ctx: Ctx, params: string[]) => void;
  /** The connection a Bearer call reads, for the call log. */
  connectionOf?: (req: SandboxRequest, ctx: Ctx) => string | undefined;
  handle: (req: SandboxRequest, ctx: Ctx, params: string[]) => Result | Promise<Result>;
}
