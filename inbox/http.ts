import { createServer, type IncomingMessage, type Server } from "node:http";
import { hostRefusal, tokenMatches } from "../sandbox/local-guard";
import { renderList, renderMessage, renderNotFound } from "./render";
import type { MessageStore } from "./store";

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

type Reply = { status: number; type?: string; body?: string };

/** The header the JSON API needs: this run's token (tests and scripts read; a page never can). */
export const INBOX_TOKEN_HEADER = "x-inbox-token";

/** Who may be answered: the Host values allowed (filled in once the port is known), and the API's token. */
export type Guard = { hosts: string[]; token: string };

const json = (status: number, value: unknown): Reply => ({
  status,
  type: "application/json",
  body: JSON.stringify(value),
});
const html = (status: number, body: string): Reply => ({ status, type: "text/html", body });

function route(store: MessageStore, guard: Guard, req: IncomingMessage): Reply {
  const refused = hostRefusal(req, guard.hosts);
  if (refused) return { status: refused.status, type: "text/plain", body: refused.message };
  const url = new URL(req.url ?? "/", "http://inbox.localhost");
  const method = req.method ?? "GET";
  if (url.pathname.startsWith("/api/") && !tokenMatches(req.headers[INBOX_TOKEN_HEADER], guard.token))
    return json(403, { error: "The inbox's API needs this run's token in X-Inbox-Token." });

  if (url.pathname === "/api/messages") {
    if (method === "GET") return json(200, store.list(url.searchParams.get("to")));
    if (method === "DELETE") {
      store.clear();
      return { status: 204 };
    }
    return json(405, { error: "method not allowed" });
  }
  if (method !== "GET") return { status: 405, type: "text/plain", body: "Method not allowed" };

  const apiId = url.pathname.match(/^\/api\/messages\/([\w-]+)$/)?.[1];
  if (apiId) {
    const message = store.get(apiId);
    return message ? json(200, message) : json(404, { error: "not found" });
  }
  if (url.pathname === "/") return html(200, renderList(store.list()));
  const pageId = url.pathname.match(/^\/messages\/([\w-]+)$/)?.[1];
  const message = pageId ? store.get(pageId) : undefined;
  return message ? html(200, renderMessage(message)) : html(404, renderNotFound());
}

export function createHttpServer(store: MessageStore, guard: Guard): Server {
  return createServer((req, res) => {
    let reply: Reply;
    try {
      reply = route(store, guard, req);
    } catch (error) {
      process.stderr.write(`[inbox] ${error instanceof Error ? error.message : String(error)}\n`);
      reply = { status: 500, type: "text/plain", body: "Something went wrong." };
    }
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    if (reply.type) headers["content-type"] = `${reply.type}; charset=utf-8`;
    res.writeHead(reply.status, headers);
    res.end(reply.body);
  });
}
