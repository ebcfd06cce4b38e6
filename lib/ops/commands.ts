import "server-only";
import type { Writable } from "node:stream";
import { now } from "@/lib/clock";
import { db } from "@/lib/db";
import { checkEnvFor, type FieldName } from "@/lib/env";
import { describeFailure } from "./failure";

export type Io = { out: Writable; err: Writable };
/** `needs`: the variables checked before it starts; any other it reads is refused then, by name (parseEnvFor). */
type Command = { usage: string; needs: readonly FieldName[]; run(args: string[], io: Io): Promise<number> };

const DATABASE: FieldName[] = [
  "RECONSENT_MODE",
  "NODE_ENV",
  "VERCEL",
  "VERCEL_ENV",
  "CLOCK_FILE",
  "DATABASE_URL",
  "DATABASE_POOL_SIZE",
];
const KEYS: FieldName[] = ["TOKEN_ENCRYPTION_KEY", "TOKEN_ENCRYPTION_KEY_ID", "TOKEN_ENCRYPTION_OLD_KEYS"];
const TRUELAYER: FieldName[] = [
  "APP_URL",
  "TRUELAYER_TARGET",
  "TRUELAYER_CLIENT_ID",
  "TRUELAYER_CLIENT_SECRET",
  "TRUELAYER_AUTH_URL",
  "TRUELAYER_API_URL",
];
const MAIL: FieldName[] = [
  "APP_URL",
  "AUTH_SECRET",
  "SMTP_URL",
  "EMAIL_FROM",
  "APP_NAME",
  "SHARING_PURPOSE",
  "PRIVACY_URL",
  "TERMS_URL",
  "SUPPORT_EMAIL",
  "BRAND_COLOR",
  "BRAND_LOGO_URL",
];

const DAY_MS = 86_400_000;
const email = (args: string[]) => (args[0]?.includes("@") ? args[0] : undefined);

function age(since: Date): string {
  const hours = Math.floor((now().getTime() - since.getTime()) / 3_600_000);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} days ago`;
}

// Each command loads only what it needs, so `revoke-queue` never loads the mailer, say.
export const COMMANDS: Record<string, Command> = {
  maintenance: {
    usage: "maintenance",
    needs: [...DATABASE, ...KEYS, ...TRUELAYER, ...MAIL, "CONSENT_SUBJECT_KEY", "ALERT_WEBHOOK_URL"],
    async run(_args, { out, err }) {
      const { runMaintenance } = await import("@/lib/maintenance/run");
      const summary = await runMaintenance();
      out.write(`${JSON.stringify(summary)}\n`);
      // Postponed revokes (tried, not done) and any over a day old (late: the cron route answers 500): a scheduler
      // must see either as a failure. One line for a person, however many.
      const problems: string[] = [];
      if (summary.revokes.postponed > 0)
        problems.push(`${summary.revokes.postponed} queued revoke(s) failed and wait for a retry.`);
      if (summary.revokeQueue.late) problems.push("A queued revoke has waited more than a day.");
      if (problems.length === 0) return 0;
      err.write(`${problems.join(" ")} npm run revoke-queue shows the queue.\n`);
      return 1;
    },
  },
  reminders: {
    usage: "reminders",
    needs: [...DATABASE, ...MAIL],
    async run(_args, { out, err }) {
      const { runReminders } = await import("@/lib/reminders/send-reminders");
      const summary = await runReminders();
      out.write(`${JSON.stringify(summary)}\n`);
      if (summary.emailsFailed === 0) return 0;
      err.write(`${summary.emailsFailed} reminder email(s) could not be sent; the next run retries them.\n`);
      return 1;
    },
  },
  scheduled: {
    usage: "scheduled [-- --once]",
    // The cron route's job: reminders (mail), keep-alive refreshes and reads (TrueLayer, keys), alerts.
    needs: [...DATABASE, ...KEYS, ...TRUELAYER, ...MAIL, "CONSENT_SUBJECT_KEY", "ALERT_WEBHOOK_URL"],
    async run(args, { out, err }) {
      const { runScheduledJob, SCHEDULE_EVERY_MS, RUN_BUDGET_MS } = await import(
        "@/lib/maintenance/scheduled"
      );
      // Decision 061's run for hosts without Vercel's cron: every 15 minutes, or --once; each resumes.
      for (;;) {
        const started = Date.now();
        const { late, body } = await runScheduledJob(RUN_BUDGET_MS);
        out.write(`${JSON.stringify(body)}\n`);
        if (late) {
          const what = [
            Math.max(body.lateReminders.overdueAtStart, body.lateReminders.overdueAtEnd) > 0 &&
              "a reminder more than 2 hours overdue",
            body.maintenance.revokeQueue.late && "a revoke waiting more than a day",
          ].filter(Boolean);
          err.write(`The scheduled job left work late (${what.join(", ")}).\n`);
        }
        if (args.includes("--once")) return late ? 1 : 0;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, started + SCHEDULE_EVERY_MS - Date.now())),
        );
      }
    },
  },
  "revoke-queue": {
    usage: "revoke-queue",
    needs: DATABASE,
    async run(_args, { out }) {
      const { revokeQueueStats } = await import("@/lib/connections/custody");
      const { size, oldestAt, lostGrants } = await revokeQueueStats();
      const oldest = oldestAt
        ? `; the oldest was queued ${oldestAt.toISOString()} (${age(oldestAt)})${now().getTime() - oldestAt.getTime() > DAY_MS ? ", more than a day ago" : ""}`
        : "";
      out.write(`Revoke queue: ${size} grant(s) waiting to be revoked${oldest}.\n`);
      out.write(
        `Lost grants (a bank answer that never reached us, so nobody holds its tokens): ${lostGrants}.\n`,
      );
      return 0;
    },
  },
  "make-operator": withAddress("make-operator", async (address, { out, err }) => {
    const { makeOperator } = await import("@/lib/funnel/queries");
    if (await makeOperator(address)) {
      out.write(`${address} is now an operator.\n`);
      return 0;
    }
    err.write(`No user with the email ${address}; they must sign in once first.\n`);
    return 1;
  }),
  "remove-operator": withAddress("remove-operator", async (address, { out, err }) => {
    const { removeOperator } = await import("@/lib/funnel/queries");
    const result = await removeOperator(address);
    if (result === "no-user") {
      err.write(`No user with the email ${address}.\n`);
      return 1;
    }
    out.write(
      result === "removed"
        ? `${address} is no longer an operator.\n`
        : `${address} was not an operator; nothing changed.\n`,
    );
    return 0;
  }),
  "audit-export": {
    usage: "audit-export -- --operator <email> --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|jsonl]",
    needs: DATABASE,
    async run(args, { out, err }) {
      const { runAuditExport } = await import("@/lib/consent/audit-command");
      return runAuditExport(args, out, err);
    },
  },
  "rotate-token-key": {
    usage: "rotate-token-key",
    needs: [...DATABASE, ...KEYS],
    async run(_args, { out }) {
      const { rotateCommand } = await import("./rotate");
      return rotateCommand(out);
    },
  },
};

function withAddress(name: string, run: (address: string, io: Io) => Promise<number>): Command {
  return {
    usage: `${name} -- <email>`,
    needs: DATABASE,
    async run(args, io) {
      const address = email(args);
      return address ? run(address, io) : usage(name, io.err);
    },
  };
}

function usage(name: string, err: Writable): number {
  err.write(`Usage: npm run ${COMMANDS[name]?.usage ?? name}\n`);
  return 2;
}

async function disconnect(): Promise<void> {
  try {
    await db().$disconnect();
  } catch {
    // Nothing was connected (the environment was refused, say); the failure is already reported.
  }
}

/** One operator command: its exit code; a failure is one line on `err`, never a stack trace. */
export async function runOpsCommand(name: string | undefined, args: string[], io: Io): Promise<number> {
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    io.err.write(
      `Commands: ${Object.values(COMMANDS)
        .map((c) => `npm run ${c.usage}`)
        .join(" | ")}\n`,
    );
    return 2;
  }
  try {
    checkEnvFor(command.needs);
    return await command.run(args, io);
  } catch (error) {
    io.err.write(`${name} failed: ${describeFailure(error)}\n`);
    return 1;
  } finally {
    await disconnect();
  }
}
