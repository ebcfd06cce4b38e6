import { describe, expect, it } from "vitest";
import {
  accountsResponseSchema,
  balanceResponseSchema,
  errorBodySchema,
  extendResponseSchema,
  meResponseSchema,
  tokenResponseSchema,
} from "./schemas";

// Minimal TrueLayer-shaped payloads, carrying only what we require: they prove every uncertain field is optional.
describe("tokenResponseSchema", () => {
  it("accepts an access token alone and fills the documented defaults", () => {
    expect(tokenResponseSchema.parse({ access_token: "at" })).toEqual({
      accessToken: "at",
      refreshToken: undefined,
      expiresIn: 3600,
      tokenType: "Bearer",
      scope: undefined,
    });
  });

  it("maps a full answer and splits scope", () => {
    const parsed = tokenResponseSchema.parse({
      access_token: "at",
      refresh_token: "rt",
      expires_in: 3600,
      token_type: "Bearer",
      scope: "info accounts  offline_access",
    });
    expect(parsed).toMatchObject({ refreshToken: "rt", scope: ["info", "accounts", "offline_access"] });
  });

  it("drops garbled optional fields instead of failing", () => {
    const parsed = tokenResponseSchema.parse({
      access_token: "at",
      refresh_token: null,
      scope: 7,
      expires_in: "x",
    });
    expect(parsed).toMatchObject({ refreshToken: undefined, scope: undefined, expiresIn: 3600 });
  });

  it("rejects an answer without an access token", () => {
    expect(tokenResponseSchema.safeParse({ refresh_token: "rt" }).success).toBe(false);
  });
});

describe("extendResponseSchema", () => {
  it("no_action_needed needs only the access token", () => {
    expect(extendResponseSchema.parse({ action_needed: "no_action_needed", access_token: "at" })).toEqual({
      action: "no_action_needed",
      accessToken: "at",
      refreshToken: undefined,
      expiresIn: undefined,
      consentExpiresAt: undefined,
    });
  });

  it("no_action_needed reads the optional extras", () => {
    const parsed = extendResponseSchema.parse({
      action_needed: "no_action_needed",
      access_token: "at",
      refresh_token: "rt",
      expires_in: 3600,
      consent_expires_at: "2030-01-02T03:04:05.1234567Z",
    });
    expect(parsed).toMatchObject({ refreshToken: "rt", expiresIn: 3600 });
    expect(parsed.action === "no_action_needed" && parsed.consentExpiresAt?.toISOString()).toBe(
      "2030-01-02T03:04:05.123Z",
    );
  });

  it("ignores an unparseable consent_expires_at", () => {
    const parsed = extendResponseSchema.parse({
      action_needed: "no_action_needed",
      access_token: "at",
      consent_expires_at: "soon",
    });
    expect(parsed.action === "no_action_needed" && parsed.consentExpiresAt).toBeUndefined();
  });

  it.each(["authentication_needed", "reconfirmation_of_consent_needed"])("%s carries a link", (action) => {
    const link = "https://auth.truelayer-sandbox.com/x";
    expect(extendResponseSchema.parse({ action_needed: action, user_input_link: link })).toEqual({
      action,
      userInputLink: link,
    });
    expect(extendResponseSchema.safeParse({ action_needed: action }).success).toBe(false);
  });
});

describe("data schemas", () => {
  it("/me needs only credentials_id", () => {
    const me = meResponseSchema.parse({ results: [{ credentials_id: "c1" }] });
    expect(me).toEqual({
      clientId: undefined,
      credentialsId: "c1",
      consentStatus: undefined,
      consentCreatedAt: undefined,
      consentExpiresAt: undefined,
      provider: undefined,
    });
  });

  it("/me reads the provider, old SDK style too", () => {
    const nested = meResponseSchema.parse({
      results: [{ credentials_id: "c", provider: { provider_id: "ob-x", display_name: "X" } }],
      status: "Succeeded",
    });
    expect(nested.provider).toEqual({ providerId: "ob-x", displayName: "X", logoUri: undefined });
    const flat = meResponseSchema.parse({ results: [{ credentials_id: "c", provider_id: "ob-y" }] });
    expect(flat.provider).toEqual({ providerId: "ob-y" });
  });

  it("/me with no results is malformed", () => {
    expect(meResponseSchema.safeParse({ results: [] }).success).toBe(false);
  });

  // TrueLayer's own client types display_name and description as optional (IAccount.ts).
  it("an account needs only account_id; one odd item never fails the list", () => {
    const accounts = accountsResponseSchema.parse({
      results: [
        { account_id: "a1", currency: "GBP" },
        { display_name: "No id" },
        "not an object",
        { account_id: "a2", account_type: 7, display_name: null, currency: "POUNDS" },
      ],
    });
    expect(accounts.map((a) => a.accountId)).toEqual(["a1", "a2"]);
    expect(accounts.dropped).toBe(2);
    expect(accounts[1]).toMatchObject({
      accountType: undefined,
      displayName: undefined,
      currency: undefined,
    });
  });

  it("a single-item answer takes the first usable item", () => {
    const me = meResponseSchema.parse({ results: [{ client_id: "x" }, { credentials_id: "c1" }] });
    expect(me.credentialsId).toBe("c1");
    expect(() => meResponseSchema.parse({ results: [{ client_id: "x" }] })).toThrow();
  });

  it("accounts keep id, type, name and currency; unknown types pass", () => {
    const accounts = accountsResponseSchema.parse({
      results: [
        { account_id: "a1", account_type: "SOMETHING_NEW", display_name: "Current", currency: "GBP" },
      ],
    });
    expect(accounts).toEqual([
      {
        accountId: "a1",
        accountType: "SOMETHING_NEW",
        displayName: "Current",
        currency: "GBP",
        description: undefined,
        accountNumber: undefined,
        provider: undefined,
        updateTimestamp: undefined,
      },
    ]);
    expect(accountsResponseSchema.parse({ results: [] })).toEqual([]);
  });

  it("balance needs currency, available and current", () => {
    expect(
      balanceResponseSchema.parse({ results: [{ currency: "GBP", available: 1.5, current: -2 }] }),
    ).toEqual({
      currency: "GBP",
      available: 1.5,
      current: -2,
      overdraft: undefined,
      updateTimestamp: undefined,
    });
    expect(balanceResponseSchema.safeParse({ results: [{ currency: "GBP", available: "1" }] }).success).toBe(
      false,
    );
  });
});

describe("errorBodySchema", () => {
  it("accepts the OAuth shape, a field map, and junk", () => {
    expect(errorBodySchema.parse({ error: "invalid_grant" })).toMatchObject({ error: "invalid_grant" });
    expect(errorBodySchema.parse({ errors: { "user.email": ["bad"], phone: "bad" } }).errors).toEqual({
      "user.email": ["bad"],
      phone: "bad",
    });
    expect(errorBodySchema.parse({ error: 5, errors: "nope", error_details: [] })).toMatchObject({
      error: undefined,
      errors: undefined,
      error_details: undefined,
    });
  });
});
