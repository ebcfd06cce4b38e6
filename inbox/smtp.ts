import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { MessageStore } from "./store";

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = Array.isArray(field) ? field : field ? [field] : [];
  return objects.flatMap((o) => o.value.map((a) => a.address ?? "").filter(Boolean));
}

/**
 * Accepts any mail from anyone, without authentication or TLS: a local, loopback-only inbox, and the
 * one mail catcher of the demo, the tests and the bench. With no store it discards what it receives.
 */
export function createSmtpServer(store: MessageStore | null): SMTPServer {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    banner: "Reconsent local inbox",
    size: 5 * 1024 * 1024,
    onData(stream, session, callback) {
      if (!store) {
        stream.on("end", () => callback());
        stream.resume();
        return;
      }
      const raw: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => raw.push(chunk));
      simpleParser(stream)
        .then((mail) => {
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          store.add({
            from: mail.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ""),
            to: envelopeTo.length > 0 ? envelopeTo : addressesOf(mail.to),
            subject: mail.subject ?? "(no subject)",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : null,
            date: (mail.date ?? new Date()).toISOString(),
            // The raw header block, unfolded: tests read List-Unsubscribe and the like from it.
            headers: (
              Buffer.concat(raw)
                .toString("utf8")
                .split(/\r?\n\r?\n/)[0] ?? ""
            ).replace(/\r?\n[ \t]+/g, " "),
          });
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  server.on("error", (error) => process.stderr.write(`[inbox] SMTP error: ${error.message}\n`));
  return server;
}
