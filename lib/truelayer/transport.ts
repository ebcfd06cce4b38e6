import "server-only";
import http from "node:http";
import https from "node:https";

// node:http(s), not fetch (decision 013): kept-alive sockets close 1 s before the Keep-Alive hint (at most 4 s).

const IDLE_MS = 4_000;
const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  "https:": new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
};

const NO_BODY = new Set([204, 205, 304]);

export type TransportCall = { method: string; headers: Record<string, string>; body?: string };
export type TransportAnswer = { status: number; headers: Headers; text: string };
/** One attempt, reading the answer included, ended by `timeoutMs` (AbortSignal.timeout, as fetch's would be). */
export type Send = (url: string, call: TransportCall, timeoutMs: number) => Promise<TransportAnswer>;

function exchange(
  url: URL,
  call: TransportCall,
  signal: AbortSignal | undefined,
): Promise<{ status: number; headers: Headers; body: Buffer<ArrayBuffer> | null }> {
  return new Promise((resolve, reject) => {
    const protocol = url.protocol === "https:" ? "https:" : "http:";
    if (signal?.aborted) return reject(signal.reason);
    const headers =
      call.body === undefined
        ? call.headers
        : { ...call.headers, "content-length": String(Buffer.byteLength(call.body)) };
    const onAbort = () => request.destroy(signal?.reason);
    const settle = (done: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      done();
    };
    const send = protocol === "https:" ? https.request : http.request;
    const request = send(url, { method: call.method, headers, agent: agents[protocol] }, (response) => {
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
          resolve({ status, headers: answer, body: NO_BODY.has(status) ? null : Buffer.concat(chunks) });
        }),
      );
    });
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => settle(() => reject(error)));
    request.end(call.body);
  });
}

const utf8 = new TextDecoder();

export const httpSend: Send = async (url, call, timeoutMs) => {
  const { status, headers, body } = await exchange(new URL(url), call, AbortSignal.timeout(timeoutMs));
  return { status, headers, text: body ? utf8.decode(body) : "" };
};

export function sendVia(fetcher: typeof fetch): Send {
  return async (url, call, timeoutMs) => {
    const response = await fetcher(url, {
      ...call,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}

export const httpFetch: typeof fetch = async (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const call = {
    method: init.method ?? "GET",
    headers: Object.fromEntries(new Headers(init.headers)),
    body: typeof init.body === "string" ? init.body : undefined,
  };
  const { status, headers, body } = await exchange(url, call, init.signal ?? undefined);
  return new Response(body, { status, headers });
};
