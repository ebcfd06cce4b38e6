import { getCurrentSession } from "@/lib/auth/session";
import { signedInRecently, stepUpPath } from "@/lib/auth/step-up";
import { now } from "@/lib/clock";
import { attachment, NO_STORE, seeOther } from "@/lib/http-responses";
import { recordSecurityEvent } from "@/lib/security/events";
import { limitDataExport, tooManyMessage } from "@/lib/security/limits";
import { exportUserData } from "@/lib/users/export-data";

export const dynamic = "force-dynamic";

const signIn = () =>
  Response.json({ error: "Sign in to download your data." }, { status: 401, headers: NO_STORE });

// A download: the signed-in user's own data as one JSON file (the page beside it shows the same).
export async function GET() {
  const session = await getCurrentSession();
  if (!session) return signIn();
  if (!signedInRecently(session)) return seeOther(stepUpPath("/settings/data"));
  const { user } = session;
  const limit = await limitDataExport(user.id);
  if (!limit.allowed) {
    return Response.json(
      { error: tooManyMessage("You have downloaded your data many times in a short while.", limit) },
      { status: 429, headers: { ...NO_STORE, "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
  const data = await exportUserData(user.id);
  if (!data) return signIn();
  await recordSecurityEvent({ kind: "DATA_DOWNLOADED", userId: user.id });
  return attachment(
    `${JSON.stringify(data, null, 2)}\n`,
    `reconsent-data-${now().toISOString().slice(0, 10)}.json`,
    "application/json; charset=utf-8",
  );
}
