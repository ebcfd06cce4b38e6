import "server-only";
import { httpSend, type Send, sendVia } from "./transport";

export type TrueLayerTarget = "simulator" | "sandbox" | "production";

export interface TrueLayerConfig {
  target: TrueLayerTarget;
  /** Required for the simulator; overrides the real host otherwise. */
  authUrl?: string;
  apiUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Per attempt, including reading the body. Default 10 000. */
  timeoutMs?: number;
  /** Extra attempts for reads only (getMe, getAccounts, getBalance). Default 2. */
  maxReadRetries?: number;
  /** A Retry-After longer than this is not waited out: the read fails with `rate_limited`. Default 10. */
  maxRetryAfterSeconds?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); injectable so backoff is deterministic in tests. */
  random?: () => number;
}

export interface ResolvedConfig {
  target: TrueLayerTarget;
  authUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  maxReadRetries: number;
  maxRetryAfterSeconds: number;
  send: Send;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const HOSTS = {
  sandbox: { authUrl: "https://auth.truelayer-sandbox.com", apiUrl: "https://api.truelayer-sandbox.com" },
  production: { authUrl: "https://auth.truelayer.com", apiUrl: "https://api.truelayer.com" },
} as const;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function baseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`TrueLayer config: ${name} is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`TrueLayer config: ${name} must be http(s)`);
  }
  return url.toString().replace(/\/+$/, "");
}

function positiveInt(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min)
    throw new Error(`TrueLayer config: ${name} must be an integer ≥ ${min}`);
  return value;
}

export function resolveConfig(config: TrueLayerConfig): ResolvedConfig {
  if (!config.clientId) throw new Error("TrueLayer config: clientId is required");
  if (!config.clientSecret) throw new Error("TrueLayer config: clientSecret is required");
  let hosts: { authUrl: string; apiUrl: string };
  if (config.target === "simulator") {
    if (!config.authUrl || !config.apiUrl) {
      throw new Error("TrueLayer config: the simulator target needs explicit authUrl and apiUrl");
    }
    hosts = { authUrl: config.authUrl, apiUrl: config.apiUrl };
  } else {
    const real = HOSTS[config.target];
    if (!real) throw new Error("TrueLayer config: unknown target");
    hosts = { authUrl: config.authUrl ?? real.authUrl, apiUrl: config.apiUrl ?? real.apiUrl };
  }
  if (config.target === "sandbox" && !config.clientId.startsWith("sandbox-")) {
    // Sandbox client ids always start with "sandbox-"; a production id here means crossed environments.
    throw new Error("TrueLayer config: sandbox target needs a client id starting with 'sandbox-'");
  }
  if (config.target === "production" && config.clientId.startsWith("sandbox-")) {
    throw new Error("TrueLayer config: production target was given a sandbox client id");
  }
  return {
    target: config.target,
    authUrl: baseUrl(hosts.authUrl, "authUrl"),
    apiUrl: baseUrl(hosts.apiUrl, "apiUrl"),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    timeoutMs: positiveInt(config.timeoutMs, 10_000, "timeoutMs", 1),
    maxReadRetries: positiveInt(config.maxReadRetries, 2, "maxReadRetries", 0),
    maxRetryAfterSeconds: positiveInt(config.maxRetryAfterSeconds, 10, "maxRetryAfterSeconds", 0),
    send: config.fetch ? sendVia(config.fetch) : httpSend,
    sleep: config.sleep ?? defaultSleep,
    random: config.random ?? Math.random,
  };
}
