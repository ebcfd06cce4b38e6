import { z } from "zod";
import { FaultInput } from "../faults";
import {
  type Ctx,
  formBody,
  html,
  json,
  jsonBody,
  type Result,
  type Route,
  type SandboxRequest,
} from "../http";
import { echoPage } from "../pages/bank";
import { providerById } from "../providers";
import { DAY_MS } from "../store";
import { fieldErrors } from "./extend";

const ClientInput = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
  consentScreenReviewed: z.boolean().default(true),
  extendEnabled: z.boolean().default(true),
});

const ClockInput = z.object({
  clientId: z.string().min(1),
  advanceDays: z.number().optional(),
  advanceMs: z.number().optional(),
  offsetMs: z.number().optional(),
});

const AgeInput = z.object({
  clientId: z.string().min(1),
  credentialsId: z.string().min(1),
  days: z.number().min(0).max(3650),
});

const ResetInput = z.object({ clientId: z.string().min(1).optional() });

function parse<T>(schema: z.ZodType<T>, req: SandboxRequest): { data: T } | { result: Result } {
  const parsed = schema.safeParse(jsonBody(req) ?? {});
  if (parsed.success) return { data: parsed.data };
  return {
    result: json(400, {
      error: "validation_error",
      error_description: "Invalid control request.",
      errors: fieldErrors(parsed.error),
    }),
  };
}

function clockState(ctx: Ctx, clientId: string) {
  const offsetMs = ctx.store.state.clockOffsets[clientId] ?? 0;
  return { clientId, offsetMs, now: new Date(ctx.store.now(clientId)).toISOString() };
}

/**
 * Makes one connection's consent older without moving the client's clock, so seeded demo data can show
 * a consent that lapses in 5 days beside one that lapsed 10 days ago. The refresh token is left alone.
 */
function ageConnection(req: SandboxRequest, ctx: Ctx): Result {
  const input = parse(AgeInput, req);
  if ("result" in input) return input.result;
  const connection = ctx.store.state.connections[input.data.credentialsId];
  if (!connection || connection.clientId !== input.data.clientId) return json(404, { error: "not_found" });
  connection.consentCreatedAt -= input.data.days * DAY_MS;
  connection.consentExpiresAt -= input.data.days * DAY_MS;
  return json(200, {
    credentials_id: connection.credentialsId,
    consent_created_at: new Date(connection.consentCreatedAt).toISOString(),
    consent_expires_at: new Date(connection.consentExpiresAt).toISOString(),
  });
}

function setClock(req: SandboxRequest, ctx: Ctx): Result {
  const input = parse(ClockInput, req);
  if ("result" in input) return input.result;
  const { clientId, advanceDays = 0, advanceMs = 0, offsetMs } = input.data;
  const base = offsetMs ?? ctx.store.state.clockOffsets[clientId] ?? 0;
  ctx.store.setClockOffset(clientId, base + advanceMs + advanceDays * DAY_MS);
  return json(200, clockState(ctx, clientId));
}

function listConnections(req: SandboxRequest, ctx: Ctx): Result {
  const clientId = req.query.get("clientId");
  const connections = Object.values(ctx.store.state.connections)
    .filter((c) => clientId === null || c.clientId === clientId)
    .map((c) => ({
      credentials_id: c.credentialsId,
      client_id: c.clientId,
      persona: c.persona,
      username: c.username,
      provider: {
        provider_id: c.providerId,
        display_name: providerById(c.providerId)?.displayName ?? c.providerId,
      },
      status: c.status,
      scope: c.scope.join(" "),
      account_count: c.accounts.length,
      consent_created_at: new Date(c.consentCreatedAt).toISOString(),
      consent_expires_at: new Date(c.consentExpiresAt).toISOString(),
      has_refresh_token: c.refreshTokenHash !== null,
      refresh_token_last_used_at: new Date(c.refreshLastUsedAt).toISOString(),
    }));
  return json(200, { connections });
}

function echo(req: SandboxRequest): Result {
  return html(200, echoPage(req.query, req.method, formBody(req)));
}

export const controlRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/_sandbox\/clients$/,
    control: true,
    handle: (req, ctx) => {
      const input = parse(ClientInput, req);
      if ("result" in input) return input.result;
      ctx.store.upsertClient(input.data);
      return json(201, { clientId: input.data.clientId });
    },
  },
  { method: "POST", path: /^\/_sandbox\/clock$/, control: true, handle: setClock },
  {
    method: "GET",
    path: /^\/_sandbox\/clock$/,
    control: true,
    readOnly: true,
    handle: (req, ctx) => json(200, clockState(ctx, req.query.get("clientId") ?? "")),
  },
  {
    method: "POST",
    path: /^\/_sandbox\/faults$/,
    control: true,
    readOnly: true,
    handle: (req, ctx) => {
      const input = parse(FaultInput, req);
      if ("result" in input) return input.result;
      return json(201, ctx.faults.add(input.data));
    },
  },
  {
    method: "GET",
    path: /^\/_sandbox\/calls$/,
    control: true,
    readOnly: true,
    handle: (req, ctx) => json(200, { calls: ctx.calls.list(req.query.get("clientId") ?? undefined) }),
  },
  {
    method: "POST",
    path: /^\/_sandbox\/reset$/,
    control: true,
    handle: (req, ctx) => {
      const input = parse(ResetInput, req);
      if ("result" in input) return input.result;
      ctx.store.reset(input.data.clientId);
      ctx.faults.reset(input.data.clientId);
      ctx.calls.reset(input.data.clientId);
      return json(200, {});
    },
  },
  {
    method: "GET",
    path: /^\/_sandbox\/connections$/,
    control: true,
    readOnly: true,
    handle: listConnections,
  },
  { method: "POST", path: /^\/_sandbox\/connections\/age$/, control: true, handle: ageConnection },
  { method: "GET", path: /^\/_sandbox\/echo$/, control: true, readOnly: true, handle: echo },
  { method: "POST", path: /^\/_sandbox\/echo$/, control: true, readOnly: true, handle: echo },
  {
    // Logos back the logo_uri fields, so they are served even when the controls are off.
    method: "GET",
    path: /^\/_sandbox\/logos\/([\w-]+)\.svg$/,
    readOnly: true,
    unlogged: true,
    handle: (_req, _ctx, params) => {
      const provider = providerById(params[0]);
      if (!provider) return json(404, { error: "not_found" });
      return {
        status: 200,
        headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" },
        body: provider.logoSvg,
      };
    },
  },
];
