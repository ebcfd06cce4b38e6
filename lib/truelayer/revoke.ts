import "server-only";
import type { ResolvedConfig } from "./config";
import { call } from "./http";
import { errorFromResponse } from "./response";

export type RevokeOutcome = "revoked" | "unauthorized";

// Not retried automatically, but repeating it is safe. A 401 is "unauthorized", not "gone": an expired or
// superseded access token answers it too (only the latest one works), so the caller refreshes and asks again.
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
      if (response.status === 401) return "unauthorized";
      throw errorFromResponse("deleteConnection", response, [config.clientSecret, accessToken]);
    },
  );
}
