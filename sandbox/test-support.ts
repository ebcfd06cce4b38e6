import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { sandboxControls } from "./client/controls";
import { controlHeaders } from "./control-token";
import type { ProfileName, ProfileOptions } from "./profiles";
import { type Sandbox, startSandbox } from "./server";

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

export const FULL_SCOPE = "info accounts balance offline_access";

/** The run's control token for calls to `/_sandbox/*` (the simulator was started in this process). */
const tokenFor = (base: string, path: string) => (path.startsWith("/_sandbox/") ? controlHeaders(base) : {});

export async function postJson(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...tokenFor(base, path), ...headers },
    body: JSON.stringify(body),
    redirect: "manual",
  });
}

/** A GET of one of the controls, with the run's token. */
export function getControl(base: string, path: string) {
  return fetch(`${base}${path}`, { headers: tokenFor(base, path) });
}

export async function postForm(base: string, path: string, fields: Record<string, string>) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...tokenFor(base, path) },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** Registers a fresh client, so each test has its own clock, faults and call log. */
export async function newClient(
  base: string,
  options: {
    consentScreenReviewed?: boolean;
    extendEnabled?: boolean;
    profile?: ProfileName;
    options?: ProfileOptions;
  } = {},
): Promise<TestClient> {
  const client = {
    clientId: `sandbox-test-${randomUUID()}`,
    clientSecret: `secret-${randomUUID()}`,
    redirectUri: "https://app.example/callback",
  };
  await sandboxControls(base, client.clientId).register({
    clientSecret: client.clientSecret,
    redirectUris: [client.redirectUri],
    ...options,
  });
  return client;
}

export function authLink(base: string, client: TestClient, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: FULL_SCOPE,
    providers: "uk-cs-mock uk-ob-all uk-oauth-all",
    state: `state-${randomUUID()}`,
    ...extra,
  });
  return `${base}/?${q.toString()}`;
}

export function location(res: Response): URL {
  const value = res.headers.get("location");
  if (value === null) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(value, "http://relative.invalid");
}

/** Opens an auth link and returns the dialog path it redirects to. */
export async function openLink(link: string): Promise<string> {
  const res = await fetch(link, { redirect: "manual" });
  expect(res.status).toBe(303);
  return location(res).pathname;
}

/** Goes through the dialog as a user would and returns the redirect back to the app. */
export async function authorise(
  base: string,
  client: TestClient,
  options: { username?: string; password?: string; extra?: Record<string, string> } = {},
): Promise<URL> {
  const dialog = await openLink(authLink(base, client, { provider_id: "uk-cs-mock", ...options.extra }));
  const res = await postForm(base, `${dialog}/login`, {
    username: options.username ?? "john",
    password: options.password ?? "doe",
  });
  expect(res.status).toBe(302);
  return location(res);
}

export async function exchangeCode(
  base: string,
  client: TestClient,
  code: string,
  extra: Record<string, string> = {},
) {
  return postForm(base, "/connect/token", {
    grant_type: "authorization_code",
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uri: client.redirectUri,
    code,
    ...extra,
  });
}

export async function refresh(base: string, client: TestClient, refreshToken: string) {
  return postForm(base, "/connect/token", {
    grant_type: "refresh_token",
    client_id: client.clientId,
    client_secret: client.clientSecret,
    refresh_token: refreshToken,
  });
}

/** A fresh connection for the given mock user, with tokens. */
export async function connect(
  base: string,
  client: TestClient,
  username = "john",
  password = "doe",
): Promise<Tokens> {
  const back = await authorise(base, client, { username, password });
  const code = back.searchParams.get("code") ?? "";
  const res = await exchangeCode(base, client, code);
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
}

export async function advance(
  base: string,
  clientId: string,
  clock: { advanceDays?: number; advanceMs?: number },
) {
  await sandboxControls(base, clientId).advanceClock(
    (clock.advanceDays ?? 0) + (clock.advanceMs ?? 0) / 86_400_000,
  );
}

export function getWithToken(
  base: string,
  path: string,
  token: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

export function extendBody(client: TestClient, refreshToken: string, extra: Record<string, unknown> = {}) {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    refresh_token: refreshToken,
    redirect_uri: client.redirectUri,
    user_has_reconfirmed_consent: true,
    user: { id: "user-1", name: "John Doe", email: "john@example.com" },
    ...extra,
  };
}

/**
 * One simulator per test file (memory only) and a fresh client of its own for every test: `use`
 * receives both before each test.
 */
/** The simulator of a file that called withSandbox(), and a fresh client of it for each test (live bindings). */
export let base = "";
export let client: TestClient;
export function replaceClient(next: TestClient): void {
  client = next;
}

export function withSandbox(): void {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataFile: null });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    if (!sandbox) throw new Error("The simulator did not start.");
    base = sandbox.url;
    client = await newClient(sandbox.url);
  });
}
