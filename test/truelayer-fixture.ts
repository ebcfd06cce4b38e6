// Test-only: the kit's in-process simulator and a TrueLayer client wired to it, for the client's own tests.
import { randomUUID } from "node:crypto";
import { completeDialog, startTestSandbox } from "@/kit";
import { createTrueLayerClient, type TrueLayerClient } from "@/lib/truelayer/client";
import type { TrueLayerConfig } from "@/lib/truelayer/config";
import type { TokenSet } from "@/lib/truelayer/schemas";

export const REDIRECT_URI = "http://localhost:3999/callback";

export interface FixtureOptions {
  consentScreenReviewed?: boolean;
  extendEnabled?: boolean;
  client?: Partial<TrueLayerConfig>;
}

export async function startFixture(name: string, options: FixtureOptions = {}) {
  const sandbox = await startTestSandbox({
    name,
    redirectUri: REDIRECT_URI,
    consentScreenReviewed: options.consentScreenReviewed,
    extendEnabled: options.extendEnabled,
  });
  const { clientId, clientSecret } = sandbox;
  const sleeps: number[] = [];
  const makeClient = (overrides: Partial<TrueLayerConfig> = {}): TrueLayerClient =>
    createTrueLayerClient({
      target: "simulator",
      authUrl: sandbox.url,
      apiUrl: sandbox.url,
      clientId,
      clientSecret,
      timeoutMs: 3_000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...options.client,
      ...overrides,
    });
  const client = makeClient();

  /** A fresh connection for a mock-bank persona (username john, password = persona). */
  async function connect(password = "doe", username = "john"): Promise<TokenSet & { refreshToken: string }> {
    const link = client.buildAuthLink({
      redirectUri: REDIRECT_URI,
      scopes: ["info", "accounts", "balance", "offline_access"],
      state: randomUUID(),
      providers: ["uk-cs-mock"],
      providerId: "uk-cs-mock",
    });
    const { code } = await completeDialog(link, { username, password });
    const tokens = await client.exchangeCode({ code, redirectUri: REDIRECT_URI });
    if (!tokens.refreshToken) throw new Error("fixture: expected a refresh token with offline_access");
    return { ...tokens, refreshToken: tokens.refreshToken };
  }

  return {
    sandbox,
    url: sandbox.url,
    clientId,
    clientSecret,
    client,
    makeClient,
    sleeps,
    connect,
    controls: sandbox.controls,
    close: () => sandbox.close(),
  };
}

export type Fixture = Awaited<ReturnType<typeof startFixture>>;
