import "server-only";
import type { ResolvedConfig } from "./config";
import { call } from "./http";
import { errorFromResponse } from "./response";

export type RevokeOutcome = "revoked" | "already_gone";

// Not retried automatically, but repeating it is safe: a second call answers "already_gone".
export function deleteConnection(config: ResolvedConfig, accessToken: string): Promise<RevokeOutcome> {
  return call(
    config,
    {
      operation: "deleteConnection",
      method: "DELETE",
      url: `${config.authUrl}/api/delete`,
      headers: { authorization: `Bearer ${accessToken}` },
    },
    (response) => {
      if (response.status === 200 || response.status === 204) return "revoked";
      // TrueLayer answers 401 for a token whose connection no longer exists.
      if (response.status === 401) return "already_gone";
      throw errorFromResponse("deleteConnection", response, [config.clientSecret, accessToken]);
    },
  );
}
