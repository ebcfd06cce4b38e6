import { getCurrentSession } from "@/lib/auth/session";
import { signedInRecently, stepUpPath } from "@/lib/auth/step-up";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { recordSecurityEvent } from "@/lib/security/events";
import { limitDataExport, tooManyMessage } from "@/lib/security/limits";
import { exportUserData } from "@/lib/users/export-data";

export const dynamic = "force-dynamic";

// A download: the signed-in user's own data as one JSON file (the page beside it shows the same).
export async function GET() {
  const headers = { "Cache-Control": "no-store" };
  const session = await getCurrentSession();
  if (!session) return Response.json({ error: "Sign in to download your data." }, { status: 401, headers });
  if (!signedInRecently(session)) {
    return new Response(null, {
      status: 303,
      headers: { ...headers, Location: new URL(stepUpPath("/settings/data"), env().APP_URL).toString() },
    });
  }
  const { user } = session;
  const limit = await limitDataExport(user.id);
  if (!limit.allowed) {
    return Response.json(
      { error: tooManyMessage("You have downloaded your data many times in a short while.", limit) },
      { status: 429, headers: { ...headers, "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
  const data = await exportUserData(user.id);
  if (!data) return Response.json({ error: "Sign in to download your data." }, { status: 401, headers });
  await recordSecurityEvent({ kind: "DATA_DOWNLOADED", userId: user.id });
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      ...headers,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="reconsent-data-${now().toISOString().slice(0, 10)}.json"`,
    },
  });
}
