import "server-only";
import { env } from "@/lib/env";
import { createTrueLayerClient, type TrueLayerClient } from "@/lib/truelayer";
import { defaultProviders } from "./connect/link-input";

let client: TrueLayerClient | undefined;

export function truelayer(): TrueLayerClient {
  if (client) return client;
  const config = env();
  client = createTrueLayerClient({
    target: config.TRUELAYER_TARGET,
    authUrl: config.TRUELAYER_AUTH_URL,
    apiUrl: config.TRUELAYER_API_URL,
    clientId: config.TRUELAYER_CLIENT_ID,
    clientSecret: config.TRUELAYER_CLIENT_SECRET,
  });
  return client;
}

// Must be allow-listed in TrueLayer Console.
export function callbackUrl(): string {
  return `${env().APP_URL}/callback`;
}

export function providers(): string {
  const config = env();
  return config.TRUELAYER_PROVIDERS || defaultProviders(config.TRUELAYER_TARGET);
}
