import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { ResolvedConfig } from "./config";
import { TrueLayerError } from "./errors";

export type TrueLayerScope =
  | "info"
  | "accounts"
  | "balance"
  | "cards"
  | "transactions"
  | "direct_debits"
  | "standing_orders"
  | "offline_access";

export interface AuthLinkInput {
  redirectUri: string;
  scopes: readonly TrueLayerScope[];
  /** Echoed back on the callback; bind it to the user's session to stop CSRF. */
  state: string;
  providers?: readonly string[];
  /** Skips bank selection; must be covered by `providers`. */
  providerId?: string;
  codeChallenge?: string;
  nonce?: string;
  /** Sent only when asked, as TrueLayer's own client does; absent means TrueLayer's default (query). */
  responseMode?: "query" | "form_post";
}

function invalid(message: string): TrueLayerError {
  return new TrueLayerError({ operation: "buildAuthLink", code: "invalid_argument", detail: message });
}

// Build a fresh one for every (re)authentication.
export function buildAuthLink(config: ResolvedConfig, input: AuthLinkInput): string {
  if (!URL.canParse(input.redirectUri)) throw invalid("redirectUri is not a URL");
  if (input.scopes.length === 0) throw invalid("scopes is empty");
  if (!input.state) throw invalid("state is empty");
  const params: [string, string][] = [
    ["response_type", "code"],
    ["client_id", config.clientId],
    ["redirect_uri", input.redirectUri],
    ["scope", [...new Set(input.scopes)].join(" ")],
    ["state", input.state],
  ];
  if (input.providers && input.providers.length > 0) params.push(["providers", input.providers.join(" ")]);
  if (input.providerId) params.push(["provider_id", input.providerId]);
  if (input.codeChallenge) {
    params.push(["code_challenge", input.codeChallenge], ["code_challenge_method", "S256"]);
  }
  if (input.nonce) params.push(["nonce", input.nonce]);
  if (input.responseMode) params.push(["response_mode", input.responseMode]);
  // encodeURIComponent rather than URLSearchParams: TrueLayer's examples use %20 between scopes, not "+".
  const query = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
  return `${config.authUrl}/?${query}`;
}

function base64url(bytes: Buffer): string {
  return bytes.toString("base64url");
}

/** RFC 7636 S256 pair: keep `verifier` server-side, put `challenge` in the auth link. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  return { verifier, challenge };
}
