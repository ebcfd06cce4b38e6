import { createHmac } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { seedBareConnection, seedCodeExchange as seedExchange } from "../kit";
import { decodeOutcome } from "../lib/connections/store/exchanges";
import { e2eEnv } from "./fixtures";

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
const DAYS_LEFT: Record<State, number> = { active: 60, expiring: 5, lapsed: -3, needs_bank: 20, revoked: 30 };
const STATUS = {
  active: "ACTIVE",
  expiring: "ACTIVE",
  lapsed: "ACTIVE",
  needs_bank: "NEEDS_BANK_AUTH",
  revoked: "REVOKED",
} as const;
const DAY_MS = 86_400_000;

/** A connection row in one consent state, with an account (no tokens: for pages that only read). */
export async function seedConnectionIn(userId: string, state: State, bank: string): Promise<string> {
  return seedBareConnection(userId, {
    providerId: `uk-a11y-${state}`,
    providerName: bank,
    status: STATUS[state],
    consentCreatedAt: new Date(Date.now() - 80 * DAY_MS),
    consentExpiresAt: new Date(Date.now() + DAYS_LEFT[state] * DAY_MS),
    accounts: [{ displayName: "Current Account", maskedNumber: "•••• 1234" }],
  });
}

/** A finished (or unfinished) code exchange, as /callback leaves it. */
export const seedCodeExchange = (userId: string, outcome: string, connectionId: string | null = null) =>
  seedExchange(userId, decodeOutcome(outcome), connectionId);

/** The link a reminder email carries (same signing as lib/reminders/unsubscribe-token.ts). */
export function unsubscribePath(userId: string): string {
  const signature = createHmac("sha256", e2eEnv().AUTH_SECRET ?? "")
    .update(`reconsent:unsubscribe:reminders:v1\n${userId}`)
    .digest("base64url");
  return `/unsubscribe?token=${Buffer.from(userId).toString("base64url")}.${signature}`;
}
