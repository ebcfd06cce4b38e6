import { gzipSync } from "node:zlib";
import type { BenchUser } from "./bench-data";

// First-load JavaScript as a browser gets it: every <script src> in the served HTML, fetched and
// gzipped (level 9), plus the inline scripts (React's payload) counted apart.

export type JsWeight = { route: string; files: number; external: number; inline: number };

const gz = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;

export async function firstLoadJs(appUrl: string, route: string, user?: BenchUser): Promise<JsWeight> {
  const headers = user ? { cookie: user.cookie } : undefined;
  const res = await fetch(`${appUrl}${route}`, { headers });
  if (res.status !== 200) throw new Error(`${route} answered ${res.status}`);
  const html = await res.text();
  const sources = new Set(
    [...html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&")),
  );
  let external = 0;
  for (const src of sources) {
    const file = await fetch(new URL(src, appUrl));
    if (!file.ok) throw new Error(`${src} answered ${file.status}`);
    external += gz(await file.text());
  }
  const inline = [...html.matchAll(/<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] ?? "")
    .join("\n");
  return { route, files: sources.size, external, inline: gz(inline) };
}

/** Whether the page's form posts without JavaScript: a real form element with a POST method. */
export async function worksWithoutJs(appUrl: string, route: string, user: BenchUser): Promise<boolean> {
  const html = await (await fetch(`${appUrl}${route}`, { headers: { cookie: user.cookie } })).text();
  return /<form\b[^>]*method="POST"/i.test(html) && /<button\b[^>]*type="submit"/.test(html);
}
