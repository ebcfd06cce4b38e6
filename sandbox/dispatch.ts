import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyForLog, type CallRecord, redact, redactPath } from "./calls";
import type { Ctx, Route } from "./context";
import { CONTROL_TOKEN_HEADER } from "./control-token";
import { faultResult, lostResponse, sleep } from "./faults";
import { contentType, json, type Result, type SandboxRequest } from "./http";
import { tokenMatches } from "./local-guard";
import { issuedThisRequest } from "./renewal";
import { authDialogRoutes } from "./routes/auth-dialog";
import { authLinkRoutes } from "./routes/auth-link";
import { balanceRoutes } from "./routes/balance";
import { bankRoutes } from "./routes/bank";
import { connectionControlRoutes } from "./routes/connection-controls";
import { controlRoutes } from "./routes/controls";
import { dataRoutes } from "./routes/data";
import { extendRoutes } from "./routes/extend";
import { profileControlRoutes } from "./routes/profile-controls";
import { tokenRoutes } from "./routes/token";

const routes: Route[] = [
  ...authLinkRoutes,
  ...authDialogRoutes,
  ...tokenRoutes,
  ...extendRoutes,
  ...bankRoutes,
  ...balanceRoutes,
  ...dataRoutes,
  ...controlRoutes,
  ...connectionControlRoutes,
  ...profileControlRoutes,
];

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function send(res: ServerResponse, result: Result): void {
  if (result.destroy) {
    res.socket?.destroy();
    return;
  }
  res.writeHead(result.status, result.headers ?? {});
  res.end(result.body ?? "");
}

function match(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.path.exec(path);
    if (found) return { route, params: found.slice(1).map((p) => p ?? "") };
  }
  return undefined;
}

function logCall(ctx: Ctx, sreq: SandboxRequest, route: Route, clientId: string | undefined): CallRecord {
  const psuIp = sreq.headers["x-psu-ip"];
  return ctx.calls.add({
    time: new Date().toISOString(),
    simulatedTime: new Date(ctx.store.now(clientId ?? "")).toISOString(),
    clientId: clientId ?? null,
    credentialsId: route.connectionOf?.(sreq, ctx) ?? null,
    method: sreq.method,
    path: redactPath(sreq.path),
    query: redact(Object.fromEntries(sreq.query)) as Record<string, string>,
    status: null,
    psuIp: typeof psuIp === "string" ? psuIp : null,
    fault: null,
    body: bodyForLog(contentType(sreq), sreq.rawBody),
  });
}

// The grant ledger (simulator-only): tokens issued in an answer that was lost (or sent after a delay the caller may
// have given up on) are held by nobody TrueLayer could tell; the custody property test counts them.
function markAnswerLost(ctx: Ctx, credentialsIds: string[]): void {
  for (const id of credentialsIds) {
    const conn = ctx.store.state.connections[id];
    if (conn) conn.answerLostAt = ctx.store.now(conn.clientId);
  }
}

// TL "HTTP headers": every answer carries one, to be logged and quoted to support.
function correlated(result: Result): Result {
  if (result.destroy) return result;
  return { ...result, headers: { ...result.headers, "x-tl-correlation-id": randomUUID() } };
}

export async function dispatch(ctx: Ctx, req: IncomingMessage, log: (line: string) => void): Promise<Result> {
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  const rawBody = await readBody(req);
  if (rawBody === undefined)
    return correlated(json(413, { error: "invalid_request", error_description: "Body too large." }));
  const sreq: SandboxRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    baseUrl: `http://${req.headers.host ?? "127.0.0.1"}`,
  };
  const found = match(sreq.method, sreq.path);
  const hidden = found && (found.route.control || found.route.testPage) && ctx.config.mode === "off";
  if (!found || hidden) {
    const path = redactPath(sreq.path);
    return correlated(
      json(404, { error: "not_found", error_description: `No route for ${sreq.method} ${path}.` }),
    );
  }
  const { route, params } = found;
  if (route.control && !tokenMatches(sreq.headers[CONTROL_TOKEN_HEADER], ctx.controlToken)) {
    return json(403, {
      error: "forbidden",
      error_description: "The simulator's controls need this run's token in X-Sandbox-Token.",
    });
  }
  const clientId = route.clientOf?.(sreq, ctx, params);
  const call =
    route.control || route.testPage || route.unlogged ? undefined : logCall(ctx, sreq, route, clientId);
  const endpoints = route.endpoint === undefined ? [] : [route.endpoint].flat();
  const fault = endpoints.length > 0 ? ctx.faults.take(endpoints, clientId) : undefined;
  if (call && fault) call.fault = fault.kind;
  if (fault?.kind === "delay") await sleep(fault.ms ?? 1000);

  let result = fault ? faultResult(fault) : undefined;
  if (result !== undefined) {
    route.onFault?.(sreq, ctx, params);
    if (!route.readOnly) ctx.store.save();
  } else {
    const issued: string[] = [];
    const handled: Result = await issuedThisRequest.run(issued, () => route.handle(sreq, ctx, params));
    result = handled;
    if (fault?.kind === "lost_response" || fault?.kind === "delay") markAnswerLost(ctx, issued);
    if (!route.readOnly) ctx.store.save();
    if (fault?.kind === "lost_response") result = lostResponse;
  }
  if (!route.control && !route.testPage) result = correlated(result);
  if (call) ctx.calls.finish(call, result);
  const status = result.destroy ? "reset" : String(result.status);
  log(`${sreq.method} ${redactPath(sreq.path)} ${status}${fault ? ` fault=${fault.kind}` : ""}`);
  return result;
}
