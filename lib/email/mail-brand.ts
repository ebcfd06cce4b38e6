import "server-only";
import { brand } from "@/lib/brand";
import { env } from "@/lib/env";
import type { MailBrand } from "./layout";

export const DEFAULT_MAIL_COLOR = "#185a44";

export function mailBrand(): MailBrand {
  const b = brand();
  const appUrl = env().APP_URL;
  return {
    appName: b.appName,
    appUrl,
    color: b.color ?? DEFAULT_MAIL_COLOR,
    logoUrl: b.logoUrl ? new URL(b.logoUrl, appUrl).toString() : null,
    supportEmail: b.supportEmail,
    privacyUrl: b.privacyUrl,
    termsUrl: b.termsUrl,
  };
}
