import { z } from "zod";
import type { Ctx, Route } from "../context";
import { json, type Result, type SandboxRequest } from "../http";
import { providerById } from "../providers";
import { DAY_MS } from "../store";
import { parseControl as parse } from "./control-input";

const AgeInput = z.object({
  clientId: z.string().min(1),
  credentialsId: z.string().min(1),
  days: z.number().min(0).max(3650),
});

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
      me_lag: c.meLag
        ? {
            shown_expires_at: new Date(c.meLag.shownExpiresAt).toISOString(),
            until: new Date(c.meLag.until).toISOString(),
          }
        : null,
      has_refresh_token: c.refreshTokenHash !== null,
      // The grant ledger (simulator-only): which current refresh token TrueLayer would honour (its hash only), and
      // whether an answer carrying it was lost on the way, so a test can tell who holds each live grant.
      refresh_token_sha256: c.refreshTokenHash,
      answer_lost_at: c.answerLostAt === undefined ? null : new Date(c.answerLostAt).toISOString(),
      last_code_sha256: c.lastCodeHash ?? null,
      refresh_token_last_used_at: new Date(c.refreshLastUsedAt).toISOString(),
    }));
  return json(200, { connections });
}

const ClearLagInput = z.object({ clientId: z.string().min(1), credentialsId: z.string().min(1).optional() });

/** Ends a pending /me lag at once, so /me shows the real consent_expires_at. */
function clearMeLag(req: SandboxRequest, ctx: Ctx): Result {
  const input = parse(ClearLagInput, req);
  if ("result" in input) return input.result;
  let cleared = 0;
  for (const c of Object.values(ctx.store.state.connections)) {
    if (c.clientId !== input.data.clientId || !c.meLag) continue;
    if (input.data.credentialsId !== undefined && c.credentialsId !== input.data.credentialsId) continue;
    delete c.meLag;
    cleared += 1;
  }
  return json(200, { cleared });
}

export const connectionControlRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/_sandbox\/connections$/,
    control: true,
    readOnly: true,
    handle: listConnections,
  },
  { method: "POST", path: /^\/_sandbox\/connections\/age$/, control: true, handle: ageConnection },
  { method: "POST", path: /^\/_sandbox\/me-lag\/clear$/, control: true, handle: clearMeLag },
];
