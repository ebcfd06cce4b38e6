import "server-only";
import { randomBytes } from "node:crypto";
import { now } from "@/lib/clock";
import { sha256Hex } from "@/lib/crypto/sha256";
import { sealSecret } from "../sealed-tokens";
import { getConnectionForUser } from "../store/connections";
import { createAuthState } from "../store/exchanges";
import { callbackUrl, providers, truelayer } from "../truelayer-client";
import { connectLinkInput } from "./link-input";

export const AUTH_STATE_MS = 10 * 60 * 1000;

export type StartConnect = { ok: true; link: string } | { ok: false; problem: "not_found" };

// `state` is random and single-use (only its hash kept), bound to this user and browser; the PKCE verifier stays sealed.
export async function startConnect(
  userId: string,
  options: { providerId?: string; reconnectId?: string; browserHash?: string } = {},
): Promise<StartConnect> {
  let providerId = options.providerId;
  let replaceId: string | undefined;
  if (options.reconnectId) {
    const existing = await getConnectionForUser(options.reconnectId, userId);
    if (!existing) return { ok: false, problem: "not_found" };
    providerId = existing.providerId;
    // A stopped connection stays stopped in the history; sharing again is a new connection.
    if (existing.status !== "REVOKED") replaceId = existing.id;
  }
  const state = randomBytes(32).toString("base64url");
  const pkce = truelayer().createPkcePair();
  const redirectUri = callbackUrl();
  await createAuthState({
    stateHash: sha256Hex(state),
    userId,
    purpose: replaceId ? "RECONNECT" : "CONNECT",
    connectionIds: replaceId ? [replaceId] : [],
    providerId,
    codeVerifierSealed: sealSecret(pkce.verifier),
    redirectUri,
    expiresAt: new Date(now().getTime() + AUTH_STATE_MS),
    browserHash: options.browserHash,
  });
  const link = truelayer().buildAuthLink(
    connectLinkInput({
      target: truelayer().target,
      redirectUri,
      state,
      codeChallenge: pkce.challenge,
      providers: providers(),
      providerId,
    }),
  );
  return { ok: true, link };
}
