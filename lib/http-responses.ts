import { env } from "@/lib/env";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

export function seeOther(path: string, headers: Record<string, string> = {}): Response {
  const location = new URL(path, env().APP_URL).toString();
  return new Response(null, { status: 303, headers: { ...NO_STORE, ...headers, Location: location } });
}

export function attachment(body: BodyInit, filename: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      ...NO_STORE,
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
    },
  });
}

/** Text pieces sent as they are made, so memory stays flat; a client that goes away ends the source. */
export function streamOf(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}
