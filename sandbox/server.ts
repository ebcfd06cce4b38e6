import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { bodyForLog, CallLog, type CallRecord, redact, redactPath } from "./calls";
import { Faults, faultResult, lostResponse, sleep } from "./faults";
import {
  type Config,
  type Ctx,
  contentType,
  json,
  type Result,
  type Route,
  type SandboxRequest,
} from "./http";
import { authDialogRoutes } from "./routes/auth-dialog";
import { authLinkRoutes } from "./routes/auth-link";
import { bankRoutes } from "./routes/bank";
import { controlRoutes } from "./routes/controls";
import { dataRoutes } from "./routes/data";
import { extendRoutes } from "./routes/extend";
import { tokenRoutes } from "./routes/token";
import { Store } from "./store";

export interface SandboxClientOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  consentScreenReviewed?: boolean;
  extendEnabled?: boolean;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  mode?: Config["mode"];
  dataFile?: string | null;
  clients?: SandboxClientOptions[];
  refreshTokenIdleDays?: number;
  log?: (line: string) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

const routes: Route[] = [
  ...authLinkRoutes,
  ...authDialogRoutes,
  ...tokenRoutes,
  ...extendRoutes,
  ...bankRoutes,
  ...dataRoutes,
  ...controlRoutes,
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

function send(res: ServerResponse, result: Result): void {
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

async function dispatch(ctx: Ctx, req: IncomingMessage, log: (line: string) => void): Promise<Result> {
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  const rawBody = await readBody(req);
  if (rawBody === undefined)
    return json(413, { error: "invalid_request", error_description: "Body too large." });
  const sreq: SandboxRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    baseUrl: `http://${req.headers.host ?? "127.0.0.1"}`,
  };
  const found = match(sreq.method, sreq.path);
  if (!found || (found.route.control && ctx.config.mode === "off")) {
    return json(404, { error: "not_found", error_description: `No route for ${sreq.method} ${sreq.path}.` });
  }
  const { route, params } = found;
  const clientId = route.clientOf?.(sreq, ctx, params);
  const call: CallRecord | undefined =
    route.control || route.unlogged
      ? undefined
      : ctx.calls.add({
          time: new Date().toISOString(),
          simulatedTime: new Date(ctx.store.now(clientId ?? "")).toISOString(),
          clientId: clientId ?? null,
          method: sreq.method,
          path: redactPath(sreq.path),
          query: redact(Object.fromEntries(sreq.query)) as Record<string, string>,
          status: null,
          psuIp: typeof req.headers["x-psu-ip"] === "string" ? req.headers["x-psu-ip"] : null,
          fault: null,
          body: bodyForLog(contentType(sreq), rawBody),
        });
  const fault = route.endpoint ? ctx.faults.take(route.endpoint, clientId) : undefined;
  if (call && fault) call.fault = fault.kind;
  if (fault?.kind === "delay") await sleep(fault.ms ?? 1000);

  let result = fault ? faultResult(fault) : undefined;
  if (result === undefined) {
    result = await route.handle(sreq, ctx, params);
    if (!route.readOnly) ctx.store.save();
    if (fault?.kind === "lost_response") result = lostResponse;
  }
  if (call) ctx.calls.finish(call, result);
  const status = result.destroy ? "reset" : String(result.status);
  log(`${sreq.method} ${redactPath(sreq.path)} ${status}${fault ? ` fault=${fault.kind}` : ""}`);
  return result;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => {});
  const store = Store.open(options.dataFile ?? null);
  for (const client of options.clients ?? []) {
    store.upsertClient({ consentScreenReviewed: true, extendEnabled: true, ...client });
  }
  const ctx: Ctx = {
    store,
    config: { mode: options.mode ?? "test", refreshTokenIdleDays: options.refreshTokenIdleDays ?? 30 },
    faults: new Faults(),
    calls: new CallLog(),
  };

  const server = createServer((req, res) => {
    dispatch(ctx, req, log)
      .then((result) => send(res, result))
      .catch((error: unknown) => {
        const path = redactPath(new URL(req.url ?? "/", "http://sandbox.invalid").pathname);
        log(`error handling ${req.method} ${path}: ${String(error)}`);
        if (!res.headersSent)
          send(res, json(500, { error: "internal_error", error_description: "Simulator error." }));
      });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        store.save();
      }),
  };
}
