import http from "node:http";
import type { AddressInfo } from "node:net";

// The smoke's own redirect URI: it answers whatever arrives there (GET with a query, or a POST form)
// with a plain page and hands the parameters to the journey, in memory only.

export type Return = { method: string; params: Map<string, string>; formFields: string[] };

export type Listener = {
  redirectUri: string;
  /** The next request to the redirect path (anything else, such as /favicon.ico, is ignored). */
  next(timeoutMs: number): Promise<Return>;
  close(): Promise<void>;
};

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why this redirect URI cannot be listened on here, or undefined. */
export function listenProblem(redirectUri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return "SMOKE_REDIRECT_URI is not a URL";
  }
  if (url.protocol !== "http:") return "SMOKE_REDIRECT_URI must be http:// (the smoke listens on it itself)";
  if (!LOOPBACK.has(url.hostname)) return "SMOKE_REDIRECT_URI must be on localhost or 127.0.0.1";
  if (url.search || url.hash) return "SMOKE_REDIRECT_URI must have no query or fragment";
  return undefined;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > 64_000) request.destroy();
    });
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

/** Listens on `redirectUri` (port 0 = any free port, and the URI says which). */
export async function startListener(redirectUri: string): Promise<Listener> {
  const wanted = new URL(redirectUri);
  const queue: Return[] = [];
  const waiting: ((value: Return) => void)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://listener");
    if (url.pathname !== wanted.pathname) {
      response.writeHead(404).end();
      return;
    }
    const params = new Map(url.searchParams);
    const formFields: string[] = [];
    if (request.method === "POST") {
      for (const [key, value] of new URLSearchParams(await readBody(request))) {
        params.set(key, value);
        formFields.push(key);
      }
    }
    response
      .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      .end("<!doctype html><title>Smoke: return received</title><h1>Return received</h1>");
    const received = { method: request.method ?? "GET", params, formFields };
    const resolve = waiting.shift();
    if (resolve) resolve(received);
    else queue.push(received);
  });
  const host = wanted.hostname === "localhost" ? "127.0.0.1" : wanted.hostname.replace(/^\[|\]$/g, "");
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `port ${wanted.port || 80} is in use: stop what listens there, or register another redirect URI and set SMOKE_REDIRECT_URI`
            : `cannot listen for the redirect URI (${error.code ?? "error"})`,
        ),
      ),
    );
    server.listen(Number(wanted.port || 80), host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const actual = new URL(redirectUri);
  actual.port = String(port);
  return {
    redirectUri: wanted.port === "0" ? actual.toString() : redirectUri,
    next: (timeoutMs) => {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<Return>((resolve, reject) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          waiting.splice(waiting.indexOf(done), 1);
          reject(new Error(`nothing arrived at the redirect URI within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        timers.add(timer);
        const done = (value: Return) => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve(value);
        };
        waiting.push(done);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        // A wait left behind by a failed journey must not keep the process alive.
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
