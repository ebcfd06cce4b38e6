const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export type DeletionMailBrand = { appName: string; supportEmail: string };

/** To the deleted address, naming banks whose revoke is queued; no-reply, so it names the support address instead. */
export function deletionEmail(
  pending: string[],
  { appName, supportEmail }: DeletionMailBrand,
): { subject: string; text: string; html: string } {
  const intro = `Your ${appName} account has been deleted, as you asked.`;
  const contact = `If you did not ask for this, email ${supportEmail}.`;
  const done = [
    "Your sessions, sign-in links, reminders, name and email address have been removed, and every device is signed out.",
    "We keep a record of each consent you gave, without your name, email address or account details, as the law requires.",
  ];
  const queued = pending.length
    ? [
        "TrueLayer has not confirmed that it stopped sharing from these banks:",
        ...pending.map((p) => `- ${p}`),
        "We keep trying wherever TrueLayer can still end it. To be sure, withdraw access at your bank too.",
      ]
    : ["Sharing from every bank has stopped at TrueLayer."];
  const text = [intro, "", ...done, "", ...queued, "", contact].join("\n");
  const paragraphs = [intro, ...done, ...queued.filter((l) => !l.startsWith("- "))];
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    pending.length ? `<ul>${pending.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>` : "",
    `<p>If you did not ask for this, email <a href="mailto:${escapeHtml(supportEmail)}">${escapeHtml(supportEmail)}</a>.</p>`,
  ].join("\n");
  return { subject: `Your ${appName} account has been deleted`, text, html };
}
