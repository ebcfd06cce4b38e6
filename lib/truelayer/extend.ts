import "server-only";
import type { ResolvedConfig } from "./config";
import { TrueLayerError } from "./errors";
import { call } from "./http";
import { parseOk } from "./response";
import { type ExtendResult, extendActionSchema, extendResponseSchema, KNOWN_EXTEND_ACTIONS } from "./schemas";

export type { ExtendResult };

export interface ExtendUser {
  /** Full name. */
  name: string;
  /** TrueLayer requires email or phone; it answers 400 with field errors when both are missing. */
  email?: string;
  phone?: string;
  id?: string;
}

export interface ExtendInput {
  refreshToken: string;
  /** Where the user lands, with a code, after an `authentication_needed` bank journey. */
  redirectUri: string;
  user: ExtendUser;
}

/**
 * Extends a connection's 90-day consent via POST /data/v1/connections/extend.
 *
 * Always sends `user_has_reconfirmed_consent: true`. The CALLER must only call this after the user
 * has seen and accepted our in-app reconfirmation-of-consent screen (TrueLayer's rules; see
 * truelayer-api.md §9) and has recorded that they did.
 *
 * Never retried. On `no_action_needed` persist `accessToken`, and `refreshToken` when present
 * (otherwise keep the one sent). A TrueLayerError with `outcomeUnknown` means the extension may have
 * happened and the sent refresh token may be dead. `consentScreenNotReviewed` means TrueLayer has not
 * yet approved our screen (see response.ts for how that is detected).
 */
export function extendConnection(config: ResolvedConfig, input: ExtendInput): Promise<ExtendResult> {
  const user: Record<string, string> = { name: input.user.name };
  if (input.user.email) user.email = input.user.email;
  if (input.user.phone) user.phone = input.user.phone;
  if (input.user.id) user.id = input.user.id;
  const operation = "extendConnection";
  const secrets = [config.clientSecret, input.refreshToken];
  return call(
    config,
    {
      operation,
      method: "POST",
      url: `${config.apiUrl}/data/v1/connections/extend`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        refresh_token: input.refreshToken,
        redirect_uri: input.redirectUri,
        user_has_reconfirmed_consent: true,
        user,
      }),
    },
    (response) => {
      const head = parseOk(operation, response, extendActionSchema, secrets);
      if (!KNOWN_EXTEND_ACTIONS.includes(head.action_needed)) {
        throw new TrueLayerError({
          operation,
          code: "unexpected_response",
          status: response.status,
          // TrueLayer answered 200, so it may have done something we do not understand.
          outcomeUnknown: true,
          detail: `action_needed=${head.action_needed.replace(/[^\w-]/g, "").slice(0, 60)}`,
        });
      }
      return parseOk(operation, response, extendResponseSchema, secrets);
    },
  );
}
