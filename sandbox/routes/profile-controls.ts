import { z } from "zod";
import { storedOptions } from "../clients";
import type { Ctx, Route } from "../context";
import { json, type Result, type SandboxRequest } from "../http";
import { ProfileNameSchema, ProfileOptionsSchema, resolveBehaviour } from "../profiles";
import type { Client } from "../state";
import { parseControl } from "./control-input";

const ProfileInput = z.object({
  clientId: z.string().min(1),
  profile: ProfileNameSchema.optional(),
  options: ProfileOptionsSchema.optional(),
});

function profileView(client: Client) {
  return {
    clientId: client.clientId,
    profile: client.profile,
    options: client.options,
    behaviour: resolveBehaviour(client.profile, client.options),
  };
}

const unknownClient = () =>
  json(404, { error: "not_found", error_description: "No client with that clientId is registered." });

/** Sets a client's profile (default: keep it) and replaces its option overrides (default: none). */
function setProfile(req: SandboxRequest, ctx: Ctx): Result {
  const input = parseControl(ProfileInput, req);
  if ("result" in input) return input.result;
  const client = ctx.store.client(input.data.clientId);
  if (!client) return unknownClient();
  client.profile = input.data.profile ?? client.profile;
  client.options = storedOptions(input.data.options);
  return json(200, profileView(client));
}

export const profileControlRoutes: Route[] = [
  { method: "POST", path: /^\/_sandbox\/profile$/, control: true, handle: setProfile },
  {
    method: "GET",
    path: /^\/_sandbox\/profile$/,
    control: true,
    readOnly: true,
    handle: (req, ctx) => {
      const client = ctx.store.client(req.query.get("clientId"));
      return client ? json(200, profileView(client)) : unknownClient();
    },
  },
];
