import { operatorAccess } from "@/lib/auth/operator";
import { stepUpPath } from "@/lib/auth/step-up";
import { auditLines } from "@/lib/consent/audit-export";
import { AuditRangeInput } from "@/lib/consent/audit-range";
import { attachment, NO_STORE, seeOther, streamOf } from "@/lib/http-responses";
import { recordSecurityEvent } from "@/lib/security/events";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// A download for operators; to everyone else it does not exist. Streams, so memory stays flat.
export async function GET(request: Request) {
  const access = await operatorAccess();
  if (access.kind === "step_up") return seeOther(stepUpPath("/operator/audit"));
  if (access.kind !== "ok") return new Response("Not found", { status: 404, headers: NO_STORE });
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = AuditRangeInput(366).safeParse(query);
  if (!parsed.success) {
    return Response.json(
      { errors: parsed.error.issues.map((i) => i.message) },
      { status: 400, headers: NO_STORE },
    );
  }
  const { from, to, format } = parsed.data;
  await recordSecurityEvent({
    kind: "AUDIT_EXPORTED",
    userId: access.session.user.id,
    reason: `web:${format}`,
  });
  return attachment(
    streamOf(auditLines({ from, to }, format)),
    `reconsent-audit-${query.from}-to-${query.to}.${format}`,
    format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
  );
}
