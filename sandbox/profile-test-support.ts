import { expect } from "vitest";
import type { ProfileName, ProfileOptions } from "./profiles";
import { connect, extendBody, postForm, postJson, type TestClient, type Tokens } from "./test-support";

export interface ExtendAnswer extends Partial<Tokens> {
  action_needed: string;
  user_input_link?: string;
  consent_expires_at?: string;
}

export interface MeAnswer {
  credentials_id: string;
  consent_expires_at: string;
  provider: { display_name: string; logo_uri: string; provider_id: string };
}

/** Changes a client's profile and replaces its option overrides. */
export async function setProfile(
  base: string,
  clientId: string,
  body: { profile?: ProfileName; options?: ProfileOptions },
) {
  const res = await postJson(base, "/_sandbox/profile", { clientId, ...body });
  expect(res.status).toBe(200);
}

export async function extend(
  base: string,
  client: TestClient,
  refreshToken: string,
  extra: Record<string, unknown> = {},
): Promise<ExtendAnswer> {
  const res = await postJson(base, "/data/v1/connections/extend", extendBody(client, refreshToken, extra));
  expect(res.status).toBe(200);
  return (await res.json()) as ExtendAnswer;
}

/**
 * Connects as john/<password>, extends (authentication_needed) and answers the bank page; returns the
 * bank's raw answer (a 302 or a form_post page) and the tokens from the first connection.
 */
export async function bankTrip(
  base: string,
  client: TestClient,
  options: { password?: string; extend?: Record<string, unknown>; action?: "approve" | "cancel" } = {},
): Promise<{ res: Response; tokens: Tokens }> {
  const password = options.password ?? "doe";
  const tokens = await connect(base, client, "john", password);
  const answer = await extend(base, client, tokens.refresh_token ?? "", options.extend);
  expect(answer.action_needed).toBe("authentication_needed");
  const path = new URL(answer.user_input_link ?? "").pathname;
  const res = await postForm(base, `${path}/${options.action ?? "approve"}`, { password });
  return { res, tokens };
}

export async function getMe(base: string, accessToken: string): Promise<MeAnswer> {
  const res = await fetch(`${base}/data/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: MeAnswer[] };
  const me = body.results[0];
  if (!me) throw new Error("no /me result");
  return me;
}
