import type { Provider } from "../providers";
import { alert, esc, page } from "./layout";

export function reauthPage(
  reauthId: string,
  bank: Provider,
  options: { username: string; error?: string; cancelsOnly: boolean },
): string {
  const id = esc(reauthId);
  const cancelNote = options.cancelsOnly
    ? `<p class="note">This test user always cancels at the bank: any choice returns access_denied.</p>`
    : "";
  return page(
    `Re-authenticate with ${bank.displayName}`,
    `<div class="bank-head"><img class="logo" src="/_sandbox/logos/${esc(bank.id)}.svg" alt="">
<h1>Re-authenticate with ${esc(bank.displayName)}</h1></div>
${alert(options.error)}
<p>Your bank needs you to log in again so the app can keep reading your account data.</p>
${cancelNote}
<form method="post" action="/_bank/reauth/${id}/approve">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" readonly value="${esc(options.username)}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit" class="primary">Approve</button>
</form>
<form method="post" action="/_bank/reauth/${id}/cancel">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}

export function echoPage(query: URLSearchParams, method: string, form: URLSearchParams | undefined): string {
  const rows = [...query.entries(), ...(form?.entries() ?? [])]
    .map(([key, value]) => `<dt>${esc(key)}</dt><dd><code>${esc(value)}</code></dd>`)
    .join("\n");
  return page(
    "Redirect received",
    `<h1>Redirect received</h1>
<p>Method: ${esc(method)}</p>
<dl>${rows}</dl>`,
  );
}

export function landingPage(): string {
  return page(
    "TrueLayer sandbox simulator",
    `<h1>TrueLayer sandbox simulator</h1>
<p>This server stands in for auth.truelayer-sandbox.com and api.truelayer-sandbox.com.
Open an auth link (a URL with response_type, client_id, redirect_uri and scope) to start.</p>`,
  );
}
