import { createHmac, randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { e2eEnv, sql } from "./fixtures";

// The accessibility gate: WCAG 2.2 A and AA as axe-core checks it, and no sideways scrolling at 360px.

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 780 };

async function violations(page: Page): Promise<string[]> {
  const scan = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return scan.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

/** Zero axe violations at desktop and phone widths, and nothing wider than a 360px screen. */
export async function audit(page: Page, label: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  expect(await violations(page), `${label} (desktop)`).toEqual([]);
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${label}: horizontal scroll at 360px`).toBeLessThanOrEqual(0);
  expect(await violations(page), `${label} (360px)`).toEqual([]);
  await page.setViewportSize(DESKTOP);
}

/** The focused element draws a visible outline or ring. */
export async function expectVisibleFocus(page: Page, label: string): Promise<void> {
  const style = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const css = getComputedStyle(el);
    return { outline: css.outlineStyle, width: css.outlineWidth, shadow: css.boxShadow };
  });
  expect(style, `${label}: nothing focused`).not.toBeNull();
  const outlined = style?.outline !== "none" && style?.width !== "0px";
  const ringed = Boolean(style?.shadow && style.shadow !== "none");
  expect(outlined || ringed, `${label}: focus is not visible (${JSON.stringify(style)})`).toBe(true);
}

type State = "active" | "expiring" | "lapsed" | "needs_bank" | "revoked";
const EXPIRES: Record<State, string> = {
  active: "60 days",
  expiring: "5 days",
  lapsed: "-3 days",
  needs_bank: "20 days",
  revoked: "30 days",
};
const STATUS: Record<State, string> = {
  active: "ACTIVE",
  expiring: "ACTIVE",
  lapsed: "ACTIVE",
  needs_bank: "NEEDS_BANK_AUTH",
  revoked: "REVOKED",
};

/** A connection row in one consent state, with an account (no tokens: for pages that only read). */
export async function seedConnectionIn(userId: string, state: State, bank: string): Promise<string> {
  const id = `c_${randomUUID()}`;
  await sql(
    `insert into "Connection" (id, "userId", "providerId", "providerName", scopes, status, "consentCreatedAt", "consentExpiresAt", "updatedAt")
     values ($1, $2, $3, $4, array['info','accounts','balance','offline_access'], $5::"ConnectionStatus",
             now() - interval '80 days', now() + $6::interval, now())`,
    [id, userId, `uk-a11y-${state}`, bank, STATUS[state], EXPIRES[state]],
  );
  await sql(
    `insert into "BankAccount" (id, "connectionId", "truelayerAccountId", "displayName", "accountType", "maskedNumber", currency)
     values ($1, $2, $3, 'Current Account', 'TRANSACTION', '•••• 1234', 'GBP')`,
    [`a_${randomUUID()}`, id, `acc-${randomUUID()}`],
  );
  return id;
}

/** A finished (or unfinished) code exchange, as /callback leaves it. */
export async function seedCodeExchange(
  userId: string,
  outcome: string,
  connectionId: string | null = null,
): Promise<string> {
  const id = `x_${randomUUID()}`;
  await sql(
    `insert into "CodeExchange" (id, "codeHash", "userId", "connectionId", outcome) values ($1, $2, $3, $4, $5)`,
    [id, randomUUID(), userId, connectionId, outcome],
  );
  return id;
}

/** The link a reminder email carries (same signing as lib/reminders/unsubscribe-token.ts). */
export function unsubscribePath(userId: string): string {
  const signature = createHmac("sha256", e2eEnv().AUTH_SECRET ?? "")
    .update(`reconsent:unsubscribe:reminders:v1\n${userId}`)
    .digest("base64url");
  return `/unsubscribe?token=${Buffer.from(userId).toString("base64url")}.${signature}`;
}
