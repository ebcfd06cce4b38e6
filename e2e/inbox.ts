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

/** The newest mail to `address` in the local inbox, waiting up to `timeoutMs` for one to arrive. */
export async function latestMailTo(
  address: string,
  { timeoutMs = 10_000, newerThan }: { timeoutMs?: number; newerThan?: InboxMessage } = {},
): Promise<InboxMessage> {
  const url = `${e2eEnv().MAIL_INBOX_URL}/api/messages?to=${encodeURIComponent(address)}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(url);
    if (res.ok) {
      const [latest] = (await res.json()) as InboxMessage[];
      if (latest && latest.id !== newerThan?.id) return latest;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No mail to ${address} arrived within ${timeoutMs} ms.`);
}

/** Every http(s) link in a plain-text mail, in order. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"']+/g)].map((m) => m[0]);
}
