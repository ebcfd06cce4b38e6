import { defineConfig, devices } from "@playwright/test";
import { E2E_PORTS } from "./e2e/ports";
import { CHROMIUM_ARGS, chromiumPath } from "./scripts/lib/chromium.mjs";

// `npm run review-pack` (scripts/review-pack.mjs): screenshots of every screen for TrueLayer's review.
// Its spec lives outside e2e/ so the normal suite (playwright.config.ts) never runs it.
export default defineConfig({
  testDir: ".",
  testMatch: ["review-pack/**/*.pack.ts"],
  fullyParallel: false,
  // One worker: some screens move the app's and the simulator's clocks, which every test shares.
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results/review-pack",
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORTS.app}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumPath() ?? undefined, args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
});
