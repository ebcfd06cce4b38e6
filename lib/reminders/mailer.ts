import "server-only";
import nodemailer from "nodemailer";
import { recordMailFailed, recordMailSent } from "@/lib/email/mail-status";
import { env } from "@/lib/env";

/** `unsubscribeUrl` for mail a user can opt out of; service mail (an account's deletion) has none. */
export type Mail = { to: string; subject: string; text: string; html: string; unsubscribeUrl?: string };
export type Mailer = { send(mail: Mail): Promise<void>; close(): void };

// Short timeouts: a run must finish inside a serverless function's limit even when SMTP hangs.
const DEFAULTS: Record<string, string> = {
  pool: "true",
  maxConnections: "10",
  connectionTimeout: "10000",
  greetingTimeout: "10000",
  socketTimeout: "20000",
};

export function createMailer(): Mailer {
  const url = new URL(env().SMTP_URL);
  for (const [key, value] of Object.entries(DEFAULTS))
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      await recordedSend(() =>
        transport.sendMail({
          from: env().EMAIL_FROM,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to the same URL.
          ...(mail.unsubscribeUrl
            ? {
                list: { unsubscribe: mail.unsubscribeUrl },
                headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
              }
            : {}),
        }),
      );
    },
    close() {
      transport.close();
    },
  };
}

export async function recordedSend(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    await recordMailFailed(sendErrorCode(error));
    throw error;
  }
  await recordMailSent();
}

// Never the mail server's full reply, which may quote addresses.
export function sendErrorCode(error: unknown): string {
  if (typeof error !== "object" || error === null) return "unknown";
  const code = "code" in error && typeof error.code === "string" ? error.code : "error";
  const status =
    "responseCode" in error && typeof error.responseCode === "number" ? ` ${error.responseCode}` : "";
  return `${code}${status}`.slice(0, 64);
}
