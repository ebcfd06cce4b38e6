import { flakyPattern, type ProfileName, type ProfileOptions } from "./profiles";
import type { Client } from "./state";

export interface SandboxClientOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  consentScreenReviewed?: boolean;
  extendEnabled?: boolean;
  /** Default: the server's `profile`. */
  profile?: ProfileName;
  options?: ProfileOptions;
}

/** Options as stored: flakyClientAuth always as a pattern string, and dropped once empty. */
export function storedOptions(options: ProfileOptions = {}): ProfileOptions {
  const { flakyClientAuth, ...rest } = options;
  const pattern = flakyPattern(flakyClientAuth);
  return pattern ? { ...rest, flakyClientAuth: pattern } : rest;
}

/** A client record with every default filled in. */
export function clientRecord(client: SandboxClientOptions, defaultProfile: ProfileName): Client {
  return {
    consentScreenReviewed: true,
    extendEnabled: true,
    ...client,
    profile: client.profile ?? defaultProfile,
    options: storedOptions(client.options),
  };
}
