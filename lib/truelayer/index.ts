import "server-only";

export type { AuthLinkInput, TrueLayerScope } from "./auth-link";
export { createTrueLayerClient, type TrueLayerClient } from "./client";
export type { TrueLayerConfig, TrueLayerTarget } from "./config";
export type { DataCallOptions } from "./data";
export { isTrueLayerError, TrueLayerError, type TrueLayerOperation } from "./errors";
export type { ExtendInput, ExtendUser } from "./extend";
export { authLinkProviderId } from "./provider-id";
export { redact, redactText } from "./redact";
export type { RevokeOutcome } from "./revoke";
export type { Account, Balance, ExtendResult, ListOf, Me, Provider, TokenSet } from "./schemas";
export type { ExchangeCodeInput } from "./tokens";
export { userMessageFor } from "./user-message";
