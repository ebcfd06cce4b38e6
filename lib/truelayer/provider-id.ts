import type { TrueLayerTarget } from "./config";

// ../shared/truelayer-api.md §11 (TL "Build a Data auth link"; TrueLayer's JS client fixtures): in the
// sandbox the mock bank is asked for as `uk-cs-mock` in the auth link, while /me and /accounts name it
// `mock`, which the auth dialog refuses as a provider_id. Production ids come back as they are asked for.
const SANDBOX_AUTH_LINK_IDS: Readonly<Record<string, string>> = { mock: "uk-cs-mock" };

/** The auth link's `provider_id` for a provider id an answer named; undefined leaves the choice to the user. */
export function authLinkProviderId(
  target: TrueLayerTarget,
  answered: string | undefined,
): string | undefined {
  // snapshotFrom stores "unknown" when no answer named the provider.
  if (!answered || answered === "unknown") return undefined;
  if (target === "production") return answered;
  return SANDBOX_AUTH_LINK_IDS[answered] ?? answered;
}
