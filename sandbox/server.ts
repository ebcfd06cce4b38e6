import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CallLog, redactPath } from "./calls";
import { clientRecord, type SandboxClientOptions } from "./clients";
import type { Config, Ctx } from "./context";
import { forgetControlToken, rememberControlToken } from "./control-token";
import { dispatch, send } from "./dispatch";
import { Faults } from "./faults";
import { json } from "./http";
import { allowedHosts, hostRefusal, newLocalToken } from "./local-guard";
import { isLoopback } from "./loopback";
import type { ProfileName } from "./profiles";
import { Store } from "./store";

export type { SandboxClientOptions } from "./clients";

export interface SandboxOptions {
  port?: number;
  host?: string;
  mode?: Config["mode"];
  dataFile?: string | null;
  clients?: SandboxClientOptions[];
  refreshTokenIdleDays?: number;
  /** Profile for clients registered without one (default `strict`). */
  profile?: ProfileName;
  log?: (line: string) => void;
  /** What `/_sandbox/*` controls need in X-Sandbox-Token; a fresh random one by default. */
  controlToken?: string;
}

export interface Sandbox {
  url: string;
  port: number;
  controlToken: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => {});
  const host = options.host ?? "127.0.0.1";
  const mode = options.mode ?? "test";
  // The controls can rewrite clients, clocks and tokens, so they must never face a network.
  if (mode !== "off" && !isLoopback(host)) {
    throw new Error(
      `The simulator's test controls are loopback-only: refusing to bind ${host} in mode "${mode}". ` +
        "Bind a loopback address (127.0.0.1, ::1, localhost) or set SANDBOX_MODE=off.",
    );
  }
  const store = Store.open(options.dataFile ?? null);
  const defaultProfile = options.profile ?? "strict";
  for (const client of options.clients ?? []) store.upsertClient(clientRecord(client, defaultProfile));
  const ctx: Ctx = {
    store,
    config: { mode, refreshTokenIdleDays: options.refreshTokenIdleDays ?? 30, defaultProfile },
    faults: new Faults(),
    calls: new CallLog(),
    refreshTokens: new Map(),
    signingKey: randomBytes(32),
    controlToken: options.controlToken || newLocalToken(),
  };
  // A non-loopback bind (mode off only) is also reached by its own address.
  let hosts: string[] = [];

  const server = createServer((req, res) => {
    const refused = hostRefusal(req, hosts);
    if (refused) {
      send(res, {
        status: refused.status,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: refused.message,
      });
      return;
    }
    dispatch(ctx, req, log)
      .then((result) => send(res, result))
      .catch((error: unknown) => {
        const path = redactPath(new URL(req.url ?? "/", "http://sandbox.invalid").pathname);
        log(`error handling ${req.method} ${path}: ${String(error)}`);
        if (!res.headersSent)
          send(res, json(500, { error: "internal_error", error_description: "Simulator error." }));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  hosts = allowedHosts(port, isLoopback(host) ? [] : [urlHost.toLowerCase()]);
  const url = `http://${urlHost}:${port}`;
  rememberControlToken(url, ctx.controlToken);

  return {
    url,
    port,
    controlToken: ctx.controlToken,
    close: () =>
      new Promise<void>((resolve, reject) => {
        forgetControlToken(url);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        store.save();
      }),
  };
}
