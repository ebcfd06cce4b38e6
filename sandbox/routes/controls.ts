import { z } from "zod";
import { clientRecord } from "../clients";
import type { Ctx, Route } from "../context";
import { FaultInput } from "../faults";
import { formBody, html, json, type Result, type SandboxRequest } from "../http";
import { echoPage } from "../pages/bank";
import { ProfileNameSchema, ProfileOptionsSchema } from "../profiles";
import { providerById } from "../providers";
import { DAY_MS } from "../store";
import { parseControl as parse } from "./control-input";

const ClientInput = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
  consentScreenReviewed: z.boolean().default(true),
  extendEnabled: z.boolean().default(true),
  profile: ProfileNameSchema.optional(),
  options: ProfileOptionsSchema.optional(),
});

const ClockInput = z.object({
  clientId: z.string().min(1),
  advanceDays: z.number().optional(),
  advanceMs: z.number().optional(),
  offsetMs: z.number().optional(),
});

const ResetInput = z.object({ clientId: z.string().min(1).optional() });

function clockState(ctx: Ctx, clientId: string) {
  const offsetMs = ctx.store.state.clockOffsets[clientId] ?? 0;
  return { clientId, offsetMs, now: new Date(ctx.store.now(clientId)).toISOString() };
}

function setClock(req: SandboxRequest, ctx: Ctx): Result {
  const input = parse(ClockInput, req);
  if ("result" in input) return input.result;
  const { clientId, advanceDays = 0, advanceMs = 0, offsetMs } = input.data;
  const base = offsetMs ?? ctx.store.state.clockOffsets[clientId] ?? 0;
  ctx.store.setClockOffset(clientId, base + advanceMs + advanceDays * DAY_MS);
  return json(200, clockState(ctx, clientId));
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
      const client = clientRecord(input.data, ctx.config.defaultProfile);
      ctx.store.upsertClient(client);
      return json(201, { clientId: client.clientId, profile: client.profile });
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
    // Drops the queued faults only (a client's connections and calls stay): "the faults are off now".
    method: "POST",
    path: /^\/_sandbox\/faults\/clear$/,
    control: true,
    readOnly: true,
    handle: (req, ctx) => {
      const input = parse(ResetInput, req);
      if ("result" in input) return input.result;
      ctx.faults.reset(input.data.clientId);
      return json(200, {});
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
  { method: "GET", path: /^\/_sandbox\/echo$/, testPage: true, readOnly: true, handle: echo },
  { method: "POST", path: /^\/_sandbox\/echo$/, testPage: true, readOnly: true, handle: echo },
  {
    // What a start-up script waits for; answers even when the controls are off.
    method: "GET",
    path: /^\/_sandbox\/health$/,
    readOnly: true,
    unlogged: true,
    handle: () => json(200, { status: "ok" }),
  },
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
