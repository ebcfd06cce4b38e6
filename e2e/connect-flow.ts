import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";
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

/** A connection row straight in the database (for ownership checks; it has no tokens). */
export async function seedConnection(userId: string): Promise<string> {
  const id = `c_${randomUUID()}`;
  await sql(
    `insert into "Connection" (id, "userId", "providerId", "providerName", scopes, "consentCreatedAt", "consentExpiresAt", "updatedAt")
     values ($1, $2, 'uk-cs-mock', 'Mock UK Bank', array['info','accounts'], now(), now() + interval '60 days', now())`,
    [id, userId],
  );
  return id;
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
