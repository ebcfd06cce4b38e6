import { expect, type Page } from "@playwright/test";
import { seedBareConnection } from "../kit";
import { sql } from "./fixtures";

/** Connects the Mock UK Bank from the dashboard through the simulator's dialog, as a user would. */
export async function connectInBrowser(page: Page, options: { password?: string } = {}) {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Connect a bank" }).first().click();
  await page.getByRole("button", { name: "Mock UK Bank" }).click();
  await page.getByLabel("Username").fill("john");
  await page.getByLabel("Password").fill(options.password ?? "eternal");
  await page.getByRole("button", { name: "Log in and allow access" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mock UK Bank is connected.");
}

export async function connectionsOf(userId: string) {
  return sql<{
    id: string;
    status: string;
    accessTokenSealed: string | null;
    refreshTokenSealed: string | null;
    consentExpiresAt: Date;
  }>(
    `select id, status, "accessTokenSealed", "refreshTokenSealed", "consentExpiresAt" from "Connection" where "userId" = $1`,
    [userId],
  );
}

/** A connection row with no tokens (for ownership checks), through the store's seeding. */
export async function seedTokenlessConnection(userId: string): Promise<string> {
  return seedBareConnection(userId, {
    providerId: "uk-cs-mock",
    providerName: "Mock UK Bank",
    scopes: ["info", "accounts"],
    consentCreatedAt: new Date(),
    consentExpiresAt: new Date(Date.now() + 60 * 86_400_000),
  });
}

/** "14 February 2027", as the app formats dates. */
export function longDate(date: Date): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "Europe/London",
  }).format(date);
}
