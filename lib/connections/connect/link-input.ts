import { type AuthLinkInput, authLinkProviderId, type TrueLayerTarget } from "@/lib/truelayer";
import { CONNECT_SCOPES } from "../describe";

// Pure, so `npm run smoke:truelayer` sends TrueLayer's sandbox exactly the link the app sends.

/** The banks offered when TRUELAYER_PROVIDERS is unset; the sandbox's mock bank outside production. */
export function defaultProviders(target: TrueLayerTarget): string {
  return target === "production" ? "uk-ob-all uk-oauth-all" : "uk-cs-mock uk-ob-all uk-oauth-all";
}

export function connectLinkInput(input: {
  target: TrueLayerTarget;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  providers: string;
  providerId?: string;
}): AuthLinkInput {
  return {
    redirectUri: input.redirectUri,
    scopes: CONNECT_SCOPES,
    state: input.state,
    providers: input.providers.split(/\s+/).filter(Boolean),
    providerId: authLinkProviderId(input.target, input.providerId),
    codeChallenge: input.codeChallenge,
  };
}
