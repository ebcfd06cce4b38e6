import "server-only";
import type { ResolvedConfig } from "./config";
import { TrueLayerError } from "./errors";
import { call, correlationIdOf } from "./http";
import { okBody } from "./response";
import { type ExtendResult, extendActionSchema, extendResponseSchema, KNOWN_EXTEND_ACTIONS } from "./schemas";

export type { ExtendResult };

export interface ExtendUser {
  name: string;
  // TrueLayer requires email or phone; it answers 400 with field errors when both are missing.
  email?: string;
  phone?: string;
  id?: string;
}

export interface ExtendInput {
  refreshToken: string;
  redirectUri: string;
  user: ExtendUser;
}

// Sends `user_has_reconfirmed_consent: true`: call only after the user accepted our reconfirmation screen and it
// was recorded (TrueLayer's rules; docs/decisions/010-reconfirmation.md). Never retried.
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
      const body = okBody(operation, response, secrets);
      const head = body.as(extendActionSchema);
      if (!KNOWN_EXTEND_ACTIONS.includes(head.action_needed)) {
        throw new TrueLayerError({
          operation,
          code: "unexpected_response",
          status: response.status,
          // TrueLayer answered 200, so it may have done something we do not understand.
          outcomeUnknown: true,
          detail: `action_needed=${head.action_needed.replace(/[^\w-]/g, "").slice(0, 60)}`,
          correlationId: correlationIdOf(response.headers),
        });
      }
      return body.as(extendResponseSchema);
    },
  );
}
