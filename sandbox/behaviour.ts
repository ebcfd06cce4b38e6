import type { Ctx } from "./context";
import { type Behaviour, flakyPattern, resolveBehaviour } from "./profiles";
import type { Client } from "./state";

/** A client's behaviour; calls naming no registered client get the server's default profile. */
export function behaviourFor(ctx: Ctx, clientId: string | null | undefined): Behaviour {
  const client = ctx.store.client(clientId);
  return client
    ? resolveBehaviour(client.profile, client.options)
    : resolveBehaviour(ctx.config.defaultProfile);
}

/** Uses up one step of the client's flakyClientAuth pattern; true when this call must fail. */
export function takeFlakyClientAuth(client: Client): boolean {
  const pattern = flakyPattern(client.options.flakyClientAuth);
  if (!pattern) return false;
  const { flakyClientAuth: _used, ...rest } = client.options;
  client.options = pattern.length > 1 ? { ...rest, flakyClientAuth: pattern.slice(1) } : rest;
  return pattern.startsWith("x");
}
