import "server-only";
import { type AuthLinkInput, buildAuthLink, createPkcePair } from "./auth-link";
import { resolveConfig, type TrueLayerConfig } from "./config";
import { type DataCallOptions, getAccounts, getBalance, getMe } from "./data";
import { type ExtendInput, extendConnection } from "./extend";
import { deleteConnection } from "./revoke";
import { type ExchangeCodeInput, exchangeCode, refreshToken } from "./tokens";

/** One client per environment; cheap to create, holds no connections. */
export function createTrueLayerClient(config: TrueLayerConfig) {
  const resolved = resolveConfig(config);
  return {
    target: resolved.target,
    clientId: resolved.clientId,
    buildAuthLink: (input: AuthLinkInput) => buildAuthLink(resolved, input),
    createPkcePair,
    exchangeCode: (input: ExchangeCodeInput) => exchangeCode(resolved, input),
    refreshToken: (input: { refreshToken: string }) => refreshToken(resolved, input),
    extendConnection: (input: ExtendInput) => extendConnection(resolved, input),
    getMe: (accessToken: string, options?: DataCallOptions) => getMe(resolved, accessToken, options),
    getAccounts: (accessToken: string, options?: DataCallOptions) =>
      getAccounts(resolved, accessToken, options),
    getBalance: (accessToken: string, accountId: string, options?: DataCallOptions) =>
      getBalance(resolved, accessToken, accountId, options),
    deleteConnection: (accessToken: string) => deleteConnection(resolved, accessToken),
  };
}

export type TrueLayerClient = ReturnType<typeof createTrueLayerClient>;
