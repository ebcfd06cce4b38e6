import type { Message } from "./store";

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** Plain text as HTML, with http(s) links clickable; every other character escaped. */
export function linkify(text: string): string {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0];
    html += escapeHtml(text.slice(last, match.index));
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #18212b; background: #f7f8f7; margin: 0; }
  main { max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem; }
  a { color: #185a44; }
  :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
  ul { list-style: none; padding: 0; }
  li { background: #fff; border: 1px solid #dde2df; border-radius: .5rem; padding: .75rem 1rem; margin: .5rem 0; }
  .meta { color: #4b5663; font-size: .875rem; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border: 1px solid #dde2df; border-radius: .5rem; padding: 1rem; font: inherit; }
  iframe { width: 100%; min-height: 16rem; border: 1px solid #dde2df; border-radius: .5rem; background: #fff; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/** The product's main path starts from a mail: say how to get one without moving any clock (issue 29 item 16). */
export const REMINDER_HINT =
  "To see the reminder journey, run <code>npm run reminders</code> in another terminal: on a fresh demo it mails the demo user at once (Mock UK Bank is due in 5 days). Open that mail, follow Reconfirm now, then press Continue and Yes, keep sharing.";

export function renderList(messages: Message[]): string {
  const items = messages
    .map(
      (m) => `<li><a href="/messages/${encodeURIComponent(m.id)}">${escapeHtml(m.subject)}</a>
<div class="meta">To ${escapeHtml(m.to.join(", "))} · from ${escapeHtml(m.from)} · ${escapeHtml(new Date(m.date).toUTCString())}</div></li>`,
    )
    .join("\n");
  return page(
    "Local inbox",
    `<h1>Local inbox</h1>
<p class="meta">Every email the app sends on this machine lands here. Nothing is delivered anywhere else.</p>
<p class="meta">${REMINDER_HINT}</p>
${messages.length === 0 ? "<p>No messages yet.</p>" : `<ul>${items}</ul>`}`,
  );
}

export function renderMessage(m: Message): string {
  // The HTML part is shown in a fully sandboxed frame: no scripts, no forms, no navigation.
  const htmlPart = m.html
    ? `<h2>HTML version</h2><iframe title="HTML version of the message" sandbox srcdoc="${escapeHtml(m.html)}"></iframe>`
    : "";
  return page(
    m.subject,
    `<p><a href="/">← All messages</a></p>
<h1>${escapeHtml(m.subject)}</h1>
<p class="meta">To ${escapeHtml(m.to.join(", "))}<br>From ${escapeHtml(m.from)}<br>${escapeHtml(new Date(m.date).toUTCString())}</p>
<pre>${linkify(m.text)}</pre>
${htmlPart}`,
  );
}

export function renderNotFound(): string {
  return page("Not found", `<h1>Message not found</h1><p><a href="/">All messages</a></p>`);
}
