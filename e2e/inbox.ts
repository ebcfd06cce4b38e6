import { e2eEnv } from "./fixtures";

export type InboxMessage = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  date: string;
};

/** Every mail to `address` in the local inbox now, newest first (the API needs this run's token). */
export async function mailTo(address: string): Promise<InboxMessage[]> {
  const env = e2eEnv();
  const res = await fetch(`${env.MAIL_INBOX_URL}/api/messages?to=${encodeURIComponent(address)}`, {
    headers: { "x-inbox-token": env.INBOX_API_TOKEN ?? "" },
  });
  if (!res.ok) throw new Error(`The inbox answered ${res.status}.`);
  return (await res.json()) as InboxMessage[];
}

/** The newest mail to `address` in the local inbox, waiting up to `timeoutMs` for one to arrive. */
export async function latestMailTo(
  address: string,
  { timeoutMs = 10_000, newerThan }: { timeoutMs?: number; newerThan?: InboxMessage } = {},
): Promise<InboxMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [latest] = await mailTo(address);
    if (latest && latest.id !== newerThan?.id) return latest;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No mail to ${address} arrived within ${timeoutMs} ms.`);
}

/** Every http(s) link in a plain-text mail, in order. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"']+/g)].map((m) => m[0]);
}
