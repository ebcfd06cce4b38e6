import { appendFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { e2eEnv } from "../e2e/fixtures";

export const PACK_DIR = path.resolve(import.meta.dirname, "..", "docs", "review-pack");
/** Where each shot is listed for scripts/review-pack.mjs, which writes the README from it. */
const MANIFEST = process.env.REVIEW_PACK_MANIFEST ?? path.join(tmpdir(), "reconsent-review-pack.jsonl");

export const WIDTHS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
] as const;

export type Shot = {
  id: string;
  title: string;
  /** What state the screen is in and how it was reached, for the reviewer. */
  note: string;
  /** What to photograph: the page (default) or one element of it. */
  element?: Locator;
};

/** The words a sighted user reads in `target`: screen-reader-only text is left out. */
async function visibleCopy(target: Locator): Promise<string> {
  return target.evaluate((root: HTMLElement) => {
    const hidden = [...root.querySelectorAll<HTMLElement>(".sr-only")].filter(
      (el) => getComputedStyle(el).position === "absolute",
    );
    const before = hidden.map((el) => el.style.display);
    for (const el of hidden) el.style.display = "none";
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a reader sees it, is the point.
    const text = root.innerText;
    hidden.forEach((el, i) => {
      el.style.display = before[i] ?? "";
    });
    return text.replace(/\n{3,}/g, "\n\n").trim();
  });
}

/** Photographs the current page at 360 and 1280 px wide (full page) and records its copy. */
export async function capture(page: Page, shot: Shot): Promise<void> {
  mkdirSync(PACK_DIR, { recursive: true });
  const files: Record<string, string> = {};
  const copies: Record<string, string> = {};
  const main = page.locator("main");
  const copyOf = shot.element ?? ((await main.count()) > 0 ? main.first() : page.locator("body"));
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    // Let layout settle and any focus ring or transition finish before the picture.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    const file = `${shot.id}-${size.width}.png`;
    const target = path.join(PACK_DIR, file);
    if (shot.element) await shot.element.screenshot({ path: target, animations: "disabled" });
    else await page.screenshot({ path: target, fullPage: true, animations: "disabled" });
    files[size.width] = file;
    copies[size.width] = await visibleCopy(copyOf);
  }
  // Outside links (TrueLayer's terms and privacy policy) with where they go, for the reviewer to check.
  const links = await copyOf.evaluate((root: HTMLElement) =>
    [...root.querySelectorAll<HTMLAnchorElement>("a[href]")]
      .map((a) => ({ text: (a.textContent ?? "").trim(), href: a.href }))
      .filter((link) => new URL(link.href).origin !== window.location.origin),
  );
  const url = new URL(page.url());
  const entry = {
    id: shot.id,
    title: shot.title,
    note: shot.note,
    // Only the path: queries can hold one-time codes and states.
    where: url.origin === new URL(e2eEnv().APP_URL ?? "").origin ? "app" : "TrueLayer simulator",
    path: url.pathname,
    files,
    copy: copies[1280],
    copyAt360: copies[360] === copies[1280] ? undefined : copies[360],
    links,
  };
  appendFileSync(MANIFEST, `${JSON.stringify(entry)}\n`);
}
