import type { Provider } from "../providers";
import type { Dialog } from "../state";
import { alert, esc, page } from "./layout";

const scopeWords: Record<string, string> = {
  info: "Your full name and the contact details your bank holds",
  accounts: "Your account names, account numbers and sort codes",
  balance: "Your account balances",
  cards: "Your card details and card balances",
  transactions: "Your transactions, including amounts, dates and who you paid",
  direct_debits: "Your direct debits",
  standing_orders: "Your standing orders",
};

export const knownScopes = [...Object.keys(scopeWords), "offline_access"];

function sharing(dialog: Dialog): string {
  const items = dialog.scope.flatMap((s) => (scopeWords[s] ? [`<li>${esc(scopeWords[s])}</li>`] : []));
  const duration = dialog.scope.includes("offline_access")
    ? "Access lasts for 90 days, even when you are not using the app. You can withdraw it at any time."
    : "Access is for this visit only.";
  return `<h2>What you will share</h2>\n<ul>${items.join("")}</ul>\n<p class="note">${duration}</p>`;
}

function cancelForm(dialog: Dialog): string {
  return `<form method="post" action="/_dialog/${esc(dialog.id)}/cancel">
<button type="submit" class="secondary">Cancel</button>
</form>`;
}

export function chooseBankPage(dialog: Dialog, banks: Provider[]): string {
  const list = banks
    .map(
      (b) => `<li><button type="submit" class="bank" name="provider_id" value="${esc(b.id)}">
<img src="/_sandbox/logos/${esc(b.id)}.svg" alt=""><span>${esc(b.displayName)}</span></button></li>`,
    )
    .join("\n");
  return page(
    "Choose your bank",
    `<h1>Choose your bank</h1>
<p>Connect an account so the app can read your data through TrueLayer.</p>
${sharing(dialog)}
<h2 id="banks-heading">Banks</h2>
<form method="post" action="/_dialog/${esc(dialog.id)}/provider">
<ul class="banks" aria-labelledby="banks-heading">
${list}
</ul>
</form>
${cancelForm(dialog)}`,
  );
}

export function loginPage(
  dialog: Dialog,
  bank: Provider,
  options: { error?: string; username?: string; reconfirm?: boolean } = {},
): string {
  const heading = options.reconfirm
    ? `Reconfirm access to ${bank.displayName}`
    : `Log in to ${bank.displayName}`;
  return page(
    heading,
    `<div class="bank-head"><img class="logo" src="/_sandbox/logos/${esc(bank.id)}.svg" alt="">
<h1>${esc(heading)}</h1></div>
${alert(options.error)}
${sharing(dialog)}
<form method="post" action="/_dialog/${esc(dialog.id)}/login">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required value="${esc(options.username ?? "")}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit" class="primary">Log in and allow access</button>
</form>
${cancelForm(dialog)}
<p class="note">Mock bank: try john / doe. See sandbox/README.md for every test user.</p>`,
  );
}

/** response_mode=form_post: the browser posts the result to the redirect URI. */
export function formPostPage(action: string, fields: Record<string, string | null>): string {
  const inputs = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join("\n");
  return page(
    "Returning to the app",
    `<h1>Returning to the app</h1>
<form method="post" action="${esc(action)}">
${inputs}
<noscript><button type="submit" class="primary">Continue</button></noscript>
</form>
<script>document.forms[0].submit()</script>`,
  );
}
