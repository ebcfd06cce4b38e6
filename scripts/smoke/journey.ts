import { randomBytes, randomUUID } from "node:crypto";
import type { Browser } from "@playwright/test";
import { connectLinkInput, defaultProviders } from "@/lib/connections/connect/link-input";
import { createTrueLayerClient, isTrueLayerError, type TrueLayerConfig } from "@/lib/truelayer";
import { httpFetch } from "@/lib/truelayer/transport";
import { type Login, walkDialog } from "./dialog";
import type { Listener, Return } from "./listener";
import { type Entry, names, Recorder } from "./transcript";

// The whole journey, twice: john/eternal (extend without a bank trip) and john/doe (extend sends the user
// to the bank, whose return is exchanged). Every TrueLayer call goes through the app's own client, with
// the app's own transport underneath and the app's own auth link; the recorder sees only the shapes.

export type JourneyTarget = {
  client: Omit<TrueLayerConfig, "fetch">;
  listener: Listener;
  browser: Browser;
  /** Under the recorder: the app's transport unless a test watches the traffic. */
  transport?: typeof fetch;
  dialogTimeoutMs?: number;
};

// `id` as the app sends it (extendUserFor): an opaque UUID of our own. Whether TrueLayer wants its own is
// unsettled (../shared/truelayer-api.md §11), so john/eternal also extends once without one.
const USER = { id: randomUUID(), name: "John Smoke", email: "john.smoke@example.com" };
const JOURNEYS: { name: string; login: Login; expect: string }[] = [
  { name: "john/eternal", login: { username: "john", password: "eternal" }, expect: "no_action_needed" },
  { name: "john/doe", login: { username: "john", password: "doe" }, expect: "authentication_needed" },
];

class Stop extends Error {}

function compareWith(sent: string | undefined, received: string | undefined): string {
  if (!received) return "absent";
  return received === sent ? "the same as sent" : "a new one";
}

function linkHost(link: string, authUrl: string, apiUrl: string): string {
  const origin = new URL(link).origin;
  if (origin === new URL(authUrl).origin) return "the auth host";
  if (origin === new URL(apiUrl).origin) return "the API host";
  return "another host";
}

// Browser and socket errors quote URLs, and a URL here may carry a code or a state: keep only the origin.
export function scrubUrls(message: string): string {
  return message.replace(/\bhttps?:\/\/[^\s"'<>]+/g, (url) => {
    try {
      return `${new URL(url).origin}/…`;
    } catch {
      return "(a URL)";
    }
  });
}

function returnFacts(received: Return, state: string | undefined): Record<string, string> {
  const code = received.params.get("code") ?? received.params.get("exchange_code");
  const returnedState = received.params.get("state");
  return {
    method: received.method,
    params: names(received.params.keys()),
    ...(received.formFields.length > 0 ? { "form fields": names(received.formFields) } : {}),
    state: state
      ? returnedState === undefined
        ? "absent"
        : returnedState === state
          ? "echoed"
          : "different"
      : returnedState === undefined
        ? "absent"
        : "present",
    code: code ? "present" : "absent",
  };
}

function expiryMove(before: Date | undefined, after: Date | undefined): string {
  if (!before || !after) return "absent";
  if (after.getTime() > before.getTime()) return "later";
  return after.getTime() === before.getTime() ? "unchanged" : "earlier";
}

/** Runs both journeys; the transcript holds what happened up to the first failure (then `failure` says why). */
export async function runJourneys(target: JourneyTarget): Promise<{ entries: Entry[]; failure?: string }> {
  const recorder = new Recorder();
  const client = createTrueLayerClient({
    ...target.client,
    fetch: recorder.wrap(target.transport ?? httpFetch),
  });
  const authUrl = target.client.authUrl ?? "https://auth.truelayer-sandbox.com";
  const apiUrl = target.client.apiUrl ?? "https://api.truelayer-sandbox.com";
  const redirectUri = target.listener.redirectUri;
  const context = await target.browser.newContext();
  let journey = "";
  let step = "";
  const at = (name: string) => {
    step = name;
    recorder.at(journey, name);
  };
  const fail = (message: string): never => {
    throw new Stop(message);
  };

  try {
    for (const plan of JOURNEYS) {
      journey = plan.name;
      const page = await context.newPage();

      at("auth link");
      const state = randomBytes(24).toString("base64url");
      const pkce = client.createPkcePair();
      const link = client.buildAuthLink(
        connectLinkInput({
          target: target.client.target,
          redirectUri,
          state,
          codeChallenge: pkce.challenge,
          providers: defaultProviders(target.client.target),
        }),
      );
      recorder.add("auth link", { params: names(new URL(link).searchParams.keys()) });

      at("dialog");
      const arrived = target.listener.next(target.dialogTimeoutMs ?? 120_000);
      const pages = await walkDialog(page, link, plan.login, arrived, { timeoutMs: target.dialogTimeoutMs });
      const back = await arrived;
      recorder.add("return from the dialog", returnFacts(back, state), `pages: ${pages.join(" → ")}`);
      const code = back.params.get("code") ?? fail("the dialog's return carries no code");

      at("exchange the code");
      const tokens = await client.exchangeCode({ code, redirectUri, codeVerifier: pkce.verifier });
      let accessToken = tokens.accessToken;
      let refreshToken = tokens.refreshToken ?? fail("the code exchange gave no refresh_token");

      at("read /me");
      const me = await client.getMe(accessToken);
      at("read accounts");
      const accounts = await client.getAccounts(accessToken);
      at("read a balance");
      // Without X-PSU-IP, as the daily job reads: one of the bank's four unattended calls.
      const first = accounts[0] ?? fail("the mock bank listed no accounts");
      await client.getBalance(accessToken, first.accountId);

      at("refresh");
      const refreshed = await client.refreshToken({ refreshToken });
      recorder.add("after refresh", { refresh_token: compareWith(refreshToken, refreshed.refreshToken) });
      at("the replaced bearer");
      // Its status is in the call's own entry: TL support says only the last access token works.
      await client.getMe(accessToken).catch(() => undefined);
      accessToken = refreshed.accessToken;
      refreshToken = refreshed.refreshToken ?? refreshToken;

      at("extend");
      const extended = await client.extendConnection({ refreshToken, redirectUri, user: USER });
      if (extended.action !== plan.expect)
        fail(`extend answered ${extended.action}; the mock bank documents ${plan.expect} for ${plan.name}`);

      if (extended.action === "no_action_needed") {
        recorder.add("after extend", {
          refresh_token: compareWith(refreshToken, extended.refreshToken),
        });
        accessToken = extended.accessToken;
        refreshToken = extended.refreshToken ?? refreshToken;
        at("extend without user.id");
        const { id: _ours, ...withoutId } = USER;
        const again = await client.extendConnection({ refreshToken, redirectUri, user: withoutId });
        recorder.add("after extend without user.id", { action: again.action });
        if (again.action === "no_action_needed") {
          accessToken = again.accessToken;
          refreshToken = again.refreshToken ?? refreshToken;
        }
        at("read /me after extend");
        const after = await client.getMe(accessToken);
        recorder.add("after extend: /me", {
          consent_expires_at: expiryMove(me.consentExpiresAt, after.consentExpiresAt),
        });
      } else {
        const userInputLink = extended.userInputLink;
        recorder.add("user_input_link", {
          opens: linkHost(userInputLink, authUrl, apiUrl),
          params: names(new URL(userInputLink).searchParams.keys()),
        });
        at("bank trip");
        const fromBank = target.listener.next(target.dialogTimeoutMs ?? 120_000);
        const bankPages = await walkDialog(page, userInputLink, plan.login, fromBank, {
          timeoutMs: target.dialogTimeoutMs,
        });
        const bankReturn = await fromBank;
        recorder.add(
          "return from the bank",
          returnFacts(bankReturn, undefined),
          `pages: ${bankPages.join(" → ")}`,
        );
        const bankCode =
          bankReturn.params.get("code") ??
          bankReturn.params.get("exchange_code") ??
          fail("the bank's return carries no code");
        at("exchange the bank's code");
        const renewed = await client.exchangeCode({ code: bankCode, redirectUri });
        recorder.add("after the bank trip", {
          refresh_token: compareWith(refreshToken, renewed.refreshToken),
        });
        accessToken = renewed.accessToken;
        at("read /me after the bank trip");
        const after = await client.getMe(accessToken);
        recorder.add("after the bank trip: /me", {
          credentials_id: after.credentialsId === me.credentialsId ? "unchanged" : "changed",
          consent_expires_at: expiryMove(me.consentExpiresAt, after.consentExpiresAt),
        });
      }

      at("read accounts again");
      const again = await client.getAccounts(accessToken);
      const ids = (list: { accountId: string }[]) =>
        list
          .map((a) => a.accountId)
          .sort()
          .join("\n");
      recorder.add("accounts again", { account_ids: ids(again) === ids(accounts) ? "unchanged" : "changed" });

      at("stop sharing");
      const outcome = await client.deleteConnection(accessToken);
      recorder.add("stop sharing: outcome", { outcome });
      at("refresh after stop sharing");
      // Its answer (status and error code) is in the call's own entry.
      await client.refreshToken({ refreshToken }).catch(() => undefined);
      await page.close();
    }
    return { entries: recorder.entries };
  } catch (error) {
    const why =
      error instanceof Stop
        ? error.message
        : isTrueLayerError(error)
          ? `${error.operation} failed: ${error.code}${error.status ? ` (HTTP ${error.status})` : ""}`
          : error instanceof Error
            ? scrubUrls(error.message.split("\n")[0] ?? "")
            : "unknown error";
    recorder.add(step, { failed: why });
    return { entries: recorder.entries, failure: `[${journey}] ${step}: ${why}` };
  } finally {
    await context.close();
  }
}
