/**
 * Login CSRF: another site must not be able to make a visitor's browser use the other site's own
 * sign-in link (and so sign the visitor in as someone else). The link's token is only ever used by
 * our confirmation page's POST. Browsers send Sec-Fetch-Site on every request, and it must say
 * same-origin; where it is missing (older browsers), the Origin must be ours. The confirmation page's
 * referrer policy is same-origin, so its own POST always carries our Origin: "null" is refused.
 * Checked inside the route that hands the token to next-auth, so no spelling of the path avoids it.
 */
export type SignInRequest = { method: string; origin: string | null; fetchSite: string | null };

export function signInRefusal(request: SignInRequest, appUrl: string): 403 | 405 | null {
  if (request.method !== "POST") return 405;
  if (request.fetchSite !== null) return request.fetchSite === "same-origin" ? null : 403;
  return request.origin === new URL(appUrl).origin ? null : 403;
}
