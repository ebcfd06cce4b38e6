import { describe, expect, it } from "vitest";
import { LOCAL_ENV, PRODUCTION_ENV } from "@/test/env-fixture";
import { brandOf, brandStyle } from "./brand";
import { contrastWithWhite, envProblems, parseEnv } from "./env";

const local = LOCAL_ENV;
const branded = {
  APP_NAME: "Budgetly",
  SHARING_PURPOSE: "So Budgetly can track your spending against your plan.",
  PRIVACY_URL: "https://budgetly.co.uk/privacy",
  TERMS_URL: "https://budgetly.co.uk/terms",
  SUPPORT_EMAIL: "help@budgetly.co.uk",
};
const production = Object.fromEntries(
  Object.entries(PRODUCTION_ENV).filter(([key]) => !(key in branded)),
) as Record<string, string | undefined>;

const problemsOf = envProblems;

describe("the deployer's brand", () => {
  it("has the demo's name, purpose and our own policy pages by default outside production", () => {
    expect(brandOf(parseEnv(local))).toEqual({
      appName: "Reconsent",
      sharingPurpose: "So Reconsent can keep your budget up to date.",
      privacyUrl: "http://localhost:3000/privacy",
      termsUrl: "http://localhost:3000/terms",
      supportEmail: "support@reconsent.localhost",
      color: null,
      logoUrl: null,
    });
  });

  it("takes every value from the environment", () => {
    const brand = brandOf(
      parseEnv({ ...local, ...branded, BRAND_COLOR: "#5b21b6", BRAND_LOGO_URL: "/budgetly.svg" }),
    );
    expect(brand).toEqual({
      appName: "Budgetly",
      sharingPurpose: branded.SHARING_PURPOSE,
      privacyUrl: branded.PRIVACY_URL,
      termsUrl: branded.TERMS_URL,
      supportEmail: branded.SUPPORT_EMAIL,
      color: "#5b21b6",
      logoUrl: "/budgetly.svg",
    });
    expect(brandStyle(brand.color)).toContain("--color-brand-700:#5b21b6");
    expect(brandStyle(null)).toBeNull();
  });

  it("requires name, purpose, policies and contact in production, and starts with them", () => {
    const problems = problemsOf(production);
    for (const key of Object.keys(branded)) expect(problems).toContain(`${key} is required in production`);
    expect(problemsOf({ ...production, ...branded })).toEqual([]);
  });

  it("refuses a purpose that is not one sentence, a colour white text cannot sit on, and bad addresses", () => {
    expect(problemsOf({ ...local, SHARING_PURPOSE: "We budget. We also sell things." })).toEqual([
      "SHARING_PURPOSE must be one sentence",
    ]);
    expect(problemsOf({ ...local, SHARING_PURPOSE: "No full stop" })).toEqual([
      "SHARING_PURPOSE must be one sentence ending in a full stop",
    ]);
    expect(problemsOf({ ...local, BRAND_COLOR: "#ffd700" })).toEqual([
      "BRAND_COLOR must be dark enough for white text on it (contrast of 4.5:1 or more)",
    ]);
    expect(problemsOf({ ...local, BRAND_COLOR: "green" })).toEqual([
      "BRAND_COLOR must be a colour like #185a44",
    ]);
    expect(problemsOf({ ...local, SUPPORT_EMAIL: "help" })).toEqual([
      "SUPPORT_EMAIL must be an email address",
    ]);
    expect(problemsOf({ ...local, PRIVACY_URL: "/privacy" })).toEqual([
      "PRIVACY_URL must be an absolute URL (http:// or https://)",
    ]);
    expect(problemsOf({ ...local, BRAND_LOGO_URL: "logo.svg" })).toHaveLength(1);
  });

  it("measures contrast as WCAG does", () => {
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 5);
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    expect(contrastWithWhite("#185a44")).toBeGreaterThan(7);
  });
});
