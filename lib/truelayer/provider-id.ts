import type { TrueLayerTarget } from "./config";

// ../shared/truelayer-api.md §11 (TL "Build a Data auth link"; TL's JS client fixtures): the sandbox auth link asks
// for `uk-cs-mock`, /me and /accounts say `mock`, which the dialog refuses. Production ids come back as asked.
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
