import { statusLine } from "@/lib/connections/status-words";
import type { MailBrand } from "@/lib/email/layout";
import { mailBrand } from "@/lib/email/mail-brand";
import { renderMail } from "@/lib/email/render";
import { formatDate } from "@/lib/format";
import { LAPSED } from "./thresholds";

export type ReminderItem = { providerName: string; consentExpiresAt: Date };
export type ReminderEmail = { subject: string; text: string; html: string };

// biome-ignore lint/suspicious/noControlCharactersInRegex: a bank's name must not break a header line
const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

function subjectFor(threshold: number, items: ReminderItem[]): string {
  const first = items[0];
  const what =
    items.length === 1 && first
      ? `${oneLine(first.providerName)} connection`
      : `${items.length} bank connections`;
  const by = formatDate(new Date(Math.min(...items.map((i) => i.consentExpiresAt.getTime()))));
  if (threshold === LAPSED) {
    const from = items.length === 1 && first ? oneLine(first.providerName) : `${items.length} banks`;
    return `Sharing from ${from} is paused: reconfirm to restore it`;
  }
  if (threshold === 1) return `Last day to keep your ${what}: reconfirm by ${by}`;
  return `Keep your ${what}: reconfirm by ${by}`;
}

const lineFor = (threshold: number, item: ReminderItem) =>
  statusLine(oneLine(item.providerName), {
    state: threshold === LAPSED ? "lapsed" : "expiring",
    consentExpiresAt: item.consentExpiresAt,
  });

export async function reminderEmail(
  input: { threshold: number; items: ReminderItem[]; reconfirmUrl: string; unsubscribeUrl: string },
  brand: MailBrand = mailBrand(),
): Promise<ReminderEmail> {
  const { threshold, items, reconfirmUrl, unsubscribeUrl } = input;
  const sorted = [...items].sort(
    (a, b) =>
      a.consentExpiresAt.getTime() - b.consentExpiresAt.getTime() ||
      a.providerName.localeCompare(b.providerName),
  );
  const intro =
    threshold === LAPSED
      ? `${brand.appName} can no longer see data from these banks, because the 90 days you agreed to have ended:`
      : `Every 90 days you confirm that ${brand.appName} may keep seeing your bank data. It takes under a minute:`;
  const outro =
    threshold === LAPSED
      ? "Reconfirm to restore access. If you no longer want to share, you need not do anything."
      : "If you do nothing, sharing stops on the date shown. You can also stop sharing on the same screen.";
  const { html, text } = await renderMail("reminder", {
    brand,
    intro,
    lines: sorted.map((item) => lineFor(threshold, item)),
    outro,
    reconfirmUrl,
    unsubscribeUrl,
  });
  return { subject: subjectFor(threshold, sorted), text, html };
}
