import "server-only";
import { type Env, env } from "./env";

/** The deployer's name, purpose and policies: every page, mail and the consent wording read them here. */
export type Brand = {
  appName: string;
  sharingPurpose: string;
  privacyUrl: string;
  termsUrl: string;
  supportEmail: string;
  color: string | null;
  logoUrl: string | null;
};

/** TrueLayer's own words for itself (its end-user terms); the consent screen and footer name it. */
export const TRUELAYER_FIRM = { name: "TrueLayer Limited", frn: "901096" } as const;

type BrandKey =
  | "APP_NAME"
  | "SHARING_PURPOSE"
  | "PRIVACY_URL"
  | "TERMS_URL"
  | "SUPPORT_EMAIL"
  | "BRAND_COLOR"
  | "BRAND_LOGO_URL";

export const DEMO_APP_NAME = "Reconsent";
export const DEMO_SUPPORT_EMAIL = "support@reconsent.localhost";

// Production has no defaults: lib/env.ts refuses to start without them.
export function brand(): Brand {
  return brandOf(env());
}

export function brandOf(e: Pick<Env, "APP_URL" | BrandKey>): Brand {
  const appName = e.APP_NAME ?? DEMO_APP_NAME;
  return {
    appName,
    sharingPurpose: e.SHARING_PURPOSE ?? `So ${appName} can keep your budget up to date.`,
    privacyUrl: e.PRIVACY_URL ?? `${e.APP_URL}/privacy`,
    termsUrl: e.TERMS_URL ?? `${e.APP_URL}/terms`,
    supportEmail: e.SUPPORT_EMAIL ?? DEMO_SUPPORT_EMAIL,
    color: e.BRAND_COLOR ?? null,
    logoUrl: e.BRAND_LOGO_URL ?? null,
  };
}

/** A path on our own site when the URL points at it, so links stay inside the app. */
export function localHref(url: string): string {
  const own = env().APP_URL;
  return url === own || url.startsWith(`${own}/`) ? url.slice(own.length) || "/" : url;
}

export function brandStyle(color: string | null): string | null {
  if (!color) return null;
  const mix = (share: number, with_: string) => `color-mix(in srgb, ${color} ${share}%, ${with_})`;
  return `:root{--color-brand-700:${color};--color-brand-600:${mix(85, "white")};--color-brand-800:${mix(80, "black")};--color-brand-100:${mix(15, "white")};--color-brand-50:${mix(7, "white")}}`;
}
