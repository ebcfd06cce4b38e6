import { z } from "zod";
import { extendConsent, findByRefreshToken, issueTokens, refreshProblem } from "../credentials";
import { type Ctx, json, jsonBody, oauthError, type Result, type Route, type SandboxRequest } from "../http";
import { personaByKey } from "../personas";
import { newId } from "../secrets";
import type { Connection, Reauth } from "../state";
import { authenticateClient } from "./token";

const required = (field: string) => ({ error: `${field} is required.` });

const ExtendBody = z.object({
  client_id: z.string(required("client_id")).min(1, required("client_id")),
  client_secret: z.string(required("client_secret")).min(1, required("client_secret")),
  refresh_token: z.string(required("refresh_token")).min(1, required("refresh_token")),
  redirect_uri: z.url({ error: "redirect_uri must be an absolute URL." }),
  user_has_reconfirmed_consent: z.literal(true, {
    error: "user_has_reconfirmed_consent must be true, sent only after the user reconfirmed consent.",
  }),
  user: z
    .object(
      {
        id: z.string().optional(),
        name: z.string(required("user.name")).trim().min(1, required("user.name")),
        email: z.email({ error: "user.email must be a valid email address." }).optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9][0-9 ()-]{6,19}$/, { error: "user.phone must be a valid phone number." })
          .optional(),
      },
      required("user"),
    )
    .refine((u) => u.email !== undefined || u.phone !== undefined, {
      path: ["email"],
      error: "user.email or user.phone is required.",
    }),
  state: z.string().optional(),
});

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "body";
    errors[key] = [...(errors[key] ?? []), issue.message];
  }
  return errors;
}

export function newReauth(
  ctx: Ctx,
  conn: Connection,
  kind: Reauth["kind"],
  redirectUri: string,
  state?: string,
) {
  const reauth: Reauth = {
    id: newId(),
    kind,
    clientId: conn.clientId,
    credentialsId: conn.credentialsId,
    redirectUri,
    state: state ?? null,
    used: false,
    createdAt: ctx.store.now(conn.clientId),
  };
  ctx.store.state.reauths[reauth.id] = reauth;
  return reauth;
}

function reconfirmLink(req: SandboxRequest, conn: Connection, reauth: Reauth): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: conn.clientId,
    redirect_uri: reauth.redirectUri,
    scope: conn.scope.join(" "),
    providers: conn.providerId,
    provider_id: conn.providerId,
    reconfirm: reauth.id,
  });
  if (reauth.state !== null) q.set("state", reauth.state);
  return `${req.baseUrl}/?${q.toString()}`;
}

function extend(req: SandboxRequest, ctx: Ctx): Result {
  const raw = jsonBody(req);
  if (raw === undefined)
    return oauthError(400, "invalid_request", "The body must be JSON (application/json).");
  const parsed = ExtendBody.safeParse(raw);
  if (!parsed.success) {
    return json(400, {
      error: "validation_error",
      error_description: "The request has missing or invalid fields.",
      errors: fieldErrors(parsed.error),
    });
  }
  const body = parsed.data;
  const client = authenticateClient(ctx, body.client_id, body.client_secret);
  if (!client) return oauthError(401, "invalid_client", "Unknown client or wrong client secret.");
  if (!client.extendEnabled) {
    return oauthError(403, "unauthorized_client", "Connection extension is not enabled for this client.");
  }
  if (!client.redirectUris.includes(body.redirect_uri)) {
    return json(400, {
      error: "validation_error",
      error_description: "The request has missing or invalid fields.",
      errors: { redirect_uri: ["redirect_uri is not on this client's allow list."] },
    });
  }
  if (!client.consentScreenReviewed) {
    return oauthError(
      400,
      "consent_screen_not_reviewed",
      "user_has_reconfirmed_consent cannot be accepted until TrueLayer has reviewed your reconfirmation screen.",
    );
  }
  const conn = findByRefreshToken(ctx.store, body.refresh_token);
  if (!conn || conn.clientId !== client.clientId)
    return oauthError(400, "invalid_grant", "Invalid refresh token.");
  const problem = refreshProblem(ctx.store, conn, ctx.config.refreshTokenIdleDays);
  if (problem) return oauthError(400, "invalid_grant", problem);

  const persona = personaByKey(conn.persona);
  const action = persona?.extend ?? "authentication_needed";
  if (action === "no_action_needed") {
    extendConsent(ctx.store, conn);
    const { scope: _scope, ...tokens } = issueTokens(ctx.store, conn, persona?.rotateOnExtend ?? true);
    return json(200, {
      action_needed: action,
      ...tokens,
      consent_expires_at: new Date(conn.consentExpiresAt).toISOString(),
    });
  }
  if (action === "reconfirmation_of_consent_needed") {
    const reauth = newReauth(ctx, conn, "dialog", body.redirect_uri, body.state);
    return json(200, { action_needed: action, user_input_link: reconfirmLink(req, conn, reauth) });
  }
  const reauth = newReauth(ctx, conn, "bank", body.redirect_uri, body.state);
  return json(200, { action_needed: action, user_input_link: `${req.baseUrl}/_bank/reauth/${reauth.id}` });
}

export const bodyClient = (req: SandboxRequest, ctx: Ctx): string | undefined => {
  const raw = jsonBody(req);
  if (typeof raw !== "object" || raw === null) return undefined;
  const clientId = "client_id" in raw ? raw.client_id : undefined;
  if (typeof clientId === "string") return clientId;
  const refreshToken =
    "refresh_token" in raw && typeof raw.refresh_token === "string" ? raw.refresh_token : undefined;
  return findByRefreshToken(ctx.store, refreshToken)?.clientId;
};

export const extendRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/data\/v1\/connections\/extend$/,
    endpoint: "extend",
    clientOf: bodyClient,
    handle: extend,
  },
  // tightarse calls the path without /data/v1; accept both.
  {
    method: "POST",
    path: /^\/connections\/extend$/,
    endpoint: "extend",
    clientOf: bodyClient,
    handle: extend,
  },
];
