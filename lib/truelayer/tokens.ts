import "server-only";
import type { ResolvedConfig } from "./config";
import type { TrueLayerOperation } from "./errors";
import { call } from "./http";
import { parseOk } from "./response";
import { type TokenSet, tokenResponseSchema } from "./schemas";

export type { TokenSet };

export interface ExchangeCodeInput {
  code: string;
  // Exactly the redirect_uri of the auth link (or of the extend call) that produced the code.
  redirectUri: string;
  codeVerifier?: string;
}

function postToken(
  config: ResolvedConfig,
  operation: TrueLayerOperation,
  fields: Record<string, string>,
  secrets: string[],
): Promise<TokenSet> {
  const body = new URLSearchParams({
    ...fields,
    client_id: config.clientId,
    client_secret: config.clientSecret,
  });
  return call(
    config,
    {
      operation,
      method: "POST",
      url: `${config.authUrl}/connect/token`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    },
    (response) => parseOk(operation, response, tokenResponseSchema, [config.clientSecret, ...secrets]),
  );
}

// Codes are single-use: never retried; `outcomeUnknown` means the code may already be spent.
export function exchangeCode(config: ResolvedConfig, input: ExchangeCodeInput): Promise<TokenSet> {
  const fields: Record<string, string> = {
    grant_type: "authorization_code",
    code: input.code,
    redirect_uri: input.redirectUri,
  };
  if (input.codeVerifier) fields.code_verifier = input.codeVerifier;
  return postToken(config, "exchangeCode", fields, [input.code]);
}

// TrueLayer may rotate the refresh token: persist a returned one (the old may now be dead).
export function refreshToken(config: ResolvedConfig, input: { refreshToken: string }): Promise<TokenSet> {
  return postToken(
    config,
    "refreshToken",
    { grant_type: "refresh_token", refresh_token: input.refreshToken },
    [input.refreshToken],
  );
}
