/** The app's own host: server actions accept only posts whose Origin is it (or the request's Host). */
function appHost() {
  try {
    return process.env.APP_URL ? [new URL(process.env.APP_URL).host] : [];
  } catch {
    return [];
  }
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Hosts other than Vercel can run `.next/standalone/server.js` without node_modules (docs/deploy.md).
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  reactStrictMode: true,
  // The PGlite/simulator tooling is for local use only and must never be bundled.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg"],
  // `npm test` type-checks on its own first; Vercel builds keep Next's check.
  typescript: { ignoreBuildErrors: process.env.SKIP_BUILD_TYPECHECK === "1" },
  // Metadata (the page <title>) goes in the first bytes for every browser, not streamed in later:
  // screen readers and accessibility checks read it at once.
  htmlLimitedBots: /.*/,
  turbopack: { root: import.meta.dirname },
  experimental: { serverActions: { allowedOrigins: appHost() } },
  // The benchmark's floor pages (app/bench/*/page.bench.tsx) exist only in builds made for the bench
  // (scripts/bench.mjs sets BENCH_BUILD=1), never in the production route table.
  pageExtensions: process.env.BENCH_BUILD === "1" ? ["tsx", "ts", "bench.tsx"] : ["tsx", "ts"],
  // `next dev` prints each request's URL: never one that carries a sign-in token or a bank's code.
  logging: { incomingRequests: { ignore: [/[?&](token|code|exchange_code|state)=/] } },
};

export default nextConfig;
