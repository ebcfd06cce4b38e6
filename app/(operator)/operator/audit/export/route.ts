import { operatorAccess } from "@/lib/auth/operator";
import { stepUpPath } from "@/lib/auth/step-up";
import { auditLines } from "@/lib/consent/audit-export";
import { AuditRangeInput } from "@/lib/consent/audit-range";
import { env } from "@/lib/env";
import { recordSecurityEvent } from "@/lib/security/events";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// A download for operators; to everyone else it does not exist. Streams, so memory stays flat.
export async function GET(request: Request) {
  const headers = { "Cache-Control": "no-store" };
  const access = await operatorAccess();
  if (access.kind === "step_up") {
    const to = new URL(stepUpPath("/operator/audit"), env().APP_URL).toString();
    return new Response(null, { status: 303, headers: { ...headers, Location: to } });
  }
  if (access.kind !== "ok") return new Response("Not found", { status: 404, headers });
  const { user } = access.session;
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = AuditRangeInput(366).safeParse(query);
  if (!parsed.success) {
    return Response.json({ errors: parsed.error.issues.map((i) => i.message) }, { status: 400, headers });
  }
  const { from, to, format } = parsed.data;
  await recordSecurityEvent({ kind: "AUDIT_EXPORTED", userId: user.id, reason: `web:${format}` });
  const lines = auditLines({ from, to }, format);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const name = `reconsent-audit-${query.from}-to-${query.to}.${format}`;
  return new Response(body, {
    headers: {
      ...headers,
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
    },
  });
}
