import "server-only";
import http from "node:http";
import https from "node:https";

// node:http(s) with kept-alive sockets, not the global fetch: Next wraps fetch for its cache and tracing, and its
// streams cost ~1.5 ms a call against the reconfirm action's 15 ms budget (docs/decisions/013-hot-path-sql.md).
// Idle sockets close 1 s before the server's Keep-Alive hint (at most 4 s), so a POST never meets a closing socket.

const IDLE_MS = 4_000;
const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  "https:": new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
};

const NO_BODY = new Set([204, 205, 304]);

export const httpFetch: typeof fetch = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const protocol = url.protocol === "https:" ? "https:" : "http:";
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const headers = Object.fromEntries(new Headers(init.headers));
    const body = typeof init.body === "string" ? init.body : undefined;
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));

    const onAbort = () => request.destroy(signal?.reason);
    const settle = (done: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      done();
    };
    const send = protocol === "https:" ? https.request : http.request;
    const request = send(
      url,
      { method: init.method ?? "GET", headers, agent: agents[protocol] },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => settle(() => reject(error)));
        // Cut off mid-answer (a reset, or our own timeout): fail rather than wait for an end that never comes.
        response.on("close", () => {
          if (response.complete) return;
          const cut = Object.assign(new Error("The connection closed before the answer was complete."), {
            code: "ECONNRESET",
          });
          settle(() => reject(signal?.aborted ? signal.reason : cut));
        });
        response.on("end", () =>
          settle(() => {
            const status = response.statusCode ?? 502;
            const answer = new Headers();
            for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
              answer.append(response.rawHeaders[i] ?? "", response.rawHeaders[i + 1] ?? "");
            }
            try {
              resolve(
                new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), { status, headers: answer }),
              );
            } catch (error) {
              reject(error);
            }
          }),
        );
      },
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => settle(() => reject(error)));
    request.end(body);
  });
