// Drives the simulator's HTML auth dialog and bank re-auth page with plain fetch, so tests, the bench
// and the demo seed get real codes without a browser. The one dialog driver of the test kit.

export interface DialogOutcome {
  /** `code`, or `exchange_code` when the return names it so. */
  code: string;
  state: string | undefined;
  /** The callback URL: with the query for a GET return, without fields for a form_post one. */
  callbackUrl: string;
  /** How the browser came back: a redirect (GET) or an auto-submitting form (response_mode=form_post). */
  method: "GET" | "POST";
  /** Every field of the return, as the app receives them. */
  params: Record<string, string>;
}

/** The dialog or bank page ended without a code: an OAuth `error` on the callback, or an error page. */
export class DialogError extends Error {
  override readonly name = "DialogError";
  constructor(
    message: string,
    readonly error?: string,
    readonly state?: string,
  ) {
    super(message);
  }
}

export interface Credentials {
  username: string;
  password: string;
  /** Bank to pick when the dialog asks; defaults to the first one listed. */
  providerId?: string;
  /** Press Cancel instead of logging in / approving. */
  cancel?: boolean;
}

export interface ConnectOptions extends Credentials {
  clientId: string;
  redirectUri: string;
  scope?: string;
  providers?: string;
  state?: string;
  codeChallenge?: string;
}

interface Form {
  action: string;
  fields: Record<string, string>;
  buttons: { name: string; value: string }[];
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(value: string): string {
  return value.replace(/&(#\d+|#x[\da-f]+|\w+);/gi, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITY[ref.toLowerCase()] ?? whole;
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g))
    out[(m[1] ?? "").toLowerCase()] = decode(m[2] ?? "");
  return out;
}

function parseForms(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((m) => {
    const body = m[2] ?? "";
    const fields: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attrs(input[1] ?? "");
      if (a.name) fields[a.name] = a.value ?? "";
    }
    const buttons = [...body.matchAll(/<button\b([^>]*)>/gi)].flatMap((b) => {
      const a = attrs(b[1] ?? "");
      return a.name ? [{ name: a.name, value: a.value ?? "" }] : [];
    });
    return { action: attrs(m[1] ?? "").action ?? "", fields, buttons };
  });
}

function pageProblem(html: string): string {
  const alert = /role="alert"[^>]*>([\s\S]*?)<\//i.exec(html)?.[1];
  const title = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  return decode((alert ?? title ?? "unexpected page").trim());
}

function isSandboxPage(url: URL, origin: string): boolean {
  if (url.origin !== origin) return false;
  return (
    url.pathname.startsWith("/_dialog/") ||
    url.pathname.startsWith("/_bank/") ||
    url.searchParams.has("response_type")
  );
}

function outcome(callbackUrl: string, params: Record<string, string>, method: "GET" | "POST"): DialogOutcome {
  const code = params.code ?? params.exchange_code;
  if (code) return { code, state: params.state, callbackUrl, method, params };
  throw new DialogError(`dialog returned ${params.error ?? "no code"}`, params.error, params.state);
}

function chooseForm(forms: Form[], creds: Credentials): { form: Form; body: URLSearchParams } {
  const action = (suffix: string) => forms.find((f) => f.action.endsWith(suffix));
  const cancel = action("/cancel");
  if (creds.cancel && cancel) return { form: cancel, body: new URLSearchParams() };
  const bank = action("/provider");
  if (bank) {
    const choice = creds.providerId ?? bank.buttons[0]?.value;
    if (!choice) throw new DialogError("bank choice page lists no banks");
    return { form: bank, body: new URLSearchParams({ ...bank.fields, provider_id: choice }) };
  }
  const login = action("/login") ?? action("/approve");
  if (login) {
    return {
      form: login,
      body: new URLSearchParams({
        ...login.fields,
        username: creds.username || (login.fields.username ?? ""),
        password: creds.password,
      }),
    };
  }
  throw new DialogError("no form to submit on this page");
}

/** Follows the sandbox's pages from `startUrl`, filling forms, until it redirects to the app. */
async function drive(startUrl: string, creds: Credentials): Promise<DialogOutcome> {
  const origin = new URL(startUrl).origin;
  let request: { url: URL; init: RequestInit } = { url: new URL(startUrl), init: { method: "GET" } };
  for (let step = 0; step < 12; step++) {
    const response = await fetch(request.url, { ...request.init, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, request.url);
      if (!isSandboxPage(next, origin)) {
        return outcome(next.toString(), Object.fromEntries(next.searchParams), "GET");
      }
      request = { url: next, init: { method: "GET" } };
      continue;
    }
    const html = await response.text();
    const forms = parseForms(html);
    const posted = forms.length === 1 && forms[0] ? new URL(forms[0].action, request.url) : null;
    if (response.status === 200 && forms[0] && posted && !isSandboxPage(posted, origin)) {
      return outcome(posted.toString(), forms[0].fields, "POST");
    }
    if (response.status !== 200 || forms.length === 0 || html.includes('class="error"')) {
      throw new DialogError(`sandbox page: ${pageProblem(html)} (HTTP ${response.status})`);
    }
    const { form, body } = chooseForm(forms, creds);
    request = {
      url: new URL(form.action, request.url),
      init: {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      },
    };
  }
  throw new DialogError("too many steps in the sandbox dialog");
}

/** Opens an auth link (e.g. from client.buildAuthLink) and logs in; resolves with the callback code. */
export function completeDialog(authLink: string, creds: Credentials): Promise<DialogOutcome> {
  return drive(authLink, creds);
}

/** Builds a minimal auth link for the sandbox at `sandboxUrl` and completes it. */
export function connectViaDialog(sandboxUrl: string, options: ConnectOptions): Promise<DialogOutcome> {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scope ?? "info accounts balance offline_access",
    providers: options.providers ?? "uk-cs-mock",
  });
  if (options.providerId) params.set("provider_id", options.providerId);
  if (options.state) params.set("state", options.state);
  if (options.codeChallenge) {
    params.set("code_challenge", options.codeChallenge);
    params.set("code_challenge_method", "S256");
  }
  return drive(`${sandboxUrl.replace(/\/+$/, "")}/?${params.toString()}`, options);
}

/**
 * Approves the bank re-authentication page an extend `authentication_needed` points at. The page
 * asks for the password again; by default the mock persona's own ("doe").
 */
export function approveBankReauth(
  userInputLink: string,
  options: { password?: string; cancel?: boolean } = {},
): Promise<DialogOutcome> {
  return drive(userInputLink, { username: "", password: options.password ?? "doe", cancel: options.cancel });
}
