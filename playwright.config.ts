import { defineConfig, devices } from "@playwright/test";
import { E2E_PORTS } from "./e2e/ports";
import { CHROMIUM_ARGS, chromiumPath } from "./scripts/lib/chromium.mjs";

// Fixtures seed through the app's own store and the test kit, whose modules import "server-only":
// the runner must start with --conditions=react-server (scripts/test.mjs and `npm run test:e2e` do),
// and its workers get it here too. Started without it, loading the specs fails on "server-only".
if (!process.env.NODE_OPTIONS?.includes("--conditions=react-server")) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --conditions=react-server`.trim();
}

export default defineConfig({
  testDir: ".",
  testMatch: ["e2e/**/*.spec.ts", "sandbox/e2e/**/*.spec.ts"],
  fullyParallel: false,
  // One worker: some specs move the app's and the simulator's clocks, which every test shares.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORTS.app}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumPath() ?? undefined, args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
});
