import type { AddressInfo } from "node:net";
import { allowedHosts, newLocalToken } from "../sandbox/local-guard";
import { createHttpServer, type Guard } from "./http";
import { createSmtpServer } from "./smtp";
import { MessageStore } from "./store";

export type InboxOptions = {
  smtpPort: number;
  httpPort: number;
  dataFile?: string | null;
  host?: string;
  /** What the JSON API needs in X-Inbox-Token; a fresh random one by default. */
  apiToken?: string;
};
export type Inbox = {
  smtpPort: number;
  httpPort: number;
  url: string;
  apiToken: string;
  close(): Promise<void>;
};

/** Starts the SMTP and HTTP sides of the local inbox (port 0 picks a free port, for tests). */
export async function startInbox(options: InboxOptions): Promise<Inbox> {
  const host = options.host ?? "127.0.0.1";
  const store = new MessageStore(options.dataFile ?? null);
  const smtp = createSmtpServer(store);
  const guard: Guard = { hosts: [], token: options.apiToken || newLocalToken() };
  const http = createHttpServer(store, guard);

  await new Promise<void>((resolve, reject) => {
    smtp.server.once("error", reject);
    smtp.listen(options.smtpPort, host, () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.httpPort, host, () => resolve());
  });

  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  guard.hosts = allowedHosts(httpPort);
  return {
    smtpPort,
    httpPort,
    url: `http://${host}:${httpPort}`,
    apiToken: guard.token,
    async close() {
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve) => http.close(() => resolve())),
      ]);
    },
  };
}
