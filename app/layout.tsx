import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { SiteFooter } from "@/app/_components/site-footer";
import { brand, brandStyle } from "@/lib/brand";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  const { appName } = brand();
  return {
    title: { default: appName, template: `%s · ${appName}` },
    description: "Keep sharing your bank data with the apps you choose, on your terms.",
    icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request, so each gets the CSP nonce proxy.ts made for it.
  await connection();
  const style = brandStyle(brand().color);
  return (
    <html lang="en-GB">
      <body className="flex min-h-screen flex-col font-sans antialiased">
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a colour lib/env.ts checked as #rrggbb */}
        {style ? <style dangerouslySetInnerHTML={{ __html: style }} /> : null}
        <div className="flex-1">{children}</div>
        <SiteFooter />
      </body>
    </html>
  );
}
