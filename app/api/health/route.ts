import { checkDatabase } from "@/lib/health";
import { routeHeaders } from "@/lib/security/headers";

export const dynamic = "force-dynamic";

// Called by uptime monitors: answers 503 when the database does not.
export async function GET() {
  const database = await checkDatabase();
  return Response.json(
    { status: database ? "ok" : "degraded", database: database ? "ok" : "unreachable" },
    { status: database ? 200 : 503, headers: { "Cache-Control": "no-store", ...routeHeaders } },
  );
}
