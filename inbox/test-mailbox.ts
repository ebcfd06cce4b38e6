import type { AddressInfo } from "node:net";
import type { SMTPServer } from "smtp-server";
import { createSmtpServer } from "./smtp";
import { type Message, MessageStore } from "./store";

/**
 * The local inbox's own SMTP server, in process, for tests: the messages it received (with their raw
 * headers, so List-Unsubscribe can be checked), and a stop and start on the same port to see a send
 * fail and then succeed.
 */
export class TestMailbox {
  private readonly store = new MessageStore(null);
  port = 0;
  private server: SMTPServer | undefined;

  async start(): Promise<void> {
    const server = createSmtpServer(this.store);
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Oldest first, as they arrived. */
  get messages(): Message[] {
    return this.store.list().reverse();
  }

  to(address: string): Message[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  header(mail: Message, name: string): string | undefined {
    const line = (mail.headers ?? "")
      .split(/\r?\n/)
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(name.length + 1).trim();
  }

  clear(): void {
    this.store.clear();
  }
}
