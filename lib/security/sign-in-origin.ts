/**
 * Login CSRF: another site must not be able to make a visitor's browser use the other site's own
 * sign-in link (and so sign the visitor in as someone else). The link's token is only ever used by
 * the confirmation page's POST, from our own origin; next-auth would also take it on GET, so that is
 * refused outright. Browsers send Sec-Fetch-Site on every request; where it is missing, an Origin
 * that is present and not ours is refused. ("null" is let through: our confirmation page sends no
 * referrer, which makes browsers send "Origin: null" with its own POST.)
 */
export type SignInRequest = {
  method: string;
  pathname: string;
  origin: string | null;
  fetchSite: string | null;
};

const EMAIL_CALLBACK = "/api/auth/callback/email";

export function signInRefusal(request: SignInRequest, appUrl: string): 403 | 405 | null {
  if (request.pathname !== EMAIL_CALLBACK && request.pathname !== `${EMAIL_CALLBACK}/`) return null;
  if (request.method !== "POST") return 405;
  if (request.fetchSite !== null) return request.fetchSite === "same-origin" ? null : 403;
  if (request.origin === null || request.origin === "null") return null;
  return request.origin === new URL(appUrl).origin ? null : 403;
}
