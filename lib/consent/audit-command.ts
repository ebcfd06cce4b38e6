import "server-only";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { normaliseEmail } from "@/lib/consent/subject";
import { recordSecurityEvent } from "@/lib/security/events";
import { userByEmail } from "@/lib/users/queries";
import { auditLines } from "./audit-export";
import { AuditRangeInput } from "./audit-range";

export const AUDIT_USAGE =
  "Usage: npm run audit-export -- --operator <email> --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|jsonl]\n" +
  "Writes to standard output; --to is included. The operator must hold the operator role (npm run make-operator).\n";

/** `npm run audit-export`: streams to `out` (awaiting its drain), so any range runs in constant memory. */
export async function runAuditExport(argv: string[], out: Writable, err: Writable): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        format: { type: "string" },
        operator: { type: "string" },
      },
    }));
  } catch {
    err.write(AUDIT_USAGE);
    return 2;
  }
  const parsed = AuditRangeInput().safeParse(values);
  if (!parsed.success || !values.operator) {
    err.write(
      `${parsed.error?.issues.map((i) => i.message).join("\n") ?? "--operator is required."}\n${AUDIT_USAGE}`,
    );
    return 2;
  }
  const operator = await userByEmail(normaliseEmail(values.operator));
  if (operator?.role !== "OPERATOR") {
    err.write("Refused: that address does not belong to an operator.\n");
    return 1;
  }
  const { from, to, format } = parsed.data;
  await recordSecurityEvent({ kind: "AUDIT_EXPORTED", userId: operator.id, reason: `command:${format}` });
  for await (const line of auditLines({ from, to }, format)) {
    if (!out.write(line)) await once(out, "drain");
  }
  return 0;
}
