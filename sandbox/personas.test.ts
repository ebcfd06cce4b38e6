import { describe, expect, it } from "vitest";
import { isValidIban, ukIban } from "./accounts";
import { findPersona } from "./personas";
import { coveredProviders } from "./providers";

describe("mock users", () => {
  it.each([
    ["john", "doe", "doe"],
    ["john7", "doe7", "doe"],
    ["john100", "iban3", "iban"],
    ["john", "iban", "iban"],
    ["john", "eternal", "eternal"],
    ["john", "norotate", "norotate"],
    ["john", "reconfirm", "reconfirm"],
    ["john", "cancel", "cancel"],
    ["john", "multi", "multi"],
    ["error.provider_error", "error", "error.provider_error"],
    ["error.wrong_credentials", "error", "error.wrong_credentials"],
  ])("%s / %s logs in as %s", (username, password, key) => {
    expect(findPersona(username, password)?.key).toBe(key);
  });

  it.each([
    ["john", "wrong"],
    ["john101", "doe"],
    ["jane", "doe"],
    ["john2", "eternal"],
    ["error.provider_error", "nope"],
    ["error.unknown", "error"],
  ])("%s / %s is wrong credentials", (username, password) => {
    expect(findPersona(username, password)).toBeUndefined();
  });
});

describe("IBANs and providers", () => {
  it("builds valid UK IBANs", () => {
    const iban = ukIban("MOCK", "040010", "12345678");
    expect(iban).toMatch(/^GB\d{2}MOCK04001012345678$/);
    expect(isValidIban(iban)).toBe(true);
    expect(isValidIban("GB82WEST12345698765432")).toBe(true);
    expect(isValidIban("GB00WEST12345698765432")).toBe(false);
  });

  it("selects banks from the providers list", () => {
    const ids = (tokens: string[], mock = false) => coveredProviders(tokens, mock).map((p) => p.id);
    expect(ids(["uk-cs-mock"])).toEqual(["uk-cs-mock"]);
    expect(ids(["uk-ob-all"])).toEqual(["uk-ob-mock-harbour"]);
    expect(ids(["mock"])).toHaveLength(3);
    expect(ids([], true)).toHaveLength(3);
    expect(ids(["uk-oauth-all"])).toEqual(["uk-oauth-mock-kestrel"]);
  });
});
