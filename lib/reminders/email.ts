import { formatDate } from "@/lib/format";
import { LAPSED } from "./thresholds";

export type ReminderItem = { providerName: string; consentExpiresAt: Date };
export type ReminderEmail = { subject: string; text: string; html: string };

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
// biome-ignore lint/suspicious/noControlCharactersInRegex: a bank's name must not break a header line
const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

function subjectFor(threshold: number, items: ReminderItem[]): string {
  const first = items[0];
  const what =
    items.length === 1 && first
      ? `${oneLine(first.providerName)} connection`
      : `${items.length} bank connections`;
  const by = formatDate(new Date(Math.min(...items.map((i) => i.consentExpiresAt.getTime()))));
  if (threshold === LAPSED) return `Your ${what} has stopped: reconfirm to restore it`;
  if (threshold === 1) return `Last day to keep your ${what}: reconfirm by ${by}`;
  return `Keep your ${what}: reconfirm by ${by}`;
}

const lineFor = (threshold: number, item: ReminderItem) =>
  `${oneLine(item.providerName)}: ${threshold === LAPSED ? "access ended on" : "access until"} ${formatDate(item.consentExpiresAt)}`;

export function reminderEmail(input: {
  threshold: number;
  items: ReminderItem[];
  reconfirmUrl: string;
  unsubscribeUrl: string;
}): ReminderEmail {
  const { threshold, items, reconfirmUrl, unsubscribeUrl } = input;
  const sorted = [...items].sort(
    (a, b) =>
      a.consentExpiresAt.getTime() - b.consentExpiresAt.getTime() ||
      a.providerName.localeCompare(b.providerName),
  );
  const lines = sorted.map((item) => lineFor(threshold, item));
  const intro =
    threshold === LAPSED
      ? "Your app can no longer see data from these banks, because the 90 days you agreed to have ended:"
      : "Every 90 days you confirm that your app may keep seeing your bank data. It takes under a minute:";
  const outro =
    threshold === LAPSED
      ? "Reconfirm to restore access. If you no longer want to share, you need not do anything."
      : "If you do nothing, sharing stops on the date shown. You can also stop sharing on the same screen.";
  const footer = "You get these emails because you share bank data through Reconsent.";
  const text = [
    "Hello,",
    "",
    intro,
    "",
    ...lines.map((l) => `- ${l}`),
    "",
    `Reconfirm now: ${reconfirmUrl}`,
    "",
    outro,
    "",
    "--",
    footer,
    `Stop these reminder emails: ${unsubscribeUrl}`,
  ].join("\n");
  const html = [
    "<p>Hello,</p>",
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`,
    `<p><a href="${escapeHtml(reconfirmUrl)}">Reconfirm now</a></p>`,
    `<p>${escapeHtml(outro)}</p>`,
    `<p style="color:#555;font-size:13px">${escapeHtml(footer)} <a href="${escapeHtml(unsubscribeUrl)}">Stop these reminder emails</a>.</p>`,
  ].join("\n");
  return { subject: subjectFor(threshold, sorted), text, html };
}
