// npm test's pooler stage: an integration test of each flow again (connect, reconfirm, extend, bank return,
// balances, the scheduled job, sign-in, sessions, limits, deletion, audit export), through Debian's PgBouncer
// in transaction mode with `pgbouncer=true` (decision 036). All of them pass there; the rest stay out to keep
// the stage within two minutes, as do tests of what a pooler cannot carry (start-up timeouts, migrations).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { startPgbouncer } from "./pgbouncer.mjs";

export const POOLER_SUITE = [
  "test/pooler.test.ts",
  "lib/connections/core-flows.test.ts",
  "lib/connections/decline.test.ts",
  "lib/connections/reconfirm/extend-one.test.ts",
  "lib/connections/bank-return/callback.test.ts",
  "lib/connections/balances/balances.test.ts",
  "lib/connections/store/lease.test.ts",
  "lib/reminders/cron-route.test.ts",
  "lib/auth/sign-in-link.test.ts",
  "lib/auth/session.test.ts",
  "lib/security/rate-limit.test.ts",
  "lib/users/delete-account.test.ts",
  "lib/consent/audit-export.test.ts",
];

/** Runs the suite through a PgBouncer of its own; returns the stage's counts for the summary line. */
export async function runPoolerStage({ binary, upstream, run, vitest, report, root }) {
  const files = POOLER_SUITE.filter((file) => existsSync(path.join(root, file)));
  let bouncer;
  try {
    bouncer = await startPgbouncer({ binary, upstream });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return { passed: 0, failed: 1, note: "PgBouncer did not start" };
  }
  try {
    const status = run(
      `Flows through PgBouncer ${bouncer.port} in transaction mode (pgbouncer=true): ${files.length} files`,
      vitest[0],
      [
        ...vitest.slice(1),
        "run",
        ...files,
        // One file at a time, as before vitest.config.ts ran three: PgBouncer's 8 server connections stay one file's.
        "--maxWorkers=1",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${report}`,
      ],
      { TEST_DATABASE_URL: bouncer.url, TEST_DATABASE: "postgresql", TEST_POOLER_DIRECT_URL: upstream },
    );
    if (!existsSync(report)) return { passed: 0, failed: 1, note: "Vitest did not report" };
    const json = JSON.parse(readFileSync(report, "utf8"));
    const suiteFailures = status !== 0 && json.numFailedTests === 0 ? 1 : 0;
    return {
      passed: json.numPassedTests,
      failed: json.numFailedTests + suiteFailures,
      note: `${json.numPendingTests} skipped`,
    };
  } finally {
    await bouncer.stop();
  }
}
