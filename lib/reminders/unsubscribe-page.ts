import { brand, TRUELAYER_FIRM } from "@/lib/brand";

// A route handler (RFC 8058 one-click POST), so plain HTML: small, no JavaScript, saying nothing of whose link.

const style = (
  color: string,
) => `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#18212b;background:#f7f8f7;line-height:1.5}
main{max-width:34rem;margin:0 auto;padding:3rem 1.25rem}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem}
p{font-size:1.05rem;margin:0 0 1rem}
button,a.button{display:inline-flex;align-items:center;min-height:3rem;padding:0 1.5rem;border:0;border-radius:.5rem;background:${color};color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
button:hover,a.button:hover{filter:brightness(.85)}
footer{max-width:34rem;margin:0 auto;padding:1rem 1.25rem 2rem;border-top:1px solid #e5e7eb;color:#4b5663;font-size:.9rem}
footer a{color:${color};margin-right:1.5rem}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.muted{color:#4b5663;font-size:.95rem}`;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function page(title: string, body: string): string {
  const b = brand();
  const app = escapeHtml(b.appName);
  const footer = `<footer><p><a href="${escapeHtml(b.privacyUrl)}">Privacy notice</a><a href="${escapeHtml(b.termsUrl)}">Terms</a><a href="mailto:${escapeHtml(b.supportEmail)}">Contact ${app}</a></p>
<p>Bank data is accessed by ${TRUELAYER_FIRM.name}, authorised by the Financial Conduct Authority (firm reference number ${TRUELAYER_FIRM.frn}), on ${app}&#39;s behalf.</p></footer>`;
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · ${app}</title><style>${style(b.color ?? "#185a44")}</style></head>
<body><main>${body}</main>${footer}</body></html>`;
}

export function confirmPage(actionUrl: string): string {
  return page(
    "Stop reminder emails",
    `<h1>Stop reminder emails?</h1>
<p>We email you before your bank connections need reconfirming. If you stop these emails, you will still see a reminder when you open ${escapeHtml(brand().appName)}.</p>
<form method="post" action="${escapeHtml(actionUrl)}"><button type="submit">Stop reminder emails</button></form>
<p class="muted" style="margin-top:1.5rem">You can turn them back on at any time in your settings.</p>`,
  );
}

export function donePage(settingsUrl: string): string {
  return page(
    "Reminder emails stopped",
    `<h1>Reminder emails stopped</h1>
<p role="status">You will not get reminder emails any more. ${escapeHtml(brand().appName)} still shows a reminder when you sign in.</p>
<p><a class="button" href="${escapeHtml(settingsUrl)}">Go to your settings</a></p>`,
  );
}

export function invalidLinkPage(settingsUrl: string): string {
  return page(
    "Link not valid",
    `<h1>This link is not valid</h1>
<p>It may have been copied incompletely. Use the link from your most recent reminder email, or turn reminder emails off in your settings.</p>
<p><a class="button" href="${escapeHtml(settingsUrl)}">Go to your settings</a></p>`,
  );
}

/** One of these pages as the response: never cached, indexed or framed, and no referrer leaves with its token. */
export function html(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    },
  });
}
