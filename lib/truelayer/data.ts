import "server-only";
import type { z } from "zod";
import type { ResolvedConfig } from "./config";
import type { TrueLayerOperation } from "./errors";
import { call } from "./http";
import { parseOk } from "./response";
import {
  type Account,
  accountsResponseSchema,
  type Balance,
  balanceResponseSchema,
  type ListOf,
  type Me,
  meResponseSchema,
} from "./schemas";

export type { Account, Balance, ListOf, Me };

export interface DataCallOptions {
  /** The present user's IP, which lifts the bank's unattended limit; without it a read counts against the
   * bank's four a day, so it is never retried. */
  psuIp?: string;
}

function get<S extends z.ZodType>(
  config: ResolvedConfig,
  operation: TrueLayerOperation,
  path: string,
  accessToken: string,
  options: DataCallOptions,
  schema: S,
): Promise<z.output<S>> {
  const headers: Record<string, string> = { authorization: `Bearer ${accessToken}` };
  if (options.psuIp) headers["x-psu-ip"] = options.psuIp;
  return call(
    config,
    {
      operation,
      method: "GET",
      url: `${config.apiUrl}/data/v1${path}`,
      headers,
      userPresent: options.psuIp !== undefined,
    },
    (response) => parseOk(operation, response, schema, [config.clientSecret, accessToken]),
  );
}

/** The connection behind this token: provider and consent dates. Retried on transient failures (user present). */
export function getMe(
  config: ResolvedConfig,
  accessToken: string,
  options: DataCallOptions = {},
): Promise<Me> {
  return get(config, "getMe", "/me", accessToken, options, meResponseSchema);
}

export function getAccounts(
  config: ResolvedConfig,
  accessToken: string,
  options: DataCallOptions = {},
): Promise<ListOf<Account>> {
  return get(config, "getAccounts", "/accounts", accessToken, options, accountsResponseSchema);
}

export function getBalance(
  config: ResolvedConfig,
  accessToken: string,
  accountId: string,
  options: DataCallOptions = {},
): Promise<Balance> {
  const path = `/accounts/${encodeURIComponent(accountId)}/balance`;
  return get(config, "getBalance", path, accessToken, options, balanceResponseSchema);
}
