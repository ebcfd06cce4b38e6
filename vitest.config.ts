import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@/": root,
      // `server-only` throws outside React's server bundle; in tests we are on the server anyway.
      "server-only": fileURLToPath(new URL("./test/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: [
      "lib/**/*.test.ts",
      "sandbox/**/*.test.ts",
      "inbox/**/*.test.ts",
      "scripts/**/*.test.ts",
      "prisma/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup-env.ts", "./test/fail-on-console-error.ts"],
    pool: "forks",
    // The embedded database runs one query at a time: files in parallel would only queue and time out.
    fileParallelism: process.env.TEST_DATABASE !== "embedded",
    // Most files wait on PostgreSQL or a child process, not the CPU. Vitest's default (one worker fewer than
    // the cores) ran one file at a time on a 2-core machine, with the CPU idle half the stage.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
