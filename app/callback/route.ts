import { getCurrentUser } from "@/lib/auth/session";
import { handleCallback } from "@/lib/connections/callback";
import { psuIpFrom } from "@/lib/connections/psu-ip";
import { env } from "@/lib/env";
import { redact } from "@/lib/truelayer";

export const dynamic = "force-dynamic";

// TrueLayer (or the bank) sends the browser here with ?code&state or ?error. It always ends in a
// redirect to one of our pages; the code never appears in a page, a log line or a Referer header.
function redirectTo(path: string): Response {
  return new Response(null, {
    status: 303,
    headers: {
      Location: new URL(path, env().APP_URL).toString(),
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    },
  });
}

export async function GET(request: Request) {
  const query = new URL(request.url).searchParams;
  let path: string;
  try {
    const user = await getCurrentUser();
    path = await handleCallback(
      { code: query.get("code"), state: query.get("state"), error: query.get("error") },
      user?.id ?? null,
      { psuIp: psuIpFrom(request.headers) },
    );
  } catch (error) {
    console.error("Callback failed", redact(error));
    path = "/connections/problem?reason=unexpected";
  }
  return redirectTo(path);
}
