import "server-only";
import { now } from "@/lib/clock";
import { alertOperator } from "@/lib/operator-alert";
import { redact, TrueLayerError } from "@/lib/truelayer";
import { openSecret, sealedTokenColumns } from "./tokens";
import { truelayer } from "./truelayer";

export type StopReason = "user_stopped" | "already_ended_at_truelayer" | "truelayer_unreachable";

export type SealedTokens = {
  accessTokenSealed: string | null;
  refreshTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
};

/** Sealed successors to store before the new access token is used (the old refresh token may be dead). */
export type TokenSuccessor = ReturnType<typeof sealedTokenColumns> & { accessTokenExpiresAt: Date };

// invalid_client is our credentials refused: it says nothing about the connection (decision 021).
function alreadyEnded(error: unknown): boolean {
  return (
    error instanceof TrueLayerError &&
    !error.clientRejected &&
    (error.reconnectRequired || error.status === 401)
  );
}

function logFailure(step: "refresh" | "delete", error: unknown): void {
  if (error instanceof TrueLayerError && error.clientRejected) {
    alertOperator(`TrueLayer refused our client credentials on revoke (${step})`, error);
  } else console.warn(`Revoke: ${step} failed`, redact(error));
}

async function accessTokenFor(
  row: SealedTokens,
  store: (successor: TokenSuccessor) => Promise<void>,
): Promise<{ token: string } | { ended: StopReason }> {
  const fresh = row.accessTokenExpiresAt && row.accessTokenExpiresAt > now();
  if (row.accessTokenSealed && fresh) return { token: openSecret(row.accessTokenSealed) };
  if (!row.refreshTokenSealed) return { ended: "already_ended_at_truelayer" };
  let tokens: Awaited<ReturnType<ReturnType<typeof truelayer>["refreshToken"]>>;
  try {
    tokens = await truelayer().refreshToken({ refreshToken: openSecret(row.refreshTokenSealed) });
  } catch (error) {
    if (alreadyEnded(error)) return { ended: "already_ended_at_truelayer" };
    logFailure("refresh", error);
    return { ended: "truelayer_unreachable" };
  }
  await store({
    ...sealedTokenColumns(tokens),
    accessTokenExpiresAt: new Date(now().getTime() + tokens.expiresIn * 1000),
  });
  return { token: tokens.accessToken };
}

/** DELETE /api/delete, refreshing first when the access token has expired. Only our own storage throws. */
export async function revokeWithTokens(
  row: SealedTokens,
  store: (successor: TokenSuccessor) => Promise<void>,
): Promise<StopReason> {
  const access = await accessTokenFor(row, store);
  if ("ended" in access) return access.ended;
  try {
    const outcome = await truelayer().deleteConnection(access.token);
    return outcome === "revoked" ? "user_stopped" : "already_ended_at_truelayer";
  } catch (error) {
    if (alreadyEnded(error)) return "already_ended_at_truelayer";
    logFailure("delete", error);
    return "truelayer_unreachable";
  }
}
