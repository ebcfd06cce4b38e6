// Login CSRF: another site must not make a visitor's browser use its own sign-in link. Sec-Fetch-Site must say
// same-origin, else (older browsers) the Origin must be ours; "null" is refused. Checked inside the route that
// hands the token to next-auth, so no spelling of the path avoids it.
export type SignInRequest = { method: string; origin: string | null; fetchSite: string | null };

export function signInRefusal(request: SignInRequest, appUrl: string): 403 | 405 | null {
  if (request.method !== "POST") return 405;
  if (request.fetchSite !== null) return request.fetchSite === "same-origin" ? null : 403;
  return request.origin === new URL(appUrl).origin ? null : 403;
}
