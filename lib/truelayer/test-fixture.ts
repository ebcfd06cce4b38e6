// Test-only: one in-process simulator and a client wired to it, with a unique client id per file.
import { randomUUID } from "node:crypto";
import { startSandbox } from "../../sandbox/server";
import { createTrueLayerClient, type TrueLayerClient } from "./client";
import type { TrueLayerConfig } from "./config";
import type { TokenSet } from "./schemas";
import { completeDialog, sandboxControls } from "./test-helpers";

export const REDIRECT_URI = "http://localhost:3999/callback";

export interface FixtureOptions {
  consentScreenReviewed?: boolean;
  extendEnabled?: boolean;
  client?: Partial<TrueLayerConfig>;
}

export async function startFixture(name: string, options: FixtureOptions = {}) {
  const clientId = `${name}-${randomUUID()}`;
  const clientSecret = `secret-${randomUUID()}`;
  const sandbox = await startSandbox({
    port: 0,
    dataFile: null,
    mode: "test",
    clients: [
      {
        clientId,
        clientSecret,
        redirectUris: [REDIRECT_URI],
        consentScreenReviewed: options.consentScreenReviewed ?? true,
        extendEnabled: options.extendEnabled ?? true,
      },
    ],
  });
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
    controls: sandboxControls(sandbox.url, clientId),
    close: () => sandbox.close(),
  };
}

export type Fixture = Awaited<ReturnType<typeof startFixture>>;
